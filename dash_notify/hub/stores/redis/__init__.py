"""The shared store: a Redis server, for several processes and hosts."""

from __future__ import annotations

from ..base import Stores
from .channels import RedisChannels
from .connection import connect
from .limits import RedisLimits
from .messages import RedisMessages
from .seen import RedisSeen
from .tokens import RedisTokens


def open_redis(url: str) -> Stores:
    """Every part of the store on the Redis server at ``url``."""
    conn = connect(url)
    return Stores(
        url=url,
        messages=RedisMessages(conn),
        seen=RedisSeen(conn),
        tokens=RedisTokens(conn),
        limits=RedisLimits(conn),
        channels=RedisChannels(conn),
        closer=conn.client.close,
    )
