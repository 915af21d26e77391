"""Redis: each user's preferences, one JSON document per user (a string key)."""

from __future__ import annotations

import json
from typing import Any

from .connection import RedisConnection, guarded


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
    def put(self, user: str, document: dict[str, Any]) -> None:
        self.redis.set(self.conn.key("preferences", user), json.dumps(document))
