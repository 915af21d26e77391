"""A test channel that posts each delivery to a real HTTP receiver, one request each,
with its idempotency key and the sending process's pid; and a Dash app with a hub
using it (for gunicorn: ``tests.hub.recording_channel:server``, configured by
``DASH_NOTIFY_STORE`` and ``RECEIVER_URL``)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

from dash import Dash, html

import dash_notify
from dash_notify.hub import Channel, Failed, Retry, Sent


class RecordingChannel(Channel):
    """Delivers to every user target of a message by POSTing to ``url``."""

    name = "recording"
    batch_size = 5

    def __init__(self, url: str):
        self.url = url

    def recipients(self, message, hub):
        return [t for t in message.targets if t.startswith("user:")]

    def send(self, batch, hub):
        outcomes = []
        for item in batch:
            body = json.dumps({"id": item.message.id, "to": item.recipient}).encode()
            request = urllib.request.Request(
                self.url,
                data=body,
                method="POST",
                headers={"Idempotency-Key": item.key, "X-Pid": str(os.getpid())},
            )
            try:
                with urllib.request.urlopen(request, timeout=5):
                    outcomes.append(Sent())
            except urllib.error.HTTPError as error:
                outcomes.append(
                    Failed(f"HTTP {error.code}")
                    if error.code < 500
                    else Retry(f"HTTP {error.code}")
                )
            except OSError as error:
                outcomes.append(Retry(str(error)))
        return outcomes


def server():
    """The Flask server of an app whose hub runs the recording channel."""
    app = Dash(__name__)
    app.layout = html.Div("channel test app")
    dash_notify.Hub(
        app,
        os.environ["DASH_NOTIFY_STORE"],
        channels=[RecordingChannel(os.environ["RECEIVER_URL"])],
        lease_seconds=float(os.environ.get("LEASE_SECONDS", "1.5")),
    )
    return app.server
