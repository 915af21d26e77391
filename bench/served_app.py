"""The app bench_streams.py and bench_ingest.py serve, on any Dash backend, as a new user
would deploy it: a page with the hub's Notifications, one Dash callback, and a bare
route (the baseline for the ingest figures).

Chosen by environment variables (each server process builds its own app):
- ``BENCH_BACKEND``: ``flask`` (default), ``fastapi`` or ``quart``;
- ``DASH_NOTIFY_STORE``: the store URL;
- ``BENCH_WEB``: JSON of the hub's ``web`` options (deployment settings, documented);
- ``BENCH_HUB_CODE``: a directory whose ``dash_notify`` is used instead of this
  checkout's (to measure a branch not yet merged; the benches print it).

Served by: ``gunicorn "bench.served_app:create()"`` (Flask),
``uvicorn --factory bench.served_app:create`` (FastAPI),
``hypercorn "bench.served_app:create()"`` (Quart).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

if os.environ.get("BENCH_HUB_CODE"):
    sys.path.insert(0, os.environ["BENCH_HUB_CODE"])

from dash import Dash, Input, Output, html

import dash_notify

BARE = "/bench/noop"


def build(backend: str | None = None) -> Dash:
    """The Dash app (see the module docstring)."""
    backend = backend or os.environ.get("BENCH_BACKEND", "flask")
    app = Dash(__name__) if backend == "flask" else Dash(__name__, backend=backend)
    options: dict[str, Any] = {}
    web = json.loads(os.environ.get("BENCH_WEB") or "{}")
    if web:
        options["web"] = web
    dash_notify.Hub(app, os.environ["DASH_NOTIFY_STORE"], rate_limit=(10**9, 60), **options)
    app.layout = html.Div(
        [
            dash_notify.Notifications(id="n", hub=True, delivery="desktop"),
            html.Button("Go", id="go"),
            html.Div(id="out"),
        ]
    )

    @app.callback(Output("out", "children"), Input("go", "n_clicks"))
    def answer(n):
        return f"clicked {n}"

    _bare_route(app, backend)
    return app


def _bare_route(app: Dash, backend: str) -> None:
    """POST /bench/noop: reads the body, answers 201 JSON, in the backend's own idiom."""
    server = app.server
    if backend == "flask":
        import flask

        def noop() -> Any:
            flask.request.get_data()
            return flask.jsonify({"ok": True}), 201

        server.add_url_rule(BARE, "bench_noop", noop, methods=["POST"])
    elif backend == "fastapi":
        from starlette.responses import JSONResponse
        from starlette.routing import Route

        async def noop_async(request):  # a plain Starlette route: no parameter inspection
            await request.body()
            return JSONResponse({"ok": True}, status_code=201)

        # Before Dash's catch-all page route.
        server.router.routes.insert(0, Route(BARE, noop_async, methods=["POST"]))
    elif backend == "quart":
        import quart

        async def noop_quart() -> Any:
            await quart.request.get_data()
            return quart.jsonify({"ok": True}), 201

        server.add_url_rule(BARE, "bench_noop", noop_quart, methods=["POST"])
    else:
        raise ValueError(f"backend: {backend!r}")


def create() -> Any:
    """The server to hand to gunicorn, uvicorn or hypercorn (``app.server``)."""
    return build().server
