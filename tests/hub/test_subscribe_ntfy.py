"""ntfy's subscribe protocol on every backend: its message JSON, its json/sse/raw
streams, ``poll``, ``since`` in ntfy's forms, several topics, ``/auth`` and
``/v1/health``, beside our ntfy publish and at the app's root; and ntfpy, an ntfy
client from PyPI, subscribing to a hub topic as it would to an ntfy server."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
from ntfpy import NTFYClient, NTFYServer, NTFYUser

from dash_notify.hub.web import configure

from ..waiting import wait_until
from .line_client import LineClient
from .serve import BACKENDS, create_app
from .servers import SSEClient, serve_in_thread
from .web_client import Client

BASES = ["/_dash_notify/ntfy", ""]  # beside our ntfy publish, and at the root


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url):
    """(app, hub, client, port, read secret for topics deploys and ops)."""
    app, hub = create_app(sqlite_url, backend=request.param)
    server = serve_in_thread(app)
    _, secret = hub.create_token("phone", ["group:deploys", "group:ops"], allow=["read"])
    yield app, hub, Client(server.url), server.port, secret
    server.stop()
    hub.stop()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def poll(client: Client, path: str, secret: str) -> list[dict]:
    reply = client.get(path, headers=bearer(secret))
    assert reply.status == 200, reply.body
    return [json.loads(line) for line in reply.body.splitlines() if line.strip()]


@pytest.mark.parametrize("base", BASES)
def test_a_message_published_in_ntfy_form_comes_back_in_ntfy_form(served, base):
    _, hub, client, _, secret = served
    _, publisher = hub.create_token("ci", "group:deploys")
    published = client.post(
        "/_dash_notify/ntfy/deploys",
        data="Build 7 is out",
        headers={
            **bearer(publisher),
            "Title": "Deployed",
            "Priority": "5",
            "Tags": "rocket,tada",
            "Click": "https://ci.example/7",
            "Actions": "view, Open log, https://ci.example/7/log",
        },
    ).json()
    [message] = poll(client, f"{base}/deploys/json?poll=1", secret)
    created = message.pop("time")
    assert message.pop("expires") == created + 14 * 86400
    assert message == {
        "id": published["id"] if published["id"].startswith("dn") else message["id"],
        "event": "message",
        "topic": "deploys",
        "title": "Deployed",
        "message": "Build 7 is out",
        "priority": 5,
        "tags": ["rocket", "tada"],
        "click": "https://ci.example/7",
        "actions": [
            {
                "id": "a0",
                "action": "view",
                "label": "Open log",
                "url": "https://ci.example/7/log",
                "clear": False,
            }
        ],
    }
    assert message["id"] == "dn0000000001"


def test_priority_from_severity_and_a_relative_url_made_absolute(served):
    _, hub, client, port, secret = served
    for severity in ("None", "Low", "Medium", "High", "Critical"):
        hub.publish({"title": severity, "severity": severity, "url": "/jobs/7"}, to="group:ops")
    hub.publish({"title": "plain"}, to="group:ops")
    messages = poll(client, "/_dash_notify/ntfy/ops/json?poll=1", secret)
    assert [m["priority"] for m in messages] == [1, 2, 3, 4, 5, 3]
    assert messages[0]["click"] == f"http://127.0.0.1:{port}/jobs/7"
    assert messages[-1]["message"] == "plain" and "click" not in messages[-1]


def test_since_in_ntfy_forms(served):
    _, hub, client, _, secret = served
    for title in ("a", "b", "c"):
        hub.publish({"title": title}, to="group:deploys")
    titles = lambda query: [  # noqa: E731
        m["title"] for m in poll(client, f"/_dash_notify/ntfy/deploys/json?poll=1&{query}", secret)
    ]
    assert titles("since=all") == ["a", "b", "c"]
    assert titles("since=dn0000000001") == ["b", "c"]
    assert titles("since=latest") == ["c"]
    assert titles("since=none") == []
    assert titles("since=1h") == ["a", "b", "c"]
    assert titles(f"since={int(time.time()) + 3600}") == []
    assert titles("since=1000000000") == ["a", "b", "c"]
    assert titles("si=dn0000000002") == ["c"]
    reply = client.get(
        "/_dash_notify/ntfy/deploys/json",
        headers={**bearer(secret), "X-Poll": "1", "X-Since": "dn0000000002"},
    )
    assert [json.loads(line)["title"] for line in reply.body.splitlines()] == ["c"]


def test_several_topics_and_what_the_token_may_read(served):
    _, hub, client, _, secret = served
    hub.publish({"title": "d"}, to="group:deploys")
    hub.publish({"title": "o"}, to="group:ops")
    hub.publish({"title": "x"}, to="group:secret")
    hub.publish({"title": "all"}, to="*")
    messages = poll(client, "/_dash_notify/ntfy/deploys,ops/json?poll=1", secret)
    assert [(m["topic"], m["title"]) for m in messages] == [("deploys", "d"), ("ops", "o")]
    refused = client.get("/_dash_notify/ntfy/deploys,secret/json?poll=1", headers=bearer(secret))
    assert refused.status == 403 and refused.json()["field"] == "topic"
    assert client.get("/deploys,ops/auth", headers=bearer(secret)).json() == {"success": True}
    assert client.get("/secret/auth", headers=bearer(secret)).status == 403
    assert client.get("/deploys/auth").status == 401


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/_dash_notify/ntfy/bad%21topic/json", "topic"),
        ("/_dash_notify/ntfy/bad%21topic/ws", "topic"),
        ("/_dash_notify/ntfy/deploys/json?since=soon", "since"),
        ("/_dash_notify/ntfy/deploys/json?poll=perhaps", "poll"),
        ("/_dash_notify/ntfy/deploys/sse?since=%C2%B2", "since"),
    ],
)
def test_bad_ntfy_parameters_are_400_naming_the_field(served, path, field):
    _, _, client, _, secret = served
    reply = client.get(path, headers=bearer(secret))
    assert reply.status == 400 and reply.json()["field"] == field


def test_health(served):
    _, _, client, _, _ = served
    for path in ("/v1/health", "/_dash_notify/ntfy/v1/health"):
        reply = client.get(path)
        assert reply.status == 200 and reply.json() == {"healthy": True}


def test_the_json_stream_opens_keeps_alive_and_delivers_live(served):
    app, hub, _, port, secret = served
    configure(app, keepalive=0.3)
    hub.publish({"title": "old"}, to="group:deploys")
    stream = LineClient(port, "/deploys,ops/json", bearer(secret))
    try:
        [opened] = stream.wait_for("open", 1)
        assert opened["topic"] == "deploys,ops" and len(opened["id"]) == 12
        stream.wait_for("keepalive", 1)
        hub.publish({"title": "new", "body": "line one\nline two"}, to="group:ops")
        [message] = stream.wait_for("message", 1)
        assert (message["title"], message["topic"]) == ("new", "ops")  # not "old": since none
    finally:
        stream.close()


def test_sse_and_raw_streams(served):
    _, hub, client, port, secret = served
    hub.publish({"title": "t", "body": "first\nsecond"}, to="group:deploys")
    raw = client.get("/_dash_notify/ntfy/deploys/raw?poll=1", headers=bearer(secret))
    assert raw.header("Content-Type").startswith("text/plain") and raw.body == b"first second\n"
    stream = SSEClient(port, "/deploys/sse?since=all", bearer(secret))
    try:
        [(_, opened)] = stream.wait_for("open", 1)
        [(_, message)] = stream.wait_for("message", 1)  # ntfy names only the other events
        assert opened["event"] == "open" and message["message"] == "first\nsecond"
    finally:
        stream.close()


@pytest.mark.parametrize("base", BASES)
def test_ntfpy_subscribes_to_a_hub_topic(served, base):
    app, hub, _, port, secret = served
    configure(app, stream_lifetime=2.0)  # the stream ends by itself, and ntfpy returns
    received = []
    arrived = threading.Event()

    def handler(message) -> None:
        received.append(message)
        arrived.set()

    server = NTFYServer(f"http://127.0.0.1:{port}{base}")
    # ntfpy sends Basic auth: a user name and the token as the password, as ntfy's apps
    client = NTFYClient(server, "deploys", NTFYUser("phone", secret))
    reader = threading.Thread(target=lambda: asyncio.run(client.subscribe(handler)), daemon=True)
    reader.start()
    # the subscription is open once the hub has a reader's stream
    wait_until(lambda: hub.live.subscriber_count, 10, "ntfpy's subscription")
    hub.publish({"title": "Deployed", "body": "v7", "severity": "High"}, to="group:deploys")
    assert arrived.wait(10), "ntfpy received nothing"
    [message] = received
    assert (message.message, message.title, message.topic, message.priority) == (
        "v7",
        "Deployed",
        "deploys",
        4,
    )
    reader.join(15)
    assert not reader.is_alive()


def test_ntfy_filters(served):
    _, hub, client, _, secret = served
    hub.publish({"title": "low", "severity": "Low"}, to="group:ops")
    hub.publish({"title": "urgent", "severity": "Critical"}, to="group:ops")
    _, publisher = hub.create_token("ci", "group:ops")
    client.post("/ops", data="tagged", headers={**bearer(publisher), "Tags": "a,b"})
    titles = lambda query: [  # noqa: E731
        m["title"] for m in poll(client, f"/ops/json?poll=1&{query}", secret)
    ]
    assert titles("priority=urgent,2") == ["low", "urgent"]
    assert titles("priority=5") == ["urgent"]
    assert titles("tags=a") == ["ops"] and titles("tags=a,c") == []
    assert titles("title=low") == ["low"] and titles("message=tagged") == ["ops"]
    assert titles("id=dn0000000002") == ["urgent"]
    reply = client.get("/ops/json?poll=1", headers={**bearer(secret), "Priority": "u=1, i"})
    assert reply.status == 200  # a proxy's RFC 9218 Priority header is not a filter
    refused = client.get("/ops/json?poll=1&priority=loud", headers=bearer(secret))
    assert refused.status == 400 and refused.json()["field"] == "priority"
