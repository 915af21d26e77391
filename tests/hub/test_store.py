"""Both stores, each against the real thing (a SQLite file, a redis-server)."""

from __future__ import annotations

import threading
import time

from dash_notify.hub.targets import Identity

ALICE = Identity("alice", frozenset({"ops"}))
BOB = Identity("bob")


def test_publish_assigns_increasing_ids_and_keeps_everything(open_store):
    store = open_store()
    first = store.publish({"title": "one"}, ("*",), "python")
    second = store.publish({"title": "two", "body": "é ✓"}, ("user:alice", "group:ops"), "token:ci")
    assert second.id > first.id and store.last_id() == second.id
    [replayed] = store.visible_after(ALICE.targets, first.id, 10)
    assert replayed == second
    assert replayed.options == {"title": "two", "body": "é ✓"}
    assert replayed.publisher == "token:ci" and replayed.created <= time.time()


def test_a_second_store_on_the_same_file_or_server_sees_it_all(open_store):
    """What two processes sharing the store see (history kept across a restart too)."""
    writer, reader = open_store(), open_store()
    message = writer.publish({"title": "shared"}, ("user:bob",))
    assert reader.last_id() == message.id
    assert [m for m, _ in reader.history(BOB.targets, "bob", 10)] == [message]


def test_users_see_only_what_is_addressed_to_them(open_store):
    store = open_store()
    everyone = store.publish({"title": "all"}, ("*",))
    to_alice = store.publish({"title": "alice"}, ("user:alice",))
    to_ops = store.publish({"title": "ops"}, ("group:ops",))
    to_bob = store.publish({"title": "bob"}, ("user:bob",))
    alice = [m.id for m, _ in store.history(ALICE.targets, "alice", 10)]
    bob = [m.id for m, _ in store.history(BOB.targets, "bob", 10)]
    assert alice == [to_ops.id, to_alice.id, everyone.id]
    assert bob == [to_bob.id, everyone.id]
    assert [m.id for m in store.visible_after(BOB.targets, 0, 10)] == [everyone.id, to_bob.id]


def test_history_pages_newest_first(open_store):
    store = open_store()
    ids = [store.publish({"title": str(i)}, ("*",)).id for i in range(7)]
    page = store.history(BOB.targets, "bob", 3)
    assert [m.id for m, _ in page] == ids[:-4:-1]
    older = store.history(BOB.targets, "bob", 3, before=page[-1][0].id)
    assert [m.id for m, _ in older] == ids[-4:-7:-1]


def test_seen_is_per_user_and_only_for_their_own(open_store):
    store = open_store()
    shared = store.publish({"title": "all"}, ("*",))
    bobs = store.publish({"title": "bob"}, ("user:bob",))
    # alice cannot mark bob's notification: it is not hers
    assert store.mark_seen(ALICE.targets, "alice", [shared.id, bobs.id]) == (shared.id,)
    assert store.mark_seen(ALICE.targets, "alice", [shared.id]) == ()
    seen = dict((m.id, at) for m, at in store.history(BOB.targets, "bob", 10))
    assert seen == {shared.id: None, bobs.id: None}
    assert store.mark_seen(BOB.targets, "bob", None) == (shared.id, bobs.id)
    assert all(at is not None for _, at in store.history(BOB.targets, "bob", 10))


def test_changes_carry_messages_and_seen_marks_to_other_store_objects(open_store):
    store, follower = open_store(), open_store()
    cursor = follower.cursor()
    message = store.publish({"title": "live"}, ("*",))
    store.mark_seen(BOB.targets, "bob", [message.id])
    found, seen = [], []
    deadline = time.monotonic() + 5
    while (not found or not seen) and time.monotonic() < deadline:
        changes = follower.changes(cursor, timeout=1.0)
        cursor = changes.cursor
        found += changes.messages
        seen += changes.seen
    assert [m.id for m in found] == [message.id]
    assert [(s.user, s.ids) for s in seen] == [("bob", (message.id,))]


def test_changes_waits_and_returns_empty_after_its_timeout(open_store):
    store = open_store()
    cursor = store.cursor()
    started = time.monotonic()
    changes = store.changes(cursor, timeout=0.3)
    assert changes.messages == [] and changes.seen == []
    assert 0.25 <= time.monotonic() - started < 3


def test_a_waiting_follower_wakes_up_when_a_notification_arrives(open_store):
    store, follower = open_store(), open_store()
    cursor = follower.cursor()
    got = []
    thread = threading.Thread(target=lambda: got.append(follower.changes(cursor, timeout=5)))
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    store.publish({"title": "wake"}, ("*",))
    thread.join(6)
    assert [m.options["title"] for m in got[0].messages] == ["wake"]
    assert time.monotonic() - started < 1.0


def test_purge_removes_old_notifications_and_can_keep_unseen_ones(open_store):
    store = open_store()
    old_seen = store.publish({"title": "old, seen"}, ("user:bob",))
    old_unseen = store.publish({"title": "old, unseen"}, ("user:bob",))
    old_broadcast = store.publish({"title": "old, everyone"}, ("*",))
    store.mark_seen(BOB.targets, "bob", [old_seen.id])
    cutoff = time.time() + 0.001
    time.sleep(0.01)
    fresh = store.publish({"title": "new"}, ("user:bob",))
    assert store.purge(cutoff, keep_unseen=True) == 2
    kept = [m.id for m, _ in store.history(BOB.targets, "bob", 10)]
    assert kept == [fresh.id, old_unseen.id]
    assert old_broadcast.id not in kept
    assert store.purge(cutoff, keep_unseen=False) == 1
    assert [m.id for m, _ in store.history(BOB.targets, "bob", 10)] == [fresh.id]


def test_tokens_are_stored_hashed_and_can_be_revoked(open_store):
    store = open_store()
    token, secret = store.add_token("ci", ("group:deploys",))
    assert secret.startswith("dn_") and len(secret) > 30
    assert store.token_for(secret) == token
    assert store.token_for(secret + "x") is None
    assert [t.id for t in store.tokens()] == [token.id]
    assert store.revoke_token(token.id) is True
    assert store.token_for(secret) is None
    assert store.tokens()[0].revoked is not None
    assert store.revoke_token("nope") is False


def test_rate_counters_count_per_key_and_window(open_store):
    store = open_store()
    now = 1_000_000.0
    assert [store.hit("a", 60, now) for _ in range(3)] == [1, 2, 3]
    assert store.hit("b", 60, now) == 1
    assert store.hit("a", 60, now + 60) == 1
