"""What every hub store keeps and answers, and how a store is chosen from a URL.

A store keeps each notification with its targets, its created time and, per user, the
time they saw it (as Lino's notify keeps messages); the hub's publishing tokens; and
rate-limit counters. It also tells every process that shares it what changed, so that
a notification published in one process reaches browsers connected to another.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached (a Redis server that is down, say).

    A publish that raises it stored nothing: it is safe to retry.
    """


@dataclass(frozen=True)
class Message:
    """A stored notification: its id (increasing, the SSE event id), the options it
    was published with, its targets, when it was created and who published it."""

    id: int
    options: dict[str, Any]
    targets: tuple[str, ...]
    created: float
    publisher: str = ""


@dataclass(frozen=True)
class Seen:
    """Notifications a user has just seen (``ids``), at ``at``."""

    user: str
    ids: tuple[int, ...]
    at: float


@dataclass(frozen=True)
class Token:
    """A publishing token: its id, name, the targets it may publish to and when it was
    created (and revoked). The secret itself is never stored, only its hash."""

    id: str
    name: str
    targets: tuple[str, ...]
    created: float
    revoked: float | None = None


@dataclass
class Changes:
    """What :meth:`Store.changes` found after a cursor."""

    messages: list[Message] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    cursor: Any = None


def new_secret() -> str:
    """A fresh token secret (what the owner gives to the publishing system)."""
    return "dn_" + secrets.token_urlsafe(24)


def secret_hash(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Store(Protocol):
    """The hub's storage; :class:`~dash_notify.hub.sqlite_store.SQLiteStore` and
    :class:`~dash_notify.hub.redis_store.RedisStore` implement it."""

    def publish(
        self, options: dict[str, Any], targets: Sequence[str], publisher: str = ""
    ) -> Message:
        """Store a notification; when it returns, the notification is durable."""

    def cursor(self) -> Any:
        """The position after everything stored now (for :meth:`changes`)."""

    def changes(self, cursor: Any, timeout: float) -> Changes:
        """New notifications and seen marks after ``cursor``, waiting up to ``timeout``
        seconds for the first; ``Changes.cursor`` is the position after them."""

    def last_id(self) -> int:
        """The id of the newest notification (0 when there is none)."""

    def visible_after(self, targets: Iterable[str], after: int, limit: int) -> list[Message]:
        """Notifications for any of ``targets`` with an id above ``after``, oldest first."""

    def history(
        self, targets: Iterable[str], user: str, limit: int, before: int | None = None
    ) -> list[tuple[Message, float | None]]:
        """A user's notifications, newest first, each with the time the user saw it."""

    def mark_seen(
        self, targets: Iterable[str], user: str, ids: Iterable[int] | None
    ) -> tuple[int, ...]:
        """Mark notifications seen for ``user`` (all of theirs when ``ids`` is None);
        ids the user cannot see are ignored. Returns the ids newly marked."""

    def purge(self, before: float, keep_unseen: bool) -> int:
        """Remove notifications created before ``before``; returns how many."""

    def add_token(self, name: str, targets: Sequence[str]) -> tuple[Token, str]:
        """Create a token; returns it with its secret (shown once, never stored)."""

    def tokens(self) -> list[Token]:
        """Every token, revoked ones included."""

    def revoke_token(self, token_id: str) -> bool:
        """Revoke a token; False when there is no such token."""

    def token_for(self, secret: str) -> Token | None:
        """The live token with this secret, or None."""

    def hit(self, key: str, window: int, now: float) -> int:
        """Count one request for ``key`` in the current ``window`` (seconds) and return
        the count so far in that window."""

    def close(self) -> None:
        """Release connections."""


def open_store(url: str) -> Store:
    """A store from a URL: ``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or
    ``redis://host:port/db`` (``rediss://`` too; ``?prefix=name`` sets the key prefix)."""
    if url.startswith("sqlite:///"):
        from .sqlite_store import SQLiteStore

        return SQLiteStore(url[len("sqlite:///") :])
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore

        return RedisStore.from_url(url)
    raise ValueError(
        f"store: {url!r} is not a store URL; allowed: 'sqlite:///<path>', 'redis://host:port/db'"
    )
