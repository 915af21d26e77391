"""notify() and Interop inside real Dash callbacks, through Dash's own HTTP endpoint."""

from __future__ import annotations

import json

import pytest
from dash import Dash, Input, Output, html

import dash_notify

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash


def call(app: Dash, output: str, inputs: list[dict]) -> dict:
    """POST one callback request to the app, as the browser does; return the JSON reply.

    With ``output`` empty, the callback is found by its input (callbacks without outputs
    get an id from Dash, which the browser reads from ``_dash-dependencies``).
    """
    client = app.server.test_client()
    client.get("/")  # lets Dash finish its set-up, as the browser's first request does
    if not output:
        wanted = {"id": inputs[0]["id"], "property": inputs[0]["property"]}
        dependencies = json.loads(client.get("/_dash-dependencies").data)
        output = next(d["output"] for d in dependencies if wanted in d["inputs"])
    response = client.post(
        "/_dash-update-component",
        json={
            "output": output,
            "outputs": _outputs(output),
            "inputs": inputs,
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
        },
    )
    return {"status": response.status_code, "body": json.loads(response.data or b"null")}


def _outputs(output: str):
    if "." not in output:  # a callback without outputs
        return []
    component, prop = output.rsplit(".", 1)
    return {"id": component, "property": prop}


def notify_app(options):
    app = Dash(__name__)
    app.layout = html.Div(
        [dash_notify.Notifications(id="n"), html.Button(id="go"), html.Div(id="out")]
    )

    @app.callback(Output("out", "children"), Input("go", "n_clicks"), prevent_initial_call=True)
    def go(_):
        dash_notify.notify("n", options)
        return "sent"

    return app


def test_notify_sends_validated_options_with_the_callback_response():
    app = notify_app({"title": "Done", "vibrate": (1, 2)})
    reply = call(app, "out.children", [{"id": "go", "property": "n_clicks", "value": 1}])
    assert reply["status"] == 200
    assert reply["body"]["sideUpdate"] == {"n": {"raise": {"title": "Done", "vibrate": [1, 2]}}}


def test_notify_sends_a_list():
    app = notify_app([{"title": "a"}, {"title": "b"}])
    reply = call(app, "out.children", [{"id": "go", "property": "n_clicks", "value": 1}])
    assert reply["body"]["sideUpdate"]["n"]["raise"] == [{"title": "a"}, {"title": "b"}]


def test_notify_refuses_bad_options_before_anything_is_sent():
    with pytest.raises(dash_notify.NotificationOptionsError) as raised:
        dash_notify.notify("n", [{"title": "ok"}, {"title": "t", "severity": "Urgent"}])
    assert raised.value.field == "severity"


def interop_app():
    app = Dash(__name__)
    app.layout = html.Div([dash_notify.Notifications(id="n"), html.Div(id="out")])
    interop = dash_notify.Interop("n", app)
    calls = []

    @interop.register("OpenPortfolio")
    def open_portfolio(arguments, click):
        calls.append((arguments, click["action"]))
        dash_notify.notify("n", {"title": f"Opened {arguments['id']}"})

    return app, interop, calls


def click_data(interop):
    return {"id": "x", "action": "open", "interop": interop, "delivery": "desktop"}


def test_interop_calls_the_named_method_with_its_arguments():
    app, interop, calls = interop_app()
    reply = call(
        app,
        "",
        [
            {
                "id": "n",
                "property": "clickData",
                "value": click_data({"method": "OpenPortfolio", "arguments": {"id": "1"}}),
            }
        ],
    )
    assert reply["status"] == 200
    assert calls == [({"id": "1"}, "open")]
    assert reply["body"]["sideUpdate"] == {"n": {"raise": {"title": "Opened 1"}}}
    assert interop.methods == ["OpenPortfolio"]


def test_clicks_naming_no_registered_method_are_left_alone():
    app, _, calls = interop_app()
    for interop_setting in ({"method": "Unknown"}, None):
        reply = call(
            app, "", [{"id": "n", "property": "clickData", "value": click_data(interop_setting)}]
        )
        assert reply["status"] in (200, 204)
    assert calls == []


def test_registration_errors_are_clear():
    _, interop, _ = interop_app()
    with pytest.raises(ValueError, match="already registered"):
        interop.register("OpenPortfolio", lambda arguments, click: None)
    with pytest.raises(ValueError, match="non-empty"):
        interop.register("")
    interop.unregister("OpenPortfolio")
    assert interop.methods == []
