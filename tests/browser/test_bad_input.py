"""Bad input in the browser: a clear error (event prop, console, dev tools), nothing shown,
nothing broken, and the next valid notification still works."""

from __future__ import annotations

import pytest

from .apps import raise_next, raising_app, wait_for_events
from .desktop_popup import popups
from .helpers import wait_for_shown

ACTION = {"action": "a", "title": "A"}
VALID = {"title": "Still works"}

BAD = [
    ({"body": "no title"}, "title", "title: is required"),
    (
        {"title": "t", "severity": "Urgent"},
        "severity",
        'severity: "Urgent" is not one of "Low", "Medium", "High", "Critical", "None"',
    ),
    (
        {"title": "t", "actions": [ACTION, ACTION, ACTION]},
        "actions",
        "actions: at most 2 items allowed, got 3",
    ),
    ({"title": "t", "severty": "Low"}, "severty", 'did you mean "severity"?'),
    ({"title": 12}, "title", "title: expected string, got integer"),
    ({"title": "t", "icon": "javascript:alert(1)"}, "icon", "is not an allowed URL"),
    ({"title": "t", "image": "JaVaScRiPt:alert(1)"}, "image", "is not an allowed URL"),
    (
        {"title": "t", "category": "<img src=x onerror=alert(1)>"},
        "category",
        'category: "<img src=x onerror=alert(1)>" is not a category',
    ),
    ("not a dict", "options", "options: expected object, got string"),
]


@pytest.mark.parametrize(
    ("bad", "field", "words"), BAD, ids=[case[1] + str(i) for i, case in enumerate(BAD)]
)
def test_bad_options_give_a_clear_error_and_the_next_raise_works(dash_duo, bad, field, words):
    dash_duo.start_server(raising_app([bad, VALID]))
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    [[error]] = wait_for_events(dash_duo, "errorData", 1)
    assert error["field"] == field
    assert words in error["message"]
    assert error["errors"][0]["field"] == field
    [[shown]] = wait_for_events(dash_duo, "shownData", 1)
    assert shown["delivery"] is None and shown["reason"] == "invalid" and shown["id"] == error["id"]
    console = [entry["message"] for entry in dash_duo.get_logs()]
    assert any(
        "dash_notify: invalid notification options" in m and words.split('"')[0] in m
        for m in console
    ), console
    assert popups() == []

    raise_next(dash_duo)
    [notification] = wait_for_shown(dash_duo.driver, 1)
    assert notification["title"] == "Still works"
    assert len(wait_for_events(dash_duo, "errorData", 1)) == 1


@pytest.mark.oldest_dash
def test_a_list_shows_its_valid_entries_and_reports_the_invalid_one(dash_duo):
    dash_duo.start_server(
        raising_app([[{"title": "first"}, {"title": "t", "dir": "up"}, {"title": "third"}]])
    )
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    shown = wait_for_shown(dash_duo.driver, 2)
    assert sorted(n["title"] for n in shown) == ["first", "third"]
    [[error]] = wait_for_events(dash_duo, "errorData", 1)
    assert error["index"] == 1 and error["field"] == "dir"
    assert "(raise[1])" in error["message"]
    [batch] = wait_for_events(dash_duo, "shownData", 1)
    assert [(e["index"], e["delivery"], e["reason"]) for e in batch] == [
        (0, "desktop", None),
        (1, None, "invalid"),
        (2, "desktop", None),
    ]


@pytest.mark.oldest_dash
def test_in_debug_mode_the_error_reaches_dashs_dev_tools(dash_duo):
    app = raising_app([{"title": "t", "severity": "Urgent"}, VALID])
    dash_duo.start_server(
        app, debug=True, use_reloader=False, use_debugger=True, dev_tools_hot_reload=False
    )
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    wait_for_events(dash_duo, "errorData", 1)
    dash_duo.wait_for_text_to_equal(".test-devtools-error-count", "1")
    dash_duo.find_element(".test-devtools-error-toggle").click()
    dash_duo.wait_for_contains_text(".dash-fe-error__title", "invalid notification options")
    # The component keeps working: the next raise is shown.
    dash_duo.find_element(".test-devtools-error-toggle").click()
    raise_next(dash_duo)
    [notification] = wait_for_shown(dash_duo.driver, 1)
    assert notification["title"] == "Still works"


@pytest.mark.oldest_dash
def test_text_is_never_parsed_as_html(dash_duo):
    title = "<img src=x onerror=alert(1)>"
    dash_duo.start_server(raising_app([{"title": title, "body": "<b>bold</b>"}]))
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    [notification] = wait_for_shown(dash_duo.driver, 1)
    assert notification["title"] == title and notification["body"] == "<b>bold</b>"
    assert (
        dash_duo.driver.execute_script("return document.querySelectorAll('img[src=x]').length") == 0
    )
    assert dash_duo.get_logs() == []
