"""The dash_notify demo: raise real desktop notifications and see clicks come back.

Run it with ``python usage.py`` and open http://127.0.0.1:8050 (localhost counts as a
secure context, which desktop notifications need).
"""

from dash import Dash, Input, Output, State, dcc, html, set_props

import dash_notify

app = Dash(__name__, title="dash_notify demo")

app.layout = html.Main(
    [
        html.H1("dash_notify"),
        dash_notify.Notifications(id="notifications"),
        html.P(["Permission: ", html.Strong(id="permission")]),
        dash_notify.PermissionButton(id="permission-button"),
        html.Div(
            [
                dcc.Dropdown(
                    id="severity",
                    options=["Low", "Medium", "High", "Critical", "None"],
                    value="High",
                    clearable=False,
                    style={"width": "12rem"},
                ),
                html.Button("Raise", id="raise-notification"),
            ],
            style={"display": "flex", "gap": "1rem", "margin": "1rem 0"},
        ),
        html.H2("Last click"),
        html.Pre(id="last-click"),
        html.H2("Last interop call"),
        html.P(id="last-call"),
    ],
    style={"fontFamily": "system-ui, sans-serif", "maxWidth": "40rem", "margin": "2rem auto"},
)


@app.callback(
    Output("notifications", "raise"),
    Input("raise-notification", "n_clicks"),
    State("severity", "value"),
    prevent_initial_call=True,
)
def raise_notification(_, severity):
    return dash_notify.notification(
        "New Trade",
        "VOD.L: 23 shares sold @ $212.03",
        severity=severity,
        source="Trading",
        clickInterop=dash_notify.interop("HandleNotificationClick", {"id": "1"}),
        actions=[
            dash_notify.action(
                "callClient",
                "Call Client",
                interop=dash_notify.interop("CallClient", {"name": "Vernon Mullen"}),
            ),
            dash_notify.action(
                "openClientPortfolio",
                "Open Portfolio",
                interop=dash_notify.interop("OpenPortfolio", {"id": "1"}),
            ),
        ],
    )


@app.callback(Output("permission", "children"), Input("notifications", "permission"))
def show_permission(permission):
    return permission


@app.callback(Output("last-click", "children"), Input("notifications", "clickData"))
def show_click(click):
    if not click:
        return "Click the notification or one of its buttons."
    return f"action={click['action']} interop={click['interop']} severity={click['severity']}"


interop = dash_notify.Interop("notifications", app)


@interop.register("CallClient")
def call_client(arguments, click):
    set_props("last-call", {"children": f"Calling {arguments['name']}"})


@interop.register("OpenPortfolio")
def open_portfolio(arguments, click):
    set_props("last-call", {"children": f"Opening portfolio {arguments['id']}"})


if __name__ == "__main__":
    app.run(debug=True, host="127.0.0.1", port=8050)
