"""Flask serves no websockets (WSGI has no way to hold one): a websocket handshake to
a subscribe path is answered with a 501 saying so, in JSON, rather than Werkzeug's
405 page (Werkzeug routes a handshake only to rules marked ``websocket``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .messages import WebResponse

AVAILABLE = False


def add_websocket(
    app: Any, rule: str, name: str, handler: Callable[..., WebResponse], *extra: Any
) -> None:
    """Answer websocket handshakes at ``rule`` with the 501 of ``websocket_over_http``."""
    from . import flask
    from .subscribe import websocket_over_http

    view = flask.view(app, websocket_over_http, False)
    view.provide_automatic_options = False  # type: ignore[attr-defined]
    app.server.add_url_rule(rule, name, view, methods=["GET"], websocket=True)
