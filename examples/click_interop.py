"""io.Connect's second example, with dash_notify: a click on the notification calls an
interop method with arguments. Run: python examples/click_interop.py
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
    interop_settings = {
        "method": "HandleNotificationClick",
        "arguments": {"name": "Vernon Mullen", "id": "1"},
    }

    notification_options = {
        "title": "New Trade",
        "body": "VOD.L: 23 shares sold @ $212.03",
        "clickInterop": interop_settings,
    }

    return notification_options


interop = dash_notify.Interop("io-connect-notifications", app)


@interop.register("HandleNotificationClick")
def handle_notification_click(arguments, click):
    set_props("handled", {"children": f"Client {arguments['name']} (id {arguments['id']})"})


if __name__ == "__main__":
    app.run(debug=True)
