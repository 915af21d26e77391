"""dash_notify.close() inside a real Dash callback, through Dash's own HTTP endpoint."""

from __future__ import annotations

import pytest
from dash import Dash, Input, Output, html

import dash_notify

from .test_callbacks import call

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash


def close_app(**kwargs):
    app = Dash(__name__)
    app.layout = html.Div(
        [dash_notify.Notifications(id="n"), html.Button(id="go"), html.Div(id="out")]
    )

    @app.callback(Output("out", "children"), Input("go", "n_clicks"), prevent_initial_call=True)
    def go(_):
        dash_notify.close("n", **kwargs)
        return "closed"

    return app


@pytest.mark.parametrize(
    ("kwargs", "sent"), [({"tag": "job-1"}, {"tag": "job-1"}), ({"id": "hub:7"}, {"id": "hub:7"})]
)
def test_close_sends_its_target_with_the_callback_response(kwargs, sent):
    reply = call(
        close_app(**kwargs), "out.children", [{"id": "go", "property": "n_clicks", "value": 1}]
    )
    assert reply["status"] == 200
    assert reply["body"]["sideUpdate"] == {"n": {"close": sent}}


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({}, "exactly one of tag= or id="),
        ({"tag": "a", "id": "b"}, "exactly one of tag= or id="),
        ({"tag": ""}, "tag must be a non-empty string"),
        ({"id": 3}, "id must be a non-empty string"),
    ],
)
def test_close_refuses_a_bad_target_before_anything_is_sent(kwargs, words):
    with pytest.raises(TypeError, match=words):
        dash_notify.close("n", **kwargs)


def test_the_component_takes_a_close_prop():
    component = dash_notify.Notifications(id="n", close={"tag": "t"})
    assert component.close == {"tag": "t"}
