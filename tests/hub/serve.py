"""The hub test app: a Dash app with a Hub on the store in $DASH_NOTIFY_STORE, on the
backend in $DASH_NOTIFY_BACKEND (flask, fastapi or quart).

Who is who comes from a ``user`` cookie (as a login would set it), read through the
neutral request the hub passes to a one-argument ``user`` function; alice is in group
ops. Every response says which process served it (``X-Worker-Pid``), so that the
multi-worker tests can tell workers apart. Run: ``python -m tests.hub.serve PORT``
(Flask's own server), or ``tests.hub.serve:server()`` under gunicorn (Flask),
``tests.hub.serve:asgi`` with ``--factory`` under uvicorn (FastAPI) and
``tests.hub.serve:asgi()`` under hypercorn (Quart).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import dash
from dash import Dash, Input, Output, Patch, State, html

import dash_notify
from dash_notify.hub.web import configure

GROUPS = {"alice": ["ops"], "bob": []}
# Dash >= 4.2 serves apps on FastAPI and Quart too; Dash 3 on Flask only.
BACKENDS = (
    ("flask", "fastapi", "quart")
    if tuple(int(p) for p in dash.__version__.split(".")[:2]) >= (4, 2)
    else ("flask",)
)


def new_dash(backend: str, name: str = __name__) -> Dash:
    """A Dash app on ``backend`` (Dash 3 has no backend argument: Flask only)."""
    return Dash(name, **({"backend": backend} if len(BACKENDS) > 1 else {}))


def who(request) -> str | None:
    """The test app's users: the ``user`` cookie."""
    return request.cookies.get("user")


def web_settings() -> dict[str, Any]:
    """Web-layer limits from the environment (DASH_NOTIFY_STREAMS_PER_USER, ...)."""
    names = {
        "DASH_NOTIFY_STREAMS_PER_USER": ("max_streams_per_user", int),
        "DASH_NOTIFY_STREAMS_PER_IP": ("max_streams_per_ip", int),
        "DASH_NOTIFY_STREAMS": ("max_streams", int),
        "DASH_NOTIFY_WRITE_TIMEOUT": ("write_timeout", float),
        "DASH_NOTIFY_RECHECK": ("identity_recheck", float),
        "DASH_NOTIFY_STREAM_LIFETIME": ("stream_lifetime", float),
    }
    settings = {
        name: convert(os.environ[key])
        for key, (name, convert) in names.items()
        if key in os.environ
    }
    if "DASH_NOTIFY_BROWSER_RATE" in os.environ:  # requests per minute, each browser route
        rate = (int(os.environ["DASH_NOTIFY_BROWSER_RATE"]), 60)
        settings["browser_rates"] = {"events": rate, "history": rate, "seen": rate, "push": rate}
    return settings


def create_app(
    store: str | None = None,
    delivery: str = "toast",
    backend: str | None = None,
    greet: float | None = None,
    preferences: dict[str, Any] | None = None,
    channels: tuple = (),
) -> tuple[Dash, dash_notify.Hub]:
    """The app and its hub; the page shows the hub status, the unread count, and the ids
    of the notifications shown and clicked (one ``.event`` element each). With
    ``greet``, a callback run by the page load waits that many seconds and publishes
    "welcome" to ``hub.me()`` (the pattern of examples/hub_jobs.py). ``preferences``:
    the hub's defaults, and the center's settings view on; ``channels``: the hub's."""
    backend = backend or os.environ.get("DASH_NOTIFY_BACKEND", "flask")
    app = new_dash(backend)
    app.layout = html.Div(
        [
            dash_notify.Notifications(
                id="n",
                hub=True,
                delivery=delivery,
                center=True,
                preferences=preferences is not None,
            ),
            html.Div(id="status"),
            html.Div(id="unread"),
            html.Div([], id="shown"),
            html.Div([], id="clicked"),
            html.Div(id="greeted"),
        ]
    )

    # In the browser, so that the page shows the status while the server is down too.
    app.clientside_callback(
        "(status, unread) => [status, String(unread)]",
        Output("status", "children"), Output("unread", "children"),
        Input("n", "hubStatus"), Input("n", "unreadCount"),
    )  # fmt: skip

    # In the browser: a server callback's result is dropped when shownData changes again
    # while it runs (README, "event props"), which a loaded machine makes likely.
    app.clientside_callback(
        """(shown, log) => [...(log || []), ...shown.map(entry => ({
            namespace: 'dash_html_components', type: 'Span',
            props: {children: entry.id, className: 'event'},
        }))]""",
        Output("shown", "children"), Input("n", "shownData"), State("shown", "children"),
        prevent_initial_call=True,
    )  # fmt: skip

    @app.callback(Output("clicked", "children"), Input("n", "clickData"), prevent_initial_call=True)
    def log_click(click):
        log = Patch()
        entry = json.dumps([click["id"], click["action"], click["delivery"]])
        log.append(html.Span(entry, className="event"))
        return log

    hub = dash_notify.Hub(
        app,
        store or os.environ["DASH_NOTIFY_STORE"],
        user=who,
        groups=lambda user: GROUPS.get(user, []),
        keepalive=float(os.environ.get("DASH_NOTIFY_KEEPALIVE", "15")),
        rate_limit=(int(os.environ.get("DASH_NOTIFY_RATE", "120")), 60),
        ntfy_at_root=True,
        preferences=preferences,
        channels=channels,
    )
    configure(app, **web_settings())
    if greet is not None:

        @app.callback(Output("greeted", "children"), Input("greeted", "id"))
        def welcome(_):
            time.sleep(greet)
            return str(hub.publish({"title": "welcome"}, to=hub.me()))

    app.title = "hub test app"
    _say_who(app, backend)
    return app, hub


def _say_who(app: Dash, backend: str) -> None:
    pid = str(os.getpid())
    if backend == "fastapi":

        class SayWho:  # pure ASGI: it must not buffer or wrap the event stream
            def __init__(self, asgi):
                self.asgi = asgi

            async def __call__(self, scope, receive, send):
                async def sending(message):
                    if message["type"] == "http.response.start":
                        message["headers"] = [
                            *message.get("headers", []),
                            (b"x-worker-pid", pid.encode()),
                        ]
                    await send(message)

                await self.asgi(scope, receive, sending)

        app.server.add_middleware(SayWho)

    else:

        @app.server.after_request
        def say_who(response):
            response.headers["X-Worker-Pid"] = pid
            return response


def _greet() -> float | None:
    value = os.environ.get("DASH_NOTIFY_GREET")
    return float(value) if value else None


def server():
    """The Flask server, for gunicorn (each worker builds its own)."""
    return create_app(backend="flask", greet=_greet())[0].server


def asgi():
    """The ASGI app of $DASH_NOTIFY_BACKEND (fastapi for uvicorn, quart for hypercorn)."""
    return create_app(greet=_greet())[0].server


if __name__ == "__main__":
    create_app(delivery=os.environ.get("DASH_NOTIFY_DELIVERY", "toast"), greet=_greet())[0].run(
        host="127.0.0.1", port=int(sys.argv[1]), debug=False
    )
