"""``hub.webhooks``: webhook rules from Python (create, list, get, update, delete,
rotate, test, attempts) and the events users' actions add (``emit``)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Message
from ..targets import Identity
from .addresses import check_url
from .config import WebhookConfig
from .deliver import send_event
from .events import EVENT_KIND, TEST_EVENT, USER_EVENTS, Event
from .rule import Attempt, Rule
from .signing import new_secret
from .validate import RuleError, RuleNotFoundError, check_fields

if TYPE_CHECKING:
    from ..core import Hub

LIST_LIMIT = 500


class Webhooks:
    """The hub's webhook rules. Rules are kept in the hub's store (every process sees
    them); the hub's :class:`~.channel.WebhookChannel` delivers their events, and its
    options (``allow_private`` ...) are the ones checked here."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self._config: WebhookConfig | None = None

    @property
    def config(self) -> WebhookConfig:
        """The options of the hub's webhook channel (the defaults without one)."""
        if self._config is not None:
            return self._config
        from ..channels.webhooks import WebhookChannel

        for channel in self.hub.channels:
            if isinstance(channel, WebhookChannel):
                return channel.config
        return WebhookConfig()

    @config.setter
    def config(self, config: WebhookConfig) -> None:
        self._config = config

    # -- rules -------------------------------------------------------------------------
    def create(
        self,
        name: str,
        url: str,
        *,
        method: str = "POST",
        events: Sequence[str] = ("notification.published",),
        filters: dict[str, Any] | None = None,
        active: bool = True,
    ) -> Rule:
        """A new rule, with a new secret (``rule.secret``, which receivers verify with).

        Raises RuleError naming the field (and the allowed values) for a bad field;
        a URL is refused unless it is http(s) and resolves to public addresses only
        (or the app allows private ones)."""
        fields = check_fields(
            {
                "name": name,
                "url": url,
                "method": method,
                "events": events,
                "filters": filters,
                "active": active,
            }
        )
        self._check_url(fields["url"])
        now = time.time()
        rule = Rule(
            id="wh_" + secrets.token_hex(8),
            secret=new_secret(),
            created=now,
            updated=now,
            **fields,
        )
        self.hub.stores.rules.add(rule)
        return rule

    def list(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Rule], int]:
        """Rules whose name contains ``q`` (ignoring case), oldest first, ``limit`` of
        them (at most 500) from ``offset``; and how many match in all."""
        if q is not None and (not isinstance(q, str) or len(q) > 100):
            raise RuleError("q", "must be a string of at most 100 characters")
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= LIST_LIMIT:
            raise RuleError("limit", f"must be an integer from 1 to {LIST_LIMIT}")
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise RuleError("offset", "must be an integer >= 0")
        return self.hub.stores.rules.list(q or None, limit, offset)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id (RuleNotFoundError when there is none)."""
        rule = self.hub.stores.rules.get(rule_id) if isinstance(rule_id, str) else None
        if rule is None:
            raise RuleNotFoundError(str(rule_id))
        return rule

    def update(self, rule_id: str, **changes: Any) -> Rule:
        """Change some fields of a rule (``name``, ``url``, ``method``, ``active``,
        ``events``, ``filters``); the others stay. Turning a rule back on
        (``active=True``) clears why it was disabled and its failing mark."""
        self.get(rule_id)
        fields = check_fields(changes)
        if "url" in fields:
            self._check_url(fields["url"])
        if fields.get("active") is True:
            fields.update(disabled_reason=None, failing_since=None)
        fields["updated"] = time.time()
        rule = self.hub.stores.rules.update(rule_id, fields)
        if rule is None:
            raise RuleNotFoundError(rule_id)
        return rule

    def delete(self, rule_id: str) -> None:
        """Delete a rule and its attempts (RuleNotFoundError when there is none);
        deliveries already queued for it are skipped."""
        if not isinstance(rule_id, str) or not self.hub.stores.rules.delete(rule_id):
            raise RuleNotFoundError(str(rule_id))

    def rotate(self, rule_id: str, *, keep_previous: float | None = None) -> Rule:
        """Give a rule a new secret; the previous one keeps signing too (a second
        signature in ``webhook-signature``) for ``keep_previous`` seconds (the channel's
        ``keep_previous``, one day, by default), so receivers can switch over."""
        rule = self.get(rule_id)
        keep = self.config.keep_previous if keep_previous is None else keep_previous
        if not isinstance(keep, (int, float)) or keep < 0:
            raise RuleError("keep_previous", "must be a number of seconds >= 0")
        now = time.time()
        changed = self.hub.stores.rules.update(
            rule_id,
            {
                "secret": new_secret(),
                "previous_secret": rule.secret if keep else None,
                "previous_until": now + keep if keep else None,
                "updated": now,
            },
        )
        if changed is None:
            raise RuleNotFoundError(rule_id)
        return changed

    def test(self, rule_id: str) -> Attempt:
        """Send a ``webhook.test`` event to a rule's URL now (whatever its events,
        filters and state), signed as every event is; the attempt, also kept in the
        rule's attempts."""
        rule = self.get(rule_id)
        webhook_id = "test:" + secrets.token_hex(8)
        data = {"rule": {"id": rule.id, "name": rule.name}}
        answer = send_event(rule, webhook_id, TEST_EVENT, data, self.config)
        ok = answer.status is not None and 200 <= answer.status < 300
        attempt = Attempt(
            rule.id,
            webhook_id,
            TEST_EVENT,
            time.time(),
            answer.status,
            round(answer.latency, 4),
            None if ok else (answer.error or f"HTTP {answer.status}"),
        )
        self.hub.stores.rules.log([attempt], self.config.keep_attempts)
        return attempt

    def attempts(self, rule_id: str, limit: int = 50) -> list[Attempt]:
        """A rule's recent requests, newest first: webhook-id, event, time, HTTP status,
        latency and error."""
        self.get(rule_id)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= LIST_LIMIT:
            raise RuleError("limit", f"must be an integer from 1 to {LIST_LIMIT}")
        return self.hub.stores.rules.attempts(rule_id, limit)

    def _check_url(self, url: str) -> None:
        try:
            check_url(url, allow_private=self.config.allow_private, resolve=self.config.resolve)
        except ValueError as error:
            raise RuleError("url", str(error).removeprefix("url: ")) from error

    # -- events of users ------------------------------------------------------------------
    def emit(
        self, event: str, notification: int, identity: Identity, *, action: str | None = None
    ) -> int | None:
        """Record that a user clicked (``notification.clicked``, with the ``action`` id,
        None for the notification's body), saw or closed a notification, for the rules
        that want it: a message of kind ``event`` in the log, which no browser receives.

        Only a notification the user may see counts (nothing is recorded otherwise, nor
        when no active rule wants this event with its filters); returns the event's
        message id or None.
        """
        if action is not None and (not isinstance(action, str) or len(action) > 200):
            raise RuleError("action", "must be a string of at most 200 characters")
        if not isinstance(notification, int) or isinstance(notification, bool):
            raise RuleError("notification", "must be a notification id")
        recorded = self.emit_many(event, [notification], identity, action=action)
        return recorded[0] if recorded else None

    def emit_many(
        self,
        event: str,
        notifications: Sequence[int],
        identity: Identity,
        *,
        action: str | None = None,
        bulk: bool = False,
    ) -> list[int]:
        """:meth:`emit` for several notifications at once (one event each): those the
        user may see and some active rule wants, filters applied. ``bulk`` marks the
        events of a "mark all seen" (``"all": true`` in their data). Returns the ids of
        the events recorded."""
        if event not in USER_EVENTS:
            raise RuleError("event", f"{event!r} is not a user event", USER_EVENTS)
        rules = [rule for rule in self.hub.stores.rules.active() if event in rule.events]
        if not rules or not notifications:
            return []
        visible = self.hub.stores.messages.visible(identity.targets, notifications)
        found = self.hub.stores.messages.get(visible)
        recorded = []
        for notification in sorted(found):
            message = found[notification]
            wanted = Event(event, message, notification, user=identity.user, action=action)
            if message.kind != "notify" or not any(wanted.matches(rule) for rule in rules):
                continue
            options: dict[str, Any] = {
                "event": event,
                "notification": notification,
                "user": identity.user,
            }
            if action is not None:
                options["action"] = action
            if bulk:
                options["all"] = True
            stored = self.hub.stores.messages.append(
                options,
                (),
                f"user:{identity.user}",
                EVENT_KIND,  # type: ignore[arg-type]
            )
            recorded.append(stored.id)
        return recorded

    def notification_for(self, notification: int, identity: Identity) -> Message | None:
        """The notification with this id when the user is one of its recipients (None
        when there is none, it is not theirs, or it is no notification)."""
        if not self.hub.stores.messages.visible(identity.targets, [notification]):
            return None
        found = self.hub.stores.messages.get([notification]).get(notification)
        return found if found is not None and found.kind == "notify" else None

    def wants(self, event: str) -> bool:
        """Whether an active rule wants ``event``."""
        return any(event in rule.events for rule in self.hub.stores.rules.active())


def with_private_addresses(config: WebhookConfig) -> WebhookConfig:
    """The same options, allowing private addresses."""
    return replace(config, allow_private=True)
