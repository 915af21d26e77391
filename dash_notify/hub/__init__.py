"""The notification hub: publish from anywhere, deliver live and on channels, keep
every message.

The data flow: ingest formats (:mod:`.ingest`) -> the one publish door
(:meth:`.core.Hub.submit`) -> the store (:mod:`.stores`, by concern, SQLite or Redis)
-> live fan-out to open streams (:mod:`.live`) and channels (:mod:`.channels`) -> the
web layer (:mod:`.web`, the only code that knows the web framework).
"""

from . import web  # noqa: F401 - registers the Dash plugin hook putting the routes on apps
from .channels import Channel, Failed, Outgoing, Retry, Sent, Skipped
from .core import Hub
from .model import Delivery, Message, Origin, PublishDeniedError, StoreUnavailableError, Token
from .stores import open_stores
from .targets import EVERYONE, Identity, TargetError, group, user

__all__ = [
    "EVERYONE",
    "Channel",
    "Delivery",
    "Failed",
    "Hub",
    "Identity",
    "Message",
    "Origin",
    "Outgoing",
    "PublishDeniedError",
    "Retry",
    "Sent",
    "Skipped",
    "StoreUnavailableError",
    "TargetError",
    "Token",
    "group",
    "open_stores",
    "user",
]
