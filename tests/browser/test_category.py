"""The category option in the browser: shown as text in toasts and center items, a
Category filter in the center that appears once there are categories, and a category
that reached the history without the validator (a tampered store) still shown as text."""

from __future__ import annotations

import json

from selenium.webdriver.common.keys import Keys

from ..waiting import texts as page_texts
from .apps import raise_next, wait_for_events
from .test_center import center_app, choose, open_center

XSS = '<img src=x onerror="window.pwned=1">'
RAISES = [
    {"title": "No category"},
    [
        {"title": "Comment from ana", "category": "comment"},
        {"title": "Deploy done", "category": "deploy"},
        {"title": "Deploy failed", "category": "deploy", "severity": "High"},
        {"title": "Invoice", "category": "billing"},
    ],
]


def texts(duo, selector: str) -> list[str]:
    return page_texts(duo.driver, selector)


def legends(duo) -> list[str]:
    return texts(duo, "[role=dialog] fieldset legend")


def test_categories_are_shown_and_filter_the_center(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app(RAISES, maxVisible=5, stacked=False))
    raise_next(duo)
    wait_for_events(duo, "shownData", 1)
    open_center(duo)
    assert legends(duo) == ["Show", "Severity"]  # no categories yet: no Category filter
    duo.find_element("[role=dialog]").send_keys(Keys.ESCAPE)  # it covers the button
    duo.wait_for_no_elements("[role=dialog]")
    raise_next(duo)
    wait_for_events(duo, "shownData", 2)
    open_center(duo)
    duo.wait_for_text_to_equal("[role=dialog] fieldset:nth-of-type(3) legend", "Category")
    segments = texts(duo, "[role=dialog] fieldset:nth-of-type(3) label")
    assert segments == ["All", "billing", "comment", "deploy"]
    assert sorted(texts(duo, ".dn-toast .dn-cat")) == ["billing", "comment", "deploy", "deploy"]
    assert sorted(texts(duo, ".dn-item .dn-cat")) == ["billing", "comment", "deploy", "deploy"]
    choose(duo, "Category", "deploy")
    duo.wait_for_text_to_equal(".dn-item .dn-title", "Deploy failed")
    assert texts(duo, ".dn-item .dn-title") == ["Deploy failed", "Deploy done"]
    assert texts(duo, "[role=dialog] [role=status]") == ["2 of 5 notifications shown"]
    choose(duo, "Severity", "High")
    assert texts(duo, ".dn-item .dn-title") == ["Deploy failed"]
    choose(duo, "Category", "All")
    choose(duo, "Severity", "All")
    assert len(texts(duo, ".dn-item .dn-title")) == 5
    # the search looks at categories too
    search = duo.find_element(".dn-search")
    search.send_keys("billing")
    duo.wait_for_text_to_equal(".dn-item .dn-title", "Invoice")
    assert texts(duo, ".dn-item .dn-title") == ["Invoice"]
    # clickData carries the category
    duo.driver.find_element("css selector", ".dn-item .dn-main").click()
    [click] = wait_for_events(duo, "clickData", 1)
    assert click["category"] == "billing" and click["delivery"] == "center"


def test_a_category_from_a_tampered_history_is_text(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app([{"title": "Deploy done", "category": "deploy"}]))
    raise_next(duo)
    wait_for_events(duo, "shownData", 1)
    duo.wait_for_text_to_equal(".dn-toast .dn-cat", "deploy")
    # what another script (or an old version) could have left in localStorage
    duo.driver.execute_script(
        """const key = Object.keys(localStorage).find(k => k.startsWith('dash_notify:'));
        const saved = JSON.parse(localStorage.getItem(key));
        saved.items[0].category = arguments[0];
        localStorage.setItem(key, JSON.stringify(saved));""",
        XSS,
    )
    duo.driver.refresh()
    open_center(duo)
    duo.wait_for_text_to_equal(".dn-item .dn-cat", XSS)
    assert texts(duo, "[role=dialog] fieldset:nth-of-type(3) label") == ["All", XSS]
    assert duo.driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
    assert duo.driver.execute_script("return window.pwned === undefined")
    assert json.dumps(XSS) in json.dumps(texts(duo, ".dn-item .dn-cat"))
