"""The channel seam: what a channel is, and what it answers for each delivery.

A channel is one class with a ``name``, a way to say which recipients a message has
on it (``recipients``) and a way to send a batch (``send``). The runner does the rest:
it follows the store's log from the channel's durable cursor, queues one delivery per
message and recipient (with an idempotency key that stays the same on every attempt),
hands due deliveries to ``send`` in batches, retries with backoff what should be
retried, and keeps every outcome in the delivery log (``hub.deliveries()``).

Before ``send``, the runner skips deliveries to ``user:<id>`` recipients that the
user's preferences hold back on this channel ("preference: ...", in the delivery log).
A channel's ``send`` must not raise for one recipient's failure: it answers an
:data:`Outcome` per delivery. An exception from ``send`` counts as a retry for the
whole batch. Receivers that can should drop repeats by ``Outgoing.key``: a process
killed after sending but before recording sends again under the same key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from ..model import Delivery, Message

if TYPE_CHECKING:
    from ..core import Hub

CHANNEL_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Outgoing:
    """One delivery to send: the message, the recipient and the idempotency key."""

    delivery: Delivery
    message: Message

    @property
    def key(self) -> str:
        """The idempotency key: the same on every attempt of this delivery."""
        return self.delivery.key

    @property
    def recipient(self) -> str:
        """Who it is for, as the channel's ``recipients`` named them."""
        return self.delivery.recipient


@dataclass(frozen=True)
class Sent:
    """The receiver accepted it."""


@dataclass(frozen=True)
class Retry:
    """Try again later (``after`` seconds, or the runner's backoff when None)."""

    error: str
    after: float | None = None


@dataclass(frozen=True)
class Failed:
    """It will never succeed (a bad address, a gone subscription)."""

    error: str


@dataclass(frozen=True)
class Skipped:
    """Not sent on purpose (a preference, a rule that no longer matches)."""

    reason: str


@dataclass(frozen=True)
class Later:
    """Not yet (a digest whose time has not come): stays queued until ``at``; not an
    attempt, so it never uses up the retries."""

    at: float


Outcome = Union[Sent, Retry, Failed, Skipped, Later]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: ``delays[i]`` seconds before try ``i + 2``;
    after the last one the delivery fails. Each delay gets up to ``jitter`` of itself
    added at random, so that retries of many deliveries spread out."""

    delays: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0)
    jitter: float = 0.1

    def delay(self, attempts: int) -> float | None:
        """Seconds before the next try after ``attempts`` tries (None: give up)."""
        if attempts > len(self.delays):
            return None
        return self.delays[attempts - 1]


class Channel:
    """Base class of channels. Subclasses set ``name`` and implement ``recipients``
    and ``send``; ``batch_size`` and ``retry`` may be overridden."""

    name: str = ""
    # The user preference this channel follows (``"push"``, ``"email"``; None: the
    # channel's name). Only deliveries to ``user:<id>`` recipients (``user:<id>#...``
    # too) are subject to preferences; the runner skips what they hold back.
    preference: str | None = None
    batch_size: int = 50
    retry: RetryPolicy = RetryPolicy()

    def recipients(self, message: Message, hub: Hub) -> Iterable[str]:
        """Who ``message`` goes to on this channel (say user ids, subscription or rule
        ids); nothing when it is not for this channel."""
        raise NotImplementedError

    def send(self, batch: Sequence[Outgoing], hub: Hub) -> Sequence[Outcome]:
        """Send a batch; one outcome per item, in order."""
        raise NotImplementedError

    def first_due(self, message: Message, recipient: str, hub: Hub, now: float) -> float:
        """When a new delivery is first due (now; a digest: its slot)."""
        return now


def check_channel(channel: Channel) -> Channel:
    """A channel with a usable name, or ValueError naming what is wrong."""
    if not isinstance(channel, Channel):
        raise TypeError(f"channels: {channel!r} is not a dash_notify Channel")
    if not isinstance(channel.name, str) or not CHANNEL_NAME.fullmatch(channel.name):
        raise ValueError(
            f"channel name: {channel.name!r} must be 1-40 of a-z 0-9 _ - (starting with a "
            "letter or digit)"
        )
    return channel
