"""What the hub keeps and passes around: messages, seen marks, tokens, where a publish
came from, positions in the log, channel deliveries; and the errors every layer shares.

Plain data, no storage and no web framework: every other module of the hub imports
from here, and this module imports from none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached, or refused a write (Redis down, out of memory or
    read-only; SQLite's disk full or locked for too long).

    A publish that raises it stored nothing: it is safe to retry.
    """


class PublishDeniedError(PermissionError):
    """A publisher may not do this: a target its token may not reach, or an option its
    token is not allowed to set (``field`` names it, ``allowed`` what it may use)."""

    def __init__(self, field: str, message: str, allowed: tuple[str, ...] = ()):
        self.field = field
        self.allowed = allowed
        super().__init__(f"{field}: {message}")


# What a message asks of the browsers: show a notification, or close one by tag.
MessageKind = Literal["notify", "close"]


@dataclass(frozen=True)
class Message:
    """A stored notification: its id (increasing, the SSE event id), the options it
    was published with, its targets, when it was created, who published it
    (``"python"`` or ``"token:<name>"``, set by the hub) and its kind (a ``close``
    message carries ``{"tag": ...}`` as its options).

    ``actor``: the user whose request published it (Python code in a callback: the
    callback's caller, as ``hub.me()`` names them), or None (a job, the command line, a
    token over HTTP). Channels leave the actor out of a group's or everyone's mail and
    pushes (``notify_myself``); it stays on the server, browsers are never told it.

    ``wire``: this message's bytes in each wire format, made once by the first stream
    that sends it and reused by every other (live fan-out hands one Message object to
    all of its streams); not part of the message's value."""

    id: int
    options: dict[str, Any]
    targets: tuple[str, ...]
    created: float
    publisher: str = ""
    kind: MessageKind = "notify"
    actor: str | None = None
    wire: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Seen:
    """Notifications a user has just seen (``ids``; empty with ``upto`` when they marked
    everything up to that id), at ``at``."""

    user: str
    ids: tuple[int, ...]
    at: float
    upto: int = 0


@dataclass(frozen=True)
class Reset:
    """The store's log started over (a new epoch: Redis restarted without its data, or
    another file restored): whoever follows it must start again from ``position``."""

    position: Position


@dataclass(frozen=True)
class Position:
    """A place in the store's log: the store's epoch (a random name given when the
    log began) and the id of the newest message then."""

    epoch: str
    last: int


# Permissions a token may be given beyond publishing plain notifications ("admin":
# manage webhook rules over HTTP; "read": subscribe to what its targets reach, and then
# publish only with "publish" too).
TOKEN_PERMISSIONS = ("interop", "source", "admin", "read", "publish")


@dataclass(frozen=True)
class Token:
    """A publishing token: its id, name, the targets it may publish to, when it was
    created (and revoked), and what else it may set (``allow``: ``"interop"`` for
    ``clickInterop`` and action ``interop``, ``"source"`` for ``source``; ``"read"``
    makes it a read token, which subscribes to what its targets reach and publishes
    only when ``"publish"`` is allowed too). The secret itself is never stored, only
    its hash."""

    @property
    def may_publish(self) -> bool:
        """A token publishes unless it is a read token without ``"publish"``."""
        return "read" not in self.allow or "publish" in self.allow

    id: str
    name: str
    targets: tuple[str, ...]
    created: float
    revoked: float | None = None
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class Origin:
    """Who is publishing: Python code of the app (trusted), or a token (limited to its
    targets and permissions). ``publisher`` is what the message records and what
    browsers receive in ``clickData.publisher``."""

    publisher: str
    token: Token | None = None

    @classmethod
    def python(cls) -> Origin:
        """The app's own code (``hub.publish``): trusted."""
        return cls("python")

    @classmethod
    def from_token(cls, token: Token) -> Origin:
        """A publishing token."""
        return cls(f"token:{token.name}", token)


DeliveryState = Literal["queued", "sent", "failed", "skipped"]


@dataclass(frozen=True)
class Delivery:
    """One message to one recipient on one channel, as the delivery log keeps it.

    ``key`` is the idempotency key (the same on every attempt, so a receiver can drop
    repeats); ``state`` is queued, sent, failed or skipped, with the last ``error``;
    ``attempts`` counts tries; ``due`` is when the next try may start."""

    channel: str
    message_id: int
    recipient: str
    key: str
    state: DeliveryState
    attempts: int = 0
    error: str | None = None
    updated: float = 0.0
    due: float = 0.0


@dataclass
class Changes:
    """What a change feed returned after a cursor: new messages, seen marks, the cursor
    after them, and ``reset`` when the log started over (then ``cursor`` is the new
    log's start)."""

    messages: list[Message] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    cursor: Any = None
    reset: Position | None = None
