"""Redis: the client, key names, and Redis failures as StoreUnavailableError.

Besides lost connections, Redis refuses writes when it is out of memory (``OOM``),
cannot persist (``MISCONF``) or is a read-only replica (``READONLY``); all of them
mean "nothing was stored, try again later", as SQLite's disk-full does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import redis

from ...model import StoreUnavailableError

# redis-py raises some refusals as classes of their own (without the code in the text),
# the rest as a ResponseError whose text starts with Redis's error code.
_REFUSAL_TYPES = (
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.ReadOnlyError,
    redis.exceptions.BusyLoadingError,
)
_REFUSALS = ("OOM", "MISCONF", "READONLY", "LOADING", "MASTERDOWN", "BUSY", "NOREPLICAS")


@dataclass
class RedisConnection:
    """A client and the prefix of every key."""

    client: redis.Redis
    prefix: str = "dash_notify"

    @property
    def where(self) -> str:
        """Host and port (or socket path), for error messages."""
        kwargs = self.client.connection_pool.connection_kwargs
        return kwargs.get("path") or f"{kwargs.get('host')}:{kwargs.get('port')}"

    def key(self, *parts: str) -> str:
        """``<prefix>:<part>:<part>``."""
        return ":".join((self.prefix, *parts))


def guarded(function):
    """Turns Redis connection failures and write refusals into StoreUnavailableError."""

    @functools.wraps(function)
    def wrapper(self, *args, **kwargs):
        try:
            return function(self, *args, **kwargs)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise StoreUnavailableError(
                f"Redis at {self.conn.where} is unavailable: {error}"
            ) from error
        except redis.exceptions.ResponseError as error:
            if isinstance(error, _REFUSAL_TYPES) or str(error).split(" ", 1)[0] in _REFUSALS:
                raise StoreUnavailableError(
                    f"Redis at {self.conn.where} refused the write "
                    f"({type(error).__name__}): {error}"
                ) from error
            raise

    return wrapper


def connect(url: str) -> RedisConnection:
    """A connection from ``redis://host:port/db?prefix=name`` (``rediss://`` and
    ``unix://`` too)."""
    base, _, query = url.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
    prefix = params.pop("prefix", "dash_notify")
    rest = "&".join(f"{k}={v}" for k, v in params.items())
    client = redis.Redis.from_url(
        base + (f"?{rest}" if rest else ""),
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=10,
        health_check_interval=10,
    )
    return RedisConnection(client, prefix)
