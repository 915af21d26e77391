"""The apps bench_hub.py measures, served by gunicorn (one gthread worker):

- ``hub``: Notifications(hub=True); notifications arrive over the hub's event stream;
- ``poll``: the same component fed by a dcc.Interval callback that reads the same store
  every BENCH_INTERVAL seconds (how the JupyterLab extension delivers, every 30 s).

Both read the store in $DASH_NOTIFY_STORE and show desktop notifications.
"""

from __future__ import annotations

import os

import flask
from dash import Dash, Input, Output, State, dcc, html

import dash_notify


def create() -> flask.Flask:
    """The Flask server of the app chosen by $BENCH_MODE."""
    app = Dash(__name__)
    store = os.environ["DASH_NOTIFY_STORE"]
    hub = dash_notify.Hub(app, store, rate_limit=(10**9, 60))
    if os.environ.get("BENCH_MODE", "hub") == "hub":
        app.layout = html.Div([dash_notify.Notifications(id="n", hub=True, delivery="desktop")])
    else:
        app.layout = html.Div(
            [
                dash_notify.Notifications(id="n", delivery="desktop"),
                dcc.Interval(id="tick", interval=float(os.environ["BENCH_INTERVAL"]) * 1000),
                dcc.Store(id="last", data=None),
            ]
        )

        @app.callback(
            Output("n", "raise"), Output("last", "data"),
            Input("tick", "n_intervals"), State("last", "data"),
        )  # fmt: skip
        def poll(_, last):
            if last is None:  # the first tick starts from "now", like the hub's stream
                return None, hub.position().last
            found = hub.stores.messages.after({"*"}, last, 1000)
            if not found:
                return None, last
            return [m.options for m in found], found[-1].id

    @app.server.post("/bench/noop")
    def noop() -> flask.Response:
        """A bare route: the baseline for the ingest throughput."""
        flask.request.get_data()
        return flask.jsonify({"ok": True}), 201

    return app.server
