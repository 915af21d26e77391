"""The center's panel in real Chromium: times (relative, absolute on hover and for screen
readers), day groups, unread dots, the per-item menu, segmented filters, search, the
empty state, "Load more" from the hub, text kept as text, keyboard use, and the panel's
code fetched only when it is wanted."""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

import dash_notify

from ..waiting import texts, wait_until
from .apps import raise_next, raising_app, wait_for_events

DAY_MS = 24 * 3600 * 1000


def start(duo, raises, **notifications):
    duo.start_server(raising_app(raises, notifications={"center": True, **notifications}))
    duo.wait_for_element(".dn-bell")
    return duo


def read(duo, script: str, *args):
    return duo.driver.execute_script(script, *args)


def open_panel(duo):
    duo.find_element(".dn-bell").click()
    return duo.wait_for_element("[role=dialog] .dn-center-head")


def loaded_chunks(duo) -> list[str]:
    script = (
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => /dash_notify\\/async-/.test(n)).map(n => n.split('/').pop())"
    )
    return sorted(read(duo, script))


def test_times_day_groups_and_unread_dots(dash_duo_blocked):
    batch = [{"title": f"N{i}", "body": f"body {i}", "showToast": False} for i in range(3)]
    duo = start(dash_duo_blocked, [batch])
    raise_next(duo)
    wait_for_events(duo, "shownData", 1)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 3 unread']")
    # The history is the browser's: age its records (N0 five days, N1 one day, N2 two
    # minutes) in localStorage, as time would, and reload.
    read(
        duo,
        """const key = Object.keys(localStorage).find(k => k.startsWith('dash_notify:'));
        const saved = JSON.parse(localStorage.getItem(key));
        const ages = {N0: 5 * arguments[0], N1: arguments[0] + 60000, N2: 2 * 60000 + 5000};
        const now = Date.now();
        saved.items = saved.items.map(item => ({...item, timestamp: now - ages[item.title]}));
        localStorage.setItem(key, JSON.stringify(saved));""",
        DAY_MS,
    )
    duo.driver.refresh()
    open_panel(duo)
    now_ms = read(duo, "return Date.now()")
    midnight = read(duo, "const d = new Date(); d.setHours(0, 0, 0, 0); return d.getTime()")
    expected_groups = ["Today", "Yesterday", "Earlier"]
    if now_ms - midnight < 2 * 60000 + 5000:  # just after midnight, N2 was yesterday
        expected_groups = ["Yesterday", "Earlier"]
    assert texts(duo.driver, "[role=dialog] .dn-day") == expected_groups
    assert [
        s.get_attribute("aria-label") for s in duo.find_elements("[role=dialog] section")
    ] == expected_groups
    first = duo.find_elements("[role=dialog] .dn-item")[0]
    time_element = first.find_element("css selector", "time")
    assert (
        time_element.find_element("css selector", "[aria-hidden=true]").get_attribute("textContent")
        == "2 min ago"
    )
    absolute = time_element.get_attribute("title")
    assert absolute and "ago" not in absolute  # the hover text is the date and time
    assert (
        time_element.find_element("css selector", ".dn-sr").get_attribute("textContent") == absolute
    )
    assert texts(duo.driver, "[role=dialog] time [aria-hidden=true]")[1:] == [
        "1 day ago",
        "5 days ago",
    ]
    # unread: a dot, and the word for screen readers
    assert len(duo.find_elements("[role=dialog] .dn-dot")) == 3
    assert (
        first.find_element("css selector", ".dn-dot .dn-sr").get_attribute("textContent")
        == ", unread"
    )
    first.find_element("css selector", ".dn-main").click()
    wait_until(lambda: len(duo.find_elements("[role=dialog] .dn-dot")) == 2, what="the dot to go")
    assert duo.find_elements("[role=dialog] .dn-item")[0].get_attribute("data-read") == "true"


def test_the_item_menu_from_the_keyboard(dash_duo_blocked):
    duo = start(
        dash_duo_blocked,
        [[{"title": "Keep", "showToast": False}, {"title": "Drop", "showToast": False}]],
    )
    raise_next(duo)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 2 unread']")
    bell = duo.find_element(".dn-bell")
    bell.send_keys(Keys.ENTER)
    panel = duo.wait_for_element("[role=dialog] .dn-center-head")
    active = duo.driver.switch_to.active_element
    assert active.get_attribute("role") == "dialog"
    # Tab through: Mark all read, Clear all, search, the two filters, the first item
    menu_button = duo.find_elements("[role=dialog] .dn-menu-btn")[0]
    assert menu_button.get_attribute("aria-label") == "More actions: Drop"
    for _ in range(20):
        ActionChains(duo.driver).send_keys(Keys.TAB).perform()
        if duo.driver.switch_to.active_element == menu_button:
            break
    assert duo.driver.switch_to.active_element == menu_button
    wrap_opacity = read(
        duo, "return getComputedStyle(arguments[0].parentElement).opacity", menu_button
    )
    assert wrap_opacity == "1"  # shown when focused, though the pointer is elsewhere
    menu_button.send_keys(Keys.ENTER)
    items = wait_until(lambda: duo.find_elements("[role=dialog] [role=menuitem]"), what="the menu")
    assert [i.text for i in items] == ["Mark as read", "Dismiss"]
    assert menu_button.get_attribute("aria-expanded") == "true"
    assert duo.driver.switch_to.active_element == items[0]
    ActionChains(duo.driver).send_keys(Keys.ARROW_DOWN).perform()
    assert duo.driver.switch_to.active_element == items[1]
    ActionChains(duo.driver).send_keys(Keys.ARROW_DOWN).perform()
    assert duo.driver.switch_to.active_element == items[0]  # it wraps around
    ActionChains(duo.driver).send_keys(Keys.ESCAPE).perform()
    assert duo.find_elements("[role=dialog] [role=menu]") == []
    assert duo.driver.switch_to.active_element == menu_button  # the menu closed, not the panel
    assert panel.is_displayed()
    menu_button.send_keys(Keys.ENTER)
    wait_until(lambda: duo.find_elements("[role=dialog] [role=menuitem]"), what="the menu")
    ActionChains(duo.driver).send_keys(Keys.ARROW_UP, Keys.ENTER).perform()  # Dismiss
    wait_until(lambda: texts(duo.driver, "[role=dialog] .dn-title") == ["Keep"], what="Drop to go")
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 1 unread']")
    # Escape on the panel closes it and gives the focus back to the bell
    duo.find_element("[role=dialog]").send_keys(Keys.ESCAPE)
    duo.wait_for_no_elements("[role=dialog]")
    assert duo.driver.switch_to.active_element == bell


def test_segmented_filters_search_and_the_empty_states(dash_duo_blocked):
    batch = [
        {
            "title": "Build passed",
            "body": "main is green",
            "source": "CI",
            "severity": "Low",
            "showToast": False,
        },
        {"title": "Disk almost full", "severity": "High", "showToast": False},
        {"title": "Deploy done", "source": "CD", "severity": "Low", "showToast": False},
    ]
    duo = start(dash_duo_blocked, [batch])
    open_panel(duo)
    assert texts(duo.driver, "[role=dialog] .dn-empty p") == [
        "No notifications yet.",
        "New ones will appear here.",
    ]
    assert duo.find_element("[role=dialog] .dn-link").get_attribute("disabled") == "true"
    duo.find_element(".dn-bell").click()  # close
    raise_next(duo)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 3 unread']")
    open_panel(duo)
    titles = lambda: texts(duo.driver, "[role=dialog] .dn-title")  # noqa: E731
    assert titles() == ["Deploy done", "Disk almost full", "Build passed"]

    # a segmented control is a group of radio buttons: arrow keys move the choice
    severity_all = duo.find_element("[role=dialog] fieldset:nth-of-type(2) input[value=all]")
    assert (
        duo.find_element("[role=dialog] fieldset:nth-of-type(2) legend").get_attribute(
            "textContent"
        )
        == "Severity"
    )
    severity_all.send_keys(Keys.ARROW_RIGHT)  # to Critical: nothing
    assert texts(duo.driver, "[role=dialog] .dn-empty p") == ["Nothing matches these filters."]
    duo.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # to High
    assert titles() == ["Disk almost full"]
    checked = read(
        duo,
        "return document.querySelector('[role=dialog] fieldset:nth-of-type(2) :checked').value",
    )
    assert checked == "High"
    duo.driver.switch_to.active_element.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT)  # to All
    assert len(titles()) == 3

    search = duo.find_element("[role=dialog] input[type=search]")
    assert search.get_attribute("aria-label") == "Search notifications"
    search.send_keys("GREEN")  # the body, any case
    assert titles() == ["Build passed"]
    assert texts(duo.driver, "[role=dialog] [role=status]") == ["1 of 3 notifications shown"]
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("cd")  # the source
    assert titles() == ["Deploy done"]
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys("nothing like it")
    assert titles() == []
    assert texts(duo.driver, "[role=dialog] .dn-empty p") == ["Nothing matches these filters."]


def test_text_in_the_panel_is_text(dash_duo_blocked):
    evil = "<img src=x onerror=alert(1)>"
    duo = start(
        dash_duo_blocked,
        [{"title": evil, "body": "<b>bold?</b>", "source": "<i>src</i>", "showToast": False}],
    )
    raise_next(duo)
    open_panel(duo)
    duo.wait_for_text_to_equal("[role=dialog] .dn-title", evil)
    assert duo.find_element("[role=dialog] .dn-body").text == "<b>bold?</b>"
    assert "<i>src</i>" in duo.find_element("[role=dialog] .dn-meta").text
    item = duo.find_element("[role=dialog] .dn-item")
    assert (
        item.find_element("css selector", ".dn-menu-btn").get_attribute("aria-label")
        == f"More actions: {evil}"
    )
    duo.find_element("[role=dialog] input[type=search]").send_keys("<img src=x onerror=alert(2)>")
    assert read(duo, "return document.querySelectorAll('img[src=x], b, i').length") == 0
    time.sleep(0.5)
    try:
        duo.driver.switch_to.alert.dismiss()
        raise AssertionError("an alert ran")
    except NoAlertPresentException:
        pass


@pytest.mark.oldest_dash
def test_the_panel_and_the_validator_are_fetched_only_when_wanted(dash_duo_blocked):
    duo = start(dash_duo_blocked, [{"title": "One", "showToast": False}])
    duo.wait_for_element("#permission")
    assert loaded_chunks(duo) == []  # nothing but the bundle at start
    raise_next(duo)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 1 unread']")
    assert loaded_chunks(duo) == ["async-validate.js"]
    open_panel(duo)
    assert loaded_chunks(duo) == ["async-center.js", "async-validate.js"]
    assert texts(duo.driver, "[role=dialog] .dn-title") == ["One"]


@pytest.mark.oldest_dash
def test_load_more_brings_older_notifications_from_the_hub(dash_duo_blocked, sqlite_url):
    duo = dash_duo_blocked
    app = raising_app(
        [{"title": "unused"}], notifications={"center": True, "hub": True, "maxHistory": 5}
    )
    hub = dash_notify.Hub(app, sqlite_url)
    for i in range(1, 13):
        hub.publish({"title": f"Old {i}", "showToast": False}, to="*")
    duo.start_server(app)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 5 unread']", timeout=15)
    assert "async-hub.js" in loaded_chunks(duo)
    open_panel(duo)
    titles = lambda: texts(duo.driver, "[role=dialog] .dn-title")  # noqa: E731
    assert titles() == [f"Old {i}" for i in range(12, 7, -1)]
    more = duo.find_element("[role=dialog] .dn-more")
    assert more.text == "Load more"
    more.click()
    wait_until(lambda: len(titles()) == 12, what="the older seven")
    assert titles() == [f"Old {i}" for i in range(12, 0, -1)]
    assert duo.find_elements("[role=dialog] .dn-more") == []  # the server has no more
    # an older one is a notification like the others: a click marks it read, on the server too
    duo.find_elements("[role=dialog] .dn-item .dn-main")[-1].click()
    [click] = wait_for_events(duo, "clickData", 1)
    assert click["id"] == "hub:1" and click["delivery"] == "center"
    assert click["publisher"] == "python"  # from the stored history, as from the stream
    wait_until(lambda: len(duo.find_elements("[role=dialog] .dn-dot")) == 11, what="Old 1 read")
    identity = hub.identity("browser:" + duo.driver.get_cookie("dash_notify_browser")["value"])
    seen = lambda: {m.id: at for m, at in hub.history(identity, 20, None)}  # noqa: E731
    assert len(seen()) == 12
    wait_until(lambda: seen()[1] is not None, what="seen on the server")
    assert [i for i, at in seen().items() if at is not None] == [1]
