"""The shared store: a Redis server, for several processes and hosts."""

from __future__ import annotations

import logging

import redis

from ..base import Stores
from .channels import RedisChannels
from .connection import connect
from .limits import RedisLimits
from .mail import RedisMail
from .messages import RedisMessages
from .preferences import RedisPreferences
from .push import RedisPush
from .rules import RedisRules
from .seen import RedisSeen
from .tokens import RedisTokens


def open_redis(url: str) -> Stores:
    """Every part of the store on the Redis server at ``url``."""
    conn = connect(url)
    _warn_about_durability(conn)
    return Stores(
        url=url,
        messages=RedisMessages(conn),
        seen=RedisSeen(conn),
        tokens=RedisTokens(conn),
        limits=RedisLimits(conn),
        channels=RedisChannels(conn),
        push=RedisPush(conn),
        rules=RedisRules(conn),
        preferences=RedisPreferences(conn),
        mail=RedisMail(conn),
        closer=conn.client.close,
    )


def durability(config: dict[str, str]) -> str | None:
    """What a Redis persistence configuration loses of acknowledged publishes, or None
    when it loses nothing short of the disk itself."""
    if config.get("appendonly") != "yes":
        return (
            "appendonly is off: acknowledged notifications are lost when Redis restarts "
            "(up to the last snapshot); run it with --appendonly yes --appendfsync always"
        )
    if config.get("appendfsync") != "always":
        return (
            f"appendfsync is {config.get('appendfsync')!r}: up to about a second of "
            "acknowledged notifications is lost if the machine crashes; "
            "--appendfsync always loses none"
        )
    return None


def _warn_about_durability(conn) -> None:
    """Say once, at start, what the server's configuration promises (CONFIG may be
    disabled on a managed Redis: then nothing is said)."""
    try:
        config = conn.client.config_get("append*")
    except redis.exceptions.RedisError:
        return
    warning = durability(config)
    if warning:
        logging.getLogger("dash_notify.hub").warning("Redis at %s: %s", conn.where, warning)
