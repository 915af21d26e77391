"""Redis: rate limits as sliding windows (two fixed windows, the previous one weighted
by how much of it still overlaps), counted and checked by one script."""

from __future__ import annotations

import math

from ..window import retry_after
from .connection import RedisConnection, guarded

_TAKE = """
local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
local weight = 1 - tonumber(ARGV[1]) / tonumber(ARGV[2])
if previous * weight + current + 1 > tonumber(ARGV[3]) then
    return {0, previous, current}
end
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[2]) * 2000))
return {1, previous, current}
"""


class RedisLimits:
    """Sliding-window counters on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self._take = conn.client.register_script(_TAKE)

    @guarded
    def take(self, key: str, limit: int, per: float, now: float) -> float | None:
        window = int(now // per)
        elapsed = now - window * per
        allowed, previous, current = self._take(
            keys=[
                self.conn.key("rate", key, f"{per}", str(window - 1)),
                self.conn.key("rate", key, f"{per}", str(window)),
            ],
            args=[repr(elapsed), repr(per), str(limit)],
        )
        if allowed:
            return None
        return math.ceil(retry_after(int(previous), int(current), elapsed, per, limit) * 10) / 10
