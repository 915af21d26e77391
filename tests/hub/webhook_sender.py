"""A process's part that sends webhooks, for the tests: a hub with no app running the
webhook channel on a store (its receivers are on 127.0.0.1: private addresses allowed),
and a wait for its deliveries' outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dash_notify.hub import Hub
from dash_notify.hub.channels.webhooks import WebhookChannel

from ..waiting import wait_until


@contextmanager
def webhook_sender(store: str) -> Iterator[Hub]:
    """A hub running the webhook channel on ``store``, once its cursor is set."""
    hub = Hub(None, store, channels=[WebhookChannel(allow_private=True)], run=True)
    try:
        wait_until(lambda: hub.stores.channels.cursor("webhooks") is not None)
        yield hub
    finally:
        hub.stop()


def wait_sent(hub: Hub, count: int) -> None:
    """Wait until ``count`` webhook deliveries are recorded as sent, and no other."""
    wait_until(
        lambda: [d.state for d in hub.deliveries(channel="webhooks")] == ["sent"] * count,
        what=f"{count} webhook deliveries recorded as sent",
    )
