"""SQLite: the notifications, their recipients, the log's epoch, and the change feed.

Concurrent publishes are committed together: the first caller to find no commit under
way commits everything queued meanwhile in one transaction (one fsync for all of them)
and wakes the others, so throughput grows with concurrency without relaxing
``synchronous=FULL``. Other processes' writes are found by polling every
``poll_interval`` seconds; this process's wake its readers at once.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...model import Changes, Message, MessageKind, Position, Seen
from .db import CHUNK, Database, placeholders, reset_after_fork

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower(hex(randomblob(8))));
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created REAL NOT NULL,
    options TEXT NOT NULL,
    targets TEXT NOT NULL,
    publisher TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'notify',
    actor TEXT
);
CREATE INDEX IF NOT EXISTS messages_created ON messages (created);
CREATE TABLE IF NOT EXISTS recipients (
    target TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (target, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS recipients_message ON recipients (message_id);
CREATE TABLE IF NOT EXISTS seen_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL,
    ids TEXT NOT NULL,
    upto INTEGER NOT NULL DEFAULT 0,
    at REAL NOT NULL
);
"""


def add_actor_column(db: Database) -> None:
    """A file made before messages had an actor gets the column (once, whichever of
    several processes opening it at the same time comes first; older messages have
    none)."""
    if any(row["name"] == "actor" for row in db.read("PRAGMA table_info(messages)")):
        return
    with db.write() as conn:
        columns = {row["name"] for row in conn.execute("PRAGMA table_info(messages)")}
        if "actor" not in columns:
            conn.execute("ALTER TABLE messages ADD COLUMN actor TEXT")


def row_message(row) -> Message:
    """A Message from a ``messages`` row."""
    return Message(
        id=row["id"],
        options=json.loads(row["options"]),
        targets=tuple(json.loads(row["targets"])),
        created=row["created"],
        publisher=row["publisher"],
        kind=row["kind"],
        actor=row["actor"],
    )


@dataclass
class _Pending:
    options: str
    targets: tuple[str, ...]
    publisher: str
    kind: str
    actor: str | None = None
    created: float = 0.0
    id: int = 0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


class SQLiteMessages:
    """The message log and change feed in one SQLite file."""

    def __init__(self, db: Database, wake: threading.Condition, poll_interval: float = 0.05):
        self.db = db
        self.wake = wake
        self.poll_interval = poll_interval
        self._interrupted = False
        self._new_queue()
        reset_after_fork(self, SQLiteMessages._new_queue)
        db.script(SCHEMA)
        add_actor_column(db)

    def _new_queue(self) -> None:
        """No publish waiting or being committed (at start, and in a forked child: a
        commit under way in the parent at the fork is not the child's to wait for)."""
        self._queue: list[_Pending] = []
        self._queue_lock = threading.Lock()
        self._committing = False

    # -- writing -----------------------------------------------------------------
    def append(
        self,
        options: dict[str, Any],
        targets: Sequence[str],
        publisher: str,
        kind: MessageKind,
        actor: str | None = None,
    ) -> Message:
        pending = _Pending(json.dumps(options), tuple(targets), publisher, kind, actor)
        with self._queue_lock:
            self._queue.append(pending)
            lead = not self._committing
            self._committing = True
        if lead:
            self._commit_queued()
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return Message(
            pending.id, options, pending.targets, pending.created, publisher, kind, actor
        )

    def _commit_queued(self) -> None:
        while True:
            with self._queue_lock:
                batch, self._queue = self._queue, []
                if not batch:
                    self._committing = False
                    return
            try:
                with self.db.write() as db:
                    for item in batch:
                        item.created = time.time()
                        item.id = db.execute(
                            "INSERT INTO messages (created, options, targets, publisher, kind,"
                            " actor) VALUES (?,?,?,?,?,?)",
                            (
                                item.created,
                                item.options,
                                json.dumps(list(item.targets)),
                                item.publisher,
                                item.kind,
                                item.actor,
                            ),
                        ).lastrowid
                        db.executemany(
                            "INSERT INTO recipients (target, message_id) VALUES (?,?)",
                            [(target, item.id) for target in item.targets],
                        )
            except BaseException as error:  # every caller in the batch learns of it
                for item in batch:
                    item.error = error
            for item in batch:
                item.done.set()

    # -- the log -----------------------------------------------------------------
    def _epoch(self) -> str:
        return self.db.read("SELECT value FROM meta WHERE key = 'epoch'")[0][0]

    def position(self) -> Position:
        rows = self.db.read(
            "SELECT (SELECT value FROM meta WHERE key = 'epoch'), (SELECT max(id) FROM messages)"
        )
        return Position(rows[0][0], rows[0][1] or 0)

    def feed_cursor(self) -> tuple[str, int, int]:
        row = self.db.read(
            """SELECT (SELECT value FROM meta WHERE key = 'epoch'),
                (SELECT max(id) FROM messages), (SELECT max(id) FROM seen_log)"""
        )[0]
        return (row[0], row[1] or 0, row[2] or 0)

    def changes(self, cursor: tuple[str, int, int], timeout: float) -> Changes:
        deadline = time.monotonic() + timeout
        epoch, last_message, last_seen = cursor
        while True:
            now = self.feed_cursor()
            if now[0] != epoch or now[1] < last_message or now[2] < last_seen:
                # Another file under the same path, or one restored from a backup.
                return Changes(cursor=now, reset=Position(now[0], now[1]))
            if now[1] > last_message or now[2] > last_seen:
                rows = self.db.read(
                    "SELECT * FROM messages WHERE id > ? ORDER BY id LIMIT 1000", (last_message,)
                )
                seen_rows = self.db.read(
                    "SELECT * FROM seen_log WHERE id > ? ORDER BY id LIMIT 1000", (last_seen,)
                )
                messages = [row_message(row) for row in rows]
                seen = [
                    Seen(row["user"], tuple(json.loads(row["ids"])), row["at"], row["upto"])
                    for row in seen_rows
                ]
                return Changes(
                    messages,
                    seen,
                    (
                        epoch,
                        messages[-1].id if messages else last_message,
                        seen_rows[-1]["id"] if seen_rows else last_seen,
                    ),
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._interrupted:
                return Changes(cursor=cursor)
            with self.wake:  # woken at once by a write in this process, or interrupt()
                if not self._interrupted:
                    self.wake.wait(min(self.poll_interval, remaining))

    def interrupt(self) -> None:
        with self.wake:
            self._interrupted = True
            self.wake.notify_all()

    def after(self, targets: Iterable[str] | None, after: int, limit: int) -> list[Message]:
        if targets is None:
            rows = self.db.read(
                "SELECT * FROM messages WHERE id > ? ORDER BY id LIMIT ?", (after, limit)
            )
        else:
            targets = list(targets)
            marks = placeholders(len(targets))
            rows = self.db.read(
                f"""SELECT * FROM messages WHERE id > ? AND id IN (
                    SELECT message_id FROM recipients WHERE target IN ({marks}))
                ORDER BY id LIMIT ?""",
                (after, *targets, limit),
            )
        return [row_message(row) for row in rows]

    def newest(self, targets: Iterable[str], limit: int, before: int | None) -> list[Message]:
        targets = list(targets)
        rows = self.db.read(
            f"""SELECT * FROM messages WHERE id < ? AND id IN (
                SELECT message_id FROM recipients WHERE target IN ({placeholders(len(targets))}))
            ORDER BY id DESC LIMIT ?""",
            (before if before is not None else 2**62, *targets, limit),
        )
        return [row_message(row) for row in rows]

    def get(self, ids: Sequence[int]) -> dict[int, Message]:
        wanted = sorted({int(i) for i in ids})
        found: dict[int, Message] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for row in self.db.read(
                f"SELECT * FROM messages WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
            ):
                found[row["id"]] = row_message(row)
        return found

    def visible(self, targets: Iterable[str], ids: Iterable[int]) -> list[int]:
        targets = list(targets)
        wanted = sorted({int(i) for i in ids})
        found: set[int] = set()
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            found.update(
                row[0]
                for row in self.db.read(
                    f"""SELECT DISTINCT message_id FROM recipients
                    WHERE message_id IN ({placeholders(len(chunk))})
                    AND target IN ({placeholders(len(targets))})""",
                    (*chunk, *targets),
                )
            )
        return sorted(found)

    def old(self, before: float, after: int, limit: int) -> list[tuple[int, tuple[str, ...]]]:
        rows = self.db.read(
            "SELECT id, targets FROM messages WHERE created < ? AND id > ? ORDER BY id LIMIT ?",
            (before, after, limit),
        )
        return [(row["id"], tuple(json.loads(row["targets"]))) for row in rows]

    def remove(self, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start : start + CHUNK])
            with self.db.write() as db:
                db.execute(f"DELETE FROM messages WHERE id IN ({placeholders(len(chunk))})", chunk)
        with self.db.write() as db:
            db.execute("DELETE FROM seen_log WHERE at < ?", (time.time() - 3600,))

    def new_epoch(self) -> None:
        """Start a new epoch (tests and restores: followers start over)."""
        with self.db.write() as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", (secrets.token_hex(8),))

    def close(self) -> None:
        self.db.close()
