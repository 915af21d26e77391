"""SQLite: rate limits as sliding windows, in a file of their own.

Counts live beside the hub's file (``<file>-limits``) with ``synchronous=OFF``: losing
a count in a crash is harmless, and keeping them out of the notifications' file means a
counter update never waits for a publish's write lock, nor touches its durability.

The window slides: the count of the previous fixed window is weighted by how much of
it still overlaps the last ``per`` seconds, so no burst at a window's edge gets twice
the limit through.
"""

from __future__ import annotations

import itertools
import math

from ..window import retry_after
from .db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate (
    key TEXT NOT NULL,
    window REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window)
) WITHOUT ROWID;
"""


# Counted and checked in one statement: the write lock is held only while SQLite runs
# it. A request that does not fit inserts nothing and returns no row.
_TAKE = """
INSERT INTO rate (key, window, count)
SELECT :key, :window, 1
WHERE coalesce((SELECT count FROM rate WHERE key = :key AND window = :previous), 0) * :weight
    + coalesce((SELECT count FROM rate WHERE key = :key AND window = :window), 0) + 1 <= :limit
ON CONFLICT (key, window) DO UPDATE SET count = count + 1
RETURNING count
"""


class SQLiteLimits:
    """Sliding-window counters shared by every process that opens the file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)
        self._takes = itertools.count(1)

    def take(self, key: str, limit: int, per: float, now: float) -> float | None:
        window = int(now // per) * per  # the current window's start
        elapsed = now - window
        if next(self._takes) % 1000 == 0:  # windows over a day old are of no use
            self.db.write_one("DELETE FROM rate WHERE window < ?", (now - 86400 - per,))
        taken = self.db.write_one(
            _TAKE,
            {
                "key": key,
                "window": window,
                "previous": window - per,
                "weight": 1 - elapsed / per,
                "limit": limit,
            },
        )
        if taken:
            return None
        rows = dict(
            self.db.read(
                "SELECT window, count FROM rate WHERE key = ? AND window IN (?, ?)",
                (key, window - per, window),
            )
        )
        previous, current = rows.get(window - per, 0), rows.get(window, 0)
        return math.ceil(retry_after(previous, current, elapsed, per, limit) * 10) / 10
