"""Helpers for the browser tests: what the service worker really shows."""

from __future__ import annotations

import json
import time

from .desktop_popup import wait_for_popups

SHOWN_SCRIPT = """
const done = arguments[arguments.length - 1];
navigator.serviceWorker.getRegistrations()
  .then(regs => {
    const ours = regs.find(r => r.scope.includes('/_dash-component-suites/dash_notify/'));
    return ours ? ours.getNotifications() : [];
  })
  .then(list => done(JSON.stringify(list.map(n => ({
    title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon, image: n.image,
    badge: n.badge, requireInteraction: n.requireInteraction, silent: n.silent,
    renotify: n.renotify, dir: n.dir, lang: n.lang, timestamp: n.timestamp,
    actions: n.actions.map(a => ({action: a.action, title: a.title})),
  })))))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""


def shown_notifications(driver) -> list[dict]:
    """The notifications dash_notify's service worker is showing, as the browser lists them."""
    result = json.loads(driver.execute_async_script(SHOWN_SCRIPT))
    if isinstance(result, dict):
        raise AssertionError(result["error"])
    return result


def wait_for_shown(
    driver, count: int, *, on_screen: int | None = None, timeout: float = 10
) -> list[dict]:
    """Wait until ``count`` notifications are shown; return them as the browser lists them.

    Reads the list only once the popups are on the screen (``on_screen``, by default
    ``count``): Chromium's getNotifications() drops notifications that are not displayed
    yet, so reading too early would itself lose them.
    """
    wait_for_popups(count if on_screen is None else on_screen, timeout=timeout)
    deadline = time.monotonic() + timeout
    shown: list[dict] = []
    while time.monotonic() < deadline:
        shown = shown_notifications(driver)
        if len(shown) == count:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"expected {count} notifications, saw {len(shown)}: {shown}")
