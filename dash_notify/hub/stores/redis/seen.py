"""Redis: when each user saw which messages.

Per user a hash of explicit marks (id -> time) and an "everything up to" mark, changed
together by one script, which also appends the mark to the capped seen log that every
process follows. A set of users with marks lets retention drop marks of removed
messages.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ...model import Seen
from .connection import RedisConnection, guarded

_MARK = """
local current = tonumber(redis.call('HGET', KEYS[2], 'upto') or '0')
local upto = tonumber(ARGV[2])
local floor = math.max(current, upto)
local fresh = {}
for i = 4, #ARGV do
    if tonumber(ARGV[i]) > floor and redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 1 then
        fresh[#fresh + 1] = ARGV[i]
    end
end
local raised = 0
if upto > current then
    redis.call('HSET', KEYS[2], 'upto', ARGV[2], 'at', ARGV[1])
    raised = upto
    for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
        if tonumber(field) <= upto then redis.call('HDEL', KEYS[1], field) end
    end
end
if #fresh == 0 and raised == 0 then return false end
redis.call('SADD', KEYS[4], ARGV[3])
local ids = table.concat(fresh, ',')
redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'user', ARGV[3], 'ids', ids,
    'upto', tostring(raised), 'at', ARGV[1])
return {tostring(raised), ids}
"""


class RedisSeen:
    """Seen state on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self._mark = self.redis.register_script(_MARK)

    @guarded
    def mark(self, user: str, ids: Sequence[int], upto: int = 0) -> Seen | None:
        now = time.time()
        reply = self._mark(
            keys=[
                self.conn.key("seen", user),
                self.conn.key("seen-upto", user),
                self.conn.key("seen-log"),
                self.conn.key("seen-users"),
            ],
            args=[repr(now), str(upto), user, *(str(int(i)) for i in sorted(set(ids)))],
        )
        if not reply:
            return None
        raised, fresh = reply
        return Seen(user, tuple(int(i) for i in fresh.split(",") if i), now, int(raised))

    @guarded
    def seen_at(self, user: str, ids: Sequence[int]) -> dict[int, float]:
        wanted = sorted({int(i) for i in ids})
        if not wanted:
            return {}
        pipe = self.redis.pipeline(transaction=False)
        pipe.hmget(self.conn.key("seen-upto", user), ["upto", "at"])
        pipe.hmget(self.conn.key("seen", user), [str(i) for i in wanted])
        (upto, upto_at), times = pipe.execute()
        upto = int(upto or 0)
        found = {}
        for i, at in zip(wanted, times):
            if at is not None:
                found[i] = float(at)
            elif i <= upto:
                found[i] = float(upto_at)
        return found

    @guarded
    def forget(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        fields = [str(int(i)) for i in ids]
        pipe = self.redis.pipeline(transaction=False)
        for user in self.redis.sscan_iter(self.conn.key("seen-users"), count=500):
            pipe.hdel(self.conn.key("seen", user), *fields)
        pipe.execute()
