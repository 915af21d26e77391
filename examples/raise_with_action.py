"""io.Connect's first example, with dash_notify: a notification with one action button.

The action names the interop method "HandleNotificationClick", registered below, so a
click on the button calls it. Run: python examples/raise_with_action.py
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
    interop_settings = {"method": "HandleNotificationClick"}

    return {
        "title": "New Trade",
        "body": "VOD.L: 23 shares sold @ $212.03",
        "actions": [
            {
                "action": "openClientPortfolio",
                "title": "Open Portfolio",
                "interop": interop_settings,
            }
        ],
    }


interop = dash_notify.Interop("io-connect-notifications", app)


@interop.register("HandleNotificationClick")
def handle_notification_click(arguments, click):
    set_props("handled", {"children": f"HandleNotificationClick called from {click['action']}"})


if __name__ == "__main__":
    app.run(debug=True)
