"""SQLite: publishing tokens, kept as the SHA-256 of their secrets."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence

from ...model import Token
from ..secrets import new_secret, secret_hash
from .db import Database

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    targets TEXT NOT NULL,
    created REAL NOT NULL,
    revoked REAL,
    allow TEXT NOT NULL DEFAULT '[]'
);
"""


def _row_token(row) -> Token:
    return Token(
        id=row["id"],
        name=row["name"],
        targets=tuple(json.loads(row["targets"])),
        created=row["created"],
        revoked=row["revoked"],
        allow=tuple(json.loads(row["allow"])),
    )


class SQLiteTokens:
    """Tokens in the hub's SQLite file."""

    def __init__(self, db: Database):
        self.db = db
        db.script(SCHEMA)
        columns = {row["name"] for row in db.read("PRAGMA table_info(tokens)")}
        if "allow" not in columns:  # a file made before tokens had permissions
            with db.write() as conn:
                conn.execute("ALTER TABLE tokens ADD COLUMN allow TEXT NOT NULL DEFAULT '[]'")

    def add(
        self, name: str, targets: Sequence[str], allow: Sequence[str] = ()
    ) -> tuple[Token, str]:
        secret = new_secret()
        token = Token(secrets.token_hex(6), name, tuple(targets), time.time(), None, tuple(allow))
        with self.db.write() as db:
            db.execute(
                "INSERT INTO tokens (id, name, hash, targets, created, allow) VALUES (?,?,?,?,?,?)",
                (
                    token.id,
                    name,
                    secret_hash(secret),
                    json.dumps(list(targets)),
                    token.created,
                    json.dumps(list(allow)),
                ),
            )
        return token, secret

    def all(self) -> list[Token]:
        return [_row_token(row) for row in self.db.read("SELECT * FROM tokens ORDER BY created")]

    def revoke(self, token_id: str) -> bool:
        with self.db.write() as db:
            db.execute(
                "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                (time.time(), token_id),
            )
            exists = db.execute("SELECT 1 FROM tokens WHERE id = ?", (token_id,)).fetchone()
        return exists is not None

    def find(self, secret: str) -> Token | None:
        rows = self.db.read(
            "SELECT * FROM tokens WHERE hash = ? AND revoked IS NULL", (secret_hash(secret),)
        )
        return _row_token(rows[0]) if rows else None
