"""Redis: the notifications as a stream, one sorted set per target, the log's epoch,
and the change feed.

Entry ids are ``<id>-0`` with ``<id>`` from a counter, written by one script (so ids
increase with the stream, and each publish is one round trip). The epoch is a random
name set when the log begins: a Redis restarted without its data starts a new one, and
every follower starts over instead of waiting for ids it will never see again.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from ...model import Changes, Message, MessageKind, Position, Seen
from .connection import RedisConnection, guarded

_APPEND = """
redis.call('SET', KEYS[3], ARGV[6], 'NX')
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], id .. '-0', 'created', ARGV[1], 'options', ARGV[2],
    'targets', ARGV[3], 'publisher', ARGV[4], 'kind', ARGV[5], 'actor', ARGV[7])
for i = 8, #ARGV do
    redis.call('ZADD', ARGV[i], id, id)
end
return id
"""


def entry_message(entry_id: str, fields: dict[str, str]) -> Message:
    """A Message from a stream entry."""
    return Message(
        id=int(entry_id.split("-")[0]),
        options=json.loads(fields["options"]),
        targets=tuple(json.loads(fields["targets"])),
        created=float(fields["created"]),
        publisher=fields.get("publisher", ""),
        kind=fields.get("kind", "notify"),
        actor=fields.get("actor") or None,  # entries written before actors: none
    )


def entry_seen(fields: dict[str, str]) -> Seen:
    """A Seen from a seen-log entry."""
    ids = tuple(int(i) for i in fields["ids"].split(",") if i)
    return Seen(fields["user"], ids, float(fields["at"]), int(fields.get("upto", 0)))


class RedisMessages:
    """The message log and change feed on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self._append = self.redis.register_script(_APPEND)
        self._interrupted = False
        self._wake_name = secrets.token_hex(8)

    def _wake_key(self) -> str:
        """The stream :meth:`interrupt` writes to, to end this process's blocking reads
        (the pid in its name: an app may be forked after it opened the store)."""
        return self.conn.key("wake", f"{os.getpid()}-{self._wake_name}")

    def _target(self, target: str) -> str:
        return self.conn.key("target", target)

    @guarded
    def append(
        self,
        options: dict[str, Any],
        targets: Sequence[str],
        publisher: str,
        kind: MessageKind,
        actor: str | None = None,
    ) -> Message:
        created = time.time()
        message_id = self._append(
            keys=[self.conn.key("seq"), self.conn.key("messages"), self.conn.key("epoch")],
            args=[
                repr(created),
                json.dumps(options),
                json.dumps(list(targets)),
                publisher,
                kind,
                secrets.token_hex(8),
                actor or "",
                *(self._target(target) for target in targets),
            ],
        )
        return Message(int(message_id), options, tuple(targets), created, publisher, kind, actor)

    def _epoch(self) -> str:
        key = self.conn.key("epoch")
        self.redis.set(key, secrets.token_hex(8), nx=True)
        return self.redis.get(key) or ""

    @guarded
    def position(self) -> Position:
        return Position(self._epoch(), int(self.redis.get(self.conn.key("seq")) or 0))

    @guarded
    def feed_cursor(self) -> tuple[str, str, str]:
        last = self.redis.xrevrange(self.conn.key("seen-log"), count=1)
        position = self.position()
        return (position.epoch, f"{position.last}-0", last[0][0] if last else "0-0")

    @guarded
    def changes(self, cursor: tuple[str, str, str], timeout: float) -> Changes:
        epoch, message_cursor, seen_cursor = cursor
        now = self.position()
        if now.epoch != epoch or now.last < int(message_cursor.split("-")[0]):
            fresh = self.feed_cursor()
            return Changes(cursor=fresh, reset=now)
        if self._interrupted:
            return Changes(cursor=cursor)
        messages_key, seen_key = self.conn.key("messages"), self.conn.key("seen-log")
        reply = self.redis.xread(
            # the wake stream is read from its start: any entry there ends the wait
            {messages_key: message_cursor, seen_key: seen_cursor, self._wake_key(): "0-0"},
            count=1000,
            block=max(1, int(timeout * 1000)),
        )
        changes = Changes(cursor=cursor)
        for stream, entries in reply or []:
            if stream == messages_key:
                changes.messages = [entry_message(i, f) for i, f in entries]
                message_cursor = entries[-1][0]
            elif stream == seen_key:
                changes.seen = [entry_seen(f) for _, f in entries]
                seen_cursor = entries[-1][0]
        changes.cursor = (epoch, message_cursor, seen_cursor)
        return changes

    def interrupt(self) -> None:
        self._interrupted = True
        try:  # expires by itself: a process stopping leaves nothing behind for long
            key = self._wake_key()
            pipe = self.redis.pipeline(transaction=False)
            pipe.xadd(key, {"stop": "1"})
            pipe.expire(key, 60)
            pipe.execute()
        except redis.exceptions.RedisError:
            pass  # unreachable: the blocked read fails on its own

    def _ids_for(self, targets: Iterable[str], low: str, high: str, limit: int, newest: bool):
        pipe = self.redis.pipeline(transaction=False)
        for target in targets:
            if newest:
                pipe.zrevrangebyscore(self._target(target), high, low, start=0, num=limit)
            else:
                pipe.zrangebyscore(self._target(target), low, high, start=0, num=limit)
        ids = sorted({int(i) for found in pipe.execute() for i in found}, reverse=newest)
        return ids[:limit]

    @guarded
    def get(self, ids: Sequence[int]) -> dict[int, Message]:
        return self.fetch(ids)

    def fetch(self, ids: Sequence[int]) -> dict[int, Message]:
        """The messages with these ids that still exist (unguarded, for the others)."""
        pipe = self.redis.pipeline(transaction=False)
        for message_id in ids:
            pipe.xrange(self.conn.key("messages"), f"{message_id}-0", f"{message_id}-0")
        found = {}
        for entries in pipe.execute():
            for entry_id, fields in entries:
                message = entry_message(entry_id, fields)
                found[message.id] = message
        return found

    @guarded
    def after(self, targets: Iterable[str] | None, after: int, limit: int) -> list[Message]:
        if targets is None:
            entries = self.redis.xrange(self.conn.key("messages"), f"({after}-0", "+", count=limit)
            return [entry_message(i, f) for i, f in entries]
        ids = self._ids_for(targets, f"({after}", "+inf", limit, newest=False)
        found = self.fetch(ids)
        return [found[i] for i in ids if i in found]

    @guarded
    def newest(self, targets: Iterable[str], limit: int, before: int | None) -> list[Message]:
        high = f"({before}" if before is not None else "+inf"
        ids = self._ids_for(targets, "-inf", high, limit, newest=True)
        found = self.fetch(ids)
        return [found[i] for i in ids if i in found]

    @guarded
    def visible(self, targets: Iterable[str], ids: Iterable[int]) -> list[int]:
        mine = set(targets)
        found = self.fetch(sorted({int(i) for i in ids}))
        return sorted(i for i, m in found.items() if mine.intersection(m.targets))

    @guarded
    def old(self, before: float, after: int, limit: int) -> list[tuple[int, tuple[str, ...]]]:
        result: list[tuple[int, tuple[str, ...]]] = []
        start = f"({after}-0" if after else "-"
        while len(result) < limit:
            entries = self.redis.xrange(self.conn.key("messages"), start, "+", count=limit)
            if not entries:
                break
            for entry_id, fields in entries:
                if float(fields["created"]) >= before:
                    return result
                message = entry_message(entry_id, fields)
                result.append((message.id, message.targets))
                if len(result) == limit:
                    return result
            start = "(" + entries[-1][0]
        return result

    @guarded
    def remove(self, ids: Sequence[int]) -> None:
        found = self.fetch(list(ids))
        pipe = self.redis.pipeline(transaction=False)
        for message in found.values():
            pipe.xdel(self.conn.key("messages"), f"{message.id}-0")
            for target in message.targets:
                pipe.zrem(self._target(target), message.id)
        pipe.execute()

    @guarded
    def new_epoch(self) -> None:
        """Start a new epoch (tests and restores: followers start over)."""
        self.redis.set(self.conn.key("epoch"), secrets.token_hex(8))

    def close(self) -> None:
        self.redis.close()
