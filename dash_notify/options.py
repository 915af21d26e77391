"""Notification options: the one definition (``options.schema.json``), checking and building.

``validate_options`` is what every entry point uses (the ``notification`` helper,
``notify``, the browser bundle through its twin validator, and the HTTP ingest), so
they can never disagree about what a valid notification is.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, Union

from .schema_validator import SchemaError, Validator

Severity = Literal["Low", "Medium", "High", "Critical", "None"]
NotificationType = Literal["Notification", "Alert"]
Direction = Literal["auto", "ltr", "rtl"]
JSON = Union[None, bool, int, float, str, Sequence[Any], Mapping[str, Any]]

SCHEMA_FILE = "options.schema.json"


@lru_cache(maxsize=1)
def options_schema() -> dict[str, Any]:
    """The parsed JSON Schema of a notification's options."""
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Validator:
    return Validator(options_schema())


class NotificationOptionsError(ValueError):
    """Options that are not a valid notification.

    ``field`` names the first bad field (a path such as ``actions[0].title``),
    ``allowed`` its allowed values or names where there is such a list, and
    ``errors`` holds every problem found.
    """

    def __init__(self, errors: Sequence[SchemaError]):
        self.errors = tuple(errors)
        first = self.errors[0]
        self.field = first.field
        self.allowed = first.allowed
        message = "invalid notification options: " + first.message
        if len(self.errors) > 1:
            others = "; ".join(error.message for error in self.errors[1:])
            message += f" (and {len(self.errors) - 1} more: {others})"
        super().__init__(message)


class NotificationOptionsTypeError(NotificationOptionsError, TypeError):
    """Options whose first problem is a value of the wrong type."""


def option_errors(options: Any) -> list[SchemaError]:
    """Every problem in ``options``, checked against the schema; empty when valid."""
    return _validator().validate(options)


def validate_options(options: Any) -> dict[str, Any]:
    """Check one options dict and return a JSON-ready copy of it.

    Raises ``NotificationOptionsTypeError`` (a ``TypeError``) when the first
    problem is a wrong type, else ``NotificationOptionsError`` (a ``ValueError``);
    both name the field and, where there is a list, the allowed values.
    """
    errors = option_errors(options)
    if errors:
        error_class = (
            NotificationOptionsTypeError if errors[0].code == "type" else NotificationOptionsError
        )
        raise error_class(errors)
    return json.loads(json.dumps(options))


def validate_raise(value: Any) -> dict[str, Any] | list[dict[str, Any]]:
    """Check a value for the ``raise`` prop: one options dict or a list of them."""
    if isinstance(value, (list, tuple)):
        return [validate_options(item) for item in value]
    return validate_options(value)


def interop(method: str, arguments: JSON = None, target: JSON = None) -> dict[str, Any]:
    """An interop setting (``clickInterop`` or an action's ``interop``): the method to call."""
    setting: dict[str, Any] = {"method": method}
    if arguments is not None:
        setting["arguments"] = arguments
    if target is not None:
        setting["target"] = target
    return setting


def action(
    action: str,
    title: str,
    *,
    icon: str | None = None,
    interop: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """An action button: its id (``action``), its label (``title``), an icon and interop."""
    result: dict[str, Any] = {"action": action, "title": title}
    if icon is not None:
        result["icon"] = icon
    if interop is not None:
        result["interop"] = dict(interop)
    return result


def notification(
    title: str,
    body: str | None = None,
    *,
    severity: Severity | None = None,
    type: NotificationType | None = None,  # noqa: A002 - the option's name
    source: str | None = None,
    category: str | None = None,
    clickInterop: Mapping[str, Any] | None = None,  # noqa: N803 - the option's name
    url: str | None = None,
    actions: Sequence[Mapping[str, Any]] | None = None,
    icon: str | None = None,
    badge: str | None = None,
    image: str | None = None,
    tag: str | None = None,
    data: JSON = None,
    requireInteraction: bool | None = None,  # noqa: N803
    silent: bool | None = None,
    renotify: bool | None = None,
    timestamp: float | None = None,
    dir: Direction | None = None,  # noqa: A002
    lang: str | None = None,
    vibrate: int | Sequence[int] | None = None,
    showToast: bool | None = None,  # noqa: N803
    inProgress: bool | None = None,  # noqa: N803
    progress: float | None = None,
) -> dict[str, Any]:
    """Build and validate the options of one notification.

    The keywords are the options themselves (see the README's option reference);
    those left at ``None`` are left out. Returns a dict ready for the ``raise``
    prop, ``notify`` or ``Hub.publish``; raises ``NotificationOptionsError`` (a
    ``ValueError``) or ``NotificationOptionsTypeError`` (a ``TypeError``) naming
    the bad field and the allowed values.

    >>> notification("Build finished", "main is green", severity="Low")
    {'title': 'Build finished', 'body': 'main is green', 'severity': 'Low'}
    """
    given = {
        "title": title,
        "body": body,
        "severity": severity,
        "type": type,
        "source": source,
        "category": category,
        "clickInterop": clickInterop,
        "url": url,
        "actions": actions,
        "icon": icon,
        "badge": badge,
        "image": image,
        "tag": tag,
        "data": data,
        "requireInteraction": requireInteraction,
        "silent": silent,
        "renotify": renotify,
        "timestamp": timestamp,
        "dir": dir,
        "lang": lang,
        "vibrate": vibrate,
        "showToast": showToast,
        "inProgress": inProgress,
        "progress": progress,
    }
    return validate_options({key: value for key, value in given.items() if value is not None})
