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
