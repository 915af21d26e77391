"""The pages bench_burst.py measures, one library per server process (so that a page
loads only its own library's JavaScript, as in a real app), served by gunicorn.

Chosen by environment variables:
- ``BENCH_LIBRARY``: ``dash_notify`` or ``dmc``;
- ``BENCH_SIZE``: how many notifications one click raises.

dash_notify is set up as the README's quick start has it (``delivery`` "auto": toasts
where desktop notifications are denied), with the notification center on. dmc shows at
most as many at a time as dash_notify (``limit`` = ``maxVisible``'s default, 3).

Served by: ``gunicorn "bench.burst_apps:create()"``.
"""

from __future__ import annotations

import os

import flask
from dash import Dash, Input, Output, html

SHOWN = 3  # dash_notify's maxVisible default, given to dmc as its limit


def notify_app(size: int) -> Dash:
    """dash_notify: one callback raises ``size`` notifications in one response."""
    import dash_notify

    app = Dash(__name__)
    app.layout = html.Div(
        [dash_notify.Notifications(id="n", center=True), html.Button("Burst", id="burst")]
    )

    @app.callback(Output("n", "raise"), Input("burst", "n_clicks"), prevent_initial_call=True)
    def burst(n):
        return [
            {"title": f"Job {n}.{i}", "body": "finished", "severity": "Low"} for i in range(size)
        ]

    return app


def mantine_app(size: int) -> Dash:
    """dash-mantine-components: the same burst, through its NotificationContainer."""
    import dash_mantine_components as dmc

    app = Dash(__name__)
    app.layout = dmc.MantineProvider(
        html.Div([dmc.NotificationContainer(id="n", limit=SHOWN), html.Button("Burst", id="burst")])
    )

    @app.callback(
        Output("n", "sendNotifications"), Input("burst", "n_clicks"), prevent_initial_call=True
    )
    def burst(n):
        return [
            {"action": "show", "id": f"{n}.{i}", "title": f"Job {n}.{i}", "message": "finished"}
            for i in range(size)
        ]

    return app


def create() -> flask.Flask:
    """The Flask server of the page chosen by $BENCH_LIBRARY and $BENCH_SIZE."""
    build = {"dash_notify": notify_app, "dmc": mantine_app}[os.environ["BENCH_LIBRARY"]]
    return build(int(os.environ["BENCH_SIZE"])).server
