"""The hub's stores, by concern (see :mod:`.base`), on SQLite or Redis."""

from __future__ import annotations

from .base import ChannelLog, Limits, MessageLog, RuleStore, SeenState, Stores, TokenStore

ALLOWED_URLS = ("'sqlite:///<path>'", "'redis://host:port/db'")


def open_stores(url: str) -> Stores:
    """A store from a URL: ``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or
    ``redis://host:port/db`` (``rediss://`` and ``unix://`` too; ``?prefix=name`` sets
    the key prefix)."""
    if not isinstance(url, str):
        raise TypeError(f"store: must be a URL string, got {type(url).__name__}")
    if url.startswith("sqlite:///"):
        from .sqlite import open_sqlite

        return open_sqlite(url[len("sqlite:///") :], url=url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import open_redis

        return open_redis(url)
    raise ValueError(f"store: {url!r} is not a store URL; allowed: {', '.join(ALLOWED_URLS)}")


__all__ = [
    "ChannelLog",
    "Limits",
    "MessageLog",
    "RuleStore",
    "SeenState",
    "Stores",
    "TokenStore",
    "open_stores",
]
