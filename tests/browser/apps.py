"""A small Dash app for the browser tests: a button raises the next value of a list, and
every event prop of the component is logged on the page as JSON, one line an event."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from dash import Dash, Input, Output, Patch, State, html

import dash_notify

EVENT_PROPS = ("clickData", "shownData", "closedData", "errorData")


def raising_app(
    raises: Sequence[Any],
    *,
    notifications: dict | None = None,
    controls: Sequence[Any] = (),
    **dash_kwargs,
) -> Dash:
    """An app whose "#go" button raises ``raises[0]``, then ``raises[1]``, and so on.

    ``notifications`` holds props for the Notifications component; ``controls`` are a
    test's own components. They go above the event logs, which are last: the logs grow by
    a line an event, so anything below them moves, and a click chromedriver aimed at it
    before the move lands elsewhere (a missed dcc.Link click failed a CI run).
    """
    app = Dash(__name__, **dash_kwargs)
    app.layout = html.Div(
        [
            dash_notify.Notifications(id="n", **(notifications or {})),
            html.Button("Raise", id="go"),
            html.Div(id="permission"),
            html.Div(id="max-actions"),
            *controls,
            *[html.Div(id=f"{prop}-log", children=[]) for prop in EVENT_PROPS],
        ]
    )

    @app.callback(Output("n", "raise"), Input("go", "n_clicks"), prevent_initial_call=True)
    def raise_next(n_clicks):
        return raises[(n_clicks - 1) % len(raises)]

    @app.callback(
        Output("permission", "children"),
        Output("max-actions", "children"),
        Input("n", "permission"),
        Input("n", "maxActions"),
    )
    def show_permission(permission, max_actions):
        return permission, str(max_actions)

    for prop in EVENT_PROPS:
        log_event(app, prop)
    return app


#: Appends an event's value to its log in the page. The list props (shownData,
#: closedData, errorData) are logged by this clientside callback: dash-renderer drops the
#: result of a server callback still running when its prop changes again (README, "event
#: props"), which a loaded machine makes likely; in the browser nothing is in flight.
APPEND_SCRIPT = """(value, log) => [...(log || []), {
    namespace: 'dash_html_components', type: 'Div',
    props: {children: JSON.stringify(value), className: 'event'},
}]"""


def log_event(app: Dash, prop: str) -> None:
    """Log every value of ``prop``: clicks in Python (they come back into Python
    callbacks), the list props in the browser (see APPEND_SCRIPT)."""
    if prop != "clickData":
        app.clientside_callback(
            APPEND_SCRIPT,
            Output(f"{prop}-log", "children"),
            Input("n", prop),
            State(f"{prop}-log", "children"),
            prevent_initial_call=True,
        )
        return

    @app.callback(Output(f"{prop}-log", "children"), Input("n", prop), prevent_initial_call=True)
    def log(value):
        log = Patch()
        log.append(html.Div(json.dumps(value), className="event"))
        return log


def events(dash_duo, prop: str) -> list:
    """The values ``prop`` took so far, oldest first (lists, for the list-valued props)."""
    texts = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);",
        f"#{prop}-log .event",
    )
    return [json.loads(text) for text in texts]


def wait_for_events(dash_duo, prop: str, count: int, timeout: float = 10) -> list:
    """Wait until ``prop`` has taken ``count`` values; fail if it took more."""
    deadline = time.monotonic() + timeout
    logged: list[dict] = []
    while time.monotonic() < deadline:
        logged = events(dash_duo, prop)
        if len(logged) >= count:
            break
        time.sleep(0.05)
    assert len(logged) == count, f"expected {count} {prop} events, got {len(logged)}: {logged}"
    return logged


def raise_next(dash_duo) -> None:
    dash_duo.find_element("#go").click()
