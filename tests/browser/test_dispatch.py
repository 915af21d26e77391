"""What the browser really shows (the service worker's getNotifications()) for each raise."""

from __future__ import annotations

import time

import pytest
from dash import Dash, Input, Output, dcc, html

import dash_notify

from ..seed_options import SEED_TRADE
from .apps import events, raise_next, raising_app, wait_for_events
from .desktop_popup import popups
from .helpers import shown_notifications, wait_for_shown

TRADE = {
    **SEED_TRADE,
    "type": "Alert",
    "source": "Trading",
    "tag": "trade-1",
    "data": {"trade": 1, "symbol": "VOD.L"},
    "icon": "/assets/none.png",
}


def start(dash_duo, raises, **kwargs):
    dash_duo.start_server(raising_app(raises, **kwargs))
    dash_duo.wait_for_text_to_equal("#permission", "granted")


@pytest.mark.oldest_dash
def test_a_raise_shows_a_real_notification_with_everything_in_it(dash_duo):
    start(dash_duo, [TRADE])
    dash_duo.wait_for_text_to_equal("#max-actions", "2")
    raise_next(dash_duo)
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "New Trade"
    assert shown["body"] == "VOD.L: 23 shares sold @ $212.03"
    assert shown["tag"] == "trade-1"
    assert shown["icon"].endswith("/assets/none.png")
    assert shown["requireInteraction"] is True  # High stays until the user acts
    assert shown["actions"] == [
        {"action": "callClient", "title": "Call Client"},
        {"action": "openClientPortfolio", "title": "Open Portfolio"},
    ]
    envelope = shown["data"]["dashNotify"]
    assert envelope["data"] == {"trade": 1, "symbol": "VOD.L"}
    assert envelope["severity"] == "High" and envelope["type"] == "Alert"
    assert envelope["componentId"] == "n"
    [[event]] = wait_for_events(dash_duo, "shownData", 1)
    assert event["id"] == envelope["id"] and event["index"] is None
    assert event["delivery"] == "desktop" and event["reason"] is None
    assert event["tag"] == "trade-1"


@pytest.mark.oldest_dash
def test_a_list_raises_several_at_once(dash_duo):
    start(dash_duo, [[{"title": f"Job {i}", "tag": f"job-{i}"} for i in range(3)]])
    raise_next(dash_duo)
    shown = wait_for_shown(dash_duo.driver, 3)
    assert sorted(n["title"] for n in shown) == ["Job 0", "Job 1", "Job 2"]
    [batch] = wait_for_events(dash_duo, "shownData", 1)
    assert [entry["index"] for entry in batch] == [0, 1, 2]
    assert [entry["tag"] for entry in batch] == ["job-0", "job-1", "job-2"]
    assert all(entry["delivery"] == "desktop" for entry in batch)
    assert len({entry["id"] for entry in batch}) == 3


def test_the_same_dict_raised_twice_shows_twice(dash_duo):
    start(dash_duo, [{"title": "Same", "body": "again"}])
    raise_next(dash_duo)
    wait_for_shown(dash_duo.driver, 1)
    raise_next(dash_duo)
    shown = wait_for_shown(dash_duo.driver, 2)
    assert [n["title"] for n in shown] == ["Same", "Same"]
    wait_for_events(dash_duo, "shownData", 2)


def test_a_tag_replaces_the_shown_notification(dash_duo):
    start(
        dash_duo,
        [
            {"title": "Build", "body": "running", "tag": "ci"},
            {"title": "Build", "body": "passed", "tag": "ci"},
        ],
    )
    raise_next(dash_duo)
    wait_for_shown(dash_duo.driver, 1)
    raise_next(dash_duo)
    [first], [second] = wait_for_events(dash_duo, "shownData", 2)
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert first["id"] != second["id"]
    assert shown["body"] == "passed"
    assert shown["data"]["dashNotify"]["id"] == second["id"]
    [[closed]] = wait_for_events(dash_duo, "closedData", 1)
    assert closed["id"] == first["id"] and closed["reason"] == "replaced"


def test_severity_means_something_on_the_desktop(dash_duo):
    start(
        dash_duo,
        [
            [
                {"title": "critical", "severity": "Critical", "requireInteraction": False},
                {"title": "low", "severity": "Low"},
                {"title": "medium", "severity": "Medium"},
            ]
        ],
    )
    raise_next(dash_duo)
    shown = {n["title"]: n for n in wait_for_shown(dash_duo.driver, 3)}
    assert shown["critical"]["requireInteraction"] is True
    assert shown["critical"]["silent"] is False
    assert shown["low"]["silent"] is True
    assert shown["medium"]["requireInteraction"] is False


@pytest.mark.oldest_dash
def test_a_raise_is_not_repeated_when_the_component_mounts_again(dash_duo):
    app = Dash(__name__)
    app.layout = html.Div(
        [
            dcc.Tabs(
                id="tabs",
                value="one",
                children=[
                    dcc.Tab(
                        label="One",
                        value="one",
                        children=[dash_notify.Notifications(id="n"), html.Button("Raise", id="go")],
                    ),
                    dcc.Tab(label="Two", value="two", children=[html.Div("elsewhere")]),
                ],
            ),
        ]
    )

    @app.callback(Output("n", "raise"), Input("go", "n_clicks"), prevent_initial_call=True)
    def go(_):
        return {"title": "Once"}

    dash_duo.start_server(app)
    raise_next(dash_duo)
    wait_for_shown(dash_duo.driver, 1)
    for tab in ("Two", "One", "Two", "One"):
        [element] = [e for e in dash_duo.find_elements("#tabs .tab") if e.text == tab]
        element.click()
        time.sleep(0.4)
    dash_duo.wait_for_element("#go")
    time.sleep(1)
    assert len(popups()) == 1
    assert len(shown_notifications(dash_duo.driver)) == 1


def test_nothing_is_shown_or_reported_before_a_raise(dash_duo):
    start(dash_duo, [{"title": "t"}])
    time.sleep(0.5)
    for prop in ("clickData", "shownData", "closedData", "errorData"):
        assert events(dash_duo, prop) == []
    assert popups() == []
    assert shown_notifications(dash_duo.driver) == []
