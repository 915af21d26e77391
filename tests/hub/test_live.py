"""Live delivery over Server-Sent Events, against real servers on 127.0.0.1: replay with
Last-Event-ID, isolation between users, seen marks, a killed and restarted app, a Redis
server that stops and comes back, and gunicorn workers fanning out through the store."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from dash_notify.hub.store import StoreUnavailableError, open_store

from .serve import create_app
from .servers import AppProcess, RedisServer, SSEClient, ThreadServer


def publish_http(port: int, secret: str, to, title: str, path: str = "publish"):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/_dash_notify/{path}",
        data=json.dumps({"to": to, "notification": {"title": title}}).encode(),
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def titles(client: SSEClient) -> list[str]:
    return [data["options"]["title"] for _, data in client.of("notification")]


@pytest.fixture
def live(store_url, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_KEEPALIVE", "0.3")
    app, hub = create_app(store_url)
    server = ThreadServer(app.server)
    clients: list[SSEClient] = []

    def connect(user: str | None = None, last: int | None = None) -> SSEClient:
        headers = {"Cookie": f"user={user}"} if user else {}
        if last is not None:
            headers["Last-Event-ID"] = str(last)
        client = SSEClient(server.port, headers=headers)
        client.wait_for("hello", 1)
        clients.append(client)
        return client

    yield hub, server, connect
    for client in clients:
        client.close()
    server.stop()
    hub.dispatcher.stop()
    hub.store.close()


def test_a_subscriber_gets_what_is_published_after_it_connected_with_ids(live):
    hub, _server, connect = live
    hub.publish({"title": "before"}, to="*")
    client = connect("bob")
    assert client.status == 200
    assert client.response_headers["Content-Type"].startswith("text/event-stream")
    [(hello_id, hello)] = client.of("hello")
    assert int(hello_id) == hello["last"] == 1
    ids = [hub.publish({"title": f"live {i}"}, to="*") for i in range(3)]
    got = client.wait_for("notification", 3)
    assert [(int(i), d["id"]) for i, d in got] == [(n, n) for n in ids]
    assert titles(client) == ["live 0", "live 1", "live 2"]
    time.sleep(0.7)
    assert client.comments >= 1  # keepalives


def test_a_reconnecting_subscriber_gets_what_it_missed_exactly_once(live):
    hub, _server, connect = live
    first = connect("bob")
    hub.publish({"title": "one"}, to="*")
    [(last_id, _)] = first.wait_for("notification", 1)
    first.close()
    hub.publish({"title": "missed 1"}, to="user:bob")
    hub.publish({"title": "not for bob"}, to="user:alice")
    hub.publish({"title": "missed 2"}, to="*")
    again = connect("bob", last=int(last_id))
    again.wait_for("notification", 2)
    hub.publish({"title": "live"}, to="*")
    again.wait_for("notification", 3)
    time.sleep(0.3)
    assert titles(again) == ["missed 1", "missed 2", "live"]
    # the hello of a resumed stream carries no id: the browser's position stays its own
    assert again.of("hello")[0][0] is None


def test_two_users_receive_only_their_own(live):
    hub, _server, connect = live
    alice, bob = connect("alice"), connect("bob")
    hub.publish({"title": "to alice"}, to="user:alice")
    hub.publish({"title": "to ops"}, to="group:ops")
    hub.publish({"title": "to bob"}, to="user:bob")
    hub.publish({"title": "to all"}, to="*")
    alice.wait_for("notification", 3)
    bob.wait_for("notification", 2)
    time.sleep(0.3)
    assert titles(alice) == ["to alice", "to ops", "to all"]
    assert titles(bob) == ["to bob", "to all"]


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
        assert json.loads(response.read()) == {"seen": [message]}
    for client in (alice_1, alice_2):
        assert client.wait_for("seen", 1)[0][1] == {"ids": [message]}
    time.sleep(0.3)
    assert bob.of("seen") == []


def test_a_slow_subscriber_is_cut_and_resumes_from_the_store(live):
    hub, _server, connect = live
    client = connect("bob")
    subscriber = next(iter(hub.dispatcher._subscribers))
    subscriber.limit = 3
    # the dispatcher fills the queue faster than a paused reader drains it
    hub.dispatcher.deliver(
        [hub.store.publish({"title": str(i)}, ("*",)) for i in range(5)]
    )  # fmt: skip
    assert subscriber.overflowed
    client.closed.wait(5)
    got = [int(i) for i, _ in client.of("notification")]
    resumed = connect("bob", last=got[-1] if got else 1)
    resumed.wait_for("notification", 5 - len(got))
    assert got + [int(i) for i, _ in resumed.of("notification")] == [1, 2, 3, 4, 5]


def test_killed_and_restarted_app_loses_nothing_and_repeats_nothing(sqlite_url):
    app = AppProcess(sqlite_url, env={"DASH_NOTIFY_KEEPALIVE": "0.5"}).start()
    writer = open_store(sqlite_url)
    try:
        client = SSEClient(app.port, headers={"Cookie": "user=bob"})
        client.wait_for("hello", 1)
        writer.publish({"title": "before the crash"}, ("*",))
        [(last, _)] = client.wait_for("notification", 1)
        app.kill()
        client.closed.wait(5)
        # published while the app is down, by another process sharing the store
        writer.publish({"title": "while down 1"}, ("user:bob",))
        writer.publish({"title": "while down 2"}, ("*",))
        app.start()
        resumed = SSEClient(app.port, headers={"Cookie": "user=bob", "Last-Event-ID": last})
        resumed.wait_for("notification", 2)
        writer.publish({"title": "after"}, ("*",))
        resumed.wait_for("notification", 3)
        time.sleep(0.5)
        assert titles(client) == ["before the crash"]
        assert titles(resumed) == ["while down 1", "while down 2", "after"]
        resumed.close()
    finally:
        writer.close()
        app.stop()


def test_redis_stopping_fails_publishes_clearly_and_delivery_recovers(tmp_path):
    redis = RedisServer(tmp_path / "redis").start()
    app = AppProcess(redis.url, env={"DASH_NOTIFY_KEEPALIVE": "0.5"}).start()
    publisher = create_app(redis.url)[1]
    try:
        _, secret = publisher.create_token("ci", "*")
        client = SSEClient(app.port, headers={"Cookie": "user=bob"})
        client.wait_for("hello", 1)
        assert publish_http(app.port, secret, "*", "before")[0] == 201
        client.wait_for("notification", 1)

        redis.stop()
        status, body, headers = publish_http(app.port, secret, "*", "during")
        assert status == 503 and "unavailable" in body["error"] and headers["Retry-After"] == "1"
        with pytest.raises(StoreUnavailableError, match=r"Redis at 127\.0\.0\.1"):
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
        # durable across the Redis restart: the history still holds "before"
        history = publisher.store.history({"*"}, "bob", 10)
        assert [m.options["title"] for m, _ in history] == ["after", "before"]
        client.close()
    finally:
        app.stop()
        publisher.store.close()
        redis.stop()


def test_gunicorn_deployments_fan_out_through_the_store(store_url):
    """Two gunicorn servers (as on two hosts), two workers each, one store: what is
    published through one reaches streams open on the other."""
    env = {"DASH_NOTIFY_KEEPALIVE": "0.5"}
    streams = AppProcess(store_url, workers=2, env=env).start()
    publishing = AppProcess(store_url, workers=2, env=env).start()
    owner = create_app(store_url)[1]
    clients: list[SSEClient] = []
    try:
        _, secret = owner.create_token("ci", "*")
        for user in ("alice", "bob", "bob"):
            client = SSEClient(streams.port, headers={"Cookie": f"user={user}"})
            client.wait_for("hello", 1)
            clients.append(client)
        stream_pids = {c.response_headers["X-Worker-Pid"] for c in clients}
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
        time.sleep(0.5)
        assert titles(clients[0]) == expected
        for client in clients[1:]:
            assert titles(client) == [*expected, "for bob"]
    finally:
        for client in clients:
            client.close()
        streams.stop()
        publishing.stop()
        owner.store.close()
