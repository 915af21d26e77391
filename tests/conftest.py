"""Shared test set-up: real Chromium with notifications kept on (see dash_notify.testing),
and, when pytest-xdist runs the suite in several processes, a screen and ports of each
process's own."""

from __future__ import annotations

import logging
import os
import subprocess

import pytest
from hypothesis import settings

from dash_notify.testing import notification_chrome_options

SCREEN = "1280x900x24"  # as scripts/test.sh's xvfb-run: the popups' geometry depends on it

# Property tests check results, not speed: on a loaded machine (two test processes and
# browsers) one example of test_options took 281 ms, past Hypothesis's 200 ms deadline.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


class _NoKilledWorkerTraceback(logging.Filter):
    """Drop the record an idle pool worker logs when dash.testing stops a server.

    dash.testing's threaded runner stops a server by raising SystemExit in every thread
    started since the server was (our hub's channel pools among them). An idle pool
    worker takes it when it next wakes, at any later time, and concurrent.futures logs it
    with a traceback. On Python 3.11, formatting a traceback runs ``ast.parse``, and two
    threads in ``ast.parse`` at once can corrupt its shared recursion counter (CPython
    gh-106905): the main thread, compiling the URL rules of the next test's app, then got
    ``SystemError: AST constructor recursion depth mismatch`` (CI, Dash 3 pass). Nothing
    but the test runner raises SystemExit in a pool worker, so nothing else is lost."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, SystemExit)


logging.getLogger("concurrent.futures").addFilter(_NoKilledWorkerTraceback())


def _serve_with_a_short_poll() -> None:
    """socketserver's serve loop wakes every 0.5 s to see whether it should stop, and
    stopping a test server waited for that wake-up: ``shutdown()`` (our receivers and
    ``ThreadServer``) waits for the loop to notice, and dash.testing raises SystemExit in
    the server's thread, which takes it only when the loop runs again. Every test that
    serves an app or a receiver waited for it on teardown (0.25 s on average); the loop
    now wakes every 0.05 s. Patched where the loop is, ``socketserver.BaseServer``, so
    Werkzeug's servers (which pass 0.5 s to it) and ``http.server``'s are covered alike."""
    import socketserver

    serve = socketserver.BaseServer.serve_forever

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        serve(self, min(poll_interval, 0.05))

    socketserver.BaseServer.serve_forever = serve_forever


_serve_with_a_short_poll()


def _start_screen() -> subprocess.Popen:
    """A virtual screen of this process's own (Xvfb picks a free display number)."""
    read, write = os.pipe()
    screen = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as display:
        number = display.readline().strip()
    if not number:
        screen.kill()
        raise RuntimeError("Xvfb did not start (is the xvfb package installed?)")
    os.environ["DISPLAY"] = f":{number}"
    return screen


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker: its own screen, so that one worker's desktop popups are never
    counted or clicked by another's tests, and its own range of ports for dash.testing's
    servers (which otherwise all start at the same port in every process)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return
    config._dash_notify_screen = _start_screen()
    from dash.testing.application_runners import BaseDashRunner

    BaseDashRunner._next_port += 1000 * (int(worker.removeprefix("gw")) + 1)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the worker's screen."""
    screen = getattr(config, "_dash_notify_screen", None)
    if screen is not None:
        screen.terminate()
        screen.wait(10)


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
