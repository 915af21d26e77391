"""Redis: publishing tokens, kept as the SHA-256 of their secrets."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence

from ...model import Token
from ..secrets import new_secret, secret_hash
from .connection import RedisConnection, guarded


class RedisTokens:
    """Tokens in two hashes: id -> record, and secret hash -> id."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client

    @guarded
    def add(
        self, name: str, targets: Sequence[str], allow: Sequence[str] = ()
    ) -> tuple[Token, str]:
        secret = new_secret()
        token = Token(secrets.token_hex(6), name, tuple(targets), time.time(), None, tuple(allow))
        record = {
            "name": name,
            "targets": list(targets),
            "created": token.created,
            "allow": list(allow),
        }
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.conn.key("tokens"), token.id, json.dumps(record))
        pipe.hset(self.conn.key("token-hashes"), secret_hash(secret), token.id)
        pipe.execute()
        return token, secret

    @staticmethod
    def _token(token_id: str, raw: str) -> Token:
        record = json.loads(raw)
        return Token(
            token_id,
            record["name"],
            tuple(record["targets"]),
            record["created"],
            record.get("revoked"),
            tuple(record.get("allow", ())),
        )

    @guarded
    def all(self) -> list[Token]:
        found = [
            self._token(i, raw) for i, raw in self.redis.hgetall(self.conn.key("tokens")).items()
        ]
        return sorted(found, key=lambda token: token.created)

    @guarded
    def revoke(self, token_id: str) -> bool:
        raw = self.redis.hget(self.conn.key("tokens"), token_id)
        if raw is None:
            return False
        record = json.loads(raw)
        record.setdefault("revoked", time.time())
        self.redis.hset(self.conn.key("tokens"), token_id, json.dumps(record))
        return True

    @guarded
    def find(self, secret: str) -> Token | None:
        token_id = self.redis.hget(self.conn.key("token-hashes"), secret_hash(secret))
        raw = self.redis.hget(self.conn.key("tokens"), token_id) if token_id else None
        if raw is None:
            return None
        token = self._token(token_id, raw)
        return None if token.revoked else token
