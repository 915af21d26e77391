"""Redis: Web Push subscriptions.

``push:subs`` maps each subscription id to its record (JSON); ``push:of:<user>`` is a
sorted set of that user's ids by creation time; ``push:users`` the set of users with
one. A script saves a subscription (moving it from a previous user, trimming the
user's oldest beyond ``keep``) in one step.

The times (``created``, ``last_success``) are kept in the records as strings: Redis'
cjson writes numbers with 14 significant digits, which rounds a Unix time to 0.1 ms, so
two subscriptions made within that lost their order (and a time read back was not the
one saved).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from ...push.subscription import Subscription
from .connection import RedisConnection, guarded

# KEYS: subs hash, users set; ARGV: prefix of per-user sets, id, user, record json,
# keep. Returns the stored record.
_SAVE = """
local old = redis.call('HGET', KEYS[1], ARGV[2])
local record = cjson.decode(ARGV[4])
if old then
    local previous = cjson.decode(old)
    if previous.user == ARGV[3] then
        record.created = previous.created
        record.last_success = previous.last_success
    else
        local of = ARGV[1] .. previous.user
        redis.call('ZREM', of, ARGV[2])
        if redis.call('ZCARD', of) == 0 then redis.call('SREM', KEYS[2], previous.user) end
    end
end
local stored = cjson.encode(record)
redis.call('HSET', KEYS[1], ARGV[2], stored)
local of = ARGV[1] .. ARGV[3]
redis.call('ZADD', of, record.created, ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
local extra = redis.call('ZCARD', of) - tonumber(ARGV[5])
if extra > 0 then
    local doomed = redis.call('ZRANGE', of, 0, extra - 1)
    for _, id in ipairs(doomed) do
        if id ~= ARGV[2] then
            redis.call('HDEL', KEYS[1], id)
            redis.call('ZREM', of, id)
        end
    end
end
return stored
"""

# KEYS: subs hash, users set; ARGV: prefix of per-user sets, then ids. Returns the
# number removed.
_REMOVE = """
local removed = 0
for i = 2, #ARGV do
    local old = redis.call('HGET', KEYS[1], ARGV[i])
    if old then
        local user = cjson.decode(old).user
        local of = ARGV[1] .. user
        redis.call('HDEL', KEYS[1], ARGV[i])
        redis.call('ZREM', of, ARGV[i])
        if redis.call('ZCARD', of) == 0 then redis.call('SREM', KEYS[2], user) end
        removed = removed + 1
    end
end
return removed
"""

# KEYS: subs hash; ARGV: time, then ids. Only subscriptions that still exist.
_SUCCEEDED = """
for i = 2, #ARGV do
    local old = redis.call('HGET', KEYS[1], ARGV[i])
    if old then
        local record = cjson.decode(old)
        record.last_success = ARGV[1]
        redis.call('HSET', KEYS[1], ARGV[i], cjson.encode(record))
    end
end
return 0
"""


def _subscription(raw: str) -> Subscription:
    record = json.loads(raw)
    record["created"] = float(record["created"])
    last = record.get("last_success")
    # (cjson turns a JSON null into an empty object)
    record["last_success"] = None if last is None or last == {} else float(last)
    return Subscription(**record)


def _record(subscription: Subscription) -> str:
    """The stored JSON of a subscription, its times as exact strings (see above)."""
    record = asdict(subscription)
    record["created"] = repr(subscription.created)
    if subscription.last_success is not None:
        record["last_success"] = repr(subscription.last_success)
    return json.dumps(record)


class RedisPush:
    """Push subscriptions on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self._save = self.redis.register_script(_SAVE)
        self._remove = self.redis.register_script(_REMOVE)
        self._succeeded = self.redis.register_script(_SUCCEEDED)

    @property
    def _keys(self) -> list[str]:
        return [self.conn.key("push", "subs"), self.conn.key("push", "users")]

    def _of(self, user: str) -> str:
        return self.conn.key("push", "of", user)

    @guarded
    def save(self, subscription: Subscription, keep: int) -> Subscription:
        stored = self._save(
            keys=self._keys,
            args=[
                self._of(""),
                subscription.id,
                subscription.user,
                _record(subscription),
                str(keep),
            ],
        )
        return _subscription(stored)

    @guarded
    def get(self, ids: Sequence[str]) -> dict[str, Subscription]:
        ids = list(ids)
        if not ids:
            return {}
        raws = self.redis.hmget(self._keys[0], ids)
        return {i: _subscription(raw) for i, raw in zip(ids, raws) if raw is not None}

    @guarded
    def of_users(self, users: Iterable[str]) -> list[Subscription]:
        users = sorted(set(users))
        if not users:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for user in users:
            pipe.zrange(self._of(user), 0, -1)
        ids = [i for found in pipe.execute() for i in found]
        found = self.get(ids)
        return sorted(found.values(), key=lambda s: (s.created, s.id))

    @guarded
    def users(self) -> list[str]:
        return sorted(self.redis.smembers(self._keys[1]))

    @guarded
    def list(self, user: str | None, limit: int) -> list[Subscription]:
        if user is not None:
            return self.of_users([user])[:limit]
        every = [_subscription(raw) for raw in self.redis.hvals(self._keys[0])]
        return sorted(every, key=lambda s: (s.created, s.id))[:limit]

    @guarded
    def remove(self, ids: Sequence[str]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        return int(self._remove(keys=self._keys, args=[self._of(""), *ids]))

    @guarded
    def succeeded(self, ids: Sequence[str], at: float) -> None:
        ids = list(ids)
        if ids:
            self._succeeded(keys=self._keys[:1], args=[repr(at), *ids])
