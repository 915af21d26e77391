"""io.Connect's third example, with dash_notify: two action buttons, each calling its own
interop method. Run: python examples/two_actions.py
"""

from dash import Dash, Input, Output, html, set_props

import dash_notify

app = Dash(__name__)

app.layout = html.Div(
    [
        dash_notify.Notifications(id="io-connect-notifications"),
        dash_notify.PermissionButton(id="permission"),
        html.Button("Raise Notification", id="raise-notification"),
        html.Div(id="handled"),
    ]
)


@app.callback(
    Output("io-connect-notifications", "raise"),
    Input("raise-notification", "n_clicks"),
    prevent_initial_call=True,
)
def raise_notification(_):
    call_client_interop = {"method": "CallClient", "arguments": {"name": "Vernon Mullen"}}

    open_portfolio_interop = {
        "method": "OpenPortfolio",
        "arguments": {"name": "Vernon Mullen", "id": "1"},
    }

    notification_options = {
        "title": "New Trade",
        "body": "VOD.L: 23 shares sold @ $212.03",
        "actions": [
            {"action": "callClient", "title": "Call Client", "interop": call_client_interop},
            {
                "action": "openClientPortfolio",
                "title": "Open Portfolio",
                "interop": open_portfolio_interop,
            },
        ],
    }

    return notification_options


interop = dash_notify.Interop("io-connect-notifications", app)


@interop.register("CallClient")
def call_client(arguments, click):
    set_props("handled", {"children": f"Calling {arguments['name']}"})


@interop.register("OpenPortfolio")
def open_portfolio(arguments, click):
    set_props("handled", {"children": f"Portfolio {arguments['id']} of {arguments['name']}"})


if __name__ == "__main__":
    app.run(debug=True)
