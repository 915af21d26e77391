"""Clicks become webhooks, for real: headed Chromium under Xvfb shows a hub notification
with two actions as a desktop popup, xdotool clicks the second action, and a real HTTP
receiver on 127.0.0.1 gets ``notification.clicked`` signed (verified with the
``standardwebhooks`` package) with that action and the user of the browser, once.
Toast and center clicks take the same route; marking read sends ``notification.seen``."""

from __future__ import annotations

import json

import pytest

from dash_notify.hub import Hub

from ..hub.serve import create_app
from ..hub.webhook_receiver import WebhookReceiver
from ..hub.webhook_sender import wait_sent, webhook_sender
from ..waiting import texts, wait_until
from .desktop_popup import click, wait_for_popups
from .test_hub import log_in, logged

APPROVE = {"action": "approve", "title": "Approve"}
REJECT = {"action": "reject", "title": "Reject"}
DEPLOY = {
    "title": "Approve deployment",
    "body": "web 2.14.0 to production",
    "severity": "High",
    "category": "deploy",
    "source": "CI",
    "actions": [APPROVE, REJECT],
}


@pytest.fixture
def receiver():
    with WebhookReceiver() as receiving:
        yield receiving


@pytest.fixture
def sender(sqlite_url):
    """The process that runs the webhook channel (here: this one, on the app's store)."""
    with webhook_sender(sqlite_url) as hub:
        yield hub


def serve_to(dash_duo, sqlite_url: str, user: str, delivery: str) -> Hub:
    """Serve the hub test app and log this browser in as ``user``; the app's hub."""
    app, hub = create_app(sqlite_url, delivery=delivery)
    dash_duo.start_server(app, navigate=False)
    log_in(dash_duo.driver, dash_duo.server.url, user)
    return hub


def user_events(hub: Hub) -> list[dict]:
    """The events users' actions recorded in the log (kind "event")."""
    return [m.options for m in hub.stores.messages.after(None, 0, 1000) if m.kind == "event"]


@pytest.mark.oldest_dash
def test_a_click_on_a_desktop_action_reaches_the_receiver_as_that_user(
    dash_duo, sqlite_url, receiver, sender
):
    rule = sender.webhooks.create(
        "ci approvals",
        receiver.url("/ci"),
        events=["notification.clicked"],
        filters={"category": ["deploy"]},
    )
    hub = serve_to(dash_duo, sqlite_url, "alice", "desktop")
    message_id = hub.publish(DEPLOY, to="user:alice")
    [popup] = wait_for_popups(1)
    buttons = popup.action_buttons()
    assert len(buttons) == 2, buttons
    click(buttons[1])
    clicked = wait_until(lambda: logged(dash_duo.driver, "clicked"), what="clickData")
    assert [json.loads(c) for c in clicked] == [[f"hub:{message_id}", "reject", "desktop"]]
    [got] = receiver.wait_for("/ci", 1)
    body = got.verified(rule.secret)
    assert body["type"] == "notification.clicked"
    assert body["data"]["action"] == "reject" and body["data"]["user"] == "alice"
    notification = body["data"]["notification"]
    assert notification["id"] == message_id and notification["targets"] == ["user:alice"]
    assert notification["options"]["category"] == "deploy"
    assert notification["options"]["actions"] == [APPROVE, REJECT]
    wait_sent(sender, 1)
    # once per click: one event recorded, one request received
    assert user_events(hub) == [
        {"event": "notification.clicked", "notification": message_id, "user": "alice",
         "action": "reject"},
    ]  # fmt: skip
    assert len(receiver.at("/ci")) == 1


def test_toast_and_center_clicks_and_marking_read_reach_the_rules(
    dash_duo, sqlite_url, receiver, sender
):
    clicks = sender.webhooks.create(
        "clicks", receiver.url("/clicks"), events=["notification.clicked"]
    )
    seen = sender.webhooks.create(
        "seen deploys",
        receiver.url("/seen"),
        events=["notification.seen"],
        filters={"category": ["deploy"]},
    )
    hub = serve_to(dash_duo, sqlite_url, "bob", "toast")
    driver = dash_duo.driver
    deploy = hub.publish(DEPLOY, to="user:bob")
    wait_until(lambda: texts(driver, ".dn-toast .dn-title") == [DEPLOY["title"]], what="toast")
    driver.find_element("css selector", ".dn-toast .dn-btn:nth-child(1)").click()  # Approve
    [toast_click] = receiver.wait_for("/clicks", 1)
    data = toast_click.verified(clicks.secret)["data"]
    assert (data["action"], data["user"], data["notification"]["id"]) == ("approve", "bob", deploy)
    # the center's body click: no action; the click marked it seen (a seen event)
    billing = hub.publish({"title": "Invoice", "category": "billing"}, to="user:bob")
    other = hub.publish({"title": "Rollback?", "category": "deploy"}, to="user:bob")
    wait_until(lambda: len(logged(driver, "shown")) == 3, what="three shown")
    driver.find_element("css selector", ".dn-bell").click()
    wait_until(lambda: len(texts(driver, ".dn-item .dn-title")) == 3, what="center items")
    driver.find_element("css selector", f'.dn-item[data-id="hub:{other}"] .dn-main').click()
    second = receiver.wait_for("/clicks", 2)[1].verified(clicks.secret)["data"]
    assert "action" not in second and second["notification"]["id"] == other
    # "Mark all read": one seen event per notification newly seen, filters applied
    # (billing is not a deploy); those of the mark-all say "all": true
    later = hub.publish({"title": "Deployed", "category": "deploy"}, to="user:bob")
    wait_until(lambda: texts(driver, "#unread") == ["2"], what="billing and later unread")
    driver.find_element("xpath", "//button[normalize-space()='Mark all read']").click()
    wait_until(lambda: texts(driver, "#unread") == ["0"], what="all read")
    got = receiver.wait_for("/seen", 3)
    bodies = [g.verified(seen.secret) for g in got]
    assert {b["type"] for b in bodies} == {"notification.seen"}
    by_id = {b["data"]["notification"]["id"]: b["data"] for b in bodies}
    assert set(by_id) == {deploy, other, later}  # not billing
    assert {i: d.get("all", False) for i, d in by_id.items()} == {
        deploy: False, other: False, later: True,
    }  # fmt: skip
    assert {d["user"] for d in by_id.values()} == {"bob"}
    wait_sent(sender, 5)
    assert len(receiver.at("/clicks")) == 2 and len(receiver.at("/seen")) == 3
    assert billing not in {e["notification"] for e in user_events(hub)}
