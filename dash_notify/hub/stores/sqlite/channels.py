"""SQLite: each channel's cursor under a lease, and the delivery log.

The lease row says which process may send on a channel until when; the cursor (the
last message id queued) moves only in the same transaction that queues the
deliveries, and only while the lease is held, so a process that lost its lease (it
stalled, or was killed) cannot move it back or queue twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ...model import Delivery, DeliveryState
from .db import CHUNK, Database, placeholders

SCHEMA = """
CREATE TABLE IF NOT EXISTS channel_leases (
    channel TEXT PRIMARY KEY,
    owner TEXT,
    expires REAL NOT NULL DEFAULT 0,
    cursor INTEGER
);
CREATE TABLE IF NOT EXISTS deliveries (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    message_id INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    updated REAL NOT NULL,
    due REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (channel, state, due);
CREATE INDEX IF NOT EXISTS deliveries_message ON deliveries (message_id);
"""


def _row_delivery(row) -> Delivery:
    return Delivery(
        channel=row["channel"],
        message_id=row["message_id"],
        recipient=row["recipient"],
        key=row["key"],
        state=row["state"],
        attempts=row["attempts"],
        error=row["error"],
        updated=row["updated"],
        due=row["due"],
    )


class SQLiteChannels:
    """Channel cursors, leases and deliveries in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def acquire(self, channel: str, owner: str, ttl: float, now: float) -> bool:
        with self.db.write() as db:
            db.execute(
                """INSERT INTO channel_leases (channel, owner, expires) VALUES (?,?,?)
                ON CONFLICT (channel) DO UPDATE SET owner = excluded.owner,
                    expires = excluded.expires
                WHERE channel_leases.owner = excluded.owner OR channel_leases.expires < ?""",
                (channel, owner, now + ttl, now),
            )
            row = db.execute(
                "SELECT owner FROM channel_leases WHERE channel = ?", (channel,)
            ).fetchone()
        return row is not None and row[0] == owner

    def release(self, channel: str, owner: str) -> None:
        with self.db.write() as db:
            db.execute(
                "UPDATE channel_leases SET expires = 0 WHERE channel = ? AND owner = ?",
                (channel, owner),
            )

    def cursor(self, channel: str) -> int | None:
        rows = self.db.read("SELECT cursor FROM channel_leases WHERE channel = ?", (channel,))
        return rows[0][0] if rows else None

    def enqueue(
        self, channel: str, owner: str, deliveries: Sequence[Delivery], cursor: int
    ) -> bool:
        with self.db.write() as db:
            held = db.execute(
                "SELECT 1 FROM channel_leases WHERE channel = ? AND owner = ? AND expires > ?",
                (channel, owner, time.time()),
            ).fetchone()
            if held is None:
                return False
            db.executemany(
                """INSERT OR IGNORE INTO deliveries
                (key, channel, message_id, recipient, state, attempts, error, updated, due)
                VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    (
                        d.key,
                        d.channel,
                        d.message_id,
                        d.recipient,
                        d.state,
                        d.attempts,
                        d.error,
                        d.updated,
                        d.due,
                    )
                    for d in deliveries
                ],
            )
            db.execute("UPDATE channel_leases SET cursor = ? WHERE channel = ?", (cursor, channel))
        return True

    def due(self, channel: str, now: float, limit: int) -> list[Delivery]:
        rows = self.db.read(
            """SELECT * FROM deliveries WHERE channel = ? AND state = 'queued' AND due <= ?
            ORDER BY due, message_id LIMIT ?""",
            (channel, now, limit),
        )
        return [_row_delivery(row) for row in rows]

    def next_due(self, channel: str) -> float | None:
        rows = self.db.read(
            "SELECT min(due) FROM deliveries WHERE channel = ? AND state = 'queued'", (channel,)
        )
        return rows[0][0]

    def record(
        self,
        delivery: Delivery,
        state: DeliveryState,
        *,
        error: str | None,
        due: float,
        now: float,
    ) -> None:
        self.record_many([(delivery, state, error, due)], now)

    def record_many(
        self,
        records: Sequence[tuple[Delivery, DeliveryState, str | None, float]],
        now: float,
    ) -> None:
        if not records:
            return
        with self.db.write() as db:
            db.executemany(
                """UPDATE deliveries SET state = ?, attempts = attempts + 1, error = ?,
                updated = ?, due = ? WHERE key = ? AND state = 'queued'""",
                [(state, error, now, due, d.key) for d, state, error, due in records],
            )

    def postpone(self, delivery: Delivery, due: float, now: float) -> None:
        with self.db.write() as db:
            db.execute(
                "UPDATE deliveries SET due = ?, updated = ? WHERE key = ? AND state = 'queued'",
                (due, now, delivery.key),
            )

    def note(self, deliveries: Sequence[Delivery]) -> None:
        with self.db.write() as db:
            db.executemany(
                """INSERT OR IGNORE INTO deliveries
                (key, channel, message_id, recipient, state, attempts, error, updated, due)
                VALUES (?,?,?,?,?,?,?,?,?)""",
                [
                    (d.key, d.channel, d.message_id, d.recipient, d.state, d.attempts,
                     d.error, d.updated, d.due)
                    for d in deliveries
                ],
            )  # fmt: skip

    def deliveries(
        self,
        *,
        channel: str | None = None,
        message_id: int | None = None,
        recipient: str | None = None,
        state: DeliveryState | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        where, params = [], []
        for column, value in (
            ("channel", channel),
            ("message_id", message_id),
            ("recipient", recipient),
            ("state", state),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.db.read(
            f"SELECT * FROM deliveries {clause} ORDER BY message_id DESC, key LIMIT ?",
            (*params, limit),
        )
        return [_row_delivery(row) for row in rows]

    def forget(self, message_ids: Sequence[int]) -> None:
        ids = list(message_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start : start + CHUNK])
            with self.db.write() as db:
                db.execute(
                    f"DELETE FROM deliveries WHERE message_id IN ({placeholders(len(chunk))})",
                    chunk,
                )
