"""What each part of a hub store keeps and answers, one protocol per concern.

A store is a set of parts, each written once for SQLite and once for Redis:

- ``messages``: the notifications with their targets, in id order, and the change feed
  every process follows (new messages and seen marks), with the log's epoch;
- ``seen``: per user, when they saw what (explicit marks, and an "everything up to"
  mark that keeps "mark all read" one write however many messages there are);
- ``tokens``: publishing tokens, stored as hashes of their secrets;
- ``limits``: rate limits shared by every process (sliding windows);
- ``channels``: per channel a durable cursor in the log with a lease, and the delivery
  log (one row per message, recipient and channel with its state);
- ``push``: Web Push subscriptions, per user and browser;
- ``rules``: webhook rules (with their secrets) and each rule's recent attempts;
- ``preferences``: each user's delivery preferences (one document per user);
- ``mail``: the email channel's Message-ID claims and owners.

:class:`Stores` bundles them; ``open_stores(url)`` in :mod:`.` makes one from a URL.
The contract tests in ``tests/hub/test_store_contract.py`` run every part against the
real SQLite file and the real redis-server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..model import Changes, Delivery, DeliveryState, Message, MessageKind, Position, Seen, Token
from ..push.subscription import Subscription
from ..webhooks.rule import Attempt, Rule


class MessageLog(Protocol):
    """Notifications in id order, and the change feed."""

    def append(
        self,
        options: dict[str, Any],
        targets: Sequence[str],
        publisher: str,
        kind: MessageKind,
        actor: str | None = None,
    ) -> Message:
        """Store a message (``actor``: the user whose request published it, or None);
        when it returns, it is durable and has its id."""

    def position(self) -> Position:
        """The log's epoch and newest id."""

    def feed_cursor(self) -> Any:
        """A cursor at "now" for :meth:`changes`."""

    def changes(self, cursor: Any, timeout: float) -> Changes:
        """New messages and seen marks after ``cursor``, waiting up to ``timeout``
        seconds for the first; ``reset`` set when the log started over. Returns
        nothing new at once once :meth:`interrupt` was called."""

    def interrupt(self) -> None:
        """End every wait in :meth:`changes` in this process now, and make later calls
        return at once: the process is stopping (its followers must not wait out a
        poll). Never raises, even when the store is unreachable."""

    def after(self, targets: Iterable[str] | None, after: int, limit: int) -> list[Message]:
        """Messages for any of ``targets`` (every message when None) with an id above
        ``after``, oldest first."""

    def newest(self, targets: Iterable[str], limit: int, before: int | None) -> list[Message]:
        """Messages for any of ``targets`` below ``before``, newest first."""

    def get(self, ids: Sequence[int]) -> dict[int, Message]:
        """The messages with these ids that still exist."""

    def visible(self, targets: Iterable[str], ids: Iterable[int]) -> list[int]:
        """Which of ``ids`` exist and are for any of ``targets`` (sorted)."""

    def old(self, before: float, after: int, limit: int) -> list[tuple[int, tuple[str, ...]]]:
        """Ids and targets of messages created before ``before`` with an id above
        ``after``, oldest first (retention walks them a page at a time)."""

    def remove(self, ids: Sequence[int]) -> None:
        """Remove messages (their recipients and seen marks with them, where the store
        keeps them together)."""

    def close(self) -> None:
        """Release connections."""


class SeenState(Protocol):
    """When each user saw which messages."""

    def mark(self, user: str, ids: Sequence[int], upto: int = 0) -> Seen | None:
        """Mark ``ids`` (and, with ``upto``, everything up to that id) seen by ``user``
        now; tells every process through the feed. Returns what was newly marked, or
        None when nothing was."""

    def seen_at(self, user: str, ids: Sequence[int]) -> dict[int, float]:
        """When ``user`` saw each of ``ids`` (ids never seen are left out)."""

    def forget(self, ids: Sequence[int]) -> None:
        """Drop seen marks of removed messages."""


class TokenStore(Protocol):
    """Publishing tokens."""

    def add(
        self, name: str, targets: Sequence[str], allow: Sequence[str] = ()
    ) -> tuple[Token, str]:
        """Create a token; returns it with its secret (shown once, never stored)."""

    def all(self) -> list[Token]:
        """Every token, revoked ones included, oldest first."""

    def revoke(self, token_id: str) -> bool:
        """Revoke a token; False when there is no such token."""

    def find(self, secret: str) -> Token | None:
        """The live token with this secret, or None."""


class Limits(Protocol):
    """Rate limits shared by every process."""

    def take(self, key: str, limit: int, per: float, now: float) -> float | None:
        """Count one request for ``key`` against ``limit`` per ``per`` seconds (a
        sliding window); None when it is allowed, else the seconds until one would be."""


class ChannelLog(Protocol):
    """Per channel: a cursor in the message log held under a lease, and deliveries."""

    def acquire(self, channel: str, owner: str, ttl: float, now: float) -> bool:
        """Take or renew the channel's lease for ``owner`` (True when held)."""

    def release(self, channel: str, owner: str) -> None:
        """Give the lease up (when ``owner`` holds it)."""

    def cursor(self, channel: str) -> int | None:
        """The id of the last message the channel has queued (None: never started)."""

    def enqueue(
        self,
        channel: str,
        owner: str,
        deliveries: Sequence[Delivery],
        cursor: int,
    ) -> bool:
        """Queue deliveries (those already queued keep their state) and move the
        cursor to ``cursor``, in one step, only while ``owner`` holds the lease."""

    def due(self, channel: str, now: float, limit: int) -> list[Delivery]:
        """Queued deliveries whose time has come, oldest first."""

    def record(
        self,
        delivery: Delivery,
        state: DeliveryState,
        *,
        error: str | None,
        due: float,
        now: float,
    ) -> None:
        """Record an attempt's outcome (``due``: when to try again, if queued)."""

    def record_many(
        self,
        records: Sequence[tuple[Delivery, DeliveryState, str | None, float]],
        now: float,
    ) -> None:
        """:meth:`record` for many deliveries, (delivery, state, error, due) each, in
        one write."""

    def postpone(self, delivery: Delivery, due: float, now: float) -> None:
        """Keep a queued delivery queued until ``due`` without counting an attempt (a
        digest whose time has not come)."""

    def note(self, deliveries: Sequence[Delivery]) -> None:
        """Add deliveries in a final state to the log without the lease (what a
        preference held back from live delivery); a key already logged stays as it is."""

    def deliveries(
        self,
        *,
        channel: str | None = None,
        message_id: int | None = None,
        recipient: str | None = None,
        state: DeliveryState | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        """The delivery log, newest first, filtered."""

    def next_due(self, channel: str) -> float | None:
        """When the channel's earliest queued delivery is due (None when none is)."""

    def forget(self, message_ids: Sequence[int]) -> None:
        """Drop deliveries of removed messages."""


class PushSubscriptions(Protocol):
    """Web Push subscriptions: one per browser (endpoint), each for one user."""

    def save(self, subscription: Subscription, keep: int) -> Subscription:
        """Store it, replacing the one with the same endpoint (a browser subscribing
        again, maybe as another user: it keeps ``created`` and ``last_success`` only
        for the same user); the user keeps at most ``keep``, the oldest others go.
        Returns it as stored."""

    def get(self, ids: Sequence[str]) -> dict[str, Subscription]:
        """The subscriptions with these ids that exist."""

    def of_users(self, users: Iterable[str]) -> list[Subscription]:
        """Every subscription of these users, oldest first."""

    def users(self) -> list[str]:
        """Every user with a subscription, sorted."""

    def list(self, user: str | None, limit: int) -> list[Subscription]:
        """Subscriptions (of ``user``, or everyone's), oldest first."""

    def remove(self, ids: Sequence[str]) -> int:
        """Remove subscriptions; returns how many there were."""

    def succeeded(self, ids: Sequence[str], at: float) -> None:
        """Record that a push to each was accepted at ``at``."""


class RuleStore(Protocol):
    """Webhook rules, and the recent attempts of each."""

    def add(self, rule: Rule) -> None:
        """Store a new rule (its id is new)."""

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, or None."""

    def list(self, q: str | None, limit: int, offset: int) -> tuple[list[Rule], int]:
        """Rules whose name contains ``q`` (ignoring case; every rule when None), oldest
        first, ``limit`` of them from ``offset``; and how many match in all."""

    def active(self) -> list[Rule]:
        """Every active rule."""

    def update(self, rule_id: str, changes: Mapping[str, Any]) -> Rule | None:
        """Apply ``changes`` (field -> value) to a rule in one step; the rule as it is
        now, or None when there is no such rule."""

    def failing(self, rule_id: str, now: float) -> Rule | None:
        """Note that the rule's receiver failed: ``failing_since`` becomes ``now``
        unless it was set already; the rule as it is now, or None."""

    def delete(self, rule_id: str) -> bool:
        """Remove a rule and its attempts; False when there was none."""

    def log(self, attempts: Sequence[Attempt], keep: int) -> None:
        """Keep attempts (in one write); only the newest ``keep`` of each rule stay."""

    def attempts(self, rule_id: str, limit: int) -> list[Attempt]:
        """A rule's attempts, newest first."""


class PreferenceStore(Protocol):
    """Each user's preferences: one document of their own choices."""

    def get(self, user: str) -> dict[str, Any] | None:
        """The user's stored document, or None when they chose nothing yet."""

    def get_many(self, users: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored documents of ``users`` in one read (users who chose nothing yet
        are left out)."""

    def put(self, user: str, document: dict[str, Any]) -> None:
        """Store the user's document (replacing the previous one)."""


class MailLog(Protocol):
    """The email channel's records: the Message-ID each delivery was put in before
    sending, and per user and owner the last notification mailed about it."""

    def claim(self, message_id: str, keys: Sequence[str], now: float) -> None:
        """Record that deliveries ``keys`` go in mail ``message_id`` (a key claimed
        before keeps its first mail)."""

    def accepted(self, message_id: str, now: float) -> None:
        """Record that the SMTP server accepted mail ``message_id``."""

    def claims(self, keys: Sequence[str]) -> dict[str, tuple[str, bool]]:
        """The Message-ID each of ``keys`` was claimed for and whether that mail was
        accepted (unclaimed keys left out)."""

    def keys_of(self, message_id: str) -> list[str]:
        """The delivery keys claimed for a mail, sorted."""

    def owners(self, user: str, owners: Sequence[str]) -> dict[str, int]:
        """The last notification mailed to ``user`` about each of ``owners``."""

    def note_owners(self, user: str, owners: Mapping[str, int]) -> None:
        """Remember the notification mailed to ``user`` about each owner."""

    def expire(self, before: float) -> None:
        """Drop claims made before ``before``."""


@dataclass
class Stores:
    """The parts of one store, and how to close them."""

    url: str
    messages: MessageLog
    seen: SeenState
    tokens: TokenStore
    limits: Limits
    channels: ChannelLog
    push: PushSubscriptions
    rules: RuleStore
    preferences: PreferenceStore
    mail: MailLog
    closer: Any = None

    def close(self) -> None:
        """Release every connection."""
        if self.closer is not None:
            self.closer()
