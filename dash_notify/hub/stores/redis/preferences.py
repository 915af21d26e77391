"""Redis: each user's preferences, one JSON document per user (a string key)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .connection import RedisConnection, guarded

# Keys per MGET of get_many.
CHUNK = 500


class RedisPreferences:
    """Preferences on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client

    @guarded
    def get(self, user: str) -> dict[str, Any] | None:
        raw = self.redis.get(self.conn.key("preferences", user))
        return json.loads(raw) if raw is not None else None

    @guarded
    def get_many(self, users: Sequence[str]) -> dict[str, dict[str, Any]]:
        unique = list(dict.fromkeys(users))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            raws = self.redis.mget([self.conn.key("preferences", user) for user in chunk])
            found.update(
                (user, json.loads(raw)) for user, raw in zip(chunk, raws) if raw is not None
            )
        return found

    @guarded
    def put(self, user: str, document: dict[str, Any]) -> None:
        self.redis.set(self.conn.key("preferences", user), json.dumps(document))
