"""Testing Dash apps that use dash_notify with ``dash[testing]`` in a real Chromium.

``dash.testing`` always starts Chrome with ``--disable-notifications`` and its own
preferences, which removes the Notification API from the page. Return
``notification_chrome_options()`` from the ``pytest_setup_options`` hook in your
``conftest.py`` to keep real desktop notifications::

    from dash_notify.testing import notification_chrome_options

    def pytest_setup_options():
        return notification_chrome_options("allow")
"""

from __future__ import annotations

import os
import shutil
from typing import Literal

from selenium.webdriver.chrome.options import Options

Permission = Literal["allow", "block", "ask"]
_SETTING = {"allow": 1, "block": 2, "ask": 0}
_NOTIFICATIONS_PREF = "profile.default_content_setting_values.notifications"


class NotificationChromeOptions(Options):
    """Chrome options that keep notifications on under ``dash.testing``.

    Ignores ``--disable-notifications`` and merges the notification permission into
    whatever preferences ``dash.testing`` sets. A fixed remote-debugging port (Dash 3's
    ``dash.testing`` gives every Chrome 9222) becomes 0, a free one: two browsers at once
    (two tests in parallel, or a second browser in a test) must not share one.
    """

    def __init__(self, permission: Permission = "allow"):
        super().__init__()
        if permission not in _SETTING:
            raise ValueError(f"permission: {permission!r} is not one of 'allow', 'block', 'ask'")
        self.permission = permission
        binary = os.environ.get("DASH_TEST_CHROMEPATH") or shutil.which("chromium")
        if binary:
            self.binary_location = binary
        # Quiet, deterministic Chromium on a machine without outside network.
        for flag in (
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,700",
            "--window-position=0,0",
        ):
            super().add_argument(flag)
        self._merge_prefs({})

    def add_argument(self, argument: str) -> None:
        if argument == "--disable-notifications":
            return
        if argument.startswith("--remote-debugging-port="):
            argument = "--remote-debugging-port=0"
        super().add_argument(argument)

    def add_experimental_option(self, name: str, value) -> None:
        if name == "prefs":
            self._merge_prefs(value)
            return
        super().add_experimental_option(name, value)

    def _merge_prefs(self, prefs: dict) -> None:
        merged = {**prefs, _NOTIFICATIONS_PREF: _SETTING[self.permission]}
        if self.permission == "ask":
            merged.pop(_NOTIFICATIONS_PREF)
        super().add_experimental_option("prefs", merged)


def notification_chrome_options(permission: Permission = "allow") -> NotificationChromeOptions:
    """Options for ``pytest_setup_options``: notifications allowed, blocked or asked for."""
    return NotificationChromeOptions(permission)
