"""The dash_notify demo: build a notification from controls, see the Python code for it,
raise it as a real desktop notification or an in-page toast, and watch clicks come back.
Its hub panel runs a background job that reports progress through the hub, and shows
the commands that publish to the page from outside (curl, dash-notify, ntfy style).

Run it with ``python usage.py`` and open http://127.0.0.1:8050 (localhost counts as a
secure context, which desktop notifications need).
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import shlex
import shutil
import tempfile
import threading
import time

import flask
from dash import Dash, Input, Output, Patch, State, dcc, html, set_props

import dash_notify

app = Dash(__name__, title="dash_notify demo")

# The hub keeps its notifications in a SQLite file in a private folder of its own, new
# at each start (DASH_NOTIFY_STORE picks another store), with a token for the commands
# the hub panel shows. Every user is in the group "demo" (ntfy's topic).
HUB_DIR = tempfile.mkdtemp(prefix="dash_notify_demo_")
atexit.register(shutil.rmtree, HUB_DIR, ignore_errors=True)
STORE = os.environ.get("DASH_NOTIFY_STORE") or f"sqlite:///{HUB_DIR}/hub.db"
hub = dash_notify.Hub(app, STORE, groups=lambda user: ["demo"])
_, TOKEN = hub.create_token("demo", ["*", "group:demo"])
JOB_NUMBERS = itertools.count(1)
JOB_STEP_SECONDS = 0.8

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
            [html.Button("Show notification", id="raise-notification", className="demo-primary")],
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

JOB_CODE = """me = hub.me()  # in the button's callback: who clicked
# in a thread, at each step (same tag: updated in place)
hub.publish(dash_notify.notification(
    "Exporting report.csv", "Step 2 of 5",
    tag="export-1", inProgress=True, progress=0.2,
), to=me)
# when done
hub.close("export-1", to=me)
hub.publish({"title": "Export finished"}, to=me)"""


def command(label: str, component_id: str) -> html.Div:
    return html.Div(
        [html.Label(label, className="demo-label"), html.Pre(html.Code(id=component_id))],
        className="demo-field",
    )


hub_panel = html.Section(
    [
        html.H2("Hub: notifications from jobs and other programs"),
        html.P(
            [
                "The hub delivers what is published to you from any thread, process or "
                "machine, live. This demo keeps it in ",
                html.Code(STORE.removeprefix("sqlite:///")),
                ", new at each start.",
            ],
            className="demo-hint",
        ),
        html.Div(
            [
                html.Div(
                    [
                        html.Div(
                            [
                                html.Button("Run a background job", id="run-job"),
                                html.Span(["Stream: ", html.Strong(id="hub-status")]),
                            ],
                            className="demo-buttons",
                        ),
                        html.P(
                            "A thread publishes its progress to you, updating one "
                            "notification in place by its tag, then closes it and publishes "
                            "the result.",
                            className="demo-hint",
                        ),
                        html.Pre(html.Code(JOB_CODE)),
                    ]
                ),
                html.Div(
                    [
                        html.P(
                            [
                                "Or publish from a terminal with the token this demo created "
                                "at start (it may reach everyone and the group ",
                                html.Code("demo"),
                                "; anyone who can open this page sees it: keep the demo "
                                "on 127.0.0.1).",
                            ],
                            className="demo-hint",
                        ),
                        command("curl, the hub's own JSON", "cmd-curl"),
                        command("dash-notify send", "cmd-send"),
                        command("ntfy's format: topic demo is the group demo", "cmd-ntfy"),
                        html.P(
                            [
                                html.Code("dash-notify close --url ... TAG"),
                                " (or POST /_dash_notify/close) takes a notification "
                                "away by its tag.",
                            ],
                            className="demo-hint",
                        ),
                    ]
                ),
            ],
            className="demo-grid",
        ),
    ],
    className="demo-card demo-hub",
    id="hub-panel",
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
                        dash_notify.Notifications(id="notifications", center=True, hub=True),
                    ],
                    className="demo-status",
                ),
            ],
            className="demo-header",
        ),
        html.Div(
            [playground, html.Div([code, clicks], className="demo-column")], className="demo-grid"
        ),
        hub_panel,
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


def export_job(number: int, me: str) -> None:
    """A background job: its progress in one notification (tag), closed when done."""
    tag = f"export-{number}"
    for step in range(JOB_STEPS):
        hub.publish(
            dash_notify.notification(
                "Exporting report.csv",
                f"Step {step + 1} of {JOB_STEPS}",
                severity="Medium",
                tag=tag,
                inProgress=True,
                progress=step / JOB_STEPS,
            ),
            to=me,
        )
        time.sleep(JOB_STEP_SECONDS)  # the work
    hub.close(tag, to=me)
    hub.publish(
        dash_notify.notification("Export finished", "report.csv is ready", severity="Low"), to=me
    )


@app.callback(Input("run-job", "n_clicks"), prevent_initial_call=True)
def run_job(_):
    """Start the job in a thread, for the user who clicked (read now, in the request)."""
    threading.Thread(target=export_job, args=(next(JOB_NUMBERS), hub.me()), daemon=True).start()


def publish_commands(url: str) -> tuple[str, str, str]:
    """The curl, dash-notify and ntfy-style commands that publish to this app at ``url``."""
    token = shlex.quote(TOKEN)
    payload = {"to": "*", "notification": {"title": "Deployed v1.4", "severity": "Low"}}
    curl = (
        f"curl -X POST {url}_dash_notify/publish \\\n"
        f'  -H "Authorization: Bearer {TOKEN}" -H "Content-Type: application/json" \\\n'
        f"  -d {shlex.quote(json.dumps(payload))}"
    )
    send = (
        f"DASH_NOTIFY_TOKEN={token} dash-notify send --url {url} \\\n"
        '  --title "Backup finished" --body "3.2 GB in 41 s" --severity Low'
    )
    ntfy = (
        f'curl -u :{token} -H "Title: Disk almost full" -H "Priority: high" \\\n'
        f'  -d "db-2: 97% used" {url}_dash_notify/ntfy/demo'
    )
    return curl, send, ntfy


@app.callback(
    Output("cmd-curl", "children"),
    Output("cmd-send", "children"),
    Output("cmd-ntfy", "children"),
    Input("hub-panel", "id"),
)
def show_commands(_):
    """The commands with this app's URL, as the browser reached it."""
    return publish_commands(
        flask.request.host_url.rstrip("/") + app.config.requests_pathname_prefix
    )


app.clientside_callback(
    "status => status", Output("hub-status", "children"), Input("notifications", "hubStatus")
)


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
