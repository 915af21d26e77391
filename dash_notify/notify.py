"""Raising notifications from any Dash callback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Union

import dash

from .options import validate_raise

ComponentId = Union[str, Mapping[str, Any]]


def notify(
    component_id: ComponentId,
    options: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> None:
    """Raise one notification (an options dict) or several (a list) from any callback.

    The options are validated first, so a mistake raises ``NotificationOptionsError``
    (a ``ValueError``) or ``NotificationOptionsTypeError`` (a ``TypeError``) in the
    callback, naming the field. The notification is then sent with the callback's
    response through ``dash.set_props``, so the callback needs no ``raise`` output
    (``raise`` is a Python keyword and cannot be a constructor argument).
    """
    dash.set_props(component_id, {"raise": validate_raise(options)})


def close(
    component_id: ComponentId,
    *,
    tag: str | None = None,
    id: str | None = None,  # noqa: A002 - the name of the field it sets
) -> None:
    """Close notifications on screen from any callback: by ``tag`` or by ``id``.

    ``tag`` closes every toast and desktop notification with that tag; ``id`` closes
    the one with that id (as given in ``shownData``; ``"hub:<n>"`` for hub
    notifications). Sent with the callback's response through ``dash.set_props`` on the
    component's ``close`` prop; each closed delivery is reported in ``closedData`` with
    reason ``"closed"``. The notifications stay in the notification center.
    """
    if (tag is None) == (id is None):
        raise TypeError("dash_notify.close() needs exactly one of tag= or id=")
    key, value = ("tag", tag) if tag is not None else ("id", id)
    if not isinstance(value, str) or not value:
        raise TypeError(f"dash_notify.close(): {key} must be a non-empty string, got {value!r}")
    dash.set_props(component_id, {"close": {key: value}})
