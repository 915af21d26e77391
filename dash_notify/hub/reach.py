"""What a read token sees: the messages addressed to targets its ``to`` reaches.

A read token is scoped like a publishing token: ``"group:deploys"`` sees the messages
addressed to that topic, ``"user:alice"`` alice's direct messages, ``"user:*"`` and
``"group:*"`` every user's or every group's, ``"*"`` everything (a message addressed to
everyone, ``"*"``, is seen only by a token whose ``to`` has ``"*"``). A subscriber may
narrow its view to some of those targets, never widen it. A :class:`Reader` stands
where a browser's :class:`~.targets.Identity` stands: in the live fan-out and in the
stream's replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .model import Message, PublishDeniedError, Token
from .targets import EVERYONE, may_reach, parse_targets


@dataclass(frozen=True)
class Reader:
    """A read token's view: its id and the targets it reaches (wildcards allowed)."""

    token_id: str
    reach: tuple[str, ...]
    #: The live dispatcher keeps readers apart from users (no seen marks, no user index).
    reader = True

    @property
    def user(self) -> str:
        """The key its open streams are counted under (never a user id: see ``reader``)."""
        return f"token:{self.token_id}"

    @cached_property
    def exact(self) -> frozenset[str] | None:
        """The targets to read from the store, or None when a wildcard reaches further
        (then every message is read and :meth:`receives` picks)."""
        if any(t == EVERYONE or t.endswith(":*") for t in self.reach):
            return None
        return frozenset(self.reach)

    def visible(self, targets: Iterable[str]) -> list[str]:
        """The targets of a message this reader may know of (the others are not told)."""
        return [t for t in targets if not may_reach(self.reach, [t])]

    def receives(self, targets: Iterable[str]) -> bool:
        """Whether a message for ``targets`` reaches this reader."""
        return bool(self.visible(targets))


def reader_of(token: Token, wanted: Iterable[str] | None = None, field: str = "to") -> Reader:
    """The reader of a read token, narrowed to ``wanted`` targets (each one the token
    must reach, wildcards allowed; None: all it reaches). Raises ``TargetError`` for a
    bad target and :class:`PublishDeniedError` naming ``field`` for one it may not read."""
    if wanted is None:
        return Reader(token.id, token.targets)
    targets = parse_targets(list(wanted), wildcards=True)
    denied = may_reach(token.targets, targets)
    if denied:
        raise PublishDeniedError(
            field,
            f"token {token.name!r} may not read {', '.join(denied)}",
            token.targets,
        )
    return Reader(token.id, targets)


def reader_page(
    hub: Any, reader: Reader, after: int, limit: int, not_before: float | None = None
) -> tuple[list[Message], int, bool]:
    """A page of the replay: the reader's messages after id ``after`` (created at or
    after ``not_before``), the last id read, and whether more may follow."""
    batch = hub.stores.messages.after(reader.exact, after, limit)
    kept = [
        m
        for m in batch
        if reader.receives(m.targets) and (not_before is None or m.created >= not_before)
    ]
    return kept, (batch[-1].id if batch else after), len(batch) == limit


def latest_id(hub: Any, reader: Reader, window: int = 200, pages: int = 25) -> int | None:
    """The id of the reader's newest notification (None: none among the newest
    ``window * pages`` messages)."""
    if reader.exact is not None:
        newest = [
            m for m in hub.stores.messages.newest(reader.exact, 50, None) if m.kind == "notify"
        ]
        return newest[0].id if newest else None
    last = hub.position().last
    for _ in range(pages):
        if last <= 0:
            return None
        found = hub.stores.messages.get(list(range(max(1, last - window + 1), last + 1)))
        for message_id in sorted(found, reverse=True):
            message = found[message_id]
            if message.kind == "notify" and reader.receives(message.targets):
                return message_id
        last -= window
    return None
