"""Shared test set-up: real Chromium with notifications kept on (see dash_notify.testing)."""

from __future__ import annotations

import pytest

from dash_notify.testing import notification_chrome_options


def pytest_setup_options():
    """dash.testing's hook: the browser for ``dash_duo`` allows notifications."""
    return notification_chrome_options("allow")


def _duo_with_permission(request, server, tmpdir, permission):
    from dash.testing.composite import DashComposite

    return DashComposite(
        server=server,
        browser=request.config.getoption("webdriver"),
        headless=request.config.getoption("headless"),
        options=[notification_chrome_options(permission)],
        download_path=tmpdir.mkdir("download").strpath,
    )


@pytest.fixture
def dash_duo_blocked(request, dash_thread_server, tmpdir):
    """Like ``dash_duo``, in a Chromium whose notification permission is blocked."""
    with _duo_with_permission(request, dash_thread_server, tmpdir, "block") as duo:
        yield duo


@pytest.fixture
def dash_duo_asking(request, dash_thread_server, tmpdir):
    """Like ``dash_duo``, in a Chromium where the person has not decided yet."""
    with _duo_with_permission(request, dash_thread_server, tmpdir, "ask") as duo:
        yield duo


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A hub store URL: a new SQLite file of this test's own."""
    return f"sqlite:///{tmp_path / 'notifications.db'}"
