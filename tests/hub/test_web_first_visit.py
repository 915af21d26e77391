"""The first visit in a real browser (issue: a publish to ``hub.me()`` from a page-load
callback never arrived live, because the event stream and the callback each minted
an anonymous id). The page's own response now gives the browser its id: on every
backend, three fresh browsers out of three receive the callback's notification live."""

from __future__ import annotations

import pytest
from selenium import webdriver

from dash_notify.testing import notification_chrome_options

from ..waiting import texts, wait_until
from .serve import BACKENDS
from .servers import AppProcess


def fresh_browser() -> webdriver.Chrome:
    """A Chromium with a profile of its own: no cookie, nothing stored."""
    options = notification_chrome_options("allow")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    return webdriver.Chrome(options=options)


def first_visit(url: str, run: int) -> None:
    """One fresh browser loads the page; the page-load callback's notification (to
    ``hub.me()``, 0.5 s later) must be shown live."""
    driver = fresh_browser()
    try:
        driver.get(url)
        published = wait_until(
            lambda: "".join(texts(driver, "#greeted")), what="the page-load callback"
        )
        wait_until(
            lambda: f"hub:{published}" in texts(driver, "#shown .event"),
            what=f"run {run}: notification {published} shown live",
        )
        cookie = driver.get_cookie("dash_notify_browser")
        assert cookie and cookie["httpOnly"]
    finally:
        driver.quit()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_first_visit_receives_what_a_page_load_callback_publishes_to_me(sqlite_url, backend):
    # the app in a process of its own, as deployed (Flask's server, uvicorn, hypercorn)
    app = AppProcess(sqlite_url, backend=backend, env={"DASH_NOTIFY_GREET": "0.5"}).start()
    try:
        for run in range(3):
            first_visit(app.url, run)
    finally:
        app.stop()
