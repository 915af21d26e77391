"""The webhook rules' HTTP API on every Dash backend (Flask, FastAPI, Quart), served for
real in this process: admin tokens only, every status it answers, the OpenAPI document,
and a test event reaching a real receiver (verified with ``standardwebhooks``)."""

from __future__ import annotations

import pytest

from dash_notify.hub.webhooks import WebhookConfig

from .serve import BACKENDS, create_app
from .servers import serve_in_thread
from .web_client import Client
from .webhook_receiver import WebhookReceiver
from .webhook_sender import wait_sent, webhook_sender

BASE = "/_dash_notify/webhooks"
PUBLIC = "https://93.184.216.34/hook"  # an address literal: never contacted
APPROVE = {"action": "approve", "title": "Approve"}
REJECT = {"action": "reject", "title": "Reject"}
CLICKED = "/_dash_notify/clicked"


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url):
    app, hub = create_app(sqlite_url, backend=request.param)
    server = serve_in_thread(app)
    yield hub, Client(server.url)
    server.stop()
    hub.stop()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_rules_over_http_with_an_admin_token(served):
    hub, client = served
    admin = bearer(hub.create_token("ops", "*", allow=["admin"])[1])
    other_admin = bearer(hub.create_token("ops 2", "group:ops", allow=["admin"])[1])
    publisher = bearer(hub.create_token("ci", "*")[1])

    made = client.post(BASE, json={"name": "CI", "url": PUBLIC}, headers=admin)
    assert made.status == 201 and made.json()["secret"].startswith("whsec_")
    rule_id = made.json()["id"]
    for n in range(3):
        body = {"name": f"pager {n}", "url": PUBLIC, "filters": {"severity": ["High"]}}
        assert client.post(BASE, json=body, headers=other_admin).status == 201

    page = client.get(f"{BASE}?q=pager&limit=2&offset=1", headers=admin)
    assert page.status == 200 and page.json()["total"] == 3
    assert [r["name"] for r in page.json()["rules"]] == ["pager 1", "pager 2"]
    shown = client.get(f"{BASE}/{rule_id}", headers=other_admin)  # admins share the rules
    assert shown.status == 200 and "secret" not in shown.json()

    patched = client.request(
        "PATCH", f"{BASE}/{rule_id}", json={"events": ["notification.clicked"]}, headers=admin
    )
    assert patched.status == 200 and patched.json()["events"] == ["notification.clicked"]
    assert patched.json()["url"] == PUBLIC
    rotated = client.post(f"{BASE}/{rule_id}/rotate", headers=admin)
    assert rotated.status == 200 and rotated.json()["secret"] != made.json()["secret"]
    attempts = client.get(f"{BASE}/{rule_id}/attempts", headers=admin)
    assert (attempts.status, attempts.json()) == (200, {"attempts": []})
    assert client.request("HEAD", f"{BASE}/{rule_id}", headers=admin).status == 200

    gone = client.request("DELETE", f"{BASE}/{rule_id}", headers=admin)
    assert (gone.status, gone.body) == (204, b"")
    missing = client.get(f"{BASE}/{rule_id}", headers=admin)
    assert missing.status == 404 and missing.json()["field"] == "id"

    # refusals: no token, a publishing token, bad fields, not JSON, too big, a method
    assert client.get(BASE).status == 401
    denied = client.get(BASE, headers=publisher)
    assert denied.status == 403 and denied.json()["allowed"] == ["admin"]
    assert client.post(BASE, json={"name": "x", "url": PUBLIC}, headers=publisher).status == 403
    bad = client.post(BASE, json={"name": "x", "url": "http://10.0.0.1/"}, headers=admin)
    assert bad.status == 400 and bad.json()["field"] == "url"
    limit = client.get(f"{BASE}?limit=%C2%B2", headers=admin)  # "²"
    assert limit.status == 400 and limit.json()["field"] == "limit"
    text = client.post(BASE, data="name=x", headers=admin, content_type="text/plain")
    assert text.status == 415
    big = client.post(BASE, json={"name": "x" * 9000, "url": PUBLIC}, headers=admin)
    assert big.status == 413
    put = client.request("PUT", BASE, json={}, headers=admin)
    assert put.status == 405 and "GET" in put.header("Allow")
    assert client.get(BASE, headers=admin).json()["total"] == 3


def test_a_test_event_over_http_reaches_the_receiver(served):
    hub, client = served
    hub.webhooks.config = WebhookConfig(allow_private=True)  # the receiver is on loopback
    admin = bearer(hub.create_token("ops", "*", allow=["admin"])[1])
    with WebhookReceiver() as receiver:
        made = client.post(BASE, json={"name": "t", "url": receiver.url("/t")}, headers=admin)
        tested = client.post(f"{BASE}/{made.json()['id']}/test", headers=admin)
    assert tested.status == 200 and tested.json()["status"] == 200
    [got] = receiver.at("/t")
    assert got.verified(made.json()["secret"])["type"] == "webhook.test"


def test_the_openapi_document_lists_the_rules_routes(served):
    _, client = served
    document = client.get("/_dash_notify/openapi.json").json()
    assert set(document["paths"][BASE]) == {"get", "post"}
    assert set(document["paths"][BASE + "/{id}"]) == {"parameters", "get", "patch", "delete"}
    assert document["paths"][BASE]["post"]["security"] == [{"bearer": []}]
    assert "WebhookRule" in document["components"]["schemas"]


def test_a_click_posted_by_the_browser_fires_matching_rules(served, sqlite_url):
    """The browser reports a click (POST /_dash_notify/clicked, as its user); the rules
    wanting notification.clicked get it with that user and the action; a click on a
    notification the user may not see is a 404 and fires nothing; an action the
    notification lacks a 400; else 204, whether a rule fired or not."""
    hub, client = served
    with WebhookReceiver() as receiver, webhook_sender(sqlite_url) as sender:
        rule = sender.webhooks.create(
            "approvals",
            receiver.url("/clicks"),
            events=["notification.clicked"],
            filters={"action": "approve"},
        )
        client.get("/")  # the page gives this browser its anonymous id
        mine = hub.publish({"title": "Deploy?", "actions": [APPROVE, REJECT]}, to="*")
        theirs = hub.publish({"title": "private", "actions": [APPROVE]}, to="user:bob")
        for body, status in (
            ({"id": theirs, "action": "approve"}, 404),  # not this user's: nothing fires
            ({"id": 10**9, "action": "approve"}, 404),  # no such notification
            ({"id": mine, "action": "deploy-anyway"}, 400),  # not one of its actions
            ({"id": mine, "action": "reject"}, 204),  # the rule's filter: no
            ({"id": mine}, 204),  # the body: the rule's filter: no
            ({"id": mine, "action": "approve"}, 204),
        ):
            answer = client.post(CLICKED, json=body)
            assert answer.status == status, body
            if status != 204:
                assert answer.json()["field"] == ("id" if status == 404 else "action")
        [got] = receiver.wait_for("/clicks", 1)
        wait_sent(sender, 1)
    body = got.verified(rule.secret)
    assert body["type"] == "notification.clicked" and body["data"]["action"] == "approve"
    assert body["data"]["user"].startswith("browser:")
    assert body["data"]["notification"]["id"] == mine
    assert len(receiver.at("/clicks")) == 1
    # refusals
    assert client.post(CLICKED, data="id=1", content_type="text/plain").status == 415
    for bad, field in (
        ({"id": "1"}, "id"),
        ({"id": True}, "id"),
        ({"id": 1, "action": ""}, "action"),
        ({"id": 1, "extra": 1}, "body"),
        ({"id": 1, "user": "bob"}, "body"),  # who clicked is the request's user, never the body's
        ([1], "body"),
    ):
        refused = client.post(CLICKED, json=bad)
        assert refused.status == 400 and refused.json()["field"] == field
