"""The hub test app: a Dash app with a Hub on the store in $DASH_NOTIFY_STORE.

Who is who comes from a ``user`` cookie (as a login would set it); alice is in group
ops. Every response says which process served it (``X-Worker-Pid``), so that the
multi-worker tests can tell workers apart. Run: ``python -m tests.hub.serve PORT``, or
under gunicorn as ``tests.hub.serve:server``.
"""

from __future__ import annotations

import json
import os
import sys

import flask
from dash import Dash, Input, Output, Patch, html

import dash_notify

GROUPS = {"alice": ["ops"], "bob": []}


def create_app(store: str | None = None, delivery: str = "toast") -> tuple[Dash, dash_notify.Hub]:
    """The app and its hub; the page shows the hub status, the unread count, and the ids
    of the notifications shown and clicked (one ``.event`` element each)."""
    app = Dash(__name__)
    app.layout = html.Div(
        [
            dash_notify.Notifications(id="n", hub=True, delivery=delivery, center=True),
            html.Div(id="status"),
            html.Div(id="unread"),
            html.Div([], id="shown"),
            html.Div([], id="clicked"),
        ]
    )

    # In the browser, so that the page shows the status while the server is down too.
    app.clientside_callback(
        "(status, unread) => [status, String(unread)]",
        Output("status", "children"), Output("unread", "children"),
        Input("n", "hubStatus"), Input("n", "unreadCount"),
    )  # fmt: skip

    @app.callback(Output("shown", "children"), Input("n", "shownData"), prevent_initial_call=True)
    def log_shown(shown):
        log = Patch()
        log.extend([html.Span(entry["id"], className="event") for entry in shown])
        return log

    @app.callback(Output("clicked", "children"), Input("n", "clickData"), prevent_initial_call=True)
    def log_click(click):
        log = Patch()
        entry = json.dumps([click["id"], click["action"], click["delivery"]])
        log.append(html.Span(entry, className="event"))
        return log

    hub = dash_notify.Hub(
        app,
        store or os.environ["DASH_NOTIFY_STORE"],
        user=lambda: flask.request.cookies.get("user"),
        groups=lambda user: GROUPS.get(user, []),
        keepalive=float(os.environ.get("DASH_NOTIFY_KEEPALIVE", "15")),
        rate_limit=(int(os.environ.get("DASH_NOTIFY_RATE", "120")), 60),
        ntfy_at_root=True,
    )
    app.title = "hub test app"

    @app.server.after_request
    def say_who(response: flask.Response) -> flask.Response:
        response.headers["X-Worker-Pid"] = str(os.getpid())
        return response

    return app, hub


def server() -> flask.Flask:
    """The Flask server, for gunicorn (each worker builds its own)."""
    return create_app()[0].server


if __name__ == "__main__":
    create_app(delivery=os.environ.get("DASH_NOTIFY_DELIVERY", "toast"))[0].run(
        host="127.0.0.1", port=int(sys.argv[1]), debug=False
    )
