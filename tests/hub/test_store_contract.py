"""The store contract: every part of a store (messages and feed, seen, tokens, limits,
channels), each test run against the real SQLite file and the real redis-server."""

from __future__ import annotations

import concurrent.futures
import sqlite3
import stat
import threading
import time
from pathlib import Path

import pytest

from dash_notify.hub.model import Delivery
from dash_notify.hub.stores import open_stores
from dash_notify.hub.stores.secrets import secret_hash
from dash_notify.hub.targets import Identity

ALICE = Identity("alice", frozenset({"ops"}))
BOB = Identity("bob")


def append(store, title, targets=("*",), publisher="python", kind="notify"):
    return store.messages.append({"title": title}, targets, publisher, kind)


# -- messages and the feed ------------------------------------------------------------
def test_messages_get_increasing_ids_and_keep_everything(open_store):
    store = open_store()
    first = append(store, "one")
    second = store.messages.append(
        {"title": "two", "body": "é ✓"}, ("group:ops", "user:alice"), "token:ci", "notify"
    )
    assert second.id > first.id and store.messages.position().last == second.id
    [replayed] = store.messages.after(ALICE.targets, first.id, 10)
    assert replayed == second and replayed.options == {"title": "two", "body": "é ✓"}
    assert replayed.publisher == "token:ci" and replayed.created <= time.time()
    assert store.messages.get([first.id, second.id, 999]) == {first.id: first, second.id: second}
    close = append(store, "x", kind="close")
    assert store.messages.get([close.id])[close.id].kind == "close"


def test_concurrent_appends_all_commit_with_distinct_ids(open_store):
    store = open_store()
    ids: list[int] = []
    lock = threading.Lock()

    def publish(n):
        for i in range(25):
            message = append(store, f"{n}-{i}")
            with lock:
                ids.append(message.id)

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 200
    assert [m.id for m in store.messages.after(None, 0, 500)] == sorted(ids)


def test_a_second_store_on_the_same_file_or_server_sees_it_all(open_store):
    writer, reader = open_store(), open_store()
    message = append(writer, "shared", ("user:bob",))
    assert reader.messages.position() == writer.messages.position()
    assert reader.messages.newest(BOB.targets, 10, None) == [message]


def test_a_messages_actor_is_kept_and_returned_by_every_read(open_store):
    writer, reader = open_store(), open_store()
    cursor = reader.messages.feed_cursor()
    acted = writer.messages.append(
        {"title": "by alice"}, ("group:ops",), "python", "notify", actor="alice"
    )
    plain = append(writer, "by a job", ("group:ops",))
    assert (acted.actor, plain.actor) == ("alice", None)
    assert reader.messages.get([acted.id, plain.id]) == {acted.id: acted, plain.id: plain}
    assert reader.messages.after(ALICE.targets, 0, 10) == [acted, plain]
    assert reader.messages.after(None, 0, 10) == [acted, plain]
    assert reader.messages.newest(ALICE.targets, 10, None) == [plain, acted]
    deadline = time.monotonic() + 10
    fed: list = []
    while len(fed) < 2 and time.monotonic() < deadline:
        changes = reader.messages.changes(cursor, timeout=1.0)
        cursor = changes.cursor
        fed += changes.messages
    assert [(m.id, m.actor) for m in fed] == [(acted.id, "alice"), (plain.id, None)]


def test_users_see_only_what_is_addressed_to_them(open_store):
    store = open_store()
    everyone = append(store, "all")
    to_alice = append(store, "alice", ("user:alice",))
    to_ops = append(store, "ops", ("group:ops",))
    to_bob = append(store, "bob", ("user:bob",))
    alice = [m.id for m in store.messages.newest(ALICE.targets, 10, None)]
    bob = [m.id for m in store.messages.newest(BOB.targets, 10, None)]
    assert alice == [to_ops.id, to_alice.id, everyone.id]
    assert bob == [to_bob.id, everyone.id]
    assert [m.id for m in store.messages.after(BOB.targets, 0, 10)] == [everyone.id, to_bob.id]
    ids = [everyone.id, to_alice.id, to_bob.id, 12345]
    assert store.messages.visible(BOB.targets, ids) == [everyone.id, to_bob.id]


def test_history_pages_newest_first(open_store):
    store = open_store()
    ids = [append(store, str(i)).id for i in range(7)]
    page = store.messages.newest(BOB.targets, 3, None)
    assert [m.id for m in page] == ids[:-4:-1]
    older = store.messages.newest(BOB.targets, 3, page[-1].id)
    assert [m.id for m in older] == ids[-4:-7:-1]


def test_the_feed_carries_messages_and_seen_marks_to_other_stores(open_store):
    writer, follower = open_store(), open_store()
    cursor = follower.messages.feed_cursor()
    received: list = []

    def follow():
        nonlocal cursor
        deadline = time.monotonic() + 10
        while len(received) < 2 and time.monotonic() < deadline:
            changes = follower.messages.changes(cursor, timeout=1.0)
            cursor = changes.cursor
            received.extend(changes.messages + changes.seen)

    thread = threading.Thread(target=follow)
    thread.start()
    time.sleep(0.1)
    message = append(writer, "live", ("user:alice",))
    writer.seen.mark("alice", [message.id])
    thread.join()
    assert [getattr(e, "id", None) for e in received][:1] == [message.id]
    assert received[1].user == "alice" and received[1].ids == (message.id,)


def test_the_feed_waits_and_returns_nothing_when_nothing_happens(open_store):
    store = open_store()
    cursor = store.messages.feed_cursor()
    started = time.monotonic()
    changes = store.messages.changes(cursor, timeout=0.3)
    assert changes.messages == [] and changes.seen == [] and changes.reset is None
    assert 0.25 <= time.monotonic() - started < 2


def test_an_interrupt_ends_a_long_wait_at_once_and_only_in_its_own_store(open_store):
    """What a stopping hub does: its followers must not wait out their poll (30 s
    here), while another process's follower on the same file or server waits on."""
    stopping, other = open_store(), open_store()
    waits: dict[str, float] = {}
    got: dict[str, list[str]] = {}

    def follow(name, store):
        started = time.monotonic()
        changes = store.messages.changes(store.messages.feed_cursor(), timeout=30)
        waits[name] = time.monotonic() - started
        got[name] = [m.options["title"] for m in changes.messages]

    threads = [
        threading.Thread(target=follow, args=("stopping", stopping), daemon=True),
        threading.Thread(target=follow, args=("other", other), daemon=True),
    ]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # both are waiting
    stopping.messages.interrupt()
    threads[0].join(10)
    assert waits.get("stopping", 99) < 10  # ended by the interrupt, not by its 30 s
    assert "other" not in waits  # the other store still waits...
    append(other, "for the other")  # ...until something happens for it
    threads[1].join(10)
    assert waits.get("other", 99) < 10
    assert got == {"stopping": [], "other": ["for the other"]}

    started = time.monotonic()  # and later waits of the stopping store end at once
    stopping.messages.changes(stopping.messages.feed_cursor(), timeout=30)
    assert time.monotonic() - started < 10


def test_a_new_epoch_resets_followers(open_store):
    store = open_store()
    append(store, "before")
    cursor = store.messages.feed_cursor()
    old = store.messages.position()
    store.messages.new_epoch()
    changes = store.messages.changes(cursor, timeout=0.5)
    assert changes.reset is not None and changes.reset.epoch != old.epoch


def test_retention_pages_and_removes(open_store):
    store = open_store()
    ids = [append(store, str(i)).id for i in range(5)]
    later = time.time() + 1
    page = store.messages.old(later, 0, 3)
    assert [i for i, _ in page] == ids[:3]
    assert [i for i, _ in store.messages.old(later, ids[2], 3)] == ids[3:]
    store.messages.remove(ids[:2])
    assert [m.id for m in store.messages.after(None, 0, 10)] == ids[2:]
    assert store.messages.old(time.time() - 3600, 0, 10) == []


# -- seen ---------------------------------------------------------------------------
def test_seen_marks_are_per_user_and_reported_once(open_store):
    store = open_store()
    first, second = append(store, "a").id, append(store, "b").id
    marked = store.seen.mark("alice", [first])
    assert marked.user == "alice" and marked.ids == (first,) and marked.upto == 0
    assert store.seen.mark("alice", [first]) is None  # already seen
    seen = store.seen.seen_at("alice", [first, second])
    assert set(seen) == {first} and seen[first] <= time.time()
    assert store.seen.seen_at("bob", [first, second]) == {}


def test_mark_all_is_one_mark_up_to_an_id(open_store):
    store = open_store()
    ids = [append(store, str(i)).id for i in range(5)]
    store.seen.mark("bob", [ids[1]])
    marked = store.seen.mark("bob", [], upto=ids[3])
    assert marked.upto == ids[3] and marked.ids == ()
    assert sorted(store.seen.seen_at("bob", ids)) == ids[:4]
    # below the mark nothing is new; above it, marks are explicit again
    assert store.seen.mark("bob", [ids[0], ids[2]]) is None
    assert store.seen.mark("bob", [ids[4]]).ids == (ids[4],)
    assert store.seen.mark("bob", [], upto=ids[2]) is None  # never moves back


# -- tokens -------------------------------------------------------------------------
def test_tokens_are_stored_as_hashes_and_can_be_revoked(open_store, store_url):
    store = open_store()
    token, secret = store.tokens.add("ci", ("group:*",), ("source",))
    assert secret.startswith("dn_") and len(secret) > 30
    assert store.tokens.find(secret) == token and token.allow == ("source",)
    assert store.tokens.find(secret + "x") is None
    raw = _everything_stored(store_url)
    assert secret not in raw and secret_hash(secret) in raw
    assert store.tokens.revoke(token.id) and store.tokens.find(secret) is None
    assert store.tokens.revoke(token.id)  # revoking twice: still a token
    assert not store.tokens.revoke("nope")
    [listed] = store.tokens.all()
    assert listed.revoked is not None and listed.name == "ci"


def _everything_stored(store_url: str) -> str:
    """Every byte the store holds, as text (the SQLite file's rows, or every Redis key
    and value under the store's prefix)."""
    if store_url.startswith("sqlite:///"):
        db = sqlite3.connect(store_url[len("sqlite:///") :])
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        text = " ".join(str(row) for t in tables for row in db.execute(f"SELECT * FROM {t}"))
        db.close()
        return text
    import redis

    base, _, query = store_url.partition("?")
    prefix = query.split("=", 1)[1]
    client = redis.Redis.from_url(base, decode_responses=True)
    parts = []
    for key in client.scan_iter(f"{prefix}:*"):
        if client.type(key) == "hash":
            parts.append(f"{key} {client.hgetall(key)}")
    client.close()
    return " ".join(parts)


# -- limits -------------------------------------------------------------------------
def test_limits_slide_so_a_window_edge_lets_no_burst_through(open_store):
    store = open_store()
    start = 1_000_000 * 60 + 50.0  # ten seconds before a window edge
    allowed = sum(store.limits.take("k", 10, 60, start + i * 0.01) is None for i in range(10))
    assert allowed == 10
    wait = store.limits.take("k", 10, 60, start + 0.2)
    assert wait is not None and wait > 0
    # just past the edge, a fixed window would allow 10 more: the sliding one does not
    after_edge = sum(
        store.limits.take("k", 10, 60, start + 11 + i * 0.01) is None for i in range(10)
    )
    assert after_edge <= 2
    # a minute and more later everything has slid out
    assert store.limits.take("k", 10, 60, start + 125) is None
    assert store.limits.take("other", 10, 60, start + 0.3) is None


def test_limits_count_every_take_once_across_threads_and_processes_stores(open_store):
    # Two stores on one file or server (as two worker processes have), four threads
    # each, taking at once: exactly the limit is allowed, never one more or less.
    stores = [open_store(), open_store()]
    now = 2_000_000 * 60 + 30.0  # mid-window, nothing in the previous one
    allowed = []
    start = threading.Barrier(8)

    def taker(store) -> None:
        start.wait()
        allowed.append(sum(store.limits.take("race", 100, 60, now) is None for _ in range(40)))

    threads = [threading.Thread(target=taker, args=(stores[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(allowed) == 100
    wait = stores[0].limits.take("race", 100, 60, now)
    assert wait == 30.0  # the window ends in 30 s


# -- channels -----------------------------------------------------------------------
def _delivery(message_id: int, recipient: str = "alice", now: float = 0.0) -> Delivery:
    return Delivery("test", message_id, recipient, f"test:{message_id}:{recipient}", "queued",
                    updated=now, due=now)  # fmt: skip


def test_a_channel_lease_is_held_by_one_owner_until_it_expires(open_store):
    one, two = open_store(), open_store()
    now = time.time()
    assert one.channels.acquire("test", "a", 0.5, now)
    assert not two.channels.acquire("test", "b", 0.5, now)
    assert one.channels.acquire("test", "a", 0.5, now)  # renewal
    time.sleep(0.7)
    assert two.channels.acquire("test", "b", 0.5, time.time())
    assert not one.channels.enqueue("test", "a", [_delivery(1)], 1)  # lost it: no effect
    assert one.channels.cursor("test") is None
    two.channels.release("test", "b")
    assert one.channels.acquire("test", "a", 5, time.time())


def test_deliveries_are_queued_once_with_the_cursor_and_recorded(open_store):
    store = open_store()
    now = time.time()
    assert store.channels.acquire("test", "a", 10, now)
    assert store.channels.enqueue("test", "a", [_delivery(1, now=now), _delivery(2, now=now)], 2)
    assert store.channels.cursor("test") == 2
    # queuing the same key again keeps its state
    assert store.channels.enqueue("test", "a", [_delivery(1, now=now)], 2)
    due = store.channels.due("test", now + 1, 10)
    assert [d.key for d in due] == ["test:1:alice", "test:2:alice"]
    store.channels.record(due[0], "sent", error=None, due=0, now=now)
    store.channels.record(due[1], "queued", error="HTTP 503", due=now + 60, now=now)
    assert store.channels.due("test", now + 1, 10) == []
    assert store.channels.next_due("test") == pytest.approx(now + 60)
    [retry] = store.channels.due("test", now + 61, 10)
    assert retry.attempts == 1 and retry.error == "HTTP 503"
    store.channels.record(retry, "failed", error="gave up", due=0, now=now)
    log = store.channels.deliveries(channel="test")
    assert [(d.message_id, d.state, d.attempts) for d in log] == [(2, "failed", 2), (1, "sent", 1)]
    assert [d.state for d in store.channels.deliveries(message_id=1)] == ["sent"]
    assert [d.message_id for d in store.channels.deliveries(state="failed")] == [2]
    store.channels.forget([1, 2])
    assert store.channels.deliveries(channel="test") == []


# -- files --------------------------------------------------------------------------
def test_sqlite_files_are_private_and_connections_bounded(tmp_path):
    path = tmp_path / "hub.db"
    stores = open_stores(f"sqlite:///{path}")
    append(stores, "x")
    for name in (path, Path(f"{path}-limits")):
        assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
    threads = [threading.Thread(target=lambda: append(stores, "t")) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stores.messages.db._all) <= 8
    stores.close()


def _file_from_before_actors(path: Path) -> None:
    """A hub file as a release before the ``actor`` column left it (no WAL yet)."""
    old = sqlite3.connect(path)
    old.executescript(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, created REAL NOT NULL,
            options TEXT NOT NULL, targets TEXT NOT NULL, publisher TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'notify');
        CREATE TABLE recipients (target TEXT NOT NULL, message_id INTEGER NOT NULL,
            PRIMARY KEY (target, message_id)) WITHOUT ROWID;
        INSERT INTO messages (created, options, targets, publisher)
            VALUES (1.5, '{"title": "old"}', '["*"]', 'python');
        INSERT INTO recipients VALUES ('*', 1);"""
    )
    old.close()


def _open_twice_at_once(path: Path) -> list:
    """The stores of ``path`` opened by two openers at the same moment (two workers)."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda _: open_stores(f"sqlite:///{path}"), range(2)))


def test_a_file_opened_by_two_workers_at_once_opens_in_both(tmp_path):
    """Turning a file to WAL takes an exclusive lock, for which SQLite does not wait:
    two workers opening a fresh file, or one from an older release, at the same moment
    failed with "database is locked" in about one try of ten to twenty (CI run 23).
    Forty of each, each opened twice at once, must all open."""
    for attempt in range(40):
        _file_from_before_actors(tmp_path / f"old-{attempt}.db")
        for name in (f"old-{attempt}.db", f"new-{attempt}.db"):
            for stores in _open_twice_at_once(tmp_path / name):
                stores.close()


def test_a_sqlite_file_from_before_actors_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    _file_from_before_actors(path)
    # two processes opening it at once: one adds the column, the other finds it
    opened = _open_twice_at_once(path)
    try:
        [before] = opened[0].messages.after(None, 0, 10)
        assert (before.options, before.actor) == ({"title": "old"}, None)
        new = opened[1].messages.append({"title": "new"}, ("*",), "python", "notify", "bob")
        assert opened[0].messages.get([new.id])[new.id].actor == "bob"
    finally:
        for stores in opened:
            stores.close()


def test_a_redis_entry_from_before_actors_has_none():
    from dash_notify.hub.stores.redis.messages import entry_message

    fields = {"created": "1.5", "options": '{"title": "old"}', "targets": '["*"]'}
    assert entry_message("7-0", {**fields, "publisher": "python"}).actor is None


# -- refusals -----------------------------------------------------------------------
def test_a_full_sqlite_file_refuses_with_store_unavailable_and_stores_nothing(tmp_path):
    from dash_notify.hub import Hub, StoreUnavailableError

    hub = Hub(None, f"sqlite:///{tmp_path / 'full.db'}")
    first = hub.publish({"title": "fits"}, to="*")
    with hub.stores.messages.db.connection() as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    # every connection of the pool: the file may not grow past its pages now
    conns = hub.stores.messages.db._all
    for db in conns:
        db.execute(f"PRAGMA max_page_count = {pages}")
    big = {"title": "too big", "body": "x" * 1000, "data": {"pad": "y" * 6000}}
    with pytest.raises(StoreUnavailableError, match="full"):
        for _ in range(20):
            hub.publish(big, to="*")
    for db in conns:
        db.execute("PRAGMA max_page_count = 1073741823")
    titles = [m.options["title"] for m in hub.stores.messages.after(None, 0, 100)]
    assert titles[0] == "fits" and first == 1
    assert hub.publish({"title": "next"}, to="*") > first  # works again
    hub.stop()


def test_redis_write_refusals_are_store_unavailable(redis_server, redis_url):
    import redis

    from dash_notify.hub import Hub, StoreUnavailableError
    from dash_notify.hub.stores.redis import durability

    hub = Hub(None, redis_url)
    admin = redis.Redis.from_url(redis_server.url)
    try:
        admin.config_set("maxmemory", "1")
        with pytest.raises(StoreUnavailableError, match="OutOfMemory"):
            hub.publish({"title": "no room"}, to="*")
    finally:
        admin.config_set("maxmemory", "0")
    try:
        admin.replicaof("127.0.0.1", "1")  # a replica of nothing: read-only
        with pytest.raises(StoreUnavailableError, match="ReadOnly"):
            hub.publish({"title": "read only"}, to="*")
    finally:
        admin.replicaof("NO", "ONE")
        admin.close()
    assert hub.publish({"title": "back"}, to="*") == 1
    assert hub.position().last == 1
    hub.stop()
    # what each persistence set-up promises, as the hub logs it at start
    assert "lost when Redis restarts" in durability({"appendonly": "no"})
    assert "about a second" in durability({"appendonly": "yes", "appendfsync": "everysec"})
    assert durability({"appendonly": "yes", "appendfsync": "always"}) is None


def test_mark_all_by_many_users_stays_one_mark_each(store_url):
    """Issue 9 #4: 20 users marking all read with 5,000 broadcasts stored wrote 100,000
    rows; now each is one mark, and marking one id afterwards writes one entry, not
    one per visible id. (How fast it is, is bench/ work, not a timed unit test.)"""
    from dash_notify.hub import Hub

    hub = Hub(None, store_url)
    messages = hub.stores.messages
    with concurrent.futures.ThreadPoolExecutor(16) as pool:  # concurrent: shared commits
        batch = sorted(
            pool.map(lambda i: messages.append({"title": str(i)}, ("*",), "python", "notify"),
                     range(5000)),
            key=lambda m: m.id,
        )  # fmt: skip
    users = [hub.identity(f"visitor{n}") for n in range(20)]
    for user in users:
        marked = hub.mark_seen(user, None)
        assert marked.upto == batch[-1].id and marked.ids == ()
    assert _seen_entries(hub, store_url) <= 20 * 2
    before = _seen_entries(hub, store_url)
    fresh = messages.append({"title": "one more"}, ("*",), "python", "notify")
    assert hub.mark_seen(users[0], [fresh.id]).ids == (fresh.id,)
    assert _seen_entries(hub, store_url) <= before + 1
    [(newest, seen_at)] = hub.history(users[1], 1)
    assert newest.id == fresh.id and seen_at is None
    assert all(at is not None for _, at in hub.history(users[1], 100, before=fresh.id))
    hub.stop()


def _seen_entries(hub, store_url: str) -> int:
    """How many seen marks the store holds (rows, or hash fields)."""
    if store_url.startswith("sqlite:///"):
        rows = hub.stores.messages.db.read(
            "SELECT (SELECT count(*) FROM seen) + (SELECT count(*) FROM seen_upto)"
        )
        return rows[0][0]
    client, conn = hub.stores.seen.redis, hub.stores.seen.conn
    return sum(
        client.hlen(key)
        for key in client.scan_iter(conn.key("seen*"))
        if client.type(key) == "hash"
    )
