"""A hub with the email channel for processes of their own (``dash-notify worker
tests.hub.email_app:hub``, ``dash-notify digest ...``), configured by the environment:
``DASH_NOTIFY_STORE``, ``SMTP_PORT``, ``LEASE_SECONDS``. Every user ``<id>`` has the
address ``<id>@example.com``; users whose id starts with ``daily`` are in daily mode
by the app's default for them."""

from __future__ import annotations

import os

import dash_notify
from dash_notify.hub.channels.email import EmailChannel


def address(user: str) -> dict[str, str]:
    return {"address": f"{user}@example.com", "timezone": "Europe/Brussels"}


def make_hub() -> dash_notify.Hub:
    channel = EmailChannel(
        address,
        base_url="http://app.test/",
        secret="a-test-secret-of-at-least-32-characters!",
        host="127.0.0.1",
        port=int(os.environ["SMTP_PORT"]),
        sender="notify@app.test",
    )
    return dash_notify.Hub(
        None,
        os.environ["DASH_NOTIFY_STORE"],
        channels=[channel],
        lease_seconds=float(os.environ.get("LEASE_SECONDS", "1.5")),
    )


hub = make_hub
