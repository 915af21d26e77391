"""Per-user delivery preferences: the Python API, the runner skipping what they hold
back on every user channel (logged "preference: ..."), live in-app delivery, and the
HTTP route on Flask, FastAPI and Quart with two users."""

from __future__ import annotations

import pytest

from dash_notify.hub import Channel, Hub, Sent
from dash_notify.hub.model import Message
from dash_notify.hub.preferences import PreferenceError
from dash_notify.hub.reach import Reader
from dash_notify.hub.targets import Identity

from .serve import BACKENDS, new_dash
from .servers import SSEClient, serve_in_thread
from .web_client import Client

DEFAULTS = {
    "categories": {"comment": {"email": False}, "deploy": {}},
    "required": ["billing"],
    "email": "daily",
}


class Recorder(Channel):
    """A user channel (as push and email are) that records what it is given."""

    def __init__(self, name: str):
        self.name = name
        self.given: list[str] = []

    def recipients(self, message, hub):
        return [t for t in message.targets if t.startswith("user:")]

    def send(self, batch, hub):
        self.given += [item.key for item in batch]
        return [Sent()] * len(batch)


def _publish(hub: Hub, to: str, **options) -> int:
    """Publish a notification through the hub's API (options checked by the schema)."""
    return hub.publish({"title": "t", **options}, to=to)


def test_defaults_choices_and_errors_naming_the_field(sqlite_url):
    hub = Hub(None, sqlite_url, preferences=DEFAULTS)
    try:
        alice = hub.preferences("alice")
        first = alice.get()
        assert first["email"] == "daily" and first["channels"] == dict.fromkeys(
            ("inapp", "push", "email"), True
        )
        assert first["categories"]["comment"] == {"inapp": True, "push": True, "email": False}
        assert first["categories"]["billing"] == dict.fromkeys(("inapp", "push", "email"), True)
        changed = alice.update({"channels": {"push": False}, "email": "often"})
        assert changed["categories"]["deploy"]["push"] is False  # follows the channel
        assert hub.preferences("bob").get() == first
        assert alice.set({"email": "never"}) == {**first, "email": "never"}
        for bad, field, allowed in [
            ({"channels": {"sms": True}}, "channels.sms", ("inapp", "push", "email")),
            ({"email": "weekly"}, "email", ("silent", "never", "often", "daily")),
            ({"categories": {"chat": {}}}, "categories.chat", ("comment", "deploy", "billing")),
            ({"categories": {"billing": {"email": False}}}, "categories.billing.email", ()),
            ({"channels": {"push": "off"}}, "channels.push", ("true", "false")),
            ({"mode": "daily"}, "mode", ("channels", "categories", "email", "notify_myself")),
            ({"notify_myself": "yes"}, "notify_myself", ("true", "false")),
        ]:
            with pytest.raises(PreferenceError) as raised:
                alice.update(bad)
            assert raised.value.field == field and raised.value.allowed == allowed
        assert alice.get()["email"] == "never"  # nothing changed by a refusal
        with pytest.raises(PreferenceError, match=r"preferences\.email"):
            Hub(None, sqlite_url, preferences={"email": "hourly"})
    finally:
        hub.stop()


def test_the_runner_skips_what_preferences_hold_back_on_every_user_channel(store_url):
    push, email, app_level = Recorder("push"), Recorder("email"), Recorder("audit")
    hub = Hub(None, store_url, channels=[push, email, app_level], preferences=DEFAULTS, run=False)
    try:
        for channel in hub.channels:
            hub.runner.step(channel)  # cursors at "now"
        hub.preferences("bob").update(
            {"channels": {"push": False}, "categories": {"deploy": {"push": True}}}
        )
        hub.preferences("carol").update({"email": "silent"})
        plain = _publish(hub, "user:bob")
        deploy = _publish(hub, "user:bob", category="deploy")
        comment = _publish(hub, "user:bob", category="comment")
        critical = _publish(hub, "user:bob", severity="Critical", category="comment")
        billing = _publish(hub, "user:bob", category="billing")
        silent = _publish(hub, "user:carol", severity="Critical")
        for channel in hub.channels:
            hub.runner.step(channel)

        def states(channel: str) -> dict[int, tuple[str, str | None]]:
            return {d.message_id: (d.state, d.error) for d in hub.deliveries(channel=channel)}

        sent = ("sent", None)
        assert states("push") == {
            plain: ("skipped", "preference: push off"),
            deploy: sent,
            comment: ("skipped", "preference: push off for comment"),
            critical: sent,
            billing: sent,
            silent: sent,  # silent is about email and in-app
        }
        assert states("email") == {
            plain: sent,
            deploy: sent,
            comment: ("skipped", "preference: email off for comment"),
            critical: sent,
            billing: sent,
            silent: ("skipped", "preference: email mode silent"),
        }
        assert len(states("audit")) == 6 and all(s == sent for s in states("audit").values())
        assert len(app_level.given) == 6
    finally:
        hub.stop()


def test_live_in_app_delivery_follows_preferences_and_logs_what_it_held_back(sqlite_url):
    app = new_dash("flask")
    app.layout = []
    hub = Hub(
        app, sqlite_url, user=lambda request: request.cookies.get("user"), preferences=DEFAULTS
    )
    server = serve_in_thread(app)
    stream = SSEClient(server.port, headers={"Cookie": "user=bob"})
    try:
        stream.wait_for("hello", 1)
        hub.preferences("bob").update({"email": "silent"})
        held = _publish(hub, "user:bob", category="deploy")
        billing = _publish(hub, "user:bob", category="billing")
        critical = _publish(hub, "user:bob", severity="Critical")
        hub.preferences("bob").update(
            {"email": "often", "categories": {"deploy": {"inapp": False}}}
        )
        hub.preference_service._cache.clear()  # as another process would, after 2 s
        deploy = _publish(hub, "user:bob", category="deploy")
        shown = _publish(hub, "user:bob", category="comment")
        received = stream.wait_for("notification", 3)
        assert [data["id"] for _, data in received] == [billing, critical, shown]
        log = {d.message_id: d.error for d in hub.deliveries(channel="inapp")}
        assert log == {held: "preference: silent", deploy: "preference: inapp off for deploy"}
        # the center's history still has them all
        client = Client(server.url)
        client.cookies["user"] = "bob"
        items = client.get("/_dash_notify/history").json()["items"]
        assert {held, deploy} <= {item["id"] for item in items}
    finally:
        stream.close()
        server.stop()
        hub.stop()


@pytest.fixture(params=BACKENDS)
def served(request, store_url):
    app = new_dash(request.param)
    app.layout = []
    hub = Hub(app, store_url, user=lambda r: r.cookies.get("user"), preferences=DEFAULTS)
    server = serve_in_thread(app)
    yield hub, server
    server.stop()
    hub.stop()


def test_each_user_reads_and_changes_only_their_own_preferences_over_http(served):
    hub, server = served
    alice, bob = Client(server.url), Client(server.url)
    alice.cookies["user"], bob.cookies["user"] = "alice", "bob"
    path = "/_dash_notify/preferences"
    first = alice.get(path).json()
    assert first["preferences"] == hub.preferences("alice").get()
    assert first["channels"] == ["inapp", "push", "email"]
    assert first["categories"] == ["comment", "deploy", "billing"]
    assert first["required"] == ["billing"] and first["modes"][0] == "silent"
    patched = alice.request("PATCH", path, json={"email": "never", "channels": {"push": False}})
    assert patched.status == 200 and patched.json()["preferences"]["email"] == "never"
    # bob's are untouched, and what bob sends changes only bob's
    assert bob.get(path).json()["preferences"]["email"] == "daily"
    put = bob.request("PUT", path, json={"categories": {"deploy": {"inapp": False}}})
    assert put.status == 200
    assert hub.preferences("bob").get()["categories"]["deploy"]["inapp"] is False
    assert hub.preferences("alice").get()["categories"]["deploy"]["inapp"] is True
    assert hub.preferences("alice").get()["channels"]["push"] is False
    assert put.json()["user"] != first["user"]
    # PUT replaces: alice's earlier choices go
    alice.request("PUT", path, json={"email": "often"})
    assert hub.preferences("alice").get()["channels"]["push"] is True
    # a hub without the email channel has no mail links
    assert alice.get("/_dash_notify/email/open?t=x.y").status == 404


@pytest.mark.parametrize(
    ("body", "field", "allowed"),
    [
        ({"channels": {"sms": True}}, "channels.sms", ["inapp", "push", "email"]),
        ({"email": "weekly"}, "email", ["silent", "never", "often", "daily"]),
        ({"categories": {"chat": {"push": False}}}, "categories.chat",
         ["comment", "deploy", "billing"]),
        ({"categories": {"billing": {"push": False}}}, "categories.billing.push", None),
        ([1], "body", ["channels", "categories", "email", "notify_myself"]),
    ],
)  # fmt: skip
def test_bad_preferences_are_400_naming_the_field_and_change_nothing(served, body, field, allowed):
    hub, server = served
    client = Client(server.url)
    client.cookies["user"] = "alice"
    before = hub.preferences("alice").get()
    reply = client.request("PATCH", "/_dash_notify/preferences", json=body)
    assert reply.status == 400 and reply.json()["field"] == field
    assert reply.json().get("allowed") == allowed
    assert hub.preferences("alice").get() == before
    raw = client.request(
        "PUT", "/_dash_notify/preferences", data=b"{", content_type="application/json"
    )
    assert raw.status == 400 and raw.json()["field"] == "body"
    text = client.request("PUT", "/_dash_notify/preferences", data=b"x", content_type="text/plain")
    assert text.status == 415
    assert client.post("/_dash_notify/preferences", json={}).status == 405


def test_the_live_fan_out_reads_its_audiences_preferences_before_handing_it_over(sqlite_url):
    """Before a notification reaches any stream, the dispatcher gives the hub the users
    it is for (read tokens' streams are no user), and the hub reads their preferences in
    one go: the streams then find them in memory, with what the store holds."""
    hub = Hub(None, sqlite_url, preferences=DEFAULTS)
    other_process = Hub(None, sqlite_url, preferences=DEFAULTS)
    other_process.preferences("carol").update({"categories": {"deploy": {"inapp": False}}})
    asked: list[tuple[set[str], list[int]]] = []
    warm = hub.live.prepare
    assert warm == hub.preference_service.warm

    def prepare(users: set[str]) -> None:  # records, then does the hub's own work
        asked.append((set(users), [len(s._events) for s in subscribers]))
        warm(users)

    hub.live.prepare = prepare
    subscribers = [
        hub.live.subscribe(Identity(user)) for user in ("alice", "bob", "carol", "alice")
    ]
    reader = hub.live.subscribe(Reader("t1", ("*",)))
    try:
        message = _publish(hub, "*", category="deploy")
        for subscriber in [*subscribers, reader]:
            assert subscriber.get(10).id == message
        assert asked == [({"alice", "bob", "carol"}, [0, 0, 0, 0])]
        service = hub.preference_service
        assert service.cached("carol")["categories"]["deploy"]["inapp"] is False
        assert service.cached("bob")["categories"]["deploy"]["inapp"] is True
        hub.close("job", to="*")  # a close is for every stream: nothing to read for it
        assert all(s.get(10).kind == "close" for s in subscribers)
        assert len(asked) == 1
        # a batch of events: one call for all of its users, before any is handed over
        service._cache.clear()
        batch = [
            Message(900, {"title": "a"}, ("user:alice",), 0.0),
            Message(901, {"title": "b"}, ("user:bob",), 0.0),
            Message(902, {"tag": "job"}, ("user:carol",), 0.0, kind="close"),
        ]
        hub.live.deliver(batch)
        assert asked[1:] == [({"alice", "bob"}, [0, 0, 0, 0])]
        assert [s.get(1).id for s in subscribers] == [900, 901, 902, 900]
    finally:
        for subscriber in [*subscribers, reader]:
            hub.live.unsubscribe(subscriber)
        hub.stop()
        other_process.stop()


def test_a_save_made_while_the_fan_out_reads_is_not_overwritten(sqlite_url):
    """warm() reads many users' preferences at once; a user who saves while that read
    is under way keeps what they saved (the older read is not put over it)."""
    hub = Hub(None, sqlite_url, preferences=DEFAULTS)
    service = hub.preference_service
    store = hub.stores.preferences
    real_get_many = store.get_many

    def get_many_while_dave_saves(users):
        found = real_get_many(users)  # what the store held when it was read
        hub.preferences("dave").update({"email": "never"})  # then dave saves
        return found

    store.get_many = get_many_while_dave_saves
    try:
        service.warm({"dave", "erin"})
        assert service.cached("dave")["email"] == "never"
        assert service.cached("erin")["email"] == DEFAULTS["email"]
    finally:
        store.get_many = real_get_many
        hub.stop()


def test_warm_reads_again_what_would_expire_before_the_streams_look(sqlite_url, monkeypatch):
    """The fan-out warms a notification's audience, then thousands of streams look it up
    over the next second or so: an entry read 1.5 s ago (fresh for 0.5 s more) is read
    again, so that no stream finds it expired and goes to the store on its own."""
    from types import SimpleNamespace

    from dash_notify.hub.preferences import service as service_module

    hub = Hub(None, sqlite_url, preferences=DEFAULTS)
    service = hub.preference_service
    store = hub.stores.preferences
    reads: list[set[str]] = []
    real_get_many = store.get_many
    store.get_many = lambda users: reads.append(set(users)) or real_get_many(users)
    now = [1000.0]
    clock = SimpleNamespace(monotonic=lambda: now[0], time=service_module.time.time)
    monkeypatch.setattr(service_module, "time", clock)
    try:
        service.warm({"alice"})
        now[0] += 0.5
        service.warm({"alice"})  # half a second old: fresh enough, not read
        now[0] += 1.0
        service.warm({"alice"})  # 1.5 s old: read again
        assert reads == [{"alice"}, {"alice"}]
        now[0] += 1.5  # 1.5 s after that read: a stream still finds it
        assert service.cached("alice") is not None
    finally:
        store.get_many = real_get_many
        hub.stop()


def test_users_who_chose_nothing_share_the_defaults_and_the_app_gets_copies(sqlite_url):
    """warm() computes the app's defaults once for every user who chose nothing (at
    thousands of streams, computing them per user was 6% of a worker's time); what
    ``hub.preferences(user)`` hands the app is a copy, so changing it changes no user's."""
    hub = Hub(None, sqlite_url, preferences=DEFAULTS)
    hub.preferences("carol").update({"email": "never"})
    service = hub.preference_service
    service._cache.clear()
    try:
        service.warm({"alice", "bob", "carol"})
        assert service.cached("alice") is service.cached("bob")
        assert service.cached("carol")["email"] == "never"
        mine = hub.preferences("alice").get()
        mine["email"] = "never"
        mine["categories"].clear()
        assert service.cached("bob")["email"] == DEFAULTS["email"]
        assert hub.preferences("alice").get()["email"] == DEFAULTS["email"]
        assert service.cached("alice")["categories"]
        changed = hub.preferences("bob").update({"email": "often"})
        changed["email"] = "never"
        assert hub.preferences("bob").get()["email"] == "often"
    finally:
        hub.stop()
