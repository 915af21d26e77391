"""The subscribe API for outside systems on every backend, served for real (Werkzeug,
uvicorn, hypercorn): read tokens and their scope, replay with ``since``, live delivery
over JSON lines, SSE and websockets, every refusal."""

from __future__ import annotations

import base64
import json

import pytest
import websocket

from dash_notify.hub.web import configure
from dash_notify.hub.web.context import context_of

from ..waiting import wait_until
from .line_client import LineClient
from .serve import BACKENDS, create_app
from .servers import SSEClient, serve_in_thread
from .web_client import Client

JSON = "/_dash_notify/subscribe/json"


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url):
    """(app, hub, client, port) on a fresh SQLite file."""
    app, hub = create_app(sqlite_url, backend=request.param)
    server = serve_in_thread(app)
    yield app, hub, Client(server.url), server.port
    server.stop()
    hub.stop()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def lines(reply) -> list[dict]:
    return [json.loads(line) for line in reply.body.splitlines() if line.strip()]


def titles(events: list[dict]) -> list[str]:
    return [e["options"]["title"] for e in events if e.get("event") == "notification"]


def publish_all(hub) -> None:
    hub.publish({"title": "deploy"}, to="group:deploys")
    hub.publish({"title": "other"}, to="group:other")
    hub.publish({"title": "to bob"}, to="user:bob")
    hub.publish({"title": "to alice"}, to="user:alice")
    hub.publish({"title": "everyone"}, to="*")
    hub.publish({"title": "deploy and bob"}, to=["group:deploys", "user:bob"])


@pytest.mark.parametrize(
    ("reach", "seen"),
    [
        ("group:deploys", ["deploy", "deploy and bob"]),
        ("user:alice", ["to alice"]),
        ("user:*", ["to bob", "to alice", "deploy and bob"]),
        ("group:*", ["deploy", "other", "deploy and bob"]),
        ("*", ["deploy", "other", "to bob", "to alice", "everyone", "deploy and bob"]),
    ],
)
def test_a_read_token_sees_only_what_its_targets_reach(served, reach, seen):
    _, hub, client, _ = served
    publish_all(hub)
    _, secret = hub.create_token("reader", reach, allow=["read"])
    reply = client.get(f"{JSON}?poll=1&since=all", headers=bearer(secret))
    assert reply.status == 200
    assert reply.header("Content-Type").startswith("application/x-ndjson")
    events = lines(reply)
    assert events[0]["event"] == "open" and events[0]["last"] == 6
    assert titles(events) == seen


def test_a_message_to_others_too_names_only_the_targets_the_token_reaches(served):
    _, hub, client, _ = served
    publish_all(hub)
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    events = lines(client.get(f"{JSON}?poll=1&since=all", headers=bearer(secret)))
    assert [e["to"] for e in events if e["event"] == "notification"] == [
        ["group:deploys"],
        ["group:deploys"],
    ]


def test_narrowing_by_topic_and_to_and_never_widening(served):
    _, hub, client, _ = served
    publish_all(hub)
    _, secret = hub.create_token("reader", ["group:*", "user:bob"], allow=["read"])
    get = lambda query: client.get(f"{JSON}?poll=1&since=all&{query}", headers=bearer(secret))  # noqa: E731
    assert titles(lines(get("topic=other"))) == ["other"]
    assert titles(lines(get("to=user:bob"))) == ["to bob", "deploy and bob"]
    assert titles(lines(get("topic=deploys&to=user:bob"))) == [
        "deploy",
        "to bob",
        "deploy and bob",
    ]
    refused = get("to=user:alice")
    assert refused.status == 403 and refused.json()["field"] == "to"
    refused = get("to=*")
    assert refused.status == 403 and refused.json()["field"] == "to"
    _, narrow = hub.create_token("narrow", ["group:deploys", "user:bob"], allow=["read"])
    refused = client.get(f"{JSON}?poll=1&to=user:bob&topic=other", headers=bearer(narrow))
    assert refused.status == 403 and refused.json()["field"] == "topic"


def test_replay_since_an_id_a_duration_and_latest(served):
    _, hub, client, _ = served
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    ids = [hub.publish({"title": f"n{i}"}, to="group:deploys") for i in range(4)]
    get = lambda since: lines(client.get(f"{JSON}?poll=1&since={since}", headers=bearer(secret)))  # noqa: E731
    assert titles(get(ids[1])) == ["n2", "n3"]
    assert titles(get("all")) == ["n0", "n1", "n2", "n3"]
    assert titles(get("latest")) == ["n3"]
    assert titles(get("none")) == []
    assert titles(get("10m")) == ["n0", "n1", "n2", "n3"]
    assert titles(get("@4000000000")) == []
    assert titles(get("@0")) == ["n0", "n1", "n2", "n3"]
    # a poll without since is everything kept (as ntfy's)
    assert titles(lines(client.get(f"{JSON}?poll=1", headers=bearer(secret)))) == [
        "n0",
        "n1",
        "n2",
        "n3",
    ]


def test_a_live_json_stream_gets_new_messages_of_its_scope_only(served):
    _, hub, _, port = served
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    stream = LineClient(port, JSON, bearer(secret))
    try:
        [opened] = stream.wait_for("open", 1)
        assert opened["from"] == 0
        hub.publish({"title": "other"}, to="group:other")
        hub.publish({"title": "bob"}, to="user:bob")
        hub.publish({"title": "deploy"}, to="group:deploys")
        hub.close("build-1", to="group:deploys")
        [notification] = stream.wait_for("notification", 1)
        [closed] = stream.wait_for("close", 1)
        assert notification["options"] == {"title": "deploy"} and notification["id"] == 3
        assert closed["tag"] == "build-1" and closed["to"] == ["group:deploys"]
        assert [e["event"] for e in stream.lines] == ["open", "notification", "close"]
    finally:
        stream.close()


def test_sse_resumes_with_last_event_id(served):
    _, hub, _, port = served
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    first = hub.publish({"title": "a"}, to="group:deploys")
    hub.publish({"title": "b"}, to="group:deploys")
    headers = {**bearer(secret), "Last-Event-ID": str(first)}
    stream = SSEClient(port, "/_dash_notify/subscribe/sse", headers)
    try:
        [(event_id, data)] = stream.wait_for("notification", 1)
        assert data["options"]["title"] == "b" and event_id == str(first + 1)
        assert stream.of("open")[0][1]["from"] == first
        hub.publish({"title": "c"}, to="group:deploys")
        assert stream.wait_for("notification", 2)[1][1]["options"]["title"] == "c"
    finally:
        stream.close()


def test_auth_forms_and_refusals(served):
    _, hub, client, _ = served
    _, reader = hub.create_token("reader", "group:deploys", allow=["read"])
    _, publisher = hub.create_token("ci", "*")
    _, both = hub.create_token("both", "group:deploys", allow=["read", "publish"])
    path = f"{JSON}?poll=1"
    basic = base64.b64encode(f"anyone:{reader}".encode()).decode()
    assert client.get(path, headers={"Authorization": f"Basic {basic}"}).status == 200
    auth = base64.urlsafe_b64encode(f"Bearer {reader}".encode()).decode().rstrip("=")
    assert client.get(f"{path}&auth={auth}").status == 200
    basic_auth = base64.b64encode(f"Basic {basic}".encode()).decode()
    assert client.get(f"{path}&auth={basic_auth}").status == 200

    assert client.get(path).status == 401
    assert client.get(path, headers=bearer("not-a-token")).status == 401
    bad = client.get(f"{path}&auth=%25%25")
    assert bad.status == 401 and bad.json()["field"] == "auth"
    refused = client.get(path, headers=bearer(publisher))
    assert refused.status == 403 and refused.json()["field"] == "Authorization"
    assert refused.json()["allowed"] == ["read"]

    publish = {"to": "group:deploys", "notification": {"title": "x"}}
    denied = client.post("/_dash_notify/publish", json=publish, headers=bearer(reader))
    assert denied.status == 403 and denied.json()["field"] == "Authorization"
    denied = client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(reader))
    assert denied.status == 403
    assert hub.position().last == 0
    assert client.post("/_dash_notify/publish", json=publish, headers=bearer(both)).status == 201


@pytest.mark.parametrize(
    ("query", "headers", "field"),
    [
        ("since=yesterday", {}, "since"),
        ("since=-1", {}, "since"),
        ("since=%C2%B2", {}, "since"),
        ("poll=maybe", {}, "poll"),
        ("topic=no%20spaces", {}, "topic"),
        ("topic=a,,b", {}, "topic"),
        ("to=everyone", {}, "to"),
        ("epoch=" + "x" * 65, {}, "epoch"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(served, query, headers, field):
    _, hub, client, _ = served
    _, secret = hub.create_token("reader", "*", allow=["read"])
    reply = client.get(f"{JSON}?{query}", headers={**bearer(secret), **headers})
    assert reply.status == 400, reply.body
    assert reply.json()["field"] == field


def test_bad_last_event_id_is_400(served):
    _, hub, client, _ = served
    _, secret = hub.create_token("reader", "*", allow=["read"])
    headers = {**bearer(secret), "Last-Event-ID": "abc"}
    reply = client.get("/_dash_notify/subscribe/sse", headers=headers)
    assert reply.status == 400 and reply.json()["field"] == "Last-Event-ID"


def test_streams_per_token_are_limited_and_freed(served):
    app, hub, client, port = served
    configure(app, max_streams_per_user=1)
    _, secret = hub.create_token("reader", "*", allow=["read"])
    first = LineClient(port, JSON, bearer(secret))
    try:
        first.wait_for("open", 1)
        refused = client.get(JSON, headers=bearer(secret))
        assert refused.status == 429 and refused.header("Retry-After")
    finally:
        first.close()
    # its place is given back once the server sees it gone
    slots = context_of(app).slots
    wait_until(lambda: slots.open == 0, 10, "the closed stream's place")
    assert client.get(f"{JSON}?poll=1", headers=bearer(secret)).status == 200


def test_a_revoked_token_ends_its_stream(served):
    app, hub, _, port = served
    configure(app, identity_recheck=0.2, keepalive=0.2)
    token, secret = hub.create_token("reader", "*", allow=["read"])
    stream = LineClient(port, JSON, bearer(secret))
    try:
        stream.wait_for("open", 1)
        hub.revoke_token(token.id)
        assert stream.wait_closed(15)
    finally:
        stream.close()


# -- websockets ------------------------------------------------------------------------
def ws_url(client: Client, path: str) -> str:
    return f"ws://127.0.0.1:{client.port}{path}"


@pytest.mark.parametrize("path", ["/_dash_notify/subscribe/ws", "/_dash_notify/ntfy/deploys/ws"])
def test_websockets_on_asgi_backends_and_a_clear_501_on_flask(served, path):
    app, hub, client, _ = served
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    hub.publish({"title": "before"}, to="group:deploys")
    hub.publish({"title": "before, too"}, to="group:deploys")
    if getattr(getattr(app, "backend", None), "server_type", "flask") == "flask":
        reply = client.get(path)
        assert reply.status == 501 and "Flask" in reply.json()["error"]
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(ws_url(client, path), timeout=10)
        assert refused.value.status_code == 501 and b"Flask" in refused.value.resp_body
        return
    assert client.get(path).status == 426
    socket = websocket.create_connection(
        ws_url(client, path + "?since=all"), header=[f"Authorization: Bearer {secret}"], timeout=10
    )
    try:
        opened = json.loads(socket.recv())
        assert opened["event"] == "open"
        # one message per notification, however many the server had at hand at once
        replayed = [json.loads(socket.recv()) for _ in range(2)]
        hub.publish({"title": "elsewhere"}, to="group:other")
        hub.publish({"title": "live"}, to="group:deploys")
        live = json.loads(socket.recv())
        if "ntfy" in path:
            assert [m["title"] for m in [*replayed, live]] == ["before", "before, too", "live"]
        else:
            assert titles([*replayed, live]) == ["before", "before, too", "live"]
    finally:
        socket.close()
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        websocket.create_connection(ws_url(client, path), timeout=10)
    assert refused.value.status_code == 401


def test_a_user_wildcard_reader_gets_direct_messages_live_and_never_seen_marks(served):
    _, hub, _, port = served
    _, secret = hub.create_token("audit", "user:*", allow=["read"])
    stream = LineClient(port, JSON, bearer(secret))
    try:
        stream.wait_for("open", 1)
        hub.publish({"title": "group"}, to="group:deploys")
        first = hub.publish({"title": "to bob"}, to="user:bob")
        hub.mark_seen(hub.identity("bob"), [first])  # a user's seen mark is not a reader's
        hub.publish({"title": "to alice"}, to="user:alice")
        events = stream.wait_for("notification", 2)
        assert titles(events) == ["to bob", "to alice"]
        assert [e["event"] for e in stream.lines] == ["open", "notification", "notification"]
    finally:
        stream.close()
