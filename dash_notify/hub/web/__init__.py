"""The web layer (being rebuilt for every Dash backend): for now the Flask routes of
:mod:`..http`."""

from __future__ import annotations

from typing import Any


def attach(app: Any, hub: Any) -> None:
    """Serve ``hub``'s HTTP API and event stream on ``app``."""
    from ..http import register

    register(hub, app, ntfy_at_root=hub.ntfy_at_root)
