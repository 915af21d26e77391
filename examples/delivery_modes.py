"""Delivery modes, severities, themes and the notification center.

Pick a delivery mode ("auto", "desktop", "toast", "both") and raise notifications of
each severity: see which way each is delivered (shownData), how long its toast stays,
and find all of them in the center (the bell). Run: python examples/delivery_modes.py
"""

from dash import ALL, Dash, Input, Output, ctx, dcc, html

import dash_notify

app = Dash(__name__)

SEVERITIES = ["None", "Low", "Medium", "High", "Critical"]

app.layout = html.Div(
    [
        html.Div(
            [
                dash_notify.Notifications(id="notifications", center=True),
                dash_notify.PermissionButton(id="permission"),
            ],
            style={"display": "flex", "gap": "1rem", "alignItems": "center"},
        ),
        html.P("Delivery mode"),
        dcc.RadioItems(id="delivery", options=["auto", "desktop", "toast", "both"], value="auto"),
        html.P("Theme"),
        dcc.RadioItems(id="theme", options=["light", "dark", "system"], value="light"),
        html.Div(
            [html.Button(severity, id={"severity": severity}) for severity in SEVERITIES]
            + [html.Button("Center only", id="quiet")],
            style={"display": "flex", "gap": ".5rem", "margin": "1rem 0"},
        ),
        html.Pre(id="shown"),
    ],
    style={"fontFamily": "system-ui, sans-serif", "margin": "2rem"},
)


@app.callback(
    Output("notifications", "delivery"),
    Output("notifications", "theme"),
    Input("delivery", "value"),
    Input("theme", "value"),
)
def settings(delivery, theme):
    return delivery, theme


@app.callback(
    Output("notifications", "raise"),
    Input({"severity": ALL}, "n_clicks"),
    Input("quiet", "n_clicks"),
    prevent_initial_call=True,
)
def raise_one(*_):
    if ctx.triggered_id == "quiet":
        return dash_notify.notification("Nightly report", "Filed in the center", showToast=False)
    severity = ctx.triggered_id["severity"]
    return dash_notify.notification(
        f"{severity} notification",
        f"Raised at severity {severity}",
        severity=severity,
        source="delivery_modes.py",
        actions=[dash_notify.action("open", "Open")],
    )


@app.callback(Output("shown", "children"), Input("notifications", "shownData"))
def show_delivery(shown):
    if not shown:
        return "Nothing raised yet."
    return "\n".join(
        f"{entry['id'][:8]}: {entry['delivery'] or entry['reason']}" for entry in shown
    )


if __name__ == "__main__":
    app.run(debug=True)
