"""The publish formats the hub's HTTP ingest accepts, each in one module with its
parser beside its OpenAPI part: :mod:`.ours`, :mod:`.jupyterlab`, :mod:`.ntfy`.

The web layer needs only this:

- :data:`FORMATS`: every :class:`PublishRoute`. Mount each at
  ``<prefix>_dash_notify/<route.path>`` for ``route.methods`` (and at
  ``<prefix><route.root_path>`` too when ``root_path`` is not None and the hub has
  ``ntfy_at_root``). Per request: build an :class:`IngestRequest` (body bytes,
  :class:`Headers`, query, path params), call ``route.parse(request, token)`` (a
  :class:`PayloadError` is a 400 naming ``error.field`` and ``error.allowed``), hand
  the options and targets to the hub's publish door, and answer ``route.reply(message)``
  (``(status, JSON body)``).
- :data:`SCHEMAS`: the component schemas the routes' ``path_item`` refer to (besides
  ``NotificationOptions`` and ``Error``, which the document generator provides).
- :func:`parse_json`: the JSON reader that never raises anything but PayloadError.
"""

from __future__ import annotations

from typing import Any

from . import jupyterlab, ntfy, ours
from .base import Headers, IngestRequest, PayloadError, PublishRoute, parse_json

FORMATS: list[PublishRoute] = [*ours.ROUTES, *jupyterlab.ROUTES, *ntfy.ROUTES]

SCHEMAS: dict[str, Any] = {**ours.SCHEMAS, **jupyterlab.SCHEMAS, **ntfy.SCHEMAS}

__all__ = [
    "FORMATS",
    "SCHEMAS",
    "Headers",
    "IngestRequest",
    "PayloadError",
    "PublishRoute",
    "parse_json",
]
