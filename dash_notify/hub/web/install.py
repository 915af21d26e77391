"""Putting the hub's routes on Dash apps, through Dash's plugin API.

Importing dash_notify registers a ``dash.hooks.setup`` hook: every Dash app created
afterwards gets the routes (through ``app.backend.add_url_rule`` on Dash >= 4.2, the
Flask server on Dash 3.x) before Dash adds its own. The views find the app's hub at
request time and answer 404 JSON while it has none. ``Hub(app, ...)`` calls
:func:`attach`, which installs the routes itself on an app created before the import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import import_module
from typing import Any

from . import handlers, push
from .context import ATTRIBUTE, WebContext
from .errors import HTTPError
from .messages import WebResponse

BASE = "_dash_notify/"
INSTALLED = "_dash_notify_routes"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

#: The browser routes: (path under _dash_notify/, handler, methods, reads its body)
BROWSER_ROUTES: list[tuple[str, Callable[..., WebResponse], list[str], bool]] = [
    ("events", handlers.events, ["GET", "HEAD"], False),
    ("history", handlers.history, ["GET", "HEAD"], False),
    ("seen", handlers.seen, ["POST"], True),
    ("clicked", handlers.clicked, ["POST"], True),
    ("preferences", handlers.preferences, ["GET", "HEAD", "PUT", "PATCH"], True),
    ("email/open", handlers.email_open, ["GET", "HEAD"], False),
    ("email/unsubscribe", handlers.email_unsubscribe, ["GET", "HEAD", "POST"], True),
    ("push/key", push.key, ["GET", "HEAD"], False),
    ("push/subscribe", push.subscribe, ["POST"], True),
    ("push/unsubscribe", push.unsubscribe, ["POST"], True),
    ("openapi.json", handlers.openapi, ["GET", "HEAD"], False),
]


def backend_name(app: Any) -> str:
    """``"flask"``, ``"fastapi"`` or ``"quart"`` (Dash 3.x: always Flask)."""
    backend = getattr(app, "backend", None)
    return getattr(backend, "server_type", None) or "flask"


def adapter(app: Any) -> Any:
    """The adapter module of the app's backend."""
    return import_module(f".{backend_name(app)}", __package__)


def publish_routes() -> list[Any]:
    """Every publish format's routes (the ingest package's FORMATS)."""
    from ..ingest import FORMATS

    return list(FORMATS)


def rule_paths() -> dict[str, dict[str, Any]]:
    """The webhook rules' routes by path under _dash_notify/ (``webhooks/<id>``), each
    a dict of method -> route."""
    from ..webhooks.rest import ROUTES

    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        path = re.sub(r"\{(\w+)\}", r"<\1>", route.path.lstrip("/"))
        paths.setdefault(path, {})[route.method] = route
    return paths


def subscribe_routes() -> list[Any]:
    """The subscribe routes of outside systems (ours and ntfy's; web/subscribe.py)."""
    from .subscribe import ROUTES

    return list(ROUTES)


def _websockets(app: Any) -> Any:
    """The websocket adapter of the app's backend (Flask's only says there are none)."""
    return import_module(f".ws_{backend_name(app)}", __package__)


def _mount_subscribe(app: Any, rule: str, name: str, route: Any, others: bool = True) -> None:
    if not route.websocket:
        methods = list(route.methods)
        _mount(app, rule, name, route.handler, methods, *route.args, body=False, others=others)
        return
    from .subscribe import websocket_over_http

    sockets = _websockets(app)
    _mount(
        app, rule, name, websocket_over_http, ["GET"], sockets.AVAILABLE,
        body=False, others=others,
    )  # fmt: skip
    sockets.add_websocket(app, rule, f"{name}_ws", route.handler, *route.args)


def _other_methods(allowed: list[str]) -> Callable[..., WebResponse]:
    allow = ", ".join(dict.fromkeys([*allowed, "OPTIONS"]))

    def other(ctx: Any, request: Any) -> WebResponse:
        if request.method == "OPTIONS":
            return WebResponse(204, headers={"Allow": allow})
        return HTTPError(
            405,
            f"method {request.method} not allowed here; allowed: {allow}",
            headers={"Allow": allow},
        ).response()

    return other


def _mount(
    app: Any,
    rule: str,
    name: str,
    handler: Any,
    methods: list[str],
    *extra: Any,
    body: bool,
    others: bool = True,
) -> None:
    """Mount ``handler`` at ``rule``; with ``others``, every other method gets a JSON
    405 (and OPTIONS its Allow header) instead of falling through to Dash's page."""
    module = adapter(app)
    view = module.view(app, handler, *extra, reads_body=body)
    module.add_route(app, rule, name, view, methods)
    if others:
        rest = [m for m in METHODS if m not in methods]
        module.add_route(
            app, rule, f"{name}_other", module.view(app, _other_methods(methods)), rest
        )


def install(app: Any) -> None:
    """Put the hub's routes on ``app`` (once): the browser routes, every publish
    format's routes, the webhook rules', the subscribe routes and the anonymous-cookie
    hook."""
    if getattr(app, INSTALLED, False):
        return
    setattr(app, INSTALLED, True)
    base = app.config.routes_pathname_prefix + BASE
    for path, handler, methods, body in BROWSER_ROUTES:
        name = "dash_notify_" + re.sub(r"\W", "_", path)
        _mount(app, base + path, name, handler, methods, body=body)
    for route in publish_routes():
        methods = list(route.methods)
        name = f"dash_notify_{route.name}"
        _mount(app, base + route.path, name, handlers.publish, methods, route, body=True)
    for path, routes in rule_paths().items():
        methods = [*routes, "HEAD"] if "GET" in routes else list(routes)
        name = "dash_notify_" + re.sub(r"\W", "_", path)
        _mount(app, base + path, name, handlers.webhook_rules, methods, routes, body=True)
    for route in subscribe_routes():
        _mount_subscribe(app, base + route.path, f"dash_notify_{route.name}", route)
    adapter(app).install_cookie(app)


def attach(app: Any, hub: Any) -> WebContext:
    """Make ``hub`` the hub of ``app``: its views answer for it from now on. Installs
    the routes when the app was created before dash_notify was imported, and ntfy's
    paths (publish and subscribe) at the app's root when the hub asks for them
    (``ntfy_at_root``)."""
    context = WebContext.create(hub, app.config.requests_pathname_prefix)
    setattr(app, ATTRIBUTE, context)
    install(app)
    from . import current_user

    hub.current_user = lambda: current_user(hub)
    if hub.ntfy_at_root and not getattr(app, INSTALLED + "_root", False):
        setattr(app, INSTALLED + "_root", True)
        keep_body = getattr(adapter(app), "install_root_body", None)
        if keep_body is not None:
            keep_body(app)
        root = app.config.routes_pathname_prefix
        for route in publish_routes():
            if route.root_path is not None:
                name = f"dash_notify_root_{route.name}"
                methods = list(route.methods)
                # no 405s at the root: the app's own pages live there
                _mount(
                    app, root + route.root_path, name, handlers.publish, methods, route,
                    body=True, others=False,
                )  # fmt: skip
        for route in subscribe_routes():
            if route.root is not None:
                name = f"dash_notify_root_{route.name}"
                _mount_subscribe(app, root + route.root, name, route, others=False)
    return context


def _on_setup(app: Any) -> None:
    install(app)


def register_hook() -> None:
    """Register the ``dash.hooks.setup`` hook (once; Dash without hooks: nothing)."""
    try:
        from dash import hooks
    except ImportError:
        return
    if getattr(register_hook, "done", False):
        return
    register_hook.done = True  # type: ignore[attr-defined]
    hooks.setup()(_on_setup)
