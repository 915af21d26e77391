"""SQLite: rate limits as sliding windows, in a file of their own.

Counts live beside the hub's file (``<file>-limits``) with ``synchronous=OFF``: losing
a count in a crash is harmless, and keeping them out of the notifications' file means a
counter update never waits for a publish's write lock, nor touches its durability.

The window slides: the count of the previous fixed window is weighted by how much of
it still overlaps the last ``per`` seconds, so no burst at a window's edge gets twice
the limit through.
"""

from __future__ import annotations

import math

from ..window import retry_after, sliding
from .db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate (
    key TEXT NOT NULL,
    window REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window)
) WITHOUT ROWID;
"""


class SQLiteLimits:
    """Sliding-window counters shared by every process that opens the file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)
        self._takes = 0

    def take(self, key: str, limit: int, per: float, now: float) -> float | None:
        window = int(now // per) * per  # the current window's start
        elapsed = now - window
        with self.db.write() as db:
            rows = dict(
                db.execute(
                    "SELECT window, count FROM rate WHERE key = ? AND window IN (?, ?)",
                    (key, window - per, window),
                ).fetchall()
            )
            previous, current = rows.get(window - per, 0), rows.get(window, 0)
            if sliding(previous, current, elapsed, per) + 1 > limit:
                return math.ceil(retry_after(previous, current, elapsed, per, limit) * 10) / 10
            db.execute(
                "INSERT INTO rate (key, window, count) VALUES (?,?,1) ON CONFLICT (key, window)"
                " DO UPDATE SET count = count + 1",
                (key, window),
            )
            self._takes += 1
            if self._takes % 1000 == 0:  # windows over a day old are of no use
                db.execute("DELETE FROM rate WHERE window < ?", (now - 86400 - per,))
        return None
