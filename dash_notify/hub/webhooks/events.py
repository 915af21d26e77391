"""The events webhooks carry, read from the hub's message log.

- ``notification.published``: a notification (a message of kind ``notify``);
- ``notification.closed``: ``hub.close(tag, to=...)`` (a message of kind ``close``);
- ``notification.clicked``, ``notification.seen``: what users did, which the web
  layer (clicks) and ``hub.mark_seen`` (seen) record with ``hub.webhooks.emit(...)`` as
  a message of kind ``event``: its options say which event, of which notification, by
  which user (and the action id of a click); it has no targets, so no browser ever
  receives it. A "mark all seen" is one ``notification.seen`` per notification it newly
  marked seen among the user's newest ``BULK_SCAN``, each with ``"all": true`` in its
  data. A user's closing a notification can be recorded the same way as
  ``notification.closed``.

Because every event is a message in the log, the channel runner delivers all of
them the same way: durably, from its cursor, at least once, across processes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ..model import Message
from .rule import Rule

if TYPE_CHECKING:
    from ..core import Hub

# The kind of a message that records a user's action for webhooks.
EVENT_KIND = "event"
# The events a user's action records (``hub.webhooks.emit``).
USER_EVENTS = ("notification.clicked", "notification.seen", "notification.closed")
# The event a rule's test sends.
TEST_EVENT = "webhook.test"


@dataclass(frozen=True)
class Event:
    """An event as rules see it: its type, the notification it is about (None when the
    retention removed it, or for ``hub.close``), the user and action of a click, the
    tag and targets of a close; ``bulk`` for a seen event of a "mark all seen"."""

    type: str
    notification: Message | None = None
    notification_id: int | None = None
    user: str | None = None
    action: str | None = None
    tag: str | None = None
    targets: tuple[str, ...] = ()
    bulk: bool = False

    def values(self, name: str) -> tuple[str, ...]:
        """The event's values for a filter (``severity``, ``type``, ``category``,
        ``source``, ``topic``, ``action``); empty when it has none."""
        options = self.notification.options if self.notification else {}
        if name == "topic":
            return self.notification.targets if self.notification else self.targets
        if name == "action":
            if self.type == "notification.clicked":
                return (self.action,) if self.action else ()
            return tuple(
                str(a["action"])
                for a in options.get("actions") or ()
                if isinstance(a, Mapping) and "action" in a
            )
        value = options.get(name)
        return (str(value),) if value is not None else ()

    def matches(self, rule: Rule) -> bool:
        """Whether an active rule wants this event: one of its events, and every
        filter accepting one of the event's values."""
        if not rule.active or self.type not in rule.events:
            return False
        return all(
            any(value in accepted for value in self.values(name))
            for name, accepted in rule.filters.items()
            if accepted
        )

    def data(self) -> dict[str, Any]:
        """The ``data`` of the webhook's payload."""
        data: dict[str, Any] = {}
        if self.notification is not None:
            n = self.notification
            data["notification"] = {
                "id": n.id,
                "created": _iso(n.created),
                "targets": list(n.targets),
                "publisher": n.publisher,
                "options": n.options,
            }
        elif self.notification_id is not None:
            data["notification"] = {"id": self.notification_id}
        for name in ("user", "action", "tag"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.tag is not None:
            data["targets"] = list(self.targets)
        if self.bulk:
            data["all"] = True
        return data


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="milliseconds")


def payload(event_type: str, data: Mapping[str, Any], now: float) -> dict[str, Any]:
    """The JSON a webhook carries (Standard Webhooks' recommended shape)."""
    return {"type": event_type, "timestamp": _iso(now), "data": dict(data)}


def encode(body: Mapping[str, Any]) -> str:
    """Compact JSON, as sent and signed."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def event_of(message: Message, hub: Hub) -> Event | None:
    """The event a message of the log is (None for a message that is none)."""
    if message.kind == "notify":
        return Event("notification.published", message, message.id)
    if message.kind == "close":
        return Event("notification.closed", tag=message.options.get("tag"), targets=message.targets)
    if message.kind == EVENT_KIND:
        options = message.options
        about = options.get("notification")
        if options.get("event") not in USER_EVENTS or not isinstance(about, int):
            return None
        found = hub.stores.messages.get([about]).get(about)
        return Event(
            options["event"],
            found,
            about,
            user=options.get("user"),
            action=options.get("action"),
            tag=options.get("tag"),
            bulk=options.get("all") is True,
        )
    return None
