"""The notification hub: publish from anywhere, deliver live, keep every message.

``Hub`` (in :mod:`.hub`) ties it together; targets and identities are in
:mod:`.targets`, storage in :mod:`.store` (SQLite: :mod:`.sqlite_store`, Redis:
:mod:`.redis_store`), live fan-out in :mod:`.fanout`, the HTTP API in :mod:`.http`
(its publish formats in :mod:`.formats`, its OpenAPI document in :mod:`.openapi`).
"""

from .hub import Hub
from .store import StoreUnavailableError, open_store
from .targets import EVERYONE, Identity, TargetError, group, user

__all__ = [
    "EVERYONE",
    "Hub",
    "Identity",
    "StoreUnavailableError",
    "TargetError",
    "group",
    "open_store",
    "user",
]
