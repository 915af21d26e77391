"""The demo the README's first command starts: it raises, and its interop handler runs."""

from __future__ import annotations

import importlib

from .desktop_popup import click, wait_for_popups
from .helpers import wait_for_shown


def test_the_demo_raises_and_handles_a_click(dash_duo):
    usage = importlib.import_module("usage")
    dash_duo.start_server(usage.app)
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    dash_duo.find_element("#raise-notification").click()
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "New Trade" and shown["requireInteraction"] is True  # High
    [popup] = wait_for_popups(1)
    click(popup.action_buttons()[1])
    dash_duo.wait_for_text_to_equal("#last-call", "Opening portfolio 1")
    dash_duo.wait_for_contains_text("#last-click", "action=openClientPortfolio")
