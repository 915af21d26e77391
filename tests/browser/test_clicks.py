"""The click path for real: headed Chromium under Xvfb draws each notification as a popup,
xdotool clicks its body or an action button, and the click must come back into the Dash
callbacks exactly once, in the right tab."""

from __future__ import annotations

import importlib
import time

import pytest
from dash import Dash, Input, Output, State, html

import dash_notify

from ..seed_options import SEED_TRADE
from .apps import raise_next, raising_app, wait_for_events
from .desktop_popup import Popup, click, wait_for_popups
from .helpers import wait_for_shown

TRADE = {
    **SEED_TRADE,
    "severity": "Critical",
    "type": "Alert",
    "source": "Trading",
    "tag": "trade-1",
    "data": {"trade": 1},
    "actions": [
        SEED_TRADE["actions"][0],
        {
            **SEED_TRADE["actions"][1],
            "interop": {**SEED_TRADE["actions"][1]["interop"], "target": "best"},
        },
    ],
}


def one_popup(dash_duo) -> Popup:
    wait_for_shown(dash_duo.driver, 1)
    [popup] = wait_for_popups(1)
    return popup


@pytest.mark.oldest_dash
def test_clicks_on_the_body_and_each_action_reach_the_callbacks(dash_duo):
    dash_duo.start_server(raising_app([TRADE]))
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    expected = [
        (None, {"method": "HandleNotificationClick", "arguments": {"id": "1"}}),
        ("callClient", {"method": "CallClient", "arguments": {"name": "Vernon Mullen"}}),
        (
            "openClientPortfolio",
            {"method": "OpenPortfolio", "arguments": {"id": "1"}, "target": "best"},
        ),
    ]
    for position, (action, interop) in enumerate(expected):
        raise_next(dash_duo)
        popup = one_popup(dash_duo)
        buttons = popup.action_buttons()
        assert len(buttons) == 2, buttons
        click(popup.body if action is None else buttons[position - 1])
        clicks = wait_for_events(dash_duo, "clickData", position + 1)
        event = clicks[-1]
        assert event["action"] == action
        assert event["interop"] == interop
        assert event["severity"] == "Critical" and event["type"] == "Alert"
        assert event["source"] == "Trading" and event["tag"] == "trade-1"
        assert event["data"] == {"trade": 1} and event["delivery"] == "desktop"
        [shown] = wait_for_events(dash_duo, "shownData", position + 1)[-1]
        assert event["id"] == shown["id"]
        [closed] = wait_for_events(dash_duo, "closedData", position + 1)[-1]
        assert closed["reason"] == "clicked" and closed["id"] == shown["id"]
        wait_for_popups(0)  # a click closes the notification


@pytest.mark.oldest_dash
def test_two_identical_clicks_are_two_events(dash_duo):
    dash_duo.start_server(raising_app([{"title": "Same", "body": "twice"}]))
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    for count in (1, 2):
        raise_next(dash_duo)
        click(one_popup(dash_duo).body)
        clicks = wait_for_events(dash_duo, "clickData", count)
    first, second = clicks
    assert {k: v for k, v in first.items() if k not in ("id", "timestamp", "eventId")} == {
        k: v for k, v in second.items() if k not in ("id", "timestamp", "eventId")
    }
    assert first["eventId"] != second["eventId"]


@pytest.mark.oldest_dash
def test_dismissing_a_notification_is_reported(dash_duo):
    dash_duo.start_server(raising_app([{"title": "Close me", "severity": "High"}]))
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    popup = one_popup(dash_duo)
    click((popup.x + popup.width - 14, popup.y + 14))  # the popup's own close button
    [[closed]] = wait_for_events(dash_duo, "closedData", 1)
    assert closed["reason"] == "dismissed"
    assert wait_for_events(dash_duo, "clickData", 0) == []


@pytest.mark.oldest_dash
def test_the_seed_examples_call_their_interop_methods(dash_duo):
    """io.Connect's three examples, with dash_notify in place of dash_glue42."""
    cases = [
        (
            "raise_with_action",
            "action",
            0,
            "HandleNotificationClick called from openClientPortfolio",
        ),
        ("click_interop", "body", None, "Client Vernon Mullen (id 1)"),
        ("two_actions", "action", 0, "Calling Vernon Mullen"),
        ("two_actions", "action", 1, "Portfolio 1 of Vernon Mullen"),
    ]
    for example, part, index, text in cases:
        module = importlib.reload(importlib.import_module(f"examples.{example}"))
        dash_duo.start_server(module.app)
        dash_duo.wait_for_text_to_equal("#permission", "Desktop notifications are on")
        dash_duo.find_element("#raise-notification").click()
        popup = one_popup(dash_duo)
        click(popup.body if part == "body" else popup.action_buttons()[index])
        dash_duo.wait_for_text_to_equal("#handled", text)
        wait_for_popups(0)
        dash_duo.server.stop()


def tab_app() -> Dash:
    """An app that counts the clicks it receives, in each tab."""
    app = Dash(__name__)
    app.layout = html.Div(
        [
            dash_notify.Notifications(id="n"),
            html.Button("Raise", id="go"),
            html.Div("0", id="count"),
        ]
    )

    @app.callback(Output("n", "raise"), Input("go", "n_clicks"), prevent_initial_call=True)
    def go(n):
        return {"title": f"From tab {n}", "requireInteraction": True}

    @app.callback(
        Output("count", "children"),
        Input("n", "clickData"),
        State("count", "children"),
        prevent_initial_call=True,
    )
    def count(_, so_far):
        # Each tab counts the clicks it received in its own page.
        return str(int(so_far) + 1)

    return app


def clicks_received(driver) -> str:
    return driver.find_element("css selector", "#count").text


def test_a_click_reaches_the_tab_that_raised_it_and_only_that_one(dash_duo):
    dash_duo.start_server(tab_app())
    driver = dash_duo.driver
    first = driver.current_window_handle
    driver.execute_script("window.open(arguments[0], '_blank')", dash_duo.server_url)
    second = next(h for h in driver.window_handles if h != first)
    for handle in (second, first):
        driver.switch_to.window(handle)
        dash_duo.wait_for_element("#go")
        time.sleep(0.5)

    # Raised from the second tab, clicked while the first tab has the focus.
    driver.switch_to.window(second)
    dash_duo.find_element("#go").click()
    driver.switch_to.window(first)
    click(one_popup(dash_duo).body)
    driver.switch_to.window(second)
    _wait(lambda: clicks_received(driver) == "1")
    driver.switch_to.window(first)
    time.sleep(1)
    assert clicks_received(driver) == "0", "the click must reach only the tab that raised it"
    driver.switch_to.window(second)
    assert clicks_received(driver) == "1"


def test_with_the_raising_tab_gone_another_tab_gets_the_click_once(dash_duo):
    dash_duo.start_server(tab_app())
    driver = dash_duo.driver
    first = driver.current_window_handle
    dash_duo.wait_for_element("#go")
    driver.execute_script("window.open(arguments[0], '_blank')", dash_duo.server_url)
    second = next(h for h in driver.window_handles if h != first)
    driver.switch_to.window(second)
    dash_duo.wait_for_element("#go")
    dash_duo.find_element("#go").click()
    popup = one_popup(dash_duo)
    driver.close()  # the tab that raised it is gone
    driver.switch_to.window(first)
    click(popup.body)
    _wait(lambda: clicks_received(driver) == "1")
    time.sleep(1)
    assert clicks_received(driver) == "1", "delivered exactly once"


@pytest.mark.oldest_dash
def test_with_no_tab_open_the_click_opens_the_app_and_is_delivered(dash_duo):
    dash_duo.start_server(tab_app())
    driver = dash_duo.driver
    dash_duo.wait_for_element("#go")
    dash_duo.find_element("#go").click()
    popup = one_popup(dash_duo)
    driver.get("about:blank")  # no tab of the app is open any more
    time.sleep(0.5)
    click(popup.body)
    _wait(lambda: len(driver.window_handles) == 2)
    new_tab = next(h for h in driver.window_handles if h != driver.current_window_handle)
    driver.switch_to.window(new_tab)
    dash_duo.wait_for_element("#go")
    _wait(lambda: clicks_received(driver) == "1")
    time.sleep(1)
    assert clicks_received(driver) == "1", "delivered exactly once"
    assert len(driver.window_handles) == 2


def _wait(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
