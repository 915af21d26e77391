"""Permission: granted, denied and undecided, kept current, and the PermissionButton."""

from __future__ import annotations

import time

import pytest
from dash import Input, Output, html

import dash_notify

from .apps import raise_next, raising_app, wait_for_events
from .desktop_popup import popups
from .helpers import shown_notifications


def app_with_button(**notifications):
    controls = [
        dash_notify.PermissionButton(id="ask", children="Turn on"),
        html.Div(id="button-permission"),
    ]
    app = raising_app([{"title": "Hello"}], notifications=notifications, controls=controls)

    @app.callback(Output("button-permission", "children"), Input("ask", "permission"))
    def show(permission):
        return permission

    return app


def test_denied_permission_in_desktop_mode_is_reported_and_nothing_is_shown(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(app_with_button(delivery="desktop"))
    duo.wait_for_text_to_equal("#permission", "denied")
    duo.wait_for_text_to_equal("#button-permission", "denied")
    button = duo.find_element("#ask")
    assert not button.is_enabled()
    assert button.text == "Desktop notifications are blocked in the browser settings"
    raise_next(duo)
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["delivery"] is None and shown["reason"] == "permission-denied"
    time.sleep(0.5)
    assert popups() == [] and shown_notifications(duo.driver) == []
    assert duo.find_elements(".dn-toast") == []


@pytest.mark.oldest_dash
def test_denied_permission_in_auto_mode_falls_back_to_a_toast(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(app_with_button())
    duo.wait_for_text_to_equal("#permission", "denied")
    raise_next(duo)
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["delivery"] == "toast" and shown["reason"] is None
    duo.wait_for_contains_text(".dn-toast .dn-title", "Hello")
    assert popups() == []


@pytest.mark.oldest_dash
def test_granted_permission_disables_the_button(dash_duo):
    dash_duo.start_server(app_with_button())
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    dash_duo.wait_for_text_to_equal("#ask", "Desktop notifications are on")
    assert not dash_duo.find_element("#ask").is_enabled()


def test_an_undecided_permission_is_followed_until_it_is_granted(dash_duo_asking):
    duo = dash_duo_asking
    duo.start_server(app_with_button(delivery="desktop"))
    duo.wait_for_text_to_equal("#permission", "default")
    button = duo.find_element("#ask")
    assert button.is_enabled() and button.text == "Turn on"
    raise_next(duo)
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["reason"] == "permission-default"

    # The button asks from a real click; the person's answer comes from the browser's
    # own prompt, which the test gives through the DevTools protocol.
    button.click()
    duo.driver.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": duo.server_url.replace("127.0.0.1", "localhost"),
            "permissions": ["notifications"],
        },
    )
    duo.wait_for_text_to_equal("#permission", "granted")
    duo.wait_for_text_to_equal("#button-permission", "granted")
    duo.wait_for_text_to_equal("#ask", "Desktop notifications are on")
    raise_next(duo)
    [_, [shown]] = wait_for_events(duo, "shownData", 2)
    assert shown["delivery"] == "desktop"
