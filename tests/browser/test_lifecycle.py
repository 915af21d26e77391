"""Closing notifications from callbacks (the ``close`` prop and ``dash_notify.close``):
toasts, queued toasts and real desktop notifications, reported in closedData; an update
by tag restarts a toast's auto-close timer."""

from __future__ import annotations

import time

import pytest
from dash import Input, Output, State, dcc, html
from selenium.webdriver.common.keys import Keys

import dash_notify

from ..waiting import wait_until
from .apps import events, raise_next, raising_app, wait_for_events
from .desktop_popup import popups
from .helpers import shown_notifications, wait_for_shown


def lifecycle_app(raises, **notifications):
    """raising_app, plus "#close-tag" (dash_notify.close by the tag typed in "#tag"),
    "#close-id" (the `close` prop, by the id in "#target-id") and "#raise-and-close"
    (raises raises[0] and closes its tag in the same response)."""
    controls = [
        html.Button("Close by tag", id="close-tag"),
        html.Button("Close by id", id="close-id"),
        html.Button("Raise and close", id="raise-and-close"),
        dcc.Input(id="tag", value="job"),
        dcc.Input(id="target-id", value=""),
        html.Div(id="closed-sent"),
    ]
    app = raising_app(raises, notifications=notifications, controls=controls)

    @app.callback(
        Output("closed-sent", "children"),
        Input("close-tag", "n_clicks"),
        State("tag", "value"),
        prevent_initial_call=True,
    )
    def close_tag(n_clicks, tag):
        dash_notify.close("n", tag=tag)
        return f"closed {n_clicks}"

    @app.callback(
        Output("n", "close"),
        Input("close-id", "n_clicks"),
        State("target-id", "value"),
        prevent_initial_call=True,
    )
    def close_id(_, target):
        return {"id": target}

    @app.callback(
        Output("n", "raise", allow_duplicate=True),
        Output("n", "close", allow_duplicate=True),
        Input("raise-and-close", "n_clicks"),
        prevent_initial_call=True,
    )
    def raise_and_close(_):
        return raises[0], {"tag": raises[0]["tag"]}

    return app


def type_into(duo, selector: str, text: str) -> None:
    """Replaces the text of an input as a person does: select all, type."""
    field = duo.find_element(selector)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)
    if text:
        field.send_keys(text)
    wait_until(lambda: field.get_attribute("value") == text, what=f"{selector} to read {text!r}")


def toast_titles(duo) -> list[str]:
    script = "return [...document.querySelectorAll('.dn-toast .dn-title')].map(e => e.textContent)"
    return duo.driver.execute_script(script)


def closed_entries(duo) -> list[dict]:
    return [entry for batch in events(duo, "closedData") for entry in batch]


def test_close_by_tag_closes_the_toasts_on_screen_and_queued_and_keeps_the_center(
    dash_duo_blocked,
):
    duo = dash_duo_blocked
    batch = [
        {"title": "Job running", "tag": "job", "severity": "High", "inProgress": True},
        {"title": "Other", "severity": "High"},
        {"title": "Third", "severity": "High", "tag": "third"},
    ]
    duo.start_server(lifecycle_app([batch], maxVisible=1, center=True))
    duo.wait_for_text_to_equal("#permission", "denied")
    raise_next(duo)
    wait_until(lambda: toast_titles(duo) == ["Job running"], what="the first toast")
    [shown] = wait_for_events(duo, "shownData", 1)
    job_id, third_id = shown[0]["id"], shown[2]["id"]

    # a queued toast closes before it is ever shown
    type_into(duo, "#tag", "third")
    duo.find_element("#close-tag").click()
    [[closed]] = wait_for_events(duo, "closedData", 1)
    assert closed["id"] == third_id and closed["tag"] == "third"
    assert closed["reason"] == "closed" and closed["delivery"] == "toast"
    assert toast_titles(duo) == ["Job running"]

    # the toast on screen closes, and the next waiting one takes its place
    type_into(duo, "#tag", "job")
    duo.find_element("#close-tag").click()
    wait_until(lambda: toast_titles(duo) == ["Other"], what="the job's toast to close")
    closed = wait_for_events(duo, "closedData", 2)[-1][0]
    assert closed["id"] == job_id and closed["reason"] == "closed"
    # they stay in the center, unread
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 3 unread']")

    # a tag that matches nothing closes nothing and reports nothing
    type_into(duo, "#tag", "nothing")
    duo.find_element("#close-tag").click()
    duo.wait_for_text_to_equal("#closed-sent", "closed 3")
    time.sleep(0.6)  # longer than the event props' spacing
    assert len(closed_entries(duo)) == 2 and toast_titles(duo) == ["Other"]


@pytest.mark.oldest_dash
def test_close_by_id_through_the_prop(dash_duo_blocked):
    duo = dash_duo_blocked
    batch = [{"title": "First", "severity": "High"}, {"title": "Second", "severity": "High"}]
    duo.start_server(lifecycle_app([batch]))
    raise_next(duo)
    [shown] = wait_for_events(duo, "shownData", 1)
    wait_until(lambda: toast_titles(duo) == ["First", "Second"], what="two toasts")
    type_into(duo, "#target-id", shown[1]["id"])
    duo.find_element("#close-id").click()
    wait_until(lambda: toast_titles(duo) == ["First"], what="the second to close")
    [[closed]] = wait_for_events(duo, "closedData", 1)
    assert closed == {**closed, "id": shown[1]["id"], "tag": None, "reason": "closed"}


@pytest.mark.oldest_dash
def test_close_by_tag_closes_the_real_desktop_notification(dash_duo):
    duo = dash_duo
    job = {"title": "Export running", "tag": "job", "severity": "High"}
    duo.start_server(lifecycle_app([job, {"title": "Next", "severity": "High"}]))
    duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(duo)
    [shown] = wait_for_shown(duo.driver, 1)
    assert shown["tag"] == "job"
    duo.find_element("#close-tag").click()
    [[closed]] = wait_for_events(duo, "closedData", 1)
    assert closed["reason"] == "closed" and closed["delivery"] == "desktop"
    assert closed["id"] == shown["data"]["dashNotify"]["id"] and closed["tag"] == "job"
    wait_until(lambda: popups() == [], what="the popup to leave the screen")
    assert shown_notifications(duo.driver) == []
    # the next notification is shown as ever
    raise_next(duo)
    [after] = wait_for_shown(duo.driver, 1)
    assert after["title"] == "Next"


@pytest.mark.oldest_dash
def test_a_close_in_the_same_response_as_the_raise_closes_it_once_it_is_shown(dash_duo):
    """The hard case: Chromium's list misses a notification not yet on screen, so the
    close must wait for it rather than read the list at once and miss it."""
    duo = dash_duo
    duo.start_server(lifecycle_app([{"title": "Brief", "tag": "job", "severity": "High"}]))
    duo.wait_for_text_to_equal("#permission", "granted")
    for round_ in (1, 2):
        duo.find_element("#raise-and-close").click()
        shown = wait_for_events(duo, "shownData", round_)[-1]
        closed = wait_until(
            lambda r=round_: [e for e in closed_entries(duo) if e["reason"] == "closed"][r - 1 :],
            what="the close",
        )
        assert [(e["id"], e["delivery"]) for e in closed] == [(shown[0]["id"], "desktop")]
        wait_until(lambda: popups() == [], what="no popup left")
        assert shown_notifications(duo.driver) == []


def test_an_update_by_tag_restarts_the_auto_close_timer(dash_duo_blocked):
    duo = dash_duo_blocked
    step = {"title": "Sync", "tag": "sync", "severity": "Medium"}
    app = raising_app(
        [{**step, "body": "1 of 2"}, {**step, "body": "2 of 2"}],
        notifications={"durations": {"Medium": 6000}},
    )
    duo.start_server(app)
    raise_next(duo)
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "1 of 2")
    first = time.monotonic()  # the first toast's 6 s ran from before this
    time.sleep(4)
    raise_next(duo)  # the update, 4 s or more after the first: its 6 s start again
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "2 of 2")
    updated = time.monotonic()
    # Past the first deadline by 1 s, and at least 3.5 s before the new one (margins for
    # a loaded machine: the update went out at least 4 s after the first toast showed).
    time.sleep(max(0.0, first + 7 - time.monotonic()))
    assert toast_titles(duo) == ["Sync"], "the update must have restarted the timer"
    duo.wait_for_no_elements(".dn-toast", timeout=10)
    assert time.monotonic() - updated > 2.0
    [[closed]] = wait_for_events(duo, "closedData", 1)
    assert closed["reason"] == "expired"


@pytest.mark.oldest_dash
def test_a_bad_close_value_is_reported_and_closes_nothing(dash_duo_blocked):
    duo = dash_duo_blocked
    app = lifecycle_app([{"title": "Stays", "tag": "job", "severity": "High"}])
    duo.start_server(app)
    raise_next(duo)
    duo.wait_for_element(".dn-toast")
    type_into(duo, "#target-id", "")
    duo.find_element("#close-id").click()  # {"id": ""}: not a valid target
    console: list[str] = []
    wait_until(
        lambda: any(
            "close must be" in message
            for message in console.extend(e["message"] for e in duo.get_logs()) or console
        ),
        what="the console error",
    )
    time.sleep(0.6)  # longer than the event props' spacing
    assert toast_titles(duo) == ["Stays"]
    assert closed_entries(duo) == []
