"""SQLite: Web Push subscriptions, one row per browser (endpoint)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ...push.subscription import Subscription
from .db import CHUNK, Database, placeholders

SCHEMA = """
CREATE TABLE IF NOT EXISTS push_subscriptions (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    endpoint TEXT NOT NULL UNIQUE,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    last_success REAL
);
CREATE INDEX IF NOT EXISTS push_subscriptions_user ON push_subscriptions (user, created);
"""


def _row(row) -> Subscription:
    return Subscription(
        id=row["id"],
        user=row["user"],
        endpoint=row["endpoint"],
        p256dh=row["p256dh"],
        auth=row["auth"],
        lang=row["lang"],
        user_agent=row["user_agent"],
        created=row["created"],
        last_success=row["last_success"],
    )


class SQLitePush:
    """Push subscriptions in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def save(self, subscription: Subscription, keep: int) -> Subscription:
        s = subscription
        with self.db.write() as db:
            old = db.execute(
                "SELECT user, created, last_success FROM push_subscriptions WHERE id = ?",
                (s.id,),
            ).fetchone()
            created, last = s.created, s.last_success
            if old is not None and old["user"] == s.user:
                created, last = old["created"], old["last_success"]
            db.execute(
                """INSERT OR REPLACE INTO push_subscriptions
                (id, user, endpoint, p256dh, auth, lang, user_agent, created, last_success)
                VALUES (?,?,?,?,?,?,?,?,?)""",
                (s.id, s.user, s.endpoint, s.p256dh, s.auth, s.lang, s.user_agent, created, last),
            )
            db.execute(
                """DELETE FROM push_subscriptions WHERE user = ? AND id NOT IN (
                    SELECT id FROM push_subscriptions WHERE user = ?
                    ORDER BY created DESC, id LIMIT ?)""",
                (s.user, s.user, keep),
            )
            row = db.execute("SELECT * FROM push_subscriptions WHERE id = ?", (s.id,)).fetchone()
        return _row(row)

    def get(self, ids: Sequence[str]) -> dict[str, Subscription]:
        found: dict[str, Subscription] = {}
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start : start + CHUNK])
            for row in self.db.read(
                f"SELECT * FROM push_subscriptions WHERE id IN ({placeholders(len(chunk))})",
                chunk,
            ):
                found[row["id"]] = _row(row)
        return found

    def of_users(self, users: Iterable[str]) -> list[Subscription]:
        users = sorted(set(users))
        found: list[Subscription] = []
        for start in range(0, len(users), CHUNK):
            chunk = tuple(users[start : start + CHUNK])
            found += [
                _row(row)
                for row in self.db.read(
                    f"""SELECT * FROM push_subscriptions WHERE user IN
                    ({placeholders(len(chunk))})""",
                    chunk,
                )
            ]
        return sorted(found, key=lambda s: (s.created, s.id))

    def users(self) -> list[str]:
        return [
            row[0]
            for row in self.db.read("SELECT DISTINCT user FROM push_subscriptions ORDER BY user")
        ]

    def list(self, user: str | None, limit: int) -> list[Subscription]:
        if user is None:
            rows = self.db.read(
                "SELECT * FROM push_subscriptions ORDER BY created, id LIMIT ?", (limit,)
            )
        else:
            rows = self.db.read(
                "SELECT * FROM push_subscriptions WHERE user = ? ORDER BY created, id LIMIT ?",
                (user, limit),
            )
        return [_row(row) for row in rows]

    def remove(self, ids: Sequence[str]) -> int:
        removed = 0
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start : start + CHUNK])
            with self.db.write() as db:
                removed += db.execute(
                    f"DELETE FROM push_subscriptions WHERE id IN ({placeholders(len(chunk))})",
                    chunk,
                ).rowcount
        return removed

    def succeeded(self, ids: Sequence[str], at: float) -> None:
        ids = list(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = tuple(ids[start : start + CHUNK])
            with self.db.write() as db:
                db.execute(
                    f"""UPDATE push_subscriptions SET last_success = ?
                    WHERE id IN ({placeholders(len(chunk))})""",
                    (at, *chunk),
                )
