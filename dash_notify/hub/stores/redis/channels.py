"""Redis: each channel's cursor under a lease, and the delivery log.

The lease is a key holding its owner with an expiry; the cursor moves only in the
script that queues deliveries, and only while the caller holds the lease. Deliveries
are hashes; a sorted set per channel orders queued ones by due time, another lists
every delivery by message id (newest first for the log), and a set per message lets
retention drop them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from ...model import Delivery, DeliveryState
from .connection import RedisConnection, guarded

_ACQUIRE = """
local owner = redis.call('GET', KEYS[1])
if owner == false or owner == ARGV[1] then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    return 1
end
return 0
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: lease, cursor, due zset, log zset; ARGV: owner, cursor, prefix, then
# (key, message id, due, record json) for each delivery.
_ENQUEUE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
for i = 4, #ARGV, 4 do
    local hash = ARGV[3] .. 'delivery:' .. ARGV[i]
    if redis.call('EXISTS', hash) == 0 then
        redis.call('SET', hash, ARGV[i + 3])
        redis.call('ZADD', KEYS[3], ARGV[i + 2], ARGV[i])
        redis.call('ZADD', KEYS[4], ARGV[i + 1], ARGV[i])
        redis.call('SADD', ARGV[3] .. 'deliveries-of:' .. ARGV[i + 1], ARGV[i])
    end
end
redis.call('SET', KEYS[2], ARGV[2])
return 1
"""

# KEYS: log zset; ARGV: prefix, then (key, message id, record json) for each delivery
# (a final state: nothing is added to a due set).
_NOTE = """
for i = 2, #ARGV, 3 do
    local hash = ARGV[1] .. 'delivery:' .. ARGV[i]
    if redis.call('SET', hash, ARGV[i + 2], 'NX') then
        redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
        redis.call('SADD', ARGV[1] .. 'deliveries-of:' .. ARGV[i + 1], ARGV[i])
    end
end
return 1
"""


def _record(delivery: Delivery) -> str:
    return json.dumps(
        {
            "channel": delivery.channel,
            "message_id": delivery.message_id,
            "recipient": delivery.recipient,
            "key": delivery.key,
            "state": delivery.state,
            "attempts": delivery.attempts,
            "error": delivery.error,
            "updated": delivery.updated,
            "due": delivery.due,
        }
    )


def _delivery(raw: str) -> Delivery:
    return Delivery(**json.loads(raw))


class RedisChannels:
    """Channel cursors, leases and deliveries on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self._acquire = self.redis.register_script(_ACQUIRE)
        self._release = self.redis.register_script(_RELEASE)
        self._enqueue = self.redis.register_script(_ENQUEUE)
        self._note = self.redis.register_script(_NOTE)

    def _hash(self, key: str) -> str:
        return self.conn.key("delivery", key)

    @guarded
    def acquire(self, channel: str, owner: str, ttl: float, now: float) -> bool:
        held = self._acquire(
            keys=[self.conn.key("lease", channel)], args=[owner, str(max(1, int(ttl * 1000)))]
        )
        return bool(held)

    @guarded
    def release(self, channel: str, owner: str) -> None:
        self._release(keys=[self.conn.key("lease", channel)], args=[owner])

    @guarded
    def cursor(self, channel: str) -> int | None:
        value = self.redis.get(self.conn.key("cursor", channel))
        return int(value) if value is not None else None

    @guarded
    def enqueue(
        self, channel: str, owner: str, deliveries: Sequence[Delivery], cursor: int
    ) -> bool:
        args: list[str] = [owner, str(cursor), self.conn.key("")]
        for d in deliveries:
            args += [d.key, str(d.message_id), repr(d.due), _record(d)]
        done = self._enqueue(
            keys=[
                self.conn.key("lease", channel),
                self.conn.key("cursor", channel),
                self.conn.key("due", channel),
                self.conn.key("deliveries"),
            ],
            args=args,
        )
        return bool(done)

    def _load(self, keys: Sequence[str]) -> list[Delivery]:
        if not keys:
            return []
        raws = self.redis.mget([self._hash(key) for key in keys])
        return [_delivery(raw) for raw in raws if raw is not None]

    @guarded
    def due(self, channel: str, now: float, limit: int) -> list[Delivery]:
        keys = self.redis.zrangebyscore(
            self.conn.key("due", channel), "-inf", repr(now), start=0, num=limit
        )
        return [d for d in self._load(keys) if d.state == "queued"]

    @guarded
    def next_due(self, channel: str) -> float | None:
        first = self.redis.zrange(self.conn.key("due", channel), 0, 0, withscores=True)
        return float(first[0][1]) if first else None

    @guarded
    def record(
        self,
        delivery: Delivery,
        state: DeliveryState,
        *,
        error: str | None,
        due: float,
        now: float,
    ) -> None:
        self._update([(delivery, state, error, due)], now, attempt=True)

    @guarded
    def record_many(
        self,
        records: Sequence[tuple[Delivery, DeliveryState, str | None, float]],
        now: float,
    ) -> None:
        self._update(records, now, attempt=True)

    @guarded
    def postpone(self, delivery: Delivery, due: float, now: float) -> None:
        self._update([(delivery, "queued", delivery.error, due)], now, attempt=False)

    def _update(
        self,
        records: Sequence[tuple[Delivery, DeliveryState, str | None, float]],
        now: float,
        *,
        attempt: bool,
    ) -> None:
        """Apply (state, error, due) to each delivery still queued, in one pipeline
        (``attempt``: count one more attempt; a postponed one keeps its count)."""
        if not records:
            return
        raws = self.redis.mget([self._hash(d.key) for d, _, _, _ in records])
        pipe = self.redis.pipeline(transaction=True)
        for (_, state, error, due), raw in zip(records, raws):
            if raw is None:
                continue
            current = _delivery(raw)
            if current.state != "queued":
                continue
            updated = replace(
                current, state=state, attempts=current.attempts + int(attempt),
                error=error if attempt else current.error, updated=now, due=due,
            )  # fmt: skip
            pipe.set(self._hash(current.key), _record(updated))
            if state == "queued":
                pipe.zadd(self.conn.key("due", current.channel), {current.key: due})
            else:
                pipe.zrem(self.conn.key("due", current.channel), current.key)
        pipe.execute()

    @guarded
    def note(self, deliveries: Sequence[Delivery]) -> None:
        if not deliveries:
            return
        args: list[str] = [self.conn.key("")]
        for d in deliveries:
            args += [d.key, str(d.message_id), _record(d)]
        self._note(keys=[self.conn.key("deliveries")], args=args)

    @guarded
    def deliveries(
        self,
        *,
        channel: str | None = None,
        message_id: int | None = None,
        recipient: str | None = None,
        state: DeliveryState | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        if message_id is not None:
            keys = sorted(self.redis.smembers(self.conn.key("deliveries-of", str(message_id))))
            candidates = self._load(keys)
        else:
            candidates = []
            offset = 0
            while len(candidates) < limit * 50:
                keys = self.redis.zrevrange(self.conn.key("deliveries"), offset, offset + 999)
                if not keys:
                    break
                candidates += self._load(keys)
                offset += len(keys)
                matching = [
                    d
                    for d in candidates
                    if (channel is None or d.channel == channel)
                    and (recipient is None or d.recipient == recipient)
                    and (state is None or d.state == state)
                ]
                if len(matching) >= limit:
                    break
        found = [
            d
            for d in candidates
            if (channel is None or d.channel == channel)
            and (recipient is None or d.recipient == recipient)
            and (state is None or d.state == state)
        ]
        found.sort(key=lambda d: (-d.message_id, d.key))
        return found[:limit]

    @guarded
    def forget(self, message_ids: Sequence[int]) -> None:
        for message_id in message_ids:
            of = self.conn.key("deliveries-of", str(message_id))
            keys = list(self.redis.smembers(of))
            pipe = self.redis.pipeline(transaction=False)
            for key in keys:
                raw_channel = key.split(":", 1)[0]
                pipe.delete(self._hash(key))
                pipe.zrem(self.conn.key("deliveries"), key)
                pipe.zrem(self.conn.key("due", raw_channel), key)
            pipe.delete(of)
            pipe.execute()
