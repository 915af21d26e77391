"""A Dash Pages app for the browser tests: Notifications in the app shell, two pages,
the raising button and the event logs of apps.raising_app, and "#status" (hubStatus)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash
from dash import Dash, Input, Output, dcc, html

from .apps import raising_app


def pages_app(raises: Sequence[Any], **notifications) -> Dash:
    """Pages "/" (Home) and "/page-2" (Page 2), each with an "#page-title" and a dcc.Link
    to the other; the shell (everything but dash.page_container and "#status") is
    raising_app's; they sit above its event logs (see raising_app)."""
    app = raising_app(
        raises,
        notifications=notifications,
        controls=[dash.page_container, html.Div(id="status")],
        use_pages=True,
        pages_folder="",
    )
    dash.register_page(
        "home",
        path="/",
        layout=html.Div(
            [html.H1("Home", id="page-title"), dcc.Link("To page 2", href="/page-2", id="to-2")]
        ),
    )
    dash.register_page(
        "page2",
        path="/page-2",
        layout=html.Div(
            [html.H1("Page 2", id="page-title"), dcc.Link("Home", href="/", id="to-home")]
        ),
    )
    app.clientside_callback("s => s", Output("status", "children"), Input("n", "hubStatus"))
    return app


def mark_page(driver) -> None:
    """Leaves a mark on the window: it is gone after a reload, kept by in-app navigation."""
    driver.execute_script("window.__notReloaded = true")


def not_reloaded(driver) -> bool:
    return driver.execute_script("return window.__notReloaded === true")
