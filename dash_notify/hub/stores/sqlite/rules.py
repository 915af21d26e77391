"""SQLite: webhook rules (one JSON record each, with the columns listings search and
order by) and each rule's recent attempts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from ...webhooks.rule import Attempt, Rule, from_record, merged, to_record
from .db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS webhook_rules (
    id TEXT PRIMARY KEY,
    name_fold TEXT NOT NULL,
    created REAL NOT NULL,
    active INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_rules_created ON webhook_rules (created, id);
CREATE TABLE IF NOT EXISTS webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    rule_id TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_attempts_rule ON webhook_attempts (rule_id, seq);
"""


def _rule(row) -> Rule:
    return from_record(row["id"], json.loads(row["record"]))


def _attempt_record(attempt: Attempt) -> dict:
    return {k: v for k, v in asdict(attempt).items() if k != "rule_id"}


def _columns(rule: Rule) -> tuple[str, float, int, str]:
    return (rule.name.casefold(), rule.created, int(rule.active), json.dumps(to_record(rule)))


class SQLiteRules:
    """Webhook rules in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def add(self, rule: Rule) -> None:
        with self.db.write() as db:
            db.execute(
                "INSERT INTO webhook_rules (id, name_fold, created, active, record)"
                " VALUES (?,?,?,?,?)",
                (rule.id, *_columns(rule)),
            )

    def get(self, rule_id: str) -> Rule | None:
        rows = self.db.read("SELECT * FROM webhook_rules WHERE id = ?", (rule_id,))
        return _rule(rows[0]) if rows else None

    def list(self, q: str | None, limit: int, offset: int) -> tuple[list[Rule], int]:
        where, params = ("WHERE instr(name_fold, ?) > 0", (q.casefold(),)) if q else ("", ())
        total = self.db.read(f"SELECT count(*) FROM webhook_rules {where}", params)[0][0]
        rows = self.db.read(
            f"SELECT * FROM webhook_rules {where} ORDER BY created, id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_rule(row) for row in rows], total

    def active(self) -> list[Rule]:
        rows = self.db.read("SELECT * FROM webhook_rules WHERE active = 1 ORDER BY created, id")
        return [_rule(row) for row in rows]

    def _change(self, rule_id: str, change) -> Rule | None:
        with self.db.write() as db:
            row = db.execute("SELECT * FROM webhook_rules WHERE id = ?", (rule_id,)).fetchone()
            if row is None:
                return None
            rule = change(_rule(row))
            db.execute(
                "UPDATE webhook_rules SET name_fold = ?, created = ?, active = ?, record = ?"
                " WHERE id = ?",
                (*_columns(rule), rule_id),
            )
        return rule

    def update(self, rule_id: str, changes: Mapping[str, Any]) -> Rule | None:
        return self._change(rule_id, lambda rule: merged(rule, changes))

    def failing(self, rule_id: str, now: float) -> Rule | None:
        return self._change(
            rule_id,
            lambda rule: (
                rule if rule.failing_since is not None else merged(rule, {"failing_since": now})
            ),
        )

    def delete(self, rule_id: str) -> bool:
        with self.db.write() as db:
            deleted = db.execute("DELETE FROM webhook_rules WHERE id = ?", (rule_id,)).rowcount
            db.execute("DELETE FROM webhook_attempts WHERE rule_id = ?", (rule_id,))
        return deleted > 0

    def log(self, attempts: Sequence[Attempt], keep: int) -> None:
        if not attempts:
            return
        with self.db.write() as db:
            db.executemany(
                "INSERT INTO webhook_attempts (rule_id, record) VALUES (?,?)",
                [(a.rule_id, json.dumps(_attempt_record(a))) for a in attempts],
            )
            for rule_id in {a.rule_id for a in attempts}:
                db.execute(
                    """DELETE FROM webhook_attempts WHERE rule_id = ? AND seq NOT IN (
                    SELECT seq FROM webhook_attempts WHERE rule_id = ?
                    ORDER BY seq DESC LIMIT ?)""",
                    (rule_id, rule_id, keep),
                )

    def attempts(self, rule_id: str, limit: int) -> list[Attempt]:
        rows = self.db.read(
            "SELECT record FROM webhook_attempts WHERE rule_id = ? ORDER BY seq DESC LIMIT ?",
            (rule_id, limit),
        )
        return [Attempt(rule_id=rule_id, **json.loads(row["record"])) for row in rows]
