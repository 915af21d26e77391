"""Redis: webhook rules (a hash of JSON records, a sorted set ordering them by
creation) and each rule's recent attempts (a capped list)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from ...webhooks.rule import Attempt, Rule, from_record, merged, to_record
from .connection import RedisConnection, guarded


class RedisRules:
    """Webhook rules on a Redis server."""

    def __init__(self, conn: RedisConnection):
        self.conn = conn
        self.redis = conn.client
        self.rules = conn.key("webhook-rules")
        self.order = conn.key("webhook-rules-order")

    def _attempts(self, rule_id: str) -> str:
        return self.conn.key("webhook-attempts", rule_id)

    @guarded
    def add(self, rule: Rule) -> None:
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(self.rules, rule.id, json.dumps(to_record(rule)))
        pipe.zadd(self.order, {rule.id: rule.created})
        pipe.execute()

    @guarded
    def get(self, rule_id: str) -> Rule | None:
        raw = self.redis.hget(self.rules, rule_id)
        return from_record(rule_id, json.loads(raw)) if raw is not None else None

    def _all(self) -> list[Rule]:
        ids = self.redis.zrange(self.order, 0, -1)
        raws = self.redis.hmget(self.rules, ids) if ids else []
        return [from_record(i, json.loads(raw)) for i, raw in zip(ids, raws) if raw is not None]

    @guarded
    def list(self, q: str | None, limit: int, offset: int) -> tuple[list[Rule], int]:
        rules = self._all()
        if q:
            folded = q.casefold()
            rules = [rule for rule in rules if folded in rule.name.casefold()]
        # ties in creation time are ordered by id, as SQLite orders them
        rules.sort(key=lambda rule: (rule.created, rule.id))
        return rules[offset : offset + limit], len(rules)

    @guarded
    def active(self) -> list[Rule]:
        return [rule for rule in self._all() if rule.active]

    def _change(self, rule_id: str, change) -> Rule | None:
        def attempt(pipe) -> Rule | None:
            raw = pipe.hget(self.rules, rule_id)
            if raw is None:
                return None
            rule = change(from_record(rule_id, json.loads(raw)))
            pipe.multi()
            pipe.hset(self.rules, rule_id, json.dumps(to_record(rule)))
            return rule

        return self.redis.transaction(attempt, self.rules, value_from_callable=True)

    @guarded
    def update(self, rule_id: str, changes: Mapping[str, Any]) -> Rule | None:
        return self._change(rule_id, lambda rule: merged(rule, changes))

    @guarded
    def failing(self, rule_id: str, now: float) -> Rule | None:
        return self._change(
            rule_id,
            lambda rule: (
                rule if rule.failing_since is not None else merged(rule, {"failing_since": now})
            ),
        )

    @guarded
    def delete(self, rule_id: str) -> bool:
        pipe = self.redis.pipeline(transaction=True)
        pipe.hdel(self.rules, rule_id)
        pipe.zrem(self.order, rule_id)
        pipe.delete(self._attempts(rule_id))
        return bool(pipe.execute()[0])

    @guarded
    def log(self, attempts: Sequence[Attempt], keep: int) -> None:
        if not attempts:
            return
        pipe = self.redis.pipeline(transaction=True)
        for attempt in attempts:
            record = {k: v for k, v in asdict(attempt).items() if k != "rule_id"}
            pipe.lpush(self._attempts(attempt.rule_id), json.dumps(record))
        for rule_id in {a.rule_id for a in attempts}:
            pipe.ltrim(self._attempts(rule_id), 0, keep - 1)
        pipe.execute()

    @guarded
    def attempts(self, rule_id: str, limit: int) -> list[Attempt]:
        raws = self.redis.lrange(self._attempts(rule_id), 0, limit - 1)
        return [Attempt(rule_id=rule_id, **json.loads(raw)) for raw in raws]
