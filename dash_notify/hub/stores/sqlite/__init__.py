"""The embedded store: one SQLite file (WAL) shared by every process that opens it,
plus ``<file>-limits`` for rate counters."""

from __future__ import annotations

import threading

from ..base import Stores
from .channels import SQLiteChannels
from .db import Database
from .limits import SQLiteLimits
from .mail import SQLiteMail
from .messages import SQLiteMessages
from .preferences import SQLitePreferences
from .push import SQLitePush
from .rules import SQLiteRules
from .seen import SQLiteSeen
from .tokens import SQLiteTokens


def open_sqlite(path: str, *, url: str = "", poll_interval: float = 0.05) -> Stores:
    """Every part of the store on the SQLite file at ``path``."""
    wake = threading.Condition()

    def woken() -> None:
        with wake:
            wake.notify_all()

    db = Database(path, on_commit=woken)
    limits_db = Database(f"{path}-limits", synchronous="OFF", size=4)
    messages = SQLiteMessages(db, wake, poll_interval)

    def close() -> None:
        db.close()
        limits_db.close()

    return Stores(
        url=url or f"sqlite:///{path}",
        messages=messages,
        seen=SQLiteSeen(db),
        tokens=SQLiteTokens(db),
        limits=SQLiteLimits(limits_db),
        channels=SQLiteChannels(db),
        push=SQLitePush(db),
        rules=SQLiteRules(db),
        preferences=SQLitePreferences(db),
        mail=SQLiteMail(db),
        closer=close,
    )
