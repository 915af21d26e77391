"""Redis: the email channel's own records (see the SQLite twin): a hash of delivery
key -> Message-ID, a set of keys per Message-ID, a hash of accepted Message-IDs, a
sorted set of claim times for expiry, and a hash per user of owner -> the last
notification mailed about it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .connection import RedisConnection, guarded

# KEYS: claims hash, times zset, keys-of set; ARGV: message id, now, keys...
_CLAIM = """
for i = 3, #ARGV do
    if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 1 then
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[i])
        redis.call('SADD', KEYS[3], ARGV[i])
    end
end
return 0
"""


class RedisMail:
    """Mail claims and owners on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self._claim = self.redis.register_script(_CLAIM)

    @guarded
    def claim(self, message_id: str, keys: Sequence[str], now: float) -> None:
        self._claim(
            keys=[
                self.conn.key("mail-claims"),
                self.conn.key("mail-claim-times"),
                self.conn.key("mail-keys", message_id),
            ],
            args=[message_id, repr(now), *keys],
        )

    @guarded
    def accepted(self, message_id: str, now: float) -> None:
        self.redis.hset(self.conn.key("mail-accepted"), message_id, repr(now))

    @guarded
    def claims(self, keys: Sequence[str]) -> dict[str, tuple[str, bool]]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        values = self.redis.hmget(self.conn.key("mail-claims"), keys)
        found = {key: value for key, value in zip(keys, values) if value is not None}
        ids = sorted(set(found.values()))
        accepted = (
            dict(zip(ids, self.redis.hmget(self.conn.key("mail-accepted"), ids))) if ids else {}
        )
        return {key: (value, accepted[value] is not None) for key, value in found.items()}

    @guarded
    def keys_of(self, message_id: str) -> list[str]:
        return sorted(self.redis.smembers(self.conn.key("mail-keys", message_id)))

    @guarded
    def owners(self, user: str, owners: Sequence[str]) -> dict[str, int]:
        owners = list(dict.fromkeys(owners))
        if not owners:
            return {}
        values = self.redis.hmget(self.conn.key("mail-owners", user), owners)
        return {owner: int(value) for owner, value in zip(owners, values) if value is not None}

    @guarded
    def note_owners(self, user: str, owners: Mapping[str, int]) -> None:
        if owners:
            self.redis.hset(
                self.conn.key("mail-owners", user), mapping={k: str(v) for k, v in owners.items()}
            )

    @guarded
    def expire(self, before: float) -> None:
        times = self.conn.key("mail-claim-times")
        while True:
            keys = self.redis.zrangebyscore(times, "-inf", f"({before!r}", start=0, num=500)
            if not keys:
                return
            ids = self.redis.hmget(self.conn.key("mail-claims"), keys)
            pipe = self.redis.pipeline(transaction=True)
            for key, message_id in zip(keys, ids):
                if message_id is not None:
                    pipe.srem(self.conn.key("mail-keys", message_id), key)
            pipe.hdel(self.conn.key("mail-claims"), *keys)
            gone = [i for i in set(ids) if i is not None]
            if gone:
                pipe.hdel(self.conn.key("mail-accepted"), *gone)
            pipe.zrem(times, *keys)
            pipe.execute()
