"""Shared test set-up: real Chromium with notifications kept on (see dash_notify.testing)."""

from __future__ import annotations

import pytest

from dash_notify.testing import notification_chrome_options


def pytest_setup_options():
    """dash.testing's hook: the browser for ``dash_duo`` allows notifications."""
    return notification_chrome_options("allow")


@pytest.fixture
def dash_duo_blocked(request, dash_thread_server, tmpdir):
    """Like ``dash_duo``, in a Chromium whose notification permission is blocked."""
    from dash.testing.composite import DashComposite

    with DashComposite(
        server=dash_thread_server,
        browser=request.config.getoption("webdriver"),
        headless=request.config.getoption("headless"),
        options=[notification_chrome_options("block")],
        download_path=tmpdir.mkdir("download").strpath,
    ) as duo:
        yield duo
