"""The shared store: a Redis server, for several processes and hosts.

Notifications are a stream (``<prefix>:messages``) whose entry ids are ``<id>-0``
(``<id>`` from a counter, both written by one script, so ids increase with the
stream); one sorted set per target indexes them; per-user hashes hold seen times; a
capped stream carries seen marks to every process. Every process follows both streams
with ``XREAD BLOCK``. Durability is Redis's own: run it with ``appendonly yes``.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from .store import Changes, Message, Seen, StoreUnavailableError, Token, new_secret, secret_hash

_PUBLISH = """
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], id .. '-0', 'created', ARGV[1], 'options', ARGV[2],
    'targets', ARGV[3], 'publisher', ARGV[4])
for i = 5, #ARGV do
    redis.call('ZADD', ARGV[i], id, id)
end
return id
"""

_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
_SEEN_LOG_LENGTH = 10000


def _guard(function):
    """Turns Redis connection failures into StoreUnavailableError."""

    def guarded(self, *args, **kwargs):
        try:
            return function(self, *args, **kwargs)
        except _ERRORS as error:
            raise StoreUnavailableError(f"Redis at {self.where} is unavailable: {error}") from error

    guarded.__name__ = function.__name__
    guarded.__doc__ = function.__doc__
    return guarded


def _entry_message(entry_id: str, fields: dict[str, str]) -> Message:
    return Message(
        id=int(entry_id.split("-")[0]),
        options=json.loads(fields["options"]),
        targets=tuple(json.loads(fields["targets"])),
        created=float(fields["created"]),
        publisher=fields.get("publisher", ""),
    )


class RedisStore:
    """A :class:`~dash_notify.hub.store.Store` on a Redis server."""

    def __init__(self, client: redis.Redis, *, prefix: str = "dash_notify"):
        self.redis = client
        self.prefix = prefix
        kwargs = client.connection_pool.connection_kwargs
        self.where = kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"
        self._publish = client.register_script(_PUBLISH)

    @classmethod
    def from_url(cls, url: str) -> RedisStore:
        """A store from ``redis://host:port/db?prefix=name``."""
        base, _, query = url.partition("?")
        params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        prefix = params.pop("prefix", "dash_notify")
        rest = "&".join(f"{k}={v}" for k, v in params.items())
        client = redis.Redis.from_url(
            base + (f"?{rest}" if rest else ""),
            decode_responses=True,
            socket_connect_timeout=2,
            socket_timeout=10,
            health_check_interval=10,
        )
        return cls(client, prefix=prefix)

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # -- notifications -----------------------------------------------------------
    @_guard
    def publish(
        self, options: dict[str, Any], targets: Sequence[str], publisher: str = ""
    ) -> Message:
        created = time.time()
        message_id = self._publish(
            keys=[self._key("seq"), self._key("messages")],
            args=[
                repr(created),
                json.dumps(options),
                json.dumps(list(targets)),
                publisher,
                *(self._key("target", target) for target in targets),
            ],
        )
        return Message(int(message_id), options, tuple(targets), created, publisher)

    @_guard
    def last_id(self) -> int:
        return int(self.redis.get(self._key("seq")) or 0)

    @_guard
    def cursor(self) -> tuple[str, str]:
        info = self.redis.xrevrange(self._key("seen-log"), count=1)
        return (f"{self.last_id()}-0", info[0][0] if info else "0-0")

    @_guard
    def changes(self, cursor: tuple[str, str], timeout: float) -> Changes:
        messages_key, seen_key = self._key("messages"), self._key("seen-log")
        reply = self.redis.xread(
            {messages_key: cursor[0], seen_key: cursor[1]},
            count=1000,
            block=max(1, int(timeout * 1000)),
        )
        changes = Changes(cursor=cursor)
        message_cursor, seen_cursor = cursor
        for stream, entries in reply or []:
            if stream == messages_key:
                changes.messages = [_entry_message(i, f) for i, f in entries]
                message_cursor = entries[-1][0]
            else:
                changes.seen = [
                    Seen(f["user"], tuple(json.loads(f["ids"])), float(f["at"])) for _, f in entries
                ]
                seen_cursor = entries[-1][0]
        changes.cursor = (message_cursor, seen_cursor)
        return changes

    def _ids_for(self, targets: Iterable[str], low: str, high: str, limit: int, newest: bool):
        """Ids for any of the targets between low and high (score bounds), merged."""
        pipe = self.redis.pipeline(transaction=False)
        for target in targets:
            key = self._key("target", target)
            if newest:
                pipe.zrevrangebyscore(key, high, low, start=0, num=limit)
            else:
                pipe.zrangebyscore(key, low, high, start=0, num=limit)
        ids = sorted({int(i) for found in pipe.execute() for i in found}, reverse=newest)
        return ids[:limit]

    def _messages(self, ids: Sequence[int]) -> dict[int, Message]:
        pipe = self.redis.pipeline(transaction=False)
        for message_id in ids:
            pipe.xrange(self._key("messages"), f"{message_id}-0", f"{message_id}-0")
        found = {}
        for entries in pipe.execute():
            for entry_id, fields in entries:
                message = _entry_message(entry_id, fields)
                found[message.id] = message
        return found

    @_guard
    def visible_after(self, targets: Iterable[str], after: int, limit: int) -> list[Message]:
        ids = self._ids_for(targets, f"({after}", "+inf", limit, newest=False)
        found = self._messages(ids)
        return [found[i] for i in ids if i in found]

    @_guard
    def history(
        self, targets: Iterable[str], user: str, limit: int, before: int | None = None
    ) -> list[tuple[Message, float | None]]:
        high = f"({before}" if before is not None else "+inf"
        ids = self._ids_for(targets, "-inf", high, limit, newest=True)
        found = self._messages(ids)
        seen = self.redis.hmget(self._key("seen", user), ids) if ids else []
        return [
            (found[i], float(at) if at is not None else None)
            for i, at in zip(ids, seen)
            if i in found
        ]

    @_guard
    def mark_seen(
        self, targets: Iterable[str], user: str, ids: Iterable[int] | None
    ) -> tuple[int, ...]:
        targets = list(targets)
        visible = set(self._ids_for(targets, "-inf", "+inf", 2**31, newest=True))
        wanted = visible if ids is None else visible & {int(i) for i in ids}
        if not wanted:
            return ()
        seen_key = self._key("seen", user)
        order = sorted(wanted)
        already = self.redis.hmget(seen_key, order)
        fresh = [i for i, at in zip(order, already) if at is None]
        if fresh:
            now = time.time()
            pipe = self.redis.pipeline(transaction=True)
            pipe.hset(seen_key, mapping={str(i): repr(now) for i in fresh})
            pipe.xadd(
                self._key("seen-log"),
                {"user": user, "ids": json.dumps(fresh), "at": repr(now)},
                maxlen=_SEEN_LOG_LENGTH,
                approximate=True,
            )
            pipe.execute()
        return tuple(fresh)

    @_guard
    def purge(self, before: float, keep_unseen: bool) -> int:
        removed = 0
        start = "-"
        messages_key = self._key("messages")
        while True:
            entries = self.redis.xrange(messages_key, start, "+", count=500)
            old = [_entry_message(i, f) for i, f in entries if float(f["created"]) < before]
            for message in old:
                users = [t[5:] for t in message.targets if t.startswith("user:")]
                if keep_unseen and any(
                    self.redis.hget(self._key("seen", u), str(message.id)) is None for u in users
                ):
                    continue
                pipe = self.redis.pipeline(transaction=True)
                pipe.xdel(messages_key, f"{message.id}-0")
                for target in message.targets:
                    pipe.zrem(self._key("target", target), message.id)
                for u in users:
                    pipe.hdel(self._key("seen", u), str(message.id))
                pipe.execute()
                removed += 1
            if len(entries) < 500 or len(old) < len(entries):
                return removed
            start = "(" + entries[-1][0]

    # -- tokens and rate limits --------------------------------------------------
    @_guard
    def add_token(self, name: str, targets: Sequence[str]) -> tuple[Token, str]:
        secret = new_secret()
        token = Token(secrets.token_hex(6), name, tuple(targets), time.time())
        record = {"name": name, "targets": list(targets), "created": token.created}
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self._key("tokens"), token.id, json.dumps(record))
        pipe.hset(self._key("token-hashes"), secret_hash(secret), token.id)
        pipe.execute()
        return token, secret

    def _token(self, token_id: str, raw: str) -> Token:
        record = json.loads(raw)
        return Token(
            token_id,
            record["name"],
            tuple(record["targets"]),
            record["created"],
            record.get("revoked"),
        )

    @_guard
    def tokens(self) -> list[Token]:
        found = [self._token(i, raw) for i, raw in self.redis.hgetall(self._key("tokens")).items()]
        return sorted(found, key=lambda token: token.created)

    @_guard
    def revoke_token(self, token_id: str) -> bool:
        raw = self.redis.hget(self._key("tokens"), token_id)
        if raw is None:
            return False
        record = json.loads(raw)
        record.setdefault("revoked", time.time())
        self.redis.hset(self._key("tokens"), token_id, json.dumps(record))
        return True

    @_guard
    def token_for(self, secret: str) -> Token | None:
        token_id = self.redis.hget(self._key("token-hashes"), secret_hash(secret))
        raw = self.redis.hget(self._key("tokens"), token_id) if token_id else None
        if raw is None:
            return None
        token = self._token(token_id, raw)
        return None if token.revoked else token

    @_guard
    def hit(self, key: str, window: int, now: float) -> int:
        rate_key = self._key("rate", key, str(int(now // window)))
        pipe = self.redis.pipeline(transaction=True)
        pipe.incr(rate_key)
        pipe.expire(rate_key, window * 2)
        count, _ = pipe.execute()
        return int(count)

    def close(self) -> None:
        self.redis.close()
