"""SQLite: when each user saw which messages.

Explicit marks are rows (removed with their message); "everything up to id N" is one
row per user, so marking all read is one write however many messages a user has, and
explicit rows below it are dropped. Each mark is also written to the feed's seen log,
which tells every process (and so every open stream of that user).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from ...model import Seen
from .db import CHUNK, Database, placeholders

SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    user TEXT NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    seen_at REAL NOT NULL,
    PRIMARY KEY (user, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_message ON seen (message_id);
CREATE TABLE IF NOT EXISTS seen_upto (
    user TEXT PRIMARY KEY,
    upto INTEGER NOT NULL,
    at REAL NOT NULL
);
"""


class SQLiteSeen:
    """Seen state in the same file as the messages (rows go with their message)."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def mark(self, user: str, ids: Sequence[int], upto: int = 0) -> Seen | None:
        now = time.time()
        with self.db.write() as db:
            row = db.execute("SELECT upto FROM seen_upto WHERE user = ?", (user,)).fetchone()
            current = row[0] if row else 0
            fresh: list[int] = []
            wanted = sorted({int(i) for i in ids if int(i) > max(current, upto)})
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                known = {
                    r[0]
                    for r in db.execute(
                        f"SELECT message_id FROM seen WHERE user = ? "
                        f"AND message_id IN ({placeholders(len(chunk))})",
                        (user, *chunk),
                    )
                }
                fresh += [i for i in chunk if i not in known]
            db.executemany(
                "INSERT OR IGNORE INTO seen (user, message_id, seen_at) VALUES (?,?,?)",
                [(user, i, now) for i in fresh],
            )
            raised = upto if upto > current else 0
            if raised:
                db.execute(
                    "INSERT INTO seen_upto (user, upto, at) VALUES (?,?,?) ON CONFLICT (user)"
                    " DO UPDATE SET upto = excluded.upto, at = excluded.at",
                    (user, raised, now),
                )
                db.execute("DELETE FROM seen WHERE user = ? AND message_id <= ?", (user, raised))
            if not fresh and not raised:
                return None
            db.execute(
                "INSERT INTO seen_log (user, ids, upto, at) VALUES (?,?,?,?)",
                (user, json.dumps(fresh), raised, now),
            )
        return Seen(user, tuple(fresh), now, raised)

    def seen_at(self, user: str, ids: Sequence[int]) -> dict[int, float]:
        wanted = sorted({int(i) for i in ids})
        found: dict[int, float] = {}
        rows = self.db.read("SELECT upto, at FROM seen_upto WHERE user = ?", (user,))
        upto, upto_at = (rows[0][0], rows[0][1]) if rows else (0, 0.0)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for row in self.db.read(
                f"SELECT message_id, seen_at FROM seen WHERE user = ? "
                f"AND message_id IN ({placeholders(len(chunk))})",
                (user, *chunk),
            ):
                found[row[0]] = row[1]
        for i in wanted:
            if i <= upto and i not in found:
                found[i] = upto_at
        return found

    def forget(self, ids: Sequence[int]) -> None:
        """Nothing to do: rows go with their message (ON DELETE CASCADE)."""
