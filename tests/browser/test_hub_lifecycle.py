"""The lifecycle through the hub in real Chromium: hub.close(tag) closes the toast and the
desktop notification in every tab, an update by tag from the hub updates in place, and
clickData says who published (python, or the token over HTTP)."""

from __future__ import annotations

import json
import urllib.request

import pytest
from dash import Input, Output, html

import dash_notify

from ..waiting import wait_until
from .apps import raising_app
from .desktop_popup import popups
from .helpers import shown_notifications, wait_for_shown


def hub_app(sqlite_url: str, **notifications):
    """raising_app's logs with a hub: "#status" shows hubStatus."""
    app = raising_app(
        [{"title": "unused"}],
        notifications={"hub": True, **notifications},
        controls=[html.Div(id="status")],
    )
    app.clientside_callback("s => s", Output("status", "children"), Input("n", "hubStatus"))
    hub = dash_notify.Hub(app, sqlite_url)
    return app, hub


def read(driver, script: str):
    return driver.execute_script(script)


def logged(driver, prop: str) -> list:
    texts = read(
        driver,
        f"return [...document.querySelectorAll('#{prop}-log .event')].map(e => e.textContent)",
    )
    return [json.loads(text) for text in texts]


def entries(driver, prop: str) -> list[dict]:
    return [entry for batch in logged(driver, prop) for entry in batch]


def closes(driver) -> list[dict]:
    return [e for e in entries(driver, "closedData") if e["reason"] == "closed"]


def clicks(driver, count: int) -> list[dict]:
    return wait_until(
        lambda: len(logged(driver, "clickData")) == count and logged(driver, "clickData"),
        what=f"{count} clicks",
    )


def toast_titles(driver) -> list[str]:
    return read(
        driver,
        "return [...document.querySelectorAll('.dn-toast .dn-title')].map(e => e.textContent)",
    )


def wait_connected(driver) -> None:
    script = "return document.getElementById('status')?.textContent"
    wait_until(lambda: read(driver, script) == "connected", what="the hub connection")


def test_hub_close_takes_the_toast_away_in_every_tab_and_an_update_by_tag_is_in_place(
    dash_duo_blocked, sqlite_url
):
    duo = dash_duo_blocked
    app, hub = hub_app(sqlite_url, delivery="toast")
    duo.start_server(app)
    driver = duo.driver
    wait_connected(driver)
    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(duo.server_url)
    wait_connected(driver)
    tabs = driver.window_handles

    job = {"title": "Export", "tag": "export", "inProgress": True, "severity": "Low"}
    hub.publish({**job, "body": "starting"}, to="*")
    hub.publish({"title": "Unrelated", "severity": "High"}, to="*")
    for tab in tabs:
        driver.switch_to.window(tab)
        wait_until(lambda: toast_titles(driver) == ["Export", "Unrelated"], what="two toasts")
    driver.switch_to.window(first)
    element = driver.find_element("css selector", ".dn-toast[data-id='hub:1']")
    hub.publish({**job, "body": "halfway", "progress": 0.5}, to="*")
    wait_until(
        lambda: (
            read(driver, "return document.querySelector('.dn-toast .dn-body').textContent")
            == "halfway"
        ),
        what="the update",
    )
    assert (
        element.find_element("css selector", "[role=progressbar]").get_attribute("aria-valuenow")
        == "50"
    )
    assert len(driver.find_elements("css selector", ".dn-toast")) == 2  # updated in place

    hub.close("export", to="*")
    for tab in tabs:
        driver.switch_to.window(tab)
        wait_until(lambda: toast_titles(driver) == ["Unrelated"], what="the export toast to close")
        closed = wait_until(lambda: closes(driver), what="closedData")
        assert [(e["id"], e["tag"], e["delivery"]) for e in closed] == [
            ("hub:3", "export", "toast")
        ]


@pytest.mark.oldest_dash
def test_hub_close_closes_the_real_desktop_notification(dash_duo, sqlite_url):
    duo = dash_duo
    app, hub = hub_app(sqlite_url, delivery="auto")
    duo.start_server(app)
    wait_connected(duo.driver)
    hub.publish({"title": "Backup running", "tag": "backup", "severity": "High"}, to="*")
    [shown] = wait_for_shown(duo.driver, 1)
    assert shown["tag"] == "backup"
    hub.close("backup", to="*")
    closed = wait_until(lambda: entries(duo.driver, "closedData"), what="closedData")
    assert [(e["id"], e["reason"], e["delivery"]) for e in closed] == [
        ("hub:1", "closed", "desktop")
    ]
    wait_until(lambda: popups() == [], what="the popup to leave the screen")
    assert shown_notifications(duo.driver) == []


def test_click_data_says_who_published(dash_duo_blocked, sqlite_url):
    duo = dash_duo_blocked
    app, hub = hub_app(sqlite_url, delivery="toast")
    duo.start_server(app)
    wait_connected(duo.driver)
    hub.publish({"title": "From Python", "severity": "High"}, to="*")
    _, secret = hub.create_token("ci", ["*"])
    request = urllib.request.Request(
        f"{duo.server_url}/_dash_notify/publish",
        data=json.dumps(
            {"to": "*", "notification": {"title": "From CI", "severity": "High"}}
        ).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
    wait_until(lambda: toast_titles(duo.driver) == ["From Python", "From CI"], what="both toasts")
    for count in (1, 0):
        duo.find_element(".dn-toast .dn-main").click()
        wait_until(
            lambda c=count: len(toast_titles(duo.driver)) == c, what="the clicked toast to go"
        )
    assert [(c["id"], c["publisher"]) for c in clicks(duo.driver, 2)] == [
        ("hub:1", "python"),
        ("hub:2", "token:ci"),
    ]
    # raised by a callback: no publisher
    duo.driver.execute_script(
        "window.dash_clientside.set_props('n', {raise: {title: 'Local', severity: 'High'}})"
    )
    duo.wait_for_element(".dn-toast .dn-main").click()
    assert clicks(duo.driver, 3)[-1]["publisher"] is None
