"""A Dash app whose hub runs the webhook channel, for gunicorn:
``tests.hub.webhook_app:server()``, configured by ``DASH_NOTIFY_STORE`` (and
``LEASE_SECONDS``). Its receivers are on 127.0.0.1, so private addresses are allowed."""

from __future__ import annotations

import os

from dash import Dash, html

import dash_notify
from dash_notify.hub.channels.webhooks import WebhookChannel


def server():
    """The Flask server of the app."""
    app = Dash(__name__)
    app.layout = html.Div("webhook test app")
    dash_notify.Hub(
        app,
        os.environ["DASH_NOTIFY_STORE"],
        channels=[WebhookChannel(allow_private=True)],
        lease_seconds=float(os.environ.get("LEASE_SECONDS", "1.5")),
    )
    return app.server
