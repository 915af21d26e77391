"""The generated component classes and the files Dash serves for them."""

from __future__ import annotations

import re

import pytest
from dash import Dash, html

import dash_notify
from dash_notify import options_schema

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash


def test_the_raise_docstring_documents_every_option_and_allowed_value():
    doc = dash_notify.Notifications.__doc__
    raise_doc = doc[doc.index("- raise (") :]
    schema = options_schema()
    for name, spec in schema["properties"].items():
        assert re.search(rf"\b{name}\b", raise_doc), name
        for value in spec.get("enum", []):
            assert f'"{value}"' in raise_doc, (name, value)
    for name in schema["$defs"]["action"]["properties"]:
        assert name in raise_doc
    for name in schema["$defs"]["interop"]["properties"]:
        assert name in raise_doc


def test_raise_is_a_prop_but_not_a_constructor_argument():
    assert "raise" in dash_notify.Notifications()._prop_names
    component = dash_notify.Notifications(id="n", **{"raise": {"title": "t"}})
    assert component.to_plotly_json()["props"]["raise"] == {"title": "t"}


def serve(app: Dash, path: str):
    client = app.server.test_client()
    client.get(app.config.requests_pathname_prefix)
    return client.get(path)


def test_the_service_worker_is_served_under_the_path_prefix():
    app = Dash(__name__, url_base_pathname="/trading/")
    app.layout = html.Div(dash_notify.Notifications(id="n"))
    response = serve(app, "/trading/_dash-component-suites/dash_notify/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert b"notificationclick" in response.data
    # ... and it is not a script tag of the page: the bundle registers it.
    index = serve(app, "/trading/").data.decode()
    assert "dash_notify.min.js" in index or "dash_notify/dash_notify" in index
    assert "sw.js" not in index
