"""The webhook channel: each event of the log goes to every active rule that wants it,
signed, retried on Svix's schedule, one file behind the channel seam.

A delivery's recipient is a rule id and its idempotency key is the ``webhook-id``, the
same on every try. Requests to different rules go out at once (a bounded pool of
``workers`` threads); a rule's deliveries in a batch go one after another, and stop at
the first failure (the rest wait for their retry instead of meeting the same dead
receiver). A batch waits ``wait`` seconds for its requests: a slow one is handed off and
finishes in the background, its outcome kept for the delivery's next turn, while no new
request goes to that rule until it has finished. So a slow or dead receiver holds up
neither other rules nor other channels. Ordering per rule is not promised.
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..model import Message
from ..webhooks.client import Answer
from ..webhooks.config import SCHEDULE, WebhookConfig
from ..webhooks.deliver import send_event
from ..webhooks.events import event_of
from ..webhooks.rule import Attempt, Rule
from .base import Channel, Failed, Outcome, Outgoing, Retry, RetryPolicy, Sent, Skipped

if TYPE_CHECKING:
    from ..core import Hub

RETRYABLE = (408, 429)
# Kept outcomes of handed-off requests are dropped after this long (the delivery was
# taken over by another process, or removed).
KEEP_LATE = 3600.0


class WebhookChannel(Channel):
    """Delivers events to webhook rules (see :mod:`dash_notify.hub.webhooks`); the
    options are :class:`~.config.WebhookConfig`'s."""

    name = "webhooks"
    batch_size = 50
    retry = RetryPolicy(delays=SCHEDULE, jitter=0.1)

    def __init__(
        self,
        *,
        allow_private: bool = False,
        timeout: float = 15.0,
        disable_after_days: float = 5.0,
        workers: int = 8,
        wait: float = 2.0,
        keep_attempts: int = 100,
        keep_previous: float = 86400.0,
        resolve: Callable[[str, int], list[str]] | None = None,
    ):
        self.config = WebhookConfig(
            allow_private=allow_private,
            timeout=timeout,
            disable_after_days=disable_after_days,
            workers=workers,
            wait=wait,
            keep_attempts=keep_attempts,
            keep_previous=keep_previous,
            resolve=resolve,
        )
        self._pool = concurrent.futures.ThreadPoolExecutor(
            self.config.workers, thread_name_prefix="dash_notify-webhook"
        )
        self._lock = threading.Lock()
        self._busy: set[str] = set()  # rules with a request under way
        self._outcomes: dict[str, tuple[float, Outcome]] = {}  # delivery key -> outcome
        self._attempts: list[Attempt] = []  # made since the last batch, logged with the next

    # -- the seam ----------------------------------------------------------------------
    def recipients(self, message: Message, hub: Hub) -> list[str]:
        event = event_of(message, hub)
        if event is None:
            return []
        return [rule.id for rule in hub.stores.rules.active() if event.matches(rule)]

    def send(self, batch: Sequence[Outgoing], hub: Hub) -> list[Outcome]:
        outcomes: dict[str, Outcome] = {}
        lanes: dict[str, list[Outgoing]] = {}
        with self._lock:
            self._forget_old()
            for item in batch:
                kept = self._outcomes.pop(item.key, None)
                if kept is not None:  # a handed-off request finished meanwhile
                    outcomes[item.key] = kept[1]
                elif item.recipient in self._busy:
                    outcomes[item.key] = Retry(
                        "waiting: an earlier request to this rule's receiver has not finished",
                        after=self.config.timeout,
                    )
                else:
                    lanes.setdefault(item.recipient, []).append(item)
            self._busy.update(lanes)
        futures = [
            self._pool.submit(self._lane, rule_id, items, hub) for rule_id, items in lanes.items()
        ]
        concurrent.futures.wait(futures, timeout=self.config.wait)
        with self._lock:
            for items in lanes.values():
                for item in items:
                    kept = self._outcomes.pop(item.key, None)
                    outcomes[item.key] = (
                        kept[1]
                        if kept is not None
                        else Retry(
                            f"still sending after {self.config.wait:g} s; "
                            "its outcome is recorded at the next try",
                            after=self.config.timeout,
                        )
                    )
            attempts, self._attempts = self._attempts, []
        hub.stores.rules.log(attempts, self.config.keep_attempts)  # one write per batch
        return [outcomes[item.key] for item in batch]

    # -- one rule's requests -----------------------------------------------------------
    def _lane(self, rule_id: str, items: list[Outgoing], hub: Hub) -> None:
        """Send a rule's deliveries one after another (in a pool thread); stop at the
        first failure. Each outcome is kept for :meth:`send` to collect."""
        try:
            rule = hub.stores.rules.get(rule_id)
            stop: Retry | None = None
            for item in items:
                if stop is not None:
                    outcome: Outcome = stop
                else:
                    outcome = self._one(rule, item, hub)
                    if isinstance(outcome, Retry):
                        stop = Retry(f"not sent: {outcome.error}", after=outcome.after)
                    elif rule is not None and (
                        isinstance(outcome, Failed) or rule.failing_since is not None
                    ):
                        # the outcome changed the rule (failing, disabled, or recovered)
                        rule = hub.stores.rules.get(rule_id)
                self._keep(item.key, outcome)
        except Exception as error:  # the store failed: every unsent item waits
            for item in items:
                with self._lock:
                    if item.key not in self._outcomes:
                        self._outcomes[item.key] = (
                            time.time(),
                            Retry(f"{type(error).__name__}: {error}"),
                        )
        finally:
            with self._lock:
                self._busy.discard(rule_id)

    def _keep(self, key: str, outcome: Outcome) -> None:
        with self._lock:
            self._outcomes[key] = (time.time(), outcome)

    def _forget_old(self) -> None:
        old = time.time() - KEEP_LATE
        for key in [k for k, (at, _) in self._outcomes.items() if at < old]:
            del self._outcomes[key]

    def _one(self, rule: Rule | None, item: Outgoing, hub: Hub) -> Outcome:
        """Send one delivery to its rule, and note what that says about the rule."""
        if rule is None:
            return Skipped("rule deleted")
        if not rule.active:
            return Skipped(
                f"rule disabled{': ' + rule.disabled_reason if rule.disabled_reason else ''}"
            )
        event = event_of(item.message, hub)
        if event is None or not event.matches(rule):
            return Skipped("rule no longer matches")
        answer = send_event(rule, item.key, event.type, event.data(), self.config)
        outcome = outcome_of(answer)
        now = time.time()
        attempt = Attempt(
            rule.id,
            item.key,
            event.type,
            now,
            answer.status,
            round(answer.latency, 4),
            None if isinstance(outcome, Sent) else _error(outcome),
        )
        with self._lock:
            self._attempts.append(attempt)
        self._judge(rule, answer, outcome, now, hub)
        return outcome

    def _judge(self, rule: Rule, answer: Answer, outcome: Outcome, now: float, hub: Hub) -> None:
        """Clear a rule's failing mark on success; disable it on 410 Gone, or when it
        has failed for ``disable_after_days``."""
        rules = hub.stores.rules
        if isinstance(outcome, Sent):
            if rule.failing_since is not None:
                rules.update(rule.id, {"failing_since": None})
            return
        if answer.status == 410:
            rules.update(
                rule.id,
                {
                    "active": False,
                    "disabled_reason": f"the receiver answered 410 Gone at {_iso(now)}",
                    "updated": now,
                },
            )
            return
        failing = rules.failing(rule.id, now)
        if failing is None or failing.failing_since is None:
            return
        days = (now - failing.failing_since) / 86400
        if days >= self.config.disable_after_days:
            rules.update(
                rule.id,
                {
                    "active": False,
                    "disabled_reason": (
                        f"failing since {_iso(failing.failing_since)} ({days:.1f} days); "
                        f"last error: {_error(outcome)}"
                    ),
                    "updated": now,
                },
            )


def outcome_of(answer: Answer) -> Outcome:
    """What an answer means for the delivery: 2xx sent; network errors, 408, 429 and
    5xx retried (after ``Retry-After`` when given); 410 and any other status failed
    (redirects are never followed); a refused destination failed."""
    status = answer.status
    if status is None:
        return Failed(answer.error or "refused") if answer.refused else Retry(answer.error or "")
    if 200 <= status < 300:
        return Sent()
    if status in RETRYABLE or status >= 500:
        return Retry(f"HTTP {status}", after=retry_after(answer.retry_after))
    if 300 <= status < 400:
        return Failed(f"HTTP {status}: redirect to {answer.location!r} not followed")
    if status == 410:
        return Failed("HTTP 410 Gone: the rule is disabled")
    return Failed(f"HTTP {status}")


def retry_after(value: str | None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (seconds or an HTTP date), at most
    the schedule's longest step; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - time.time()
    return min(max(seconds, 0.0), max(SCHEDULE))


def _error(outcome: Outcome) -> str:
    return getattr(outcome, "error", None) or getattr(outcome, "reason", "")


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")
