"""The dash_notify demo: build a notification from controls, see the Python code for it,
raise it as a real desktop notification or an in-page toast, and watch clicks come back.

Run it with ``python usage.py`` and open http://127.0.0.1:8050 (localhost counts as a
secure context, which desktop notifications need).
"""

from __future__ import annotations

import json

from dash import Dash, Input, Output, Patch, State, ctx, dcc, html, set_props

import dash_notify

app = Dash(__name__, title="dash_notify demo")

SEVERITIES = ["Low", "Medium", "High", "Critical", "None"]
ACTIONS = [
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
]
JOB_STEPS = 5


def field(label: str, control, hint: str | None = None) -> html.Div:
    return html.Div(
        [html.Label(label, className="demo-label"), control]
        + ([html.Small(hint, className="demo-hint")] if hint else []),
        className="demo-field",
    )


def choice(component_id: str, options: list, value) -> dcc.RadioItems:
    return dcc.RadioItems(
        id=component_id, options=options, value=value, inline=True, className="demo-seg"
    )


playground = html.Section(
    [
        html.H2("Playground"),
        field("Title", dcc.Input(id="title", value="New Trade", debounce=False)),
        field("Body", dcc.Textarea(id="body", value="VOD.L: 23 shares sold @ $212.03", rows=2)),
        field("Severity", choice("severity", SEVERITIES, "High")),
        html.Div(
            [
                field("Type", choice("type", ["Notification", "Alert"], "Notification")),
                field("Source", dcc.Input(id="source", value="Trading")),
            ],
            className="demo-pair",
        ),
        field(
            "Options",
            dcc.Checklist(
                id="extras",
                options=[
                    {"label": "Two action buttons", "value": "actions"},
                    {"label": "A click opens github.com/plotly/dash (url)", "value": "url"},
                    {"label": "Center only (showToast=False)", "value": "center-only"},
                ],
                value=["actions"],
            ),
        ),
        html.H3("Where it appears"),
        field(
            "Delivery",
            choice("delivery", ["auto", "desktop", "toast", "both"], "auto"),
            "auto: a desktop notification when allowed, else a toast.",
        ),
        field(
            "Position",
            dcc.Dropdown(
                id="position",
                options=[
                    "top-left",
                    "top-center",
                    "top-right",
                    "bottom-left",
                    "bottom-center",
                    "bottom-right",
                ],
                value="bottom-right",
                clearable=False,
            ),
        ),
        html.Div(
            [
                field("Theme", choice("theme", ["light", "dark", "system"], "light")),
                field(
                    "Toasts",
                    dcc.Checklist(
                        id="stacked", options=[{"label": "Stacked", "value": "stacked"}], value=[]
                    ),
                ),
            ],
            className="demo-pair",
        ),
        html.Div(
            [
                html.Button("Show notification", id="raise-notification", className="demo-primary"),
                html.Button("Run a job", id="run-job"),
            ],
            className="demo-buttons",
        ),
    ],
    className="demo-card",
)

code = html.Section(
    [
        html.H2("The Python for it"),
        html.Pre(html.Code(id="code")),
        html.P(
            [
                "Call it in any callback. ",
                html.Code("dash_notify.close('notifications', tag=...)"),
                " takes a notification away; a hub (",
                html.Code("dash_notify.Hub"),
                ") publishes from other processes.",
            ],
            className="demo-hint",
        ),
    ],
    className="demo-card",
)

clicks = html.Section(
    [
        html.H2("Clicks"),
        html.P(id="last-click", children="Click the notification or one of its buttons."),
        html.P(id="last-call"),
        html.Ol(id="click-log", children=[], className="demo-log"),
    ],
    className="demo-card",
)

app.layout = html.Main(
    [
        html.Header(
            [
                html.Div(
                    [
                        html.H1("dash_notify"),
                        html.P(
                            "Real desktop notifications for Dash, with clicks back in callbacks."
                        ),
                    ]
                ),
                html.Div(
                    [
                        html.Span(["Permission: ", html.Strong(id="permission")]),
                        dash_notify.PermissionButton(
                            id="permission-button", className="demo-permission"
                        ),
                        dash_notify.Notifications(id="notifications", center=True),
                    ],
                    className="demo-status",
                ),
            ],
            className="demo-header",
        ),
        html.Div(
            [playground, html.Div([code, clicks], className="demo-column")], className="demo-grid"
        ),
        dcc.Interval(id="job-tick", interval=800, disabled=True),
        dcc.Store(id="job-step", data=0),
    ],
    className="demo",
)


def build(title, body, severity, type_, source, extras):
    """The notification's keyword arguments, from the controls."""
    kwargs: dict = {"severity": severity}
    if type_ != "Notification":
        kwargs["type"] = type_
    if source:
        kwargs["source"] = source
    if "actions" in extras:
        kwargs["clickInterop"] = dash_notify.interop("HandleNotificationClick", {"id": "1"})
        kwargs["actions"] = ACTIONS
    if "url" in extras:
        kwargs["url"] = "https://github.com/plotly/dash"
    if "center-only" in extras:
        kwargs["showToast"] = False
    return [title or "Untitled", body or None], kwargs


def interop_code(interop: dict) -> str:
    return f"dash_notify.interop({interop['method']!r}, {interop['arguments']!r})"


def python_code(args, kwargs) -> str:
    lines = ['dash_notify.notify("notifications", dash_notify.notification(']
    lines += [f"    {json.dumps(arg, ensure_ascii=False)}," for arg in args if arg is not None]
    for key, value in kwargs.items():
        if key == "actions":
            lines.append("    actions=[")
            for item in value:
                interop = item["interop"]
                lines.append(
                    f"        dash_notify.action({item['action']!r}, {item['title']!r}, "
                    f"interop={interop_code(interop)}),"
                )
            lines.append("    ],")
        elif key == "clickInterop":
            lines.append(f"    clickInterop={interop_code(value)},")
        else:
            lines.append(f"    {key}={value!r},")
    lines.append("))")
    return "\n".join(lines)


CONTROLS = [
    Input("title", "value"),
    Input("body", "value"),
    Input("severity", "value"),
    Input("type", "value"),
    Input("source", "value"),
    Input("extras", "value"),
]


@app.callback(Output("code", "children"), *CONTROLS)
def show_code(*values):
    return python_code(*build(*values))


@app.callback(
    Output("notifications", "delivery"),
    Output("notifications", "position"),
    Output("notifications", "theme"),
    Output("notifications", "stacked"),
    Input("delivery", "value"),
    Input("position", "value"),
    Input("theme", "value"),
    Input("stacked", "value"),
)
def configure(delivery, position, theme, stacked):
    return delivery, position, theme, "stacked" in stacked


@app.callback(
    Input("raise-notification", "n_clicks"),
    *[State(c.component_id, c.component_property) for c in CONTROLS],
    prevent_initial_call=True,
)
def raise_notification(_, *values):
    args, kwargs = build(*values)
    dash_notify.notify("notifications", dash_notify.notification(*args, **kwargs))


@app.callback(
    Output("job-tick", "disabled"),
    Output("job-step", "data"),
    Input("run-job", "n_clicks"),
    Input("job-tick", "n_intervals"),
    State("job-step", "data"),
    prevent_initial_call=True,
)
def run_job(_, __, step):
    """A job in steps: one notification with tag "job" updated in place, then closed."""
    step = 0 if ctx.triggered_id == "run-job" else step + 1
    if step < JOB_STEPS:
        dash_notify.notify(
            "notifications",
            dash_notify.notification(
                "Exporting report.csv",
                f"Step {step + 1} of {JOB_STEPS}",
                severity="Medium",
                tag="job",
                inProgress=True,
                progress=step / JOB_STEPS,
            ),
        )
        return False, step
    dash_notify.close("notifications", tag="job")
    dash_notify.notify(
        "notifications",
        dash_notify.notification("Export finished", "report.csv is ready", severity="Low"),
    )
    return True, step


@app.callback(Output("permission", "children"), Input("notifications", "permission"))
def show_permission(permission):
    return permission


@app.callback(
    Output("last-click", "children"),
    Output("click-log", "children"),
    Input("notifications", "clickData"),
    prevent_initial_call=True,
)
def show_click(click):
    summary = (
        f"action={click['action']} interop={click['interop']} severity={click['severity']} "
        f"delivery={click['delivery']}"
    )
    log = Patch()
    log.prepend(
        html.Li(html.Code(json.dumps({k: click[k] for k in ("id", "action", "delivery", "tag")})))
    )
    return summary, log


interop = dash_notify.Interop("notifications", app)


@interop.register("CallClient")
def call_client(arguments, click):
    set_props("last-call", {"children": f"Calling {arguments['name']}"})


@interop.register("OpenPortfolio")
def open_portfolio(arguments, click):
    set_props("last-call", {"children": f"Opening portfolio {arguments['id']}"})


if __name__ == "__main__":
    app.run(debug=True, host="127.0.0.1", port=8050)
