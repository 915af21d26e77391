"""Live delivery over Server-Sent Events on every backend, against real servers on
127.0.0.1: replay with Last-Event-ID, isolation between users, seen marks, closes,
epochs (ids going backwards), a killed and restarted app, a Redis server that stops
and comes back, and production servers (gunicorn, uvicorn, hypercorn) with several
workers fanning out through the store."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from dash_notify.hub import Hub
from dash_notify.hub.model import StoreUnavailableError

from ..waiting import wait_until
from .serve import BACKENDS, create_app
from .servers import AppProcess, RedisServer, SSEClient, serve_in_thread


def publish_http(port: int, secret: str, to, title: str, path: str = "publish"):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_dash_notify/{path}",
        data=json.dumps({"to": to, "notification": {"title": title}}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            # (headers: case-insensitive, as each server spells them its own way)
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def titles(client: SSEClient) -> list[str]:
    return [data["options"]["title"] for _, data in client.of("notification")]


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def live(store_url, backend, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_KEEPALIVE", "0.3")
    app, hub = create_app(store_url, backend=backend)
    server = serve_in_thread(app)
    clients: list[SSEClient] = []

    def connect(
        user: str | None = None, last: int | None = None, query: str = "", hello: bool = True
    ) -> SSEClient:
        headers = {"Cookie": f"user={user}"} if user else {}
        if last is not None:
            headers["Last-Event-ID"] = str(last)
        client = SSEClient(server.port, path=f"/_dash_notify/events{query}", headers=headers)
        if hello:
            client.wait_for("hello", 1)
        clients.append(client)
        return client

    yield hub, server, connect
    for client in clients:
        client.close()
    server.stop()
    hub.stop()


def test_a_subscriber_gets_what_is_published_after_it_connected_with_ids(live):
    hub, _server, connect = live
    hub.publish({"title": "before"}, to="*")
    client = connect("bob")
    assert client.status == 200
    assert client.response_headers.get("Content-Type", client.response_headers.get(
        "content-type", "")).startswith("text/event-stream")  # fmt: skip
    [(hello_id, hello)] = client.of("hello")
    assert int(hello_id) == hello["last"] == hello["from"] == 1
    assert hello["epoch"] == hub.position().epoch
    ids = [hub.publish({"title": f"live {i}"}, to="*") for i in range(3)]
    got = client.wait_for("notification", 3)
    assert [(int(i), d["id"]) for i, d in got] == [(n, n) for n in ids]
    assert titles(client) == ["live 0", "live 1", "live 2"]
    assert {d["publisher"] for _, d in got} == {"python"}
    wait_until(lambda: client.comments >= 1, what="a keepalive")


def test_a_reconnecting_subscriber_gets_what_it_missed_exactly_once(live):
    hub, _server, connect = live
    first = connect("bob")
    hub.publish({"title": "one"}, to="*")
    [(last_id, _)] = first.wait_for("notification", 1)
    first.close()
    hub.publish({"title": "missed 1"}, to="user:bob")
    hub.publish({"title": "not for bob"}, to="user:alice")
    hub.publish({"title": "missed 2"}, to="*")
    epoch = hub.position().epoch
    again = connect("bob", query=f"?lastEventId={last_id}&epoch={epoch}")
    again.wait_for("notification", 2)
    hub.publish({"title": "live"}, to="*")
    again.wait_for("notification", 3)
    assert titles(again) == ["missed 1", "missed 2", "live"]
    # the hello of a resumed stream carries no id: the browser's position stays its own
    [(hello_id, hello)] = again.of("hello")
    assert hello_id is None and hello["from"] == int(last_id)


def test_a_close_reaches_the_users_it_is_for(live):
    hub, _server, connect = live
    bob = connect("bob")
    hub.publish({"title": "working", "tag": "job-1"}, to="user:bob")
    closed = hub.close("job-1", to="user:bob")
    [(event_id, data)] = bob.wait_for("close", 1)
    assert int(event_id) == data["id"] == closed and data["tag"] == "job-1"


def test_two_users_receive_only_their_own(live):
    hub, _server, connect = live
    alice, bob = connect("alice"), connect("bob")
    hub.publish({"title": "to alice"}, to="user:alice")
    hub.publish({"title": "to ops"}, to="group:ops")
    hub.publish({"title": "to bob"}, to="user:bob")
    hub.publish({"title": "to all"}, to="*")
    alice.wait_for("notification", 3)
    bob.wait_for("notification", 2)
    # a last message for both: everything before it has been delivered to each
    hub.publish({"title": "end"}, to="*")
    alice.wait_for("notification", 4)
    bob.wait_for("notification", 3)
    assert titles(alice) == ["to alice", "to ops", "to all", "end"]
    assert titles(bob) == ["to bob", "to all", "end"]


def test_seen_in_one_browser_is_seen_in_the_others_of_that_user_only(live):
    hub, server, connect = live
    alice_1, alice_2, bob = connect("alice"), connect("alice"), connect("bob")
    message = hub.publish({"title": "all"}, to="*")
    for client in (alice_1, alice_2, bob):
        client.wait_for("notification", 1)
    request = urllib.request.Request(
        f"{server.url}_dash_notify/seen",
        data=json.dumps({"ids": [message]}).encode(),
        headers={"Cookie": "user=alice", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert json.loads(response.read()) == {"seen": [message], "upto": 0}
    for client in (alice_1, alice_2):
        assert client.wait_for("seen", 1)[0][1]["ids"] == [message]
    # bob's stream has received everything after the mark: a later message for him
    hub.publish({"title": "later"}, to="user:bob")
    bob.wait_for("notification", 2)
    assert bob.of("seen") == []


def test_a_pages_first_stream_starts_where_the_store_was_when_the_page_was_served(live):
    """What is published between the page's response and its stream's subscription (a
    page-load callback publishing to hub.me()) arrives: the page's cookie says where the
    store was, and the first stream replays from there."""
    hub, server, _ = live
    from .web_client import Client

    hub.publish({"title": "before the page"}, to="*")
    page = Client(server.url)
    page.get("/")
    since = page.cookies["dash_notify_since"]
    assert since == f"{hub.position().epoch}.1"
    hub.publish({"title": "after the page, before the stream"}, to="*")
    cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    client = SSEClient(server.port, headers={"Cookie": cookie})
    client.wait_for("notification", 1)
    [(hello_id, _)] = client.of("hello")
    assert hello_id == "1"
    assert titles(client) == ["after the page, before the stream"]
    client.close()


def test_another_epoch_replays_the_new_log_from_its_start(live):
    """The browser's epoch is not the store's (Redis restarted empty, another file): ids
    near 1 are new to it even though its last id is higher; it gets them all."""
    hub, _server, connect = live
    ids = [hub.publish({"title": f"new {i}"}, to="*") for i in range(3)]
    client = connect("bob", query="?lastEventId=500&epoch=an-old-epoch")
    client.wait_for("notification", 3)
    [(hello_id, hello)] = client.of("hello")
    assert hello_id == "0" and hello["from"] == 0 and hello["epoch"] == hub.position().epoch
    assert [d["id"] for _, d in client.of("notification")] == ids


def test_an_id_ahead_of_the_store_starts_over_from_now(live):
    """Same epoch, but the browser is ahead (a file restored from a backup): it starts
    from the store's position, and what is published next arrives."""
    hub, _server, connect = live
    hub.publish({"title": "old"}, to="*")
    position = hub.position()
    client = connect("bob", last=500, query=f"?epoch={position.epoch}")
    [(hello_id, _)] = client.of("hello")
    assert int(hello_id) == position.last
    hub.publish({"title": "next"}, to="*")
    client.wait_for("notification", 1)
    assert titles(client) == ["next"]


def test_a_store_that_starts_over_ends_the_streams_and_they_resume_in_the_new_epoch(
    redis_url, backend, monkeypatch
):
    """Redis loses its data (restarted without persistence: here its keys are deleted)
    while a stream is open: the stream ends (Reset), the browser reconnects with its old
    epoch and id, and receives what was published in the new log."""
    import redis

    monkeypatch.setenv("DASH_NOTIFY_KEEPALIVE", "0.3")
    app, hub = create_app(redis_url, backend=backend)
    server = serve_in_thread(app)
    try:
        client = SSEClient(server.port, headers={"Cookie": "user=bob"})
        client.wait_for("hello", 1)
        for i in range(5):
            hub.publish({"title": f"old {i}"}, to="*")
        client.wait_for("notification", 5)
        old = hub.position()
        prefix = redis_url.split("prefix=")[1]
        connection = redis.Redis.from_url(redis_url.split("?")[0])
        connection.delete(*connection.keys(f"{prefix}*"))
        fresh = hub.publish({"title": "in the new log"}, to="*")
        assert client.closed.wait(15), "the stream did not end on the reset"
        again = SSEClient(
            server.port,
            path=f"/_dash_notify/events?lastEventId={old.last}&epoch={old.epoch}",
            headers={"Cookie": "user=bob"},
        )
        again.wait_for("notification", 1)
        assert [d["id"] for _, d in again.of("notification")] == [fresh]
        assert again.of("hello")[0][1]["epoch"] != old.epoch
        again.close()
    finally:
        server.stop()
        hub.stop()


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_killed_and_restarted_app_loses_nothing_and_repeats_nothing(sqlite_url, backend_name):
    app = AppProcess(sqlite_url, backend=backend_name, env={"DASH_NOTIFY_KEEPALIVE": "0.5"})
    app.start()
    writer = Hub(None, sqlite_url)  # another process sharing the store
    try:
        client = SSEClient(app.port, headers={"Cookie": "user=bob"})
        client.wait_for("hello", 1, timeout=20)
        writer.publish({"title": "before the crash"}, to="*")
        [(last, _)] = client.wait_for("notification", 1)
        app.kill()
        client.closed.wait(5)
        # published while the app is down, by another process sharing the store
        writer.publish({"title": "while down 1"}, to="user:bob")
        writer.publish({"title": "while down 2"}, to="*")
        app.start()
        resumed = SSEClient(app.port, headers={"Cookie": "user=bob", "Last-Event-ID": last})
        resumed.wait_for("notification", 2, timeout=20)
        writer.publish({"title": "after"}, to="*")
        resumed.wait_for("notification", 3)
        assert titles(client) == ["before the crash"]
        assert titles(resumed) == ["while down 1", "while down 2", "after"]
        resumed.close()
    finally:
        writer.stop()
        app.stop()


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_redis_stopping_fails_publishes_clearly_and_delivery_recovers(tmp_path, backend_name):
    redis = RedisServer(tmp_path / "redis").start()
    app = AppProcess(redis.url, backend=backend_name, env={"DASH_NOTIFY_KEEPALIVE": "0.5"})
    app.start()
    publisher = create_app(redis.url)[1]
    try:
        _, secret = publisher.create_token("ci", "*")
        client = SSEClient(app.port, headers={"Cookie": "user=bob"})
        client.wait_for("hello", 1, timeout=20)
        assert publish_http(app.port, secret, "*", "before")[0] == 201
        client.wait_for("notification", 1)

        redis.stop()
        status, body, headers = publish_http(app.port, secret, "*", "during")
        assert status == 503 and body["http"] == 503 and headers["Retry-After"] == "1"
        with pytest.raises(StoreUnavailableError):
            publisher.publish({"title": "during"}, to="*")

        redis.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            status, body, _ = publish_http(app.port, secret, "*", "after")
            if status == 201:
                break
            time.sleep(0.2)
        assert status == 201
        client.wait_for("notification", 2, timeout=15)
        assert titles(client) == ["before", "after"]
        client.close()
    finally:
        app.stop()
        publisher.stop()
        redis.stop()


@pytest.mark.parametrize("backend_name", BACKENDS)
def test_production_servers_fan_out_through_the_store(store_url, backend_name):
    """Two servers (as on two hosts) with two workers each, on one store: what is
    published through one reaches streams open on the other. gunicorn gthread (Flask),
    uvicorn (FastAPI), hypercorn (Quart)."""
    env = {"DASH_NOTIFY_KEEPALIVE": "0.5"}
    streams = AppProcess(store_url, workers=2, env=env, backend=backend_name).start()
    publishing = AppProcess(store_url, workers=2, env=env, backend=backend_name).start()
    owner = create_app(store_url)[1]
    clients: list[SSEClient] = []
    try:
        _, secret = owner.create_token("ci", "*")
        for user in ("alice", "bob", "bob"):
            client = SSEClient(streams.port, headers={"Cookie": f"user={user}"})
            client.wait_for("hello", 1, timeout=20)
            clients.append(client)
        stream_pids = {c.response_headers.get("X-Worker-Pid") or c.response_headers.get(
            "x-worker-pid") for c in clients}  # fmt: skip
        publisher_pids = set()
        for i in range(10):
            status, _, headers = publish_http(publishing.port, secret, "*", f"n{i}")
            assert status == 201
            publisher_pids.add(headers["X-Worker-Pid"])
        status, _, _ = publish_http(publishing.port, secret, "user:bob", "for bob")
        assert status == 201
        assert not stream_pids & publisher_pids
        expected = [f"n{i}" for i in range(10)]
        clients[0].wait_for("notification", 10, timeout=15)
        for client in clients[1:]:
            client.wait_for("notification", 11, timeout=15)
        assert titles(clients[0]) == expected
        for client in clients[1:]:
            assert titles(client) == [*expected, "for bob"]
    finally:
        for client in clients:
            client.close()
        streams.stop()
        publishing.stop()
        owner.stop()
