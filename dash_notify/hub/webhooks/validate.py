"""Checks of the fields a rule is created or updated with: each mistake raises
RuleError naming the field and, where there is a list, the allowed values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from ...options import NotificationType, Severity, options_schema
from ...schema_validator import CATEGORY_CHARACTERS, is_category
from ..targets import TargetError, parse_targets
from .rule import EVENTS, FILTERS, METHODS

NAME_LIMIT = 100
FILTER_VALUES = 50
VALUE_LIMIT = 200
# The options schema's limit of a category's length.
CATEGORY_LIMIT = options_schema()["properties"]["category"]["maxLength"]
# Filters whose values come from a closed list (the notification options' own).
CLOSED = {"severity": get_args(Severity), "type": get_args(NotificationType)}
# What create and update accept.
FIELDS = ("name", "url", "method", "active", "events", "filters")


class RuleError(ValueError):
    """A rule field is wrong: ``field`` names it, ``allowed`` lists what it may be."""

    def __init__(self, field: str, message: str, allowed: tuple[str, ...] = ()):
        self.field = field
        self.allowed = allowed
        text = f"{field}: {message}"
        if allowed:
            text += f"; allowed: {', '.join(allowed)}"
        super().__init__(text)


class RuleNotFoundError(LookupError):
    """There is no rule with this id."""

    def __init__(self, rule_id: str):
        self.rule_id = rule_id
        super().__init__(f"no webhook rule with id {rule_id!r}")


def check_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The given fields, checked and normalised (``url`` is checked for where it
    points separately, with the app's address policy)."""
    unknown = [name for name in fields if name not in FIELDS]
    if unknown:
        raise RuleError(unknown[0], "is not a rule field", FIELDS)
    checked: dict[str, Any] = {}
    for name, value in fields.items():
        checked[name] = CHECKS[name](value)
    return checked


def _text(value: Any) -> bool:
    """Whether ``value`` is a string that UTF-8 can encode (no lone surrogate)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(value: Any) -> str:
    if not _text(value) or not value.strip() or len(value) > NAME_LIMIT:
        raise RuleError("name", f"must be text of 1 to {NAME_LIMIT} characters")
    return value.strip()


def _url(value: Any) -> str:
    if not isinstance(value, str):
        raise RuleError("url", "must be an http(s) URL")
    return value


def _method(value: Any) -> str:
    if not isinstance(value, str) or value.upper() not in METHODS:
        raise RuleError("method", f"{value!r} is not a method", METHODS)
    return value.upper()


def _active(value: Any) -> bool:
    if not isinstance(value, bool):
        raise RuleError("active", "must be true or false")
    return value


def _strings(field: str, value: Any, limit: int) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value or len(value) > limit:
        raise RuleError(field, f"must be a list of 1 to {limit} strings")
    for item in value:
        if not _text(item) or not item or len(item) > VALUE_LIMIT:
            raise RuleError(field, f"{item!r} is not text of 1 to {VALUE_LIMIT} characters")
    return tuple(dict.fromkeys(value))


def _events(value: Any) -> tuple[str, ...]:
    events = _strings("events", value, len(EVENTS))
    for event in events:
        if event not in EVENTS:
            raise RuleError("events", f"{event!r} is not an event", EVENTS)
    return events


def _filters(value: Any) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise RuleError("filters", "must be an object of filter name -> accepted values", FILTERS)
    checked: dict[str, tuple[str, ...]] = {}
    for name, accepted in value.items():
        if name not in FILTERS:
            raise RuleError(f"filters.{name}", "is not a filter", FILTERS)
        values = _strings(f"filters.{name}", accepted, FILTER_VALUES)
        for item in values:
            if name in CLOSED and item not in CLOSED[name]:
                raise RuleError(f"filters.{name}", f"{item!r} is not a value", CLOSED[name])
        if name == "category":
            for item in values:
                if len(item) > CATEGORY_LIMIT or not is_category(item):
                    raise RuleError(
                        "filters.category",
                        f"{item!r} is not a category (1 to {CATEGORY_LIMIT} of these characters, "
                        "starting with a letter or a digit)",
                        CATEGORY_CHARACTERS,
                    )
        if name == "topic":
            try:
                values = parse_targets(list(values))
            except TargetError as error:
                raise RuleError("filters.topic", str(error)) from error
        checked[name] = tuple(values)
    return checked


CHECKS = {
    "name": _name,
    "url": _url,
    "method": _method,
    "active": _active,
    "events": _events,
    "filters": _filters,
}
