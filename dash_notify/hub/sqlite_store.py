"""The embedded store: one SQLite file in WAL mode, shared by every process that opens it.

Writes are serialised by SQLite, so notification ids are committed in increasing order;
other processes see new rows by polling (``poll_interval``), this process is woken at
once. ``synchronous=FULL``: a publish that returned survives a crash of the machine.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .store import Changes, Message, Seen, Token, new_secret, secret_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    options TEXT NOT NULL,
    targets TEXT NOT NULL,
    publisher TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_created ON messages (created);
CREATE TABLE IF NOT EXISTS recipients (
    target TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (target, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recipients_message ON recipients (message_id);
CREATE TABLE IF NOT EXISTS seen (
    user TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    seen_at REAL NOT NULL,
    PRIMARY KEY (user, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_message ON seen (message_id);
CREATE TABLE IF NOT EXISTS seen_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    ids TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    targets TEXT NOT NULL,
    created REAL NOT NULL,
    revoked REAL
);
CREATE TABLE IF NOT EXISTS rate (
    key TEXT NOT NULL,
    window INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window)
) WITHOUT ROWID;
"""

# SQLite allows 32766 parameters; lists of ids are sent in chunks below that.
_CHUNK = 500
# Seen marks are kept this long for other processes to pick up, then dropped.
_SEEN_LOG_SECONDS = 3600


def _row_message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        options=json.loads(row["options"]),
        targets=tuple(json.loads(row["targets"])),
        created=row["created"],
        publisher=row["publisher"],
    )


def _row_token(row: sqlite3.Row) -> Token:
    return Token(
        id=row["id"],
        name=row["name"],
        targets=tuple(json.loads(row["targets"])),
        created=row["created"],
        revoked=row["revoked"],
    )


def _placeholders(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


class SQLiteStore:
    """A :class:`~dash_notify.hub.store.Store` in one SQLite file (WAL)."""

    def __init__(self, path: str, *, poll_interval: float = 0.05):
        self.path = path
        self.poll_interval = poll_interval
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._wake = threading.Condition()
        self._connect().executescript(SCHEMA)

    # -- connections -------------------------------------------------------------
    def _connect(self, durable: bool = True) -> sqlite3.Connection:
        """This thread's connection. Rate-limit counters use a second one that does not
        wait for the disk (``synchronous=OFF``): losing a count in a crash is harmless,
        and it spares every publish a second flush."""
        name = "db" if durable else "counters"
        db = getattr(self._local, name, None)
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA synchronous={'FULL' if durable else 'OFF'}")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA busy_timeout=30000")
            setattr(self._local, name, db)
            with self._lock:
                self._connections.append(db)
        return db

    @contextmanager
    def _write(self, durable: bool = True) -> Iterator[sqlite3.Connection]:
        db = self._connect(durable)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if durable:  # notifications or seen marks: wake this process's dispatcher
            with self._wake:
                self._wake.notify_all()

    # -- notifications -----------------------------------------------------------
    def publish(
        self, options: dict[str, Any], targets: Sequence[str], publisher: str = ""
    ) -> Message:
        created = time.time()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO messages (created, options, targets, publisher) VALUES (?,?,?,?)",
                (created, json.dumps(options), json.dumps(list(targets)), publisher),
            )
            message_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO recipients (target, message_id) VALUES (?,?)",
                [(target, message_id) for target in targets],
            )
        return Message(message_id, options, tuple(targets), created, publisher)

    def last_id(self) -> int:
        row = self._connect().execute("SELECT max(id) FROM messages").fetchone()
        return row[0] or 0

    def cursor(self) -> tuple[int, int]:
        db = self._connect()
        seen = db.execute("SELECT max(id) FROM seen_log").fetchone()[0] or 0
        return (self.last_id(), seen)

    def changes(self, cursor: tuple[int, int], timeout: float) -> Changes:
        deadline = time.monotonic() + timeout
        db = self._connect()
        last_message, last_seen = cursor
        while True:
            rows = db.execute(
                "SELECT * FROM messages WHERE id > ? ORDER BY id LIMIT 1000", (last_message,)
            ).fetchall()
            seen_rows = db.execute(
                "SELECT * FROM seen_log WHERE id > ? ORDER BY id LIMIT 1000", (last_seen,)
            ).fetchall()
            if rows or seen_rows:
                messages = [_row_message(row) for row in rows]
                seen = [
                    Seen(row["user"], tuple(json.loads(row["ids"])), row["at"]) for row in seen_rows
                ]
                return Changes(
                    messages,
                    seen,
                    (
                        messages[-1].id if messages else last_message,
                        seen_rows[-1]["id"] if seen_rows else last_seen,
                    ),
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Changes(cursor=cursor)
            # Woken at once by a write in this process; other processes are polled.
            with self._wake:
                self._wake.wait(min(self.poll_interval, remaining))

    def visible_after(self, targets: Iterable[str], after: int, limit: int) -> list[Message]:
        targets = list(targets)
        rows = (
            self._connect()
            .execute(
                f"""SELECT * FROM messages WHERE id > ? AND id IN (
                    SELECT message_id FROM recipients WHERE target IN ({_placeholders(targets)}))
                ORDER BY id LIMIT ?""",
                (after, *targets, limit),
            )
            .fetchall()
        )
        return [_row_message(row) for row in rows]

    def history(
        self, targets: Iterable[str], user: str, limit: int, before: int | None = None
    ) -> list[tuple[Message, float | None]]:
        targets = list(targets)
        rows = (
            self._connect()
            .execute(
                f"""SELECT m.*, s.seen_at FROM messages m
                LEFT JOIN seen s ON s.message_id = m.id AND s.user = ?
                WHERE m.id < ? AND m.id IN (
                    SELECT message_id FROM recipients WHERE target IN ({_placeholders(targets)}))
                ORDER BY m.id DESC LIMIT ?""",
                (user, before if before is not None else 2**62, *targets, limit),
            )
            .fetchall()
        )
        return [(_row_message(row), row["seen_at"]) for row in rows]

    def mark_seen(
        self, targets: Iterable[str], user: str, ids: Iterable[int] | None
    ) -> tuple[int, ...]:
        targets = list(targets)
        now = time.time()
        visible = f"""SELECT message_id FROM recipients WHERE target IN ({_placeholders(targets)})
            AND message_id NOT IN (SELECT message_id FROM seen WHERE user = ?)"""
        with self._write() as db:
            if ids is None:
                fresh = [row[0] for row in db.execute(visible, (*targets, user))]
            else:
                wanted = sorted({int(i) for i in ids})
                fresh = []
                for start in range(0, len(wanted), _CHUNK):
                    chunk = wanted[start : start + _CHUNK]
                    fresh += [
                        row[0]
                        for row in db.execute(
                            f"{visible} AND message_id IN ({_placeholders(chunk)})",
                            (*targets, user, *chunk),
                        )
                    ]
            fresh = sorted(set(fresh))
            if fresh:
                db.executemany(
                    "INSERT OR IGNORE INTO seen (user, message_id, seen_at) VALUES (?,?,?)",
                    [(user, message_id, now) for message_id in fresh],
                )
                db.execute(
                    "INSERT INTO seen_log (user, ids, at) VALUES (?,?,?)",
                    (user, json.dumps(fresh), now),
                )
            db.execute("DELETE FROM seen_log WHERE at < ?", (now - _SEEN_LOG_SECONDS,))
        return tuple(fresh)

    def purge(self, before: float, keep_unseen: bool) -> int:
        # keep_unseen keeps a notification addressed to named users until each of them
        # has seen it; "everyone" and groups have no closed list of recipients.
        keep = (
            """AND NOT EXISTS (
                SELECT 1 FROM recipients r WHERE r.message_id = messages.id
                AND r.target LIKE 'user:%' AND NOT EXISTS (
                    SELECT 1 FROM seen s WHERE s.message_id = r.message_id
                    AND 'user:' || s.user = r.target))"""
            if keep_unseen
            else ""
        )
        with self._write() as db:
            cursor = db.execute(f"DELETE FROM messages WHERE created < ? {keep}", (before,))
            db.execute("DELETE FROM rate WHERE window < ?", (int(before),))
        return cursor.rowcount

    # -- tokens and rate limits --------------------------------------------------
    def add_token(self, name: str, targets: Sequence[str]) -> tuple[Token, str]:
        secret = new_secret()
        token = Token(secrets.token_hex(6), name, tuple(targets), time.time())
        with self._write() as db:
            db.execute(
                "INSERT INTO tokens (id, name, hash, targets, created) VALUES (?,?,?,?,?)",
                (token.id, name, secret_hash(secret), json.dumps(list(targets)), token.created),
            )
        return token, secret

    def tokens(self) -> list[Token]:
        rows = self._connect().execute("SELECT * FROM tokens ORDER BY created").fetchall()
        return [_row_token(row) for row in rows]

    def revoke_token(self, token_id: str) -> bool:
        with self._write() as db:
            cursor = db.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (time.time(), token_id),
            )
            exists = db.execute("SELECT 1 FROM tokens WHERE id = ?", (token_id,)).fetchone()
        return cursor.rowcount > 0 or exists is not None

    def token_for(self, secret: str) -> Token | None:
        row = (
            self._connect()
            .execute(
                "SELECT * FROM tokens WHERE hash = ? AND revoked IS NULL", (secret_hash(secret),)
            )
            .fetchone()
        )
        return _row_token(row) if row else None

    def hit(self, key: str, window: int, now: float) -> int:
        start = int(now // window) * window
        with self._write(durable=False) as db:
            row = db.execute(
                """INSERT INTO rate (key, window, count) VALUES (?,?,1)
                ON CONFLICT (key, window) DO UPDATE SET count = count + 1 RETURNING count""",
                (key, start),
            ).fetchone()
        return row[0]

    def close(self) -> None:
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()
