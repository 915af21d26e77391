"""SQLite: each user's preferences, one JSON document per user."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from .db import CHUNK, Database, placeholders

SCHEMA = """
CREATE TABLE IF NOT EXISTS preferences (
    user TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    updated REAL NOT NULL
);
"""


class SQLitePreferences:
    """Preferences in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def get(self, user: str) -> dict[str, Any] | None:
        rows = self.db.read("SELECT document FROM preferences WHERE user = ?", (user,))
        return json.loads(rows[0][0]) if rows else None

    def get_many(self, users: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(users))
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            marks = placeholders(len(chunk))
            rows = self.db.read(
                f"SELECT user, document FROM preferences WHERE user IN ({marks})", tuple(chunk)
            )
            found.update((user, json.loads(document)) for user, document in rows)
        return found

    def put(self, user: str, document: dict[str, Any]) -> None:
        with self.db.write() as db:
            db.execute(
                "INSERT INTO preferences (user, document, updated) VALUES (?,?,?) "
                "ON CONFLICT (user) DO UPDATE SET document = excluded.document, "
                "updated = excluded.updated",
                (user, json.dumps(document), time.time()),
            )
