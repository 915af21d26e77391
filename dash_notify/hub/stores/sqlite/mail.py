"""SQLite: the email channel's own records. Which mail (its Message-ID) each delivery
was put in before the mail went to the SMTP server, and whether the server accepted
it: a mail interrupted by a crash is sent again as the same mail, never as a second
one, and a mail accepted is not sent again even when its deliveries were not recorded
yet; and, per user and owner, the last notification mailed about that owner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .db import CHUNK, Database, placeholders

SCHEMA = """
CREATE TABLE IF NOT EXISTS mail_claims (
    key TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    at REAL NOT NULL,
    accepted REAL
);
CREATE INDEX IF NOT EXISTS mail_claims_message ON mail_claims (message_id);
CREATE INDEX IF NOT EXISTS mail_claims_at ON mail_claims (at);
CREATE TABLE IF NOT EXISTS mail_owners (
    user TEXT NOT NULL,
    owner TEXT NOT NULL,
    notification INTEGER NOT NULL,
    PRIMARY KEY (user, owner)
) WITHOUT ROWID;
"""


class SQLiteMail:
    """Mail claims and owners in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)

    def claim(self, message_id: str, keys: Sequence[str], now: float) -> None:
        with self.db.write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO mail_claims (key, message_id, at) VALUES (?,?,?)",
                [(key, message_id, now) for key in keys],
            )

    def accepted(self, message_id: str, now: float) -> None:
        with self.db.write() as db:
            db.execute(
                "UPDATE mail_claims SET accepted = ? WHERE message_id = ?", (now, message_id)
            )

    def claims(self, keys: Sequence[str]) -> dict[str, tuple[str, bool]]:
        found: dict[str, tuple[str, bool]] = {}
        keys = list(dict.fromkeys(keys))
        for start in range(0, len(keys), CHUNK):
            chunk = tuple(keys[start : start + CHUNK])
            marks = placeholders(len(chunk))
            for row in self.db.read(
                f"SELECT key, message_id, accepted FROM mail_claims WHERE key IN ({marks})",
                chunk,
            ):
                found[row[0]] = (row[1], row[2] is not None)
        return found

    def keys_of(self, message_id: str) -> list[str]:
        rows = self.db.read(
            "SELECT key FROM mail_claims WHERE message_id = ? ORDER BY key", (message_id,)
        )
        return [row[0] for row in rows]

    def owners(self, user: str, owners: Sequence[str]) -> dict[str, int]:
        owners = list(dict.fromkeys(owners))
        if not owners:
            return {}
        rows = self.db.read(
            f"SELECT owner, notification FROM mail_owners WHERE user = ? "
            f"AND owner IN ({placeholders(len(owners))})",
            (user, *owners),
        )
        return {row[0]: row[1] for row in rows}

    def note_owners(self, user: str, owners: Mapping[str, int]) -> None:
        with self.db.write() as db:
            db.executemany(
                "INSERT INTO mail_owners (user, owner, notification) VALUES (?,?,?) "
                "ON CONFLICT (user, owner) DO UPDATE SET notification = excluded.notification",
                [(user, owner, notification) for owner, notification in owners.items()],
            )

    def expire(self, before: float) -> None:
        with self.db.write() as db:
            db.execute("DELETE FROM mail_claims WHERE at < ?", (before,))
