"""``hub.push``: the Web Push subscriptions of a hub's users, from Python (the web
layer and the ``dash-notify push`` commands use it too).

Settings that concern subscriptions (whether private endpoints are allowed, the public
key browsers subscribe with) belong to the hub's push channel
(:class:`dash_notify.hub.channels.push.PushChannel`); without one, nothing can be sent,
but subscriptions can still be listed and removed (say from a command line that opens
the store only).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..targets import TargetError, parse_target
from .subscription import (
    PushSubscriptionError,
    Subscription,
    parse_subscription,
    subscription_id,
)

if TYPE_CHECKING:
    from ..core import Hub

# A user keeps at most this many subscriptions (browsers); the oldest others go.
KEEP_PER_USER = 20
LIST_LIMIT = 10_000


@runtime_checkable
class PushSender(Protocol):
    """What ``hub.push`` needs of the push channel (this module does not import it,
    so that the hub runs without the ``push`` extra)."""

    allow_private: bool

    @property
    def public_key(self) -> str:
        """The applicationServerKey browsers subscribe with."""


class Push:
    """Subscribe, unsubscribe, list and remove Web Push subscriptions of ``hub``."""

    def __init__(self, hub: Hub):
        self.hub = hub

    @property
    def sender(self) -> PushSender | None:
        """The hub's push channel, or None when it has none."""
        for channel in self.hub.channels:
            if isinstance(channel, PushSender):
                return channel
        return None

    @property
    def public_key(self) -> str:
        """The applicationServerKey for ``pushManager.subscribe`` (RuntimeError when
        the hub has no push channel)."""
        sender = self.sender
        if sender is None:
            raise RuntimeError(
                "push: the hub has no push channel; give it Hub(..., channels=[PushChannel()])"
            )
        return sender.public_key

    def subscribe(
        self,
        user: str,
        subscription: Mapping[str, object],
        *,
        lang: object = None,
        user_agent: object = None,
    ) -> Subscription:
        """Store a browser's subscription (``PushSubscription.toJSON()``) for ``user``;
        the same browser subscribing again replaces its subscription (as another user
        too: the browser then receives only that user's notifications). Raises
        :class:`PushSubscriptionError` naming the field for anything that is not a valid
        Push API subscription, or an endpoint on a loopback or private address the
        push channel does not allow; ``StoreUnavailableError`` when nothing could be
        stored."""
        try:
            parse_target(f"user:{user}" if isinstance(user, str) else user)
        except TargetError as error:
            raise PushSubscriptionError(
                "user", f"{user!r} is not a user id (1-200 of A-Z a-z 0-9 . _ ~ @ + : = | / -)"
            ) from error
        sender = self.sender
        parsed = parse_subscription(
            subscription,
            user=user,
            lang=lang,
            user_agent=user_agent,
            allow_private=bool(sender and sender.allow_private),
            now=time.time(),
        )
        return self.hub.stores.push.save(parsed, KEEP_PER_USER)

    def unsubscribe(self, user: str, endpoint: str) -> bool:
        """A browser unsubscribes: remove ``user``'s subscription with this endpoint
        (another user's is left alone); False when there was none."""
        if not isinstance(endpoint, str) or len(endpoint) > 2048:
            return False
        found = self.hub.stores.push.get([subscription_id(endpoint)])
        mine = [s.id for s in found.values() if s.user == user and s.endpoint == endpoint]
        return bool(mine) and self.hub.stores.push.remove(mine) > 0

    def list(self, user: str | None = None, limit: int = LIST_LIMIT) -> list[Subscription]:
        """Subscriptions of ``user`` (everyone's when None), oldest first."""
        return self.hub.stores.push.list(user, limit)

    def remove(self, subscription_id: str) -> bool:
        """Remove a subscription by id (an administrator's way); False when none."""
        return self.hub.stores.push.remove([subscription_id]) > 0
