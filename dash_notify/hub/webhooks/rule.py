"""What a webhook rule is, and what each attempt to send one left: plain data that the
stores keep (as JSON) and the API, channel and command line pass around.

This module imports nothing from the hub, so that the stores can use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

# The events a rule may ask for.
EVENTS = (
    "notification.published",
    "notification.clicked",
    "notification.seen",
    "notification.closed",
)
# How a rule sends: a JSON body (POST), or the event as query parameters (GET).
METHODS = ("POST", "GET")
# What a rule may filter on (each filter: the values it accepts; all filters must match).
FILTERS = ("severity", "type", "category", "source", "topic", "action")


@dataclass(frozen=True)
class Rule:
    """A webhook rule: which events, filtered how, go to which URL, signed with which
    secret.

    ``secret`` signs every request (``whsec_...``, Standard Webhooks); after a rotation
    ``previous_secret`` signs too, until ``previous_until``, so that receivers can
    switch without losing a request. ``disabled_reason`` says why the hub turned the
    rule off (its receiver answered 410 Gone, or failed for too long);
    ``failing_since`` is when its receiver started failing (None while it succeeds).
    """

    id: str
    name: str
    url: str
    method: str = "POST"
    active: bool = True
    events: tuple[str, ...] = ("notification.published",)
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    secret: str = field(default="", repr=False)
    previous_secret: str | None = field(default=None, repr=False)
    previous_until: float | None = None
    created: float = 0.0
    updated: float = 0.0
    disabled_reason: str | None = None
    failing_since: float | None = None

    def secrets(self, now: float) -> tuple[str, ...]:
        """The secrets that sign a request sent at ``now`` (newest first)."""
        if self.previous_secret and self.previous_until and now < self.previous_until:
            return (self.secret, self.previous_secret)
        return (self.secret,)

    def public(self) -> dict[str, Any]:
        """The rule without its secrets (what listings show)."""
        shown = {"id": self.id, **to_record(self)}
        shown.pop("secret")
        shown.pop("previous_secret")
        return shown


@dataclass(frozen=True)
class Attempt:
    """One request a rule's delivery made: its ``webhook-id``, the event type, when,
    the HTTP status (None when no answer came), how long it took (seconds) and the
    error (None when the receiver accepted it)."""

    rule_id: str
    webhook_id: str
    event: str
    at: float
    status: int | None
    latency: float
    error: str | None = None


def to_record(rule: Rule) -> dict[str, Any]:
    """A rule as a JSON-ready dict (its id left out: stores keep it as the key)."""
    record = asdict(rule)
    record.pop("id")
    record["events"] = list(rule.events)
    record["filters"] = {name: list(values) for name, values in rule.filters.items()}
    return record


def from_record(rule_id: str, record: Mapping[str, Any]) -> Rule:
    """The rule a stored record describes."""
    values = dict(record)
    values["events"] = tuple(values.get("events", ()))
    values["filters"] = {name: tuple(v) for name, v in values.get("filters", {}).items()}
    return Rule(id=rule_id, **values)


def merged(rule: Rule, changes: Mapping[str, Any]) -> Rule:
    """``rule`` with ``changes`` (field name -> new value) applied."""
    record = to_record(rule)
    for name, value in changes.items():
        if name == "id" or name not in record:
            raise KeyError(f"{name}: not a field of a rule")
        if name == "events":
            value = list(value)
        elif name == "filters":
            value = {key: list(values) for key, values in value.items()}
        record[name] = value
    return from_record(rule.id, record)
