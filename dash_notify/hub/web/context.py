"""What the views of one app share: its hub, the web settings, the open-stream counter
and the app's path prefix. Kept on the Dash app; a view looks it up at request time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .settings import WebSettings
from .slots import StreamSlots

ATTRIBUTE = "_dash_notify_web"


@dataclass
class WebContext:
    """One app's hub as its views see it."""

    hub: Any
    settings: WebSettings
    slots: StreamSlots
    prefix: str  # requests_pathname_prefix: where the browser sees the app

    @classmethod
    def create(cls, hub: Any, prefix: str, per_worker: int | None = None) -> WebContext:
        """The context of ``hub``; ``per_worker`` streams allowed in this process (None:
        the settings' ``max_streams``, else decided by the adapter at the first stream)."""
        settings = WebSettings.of(hub)
        slots = StreamSlots(
            settings.max_streams or per_worker,
            settings.max_streams_per_ip,
            settings.max_streams_per_user,
        )
        return cls(hub, settings, slots, prefix)


def context_of(app: Any) -> WebContext | None:
    """The hub context of a Dash app (None: the app has no hub)."""
    return getattr(app, ATTRIBUTE, None)
