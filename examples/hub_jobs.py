"""Notifications from jobs and outside systems, through the hub.

"Run a job" starts a background callback (another process); when it ends it publishes
to the user who asked, whatever tab or browser of theirs is open by then. The user's
target is read during a request (hub.me()) and handed to the job, which has none.
"Tell everyone" publishes to every user, the one who clicked included: in-app shows
users what they published themselves (with email or push channels, the clicker would be
left out of those: notify_myself in the README). At start the app creates a token and prints
the curl and dash-notify commands that publish from outside, plus ntfy and JupyterLab
style requests.

Needs the background callback manager's packages: pip install "dash[diskcache]".
Run: python examples/hub_jobs.py   (then open http://127.0.0.1:8050 in two browsers)
"""

import os
import tempfile
import time
from pathlib import Path

import diskcache
from dash import Dash, DiskcacheManager, Input, Output, State, dcc, html

import dash_notify

# A private place (not a predictable name in a shared /tmp): the user's cache folder,
# readable by them only; the hub creates the file itself readable by its owner only.
PRIVATE = Path.home() / ".cache" / "dash_notify"
PRIVATE.mkdir(mode=0o700, parents=True, exist_ok=True)
STORE = os.environ.get("DASH_NOTIFY_STORE", f"sqlite:///{PRIVATE / 'hub_jobs_example.db'}")

manager = DiskcacheManager(diskcache.Cache(tempfile.mkdtemp(prefix="dash_notify_hub_")))
app = Dash(__name__, background_callback_manager=manager)
hub = dash_notify.Hub(app, STORE)
token, SECRET = hub.create_token("example", ["*", "group:*"])

app.layout = html.Div(
    [
        html.H3("Notifications from jobs and outside systems"),
        dash_notify.PermissionButton(id="permission"),
        html.Button("Run a job (2.5 s)", id="job", disabled=True),  # until "me" is known
        html.Button("Tell everyone", id="everyone"),
        html.Div(id="started"),
        dcc.Store(id="me"),
        dash_notify.Notifications(id="notifications", hub=True, center=True),
    ],
    style={"fontFamily": "system-ui, sans-serif", "margin": "2rem"},
)


@app.callback(
    Output("me", "data"),
    Output("job", "disabled", allow_duplicate=True),
    Input("me", "id"),
    prevent_initial_call="initial_duplicate",
)
def who_am_i(_):
    """The page's user, as a target (read in a request, for the jobs that have none); the
    job button waits for it, so a job always knows whom to tell."""
    return hub.me(), False


@app.callback(
    Output("started", "children"),
    Input("job", "n_clicks"),
    State("me", "data"),
    background=True,
    running=[(Output("job", "disabled"), True, False)],
    prevent_initial_call=True,
)
def run_job(n_clicks, me):
    # The work. Not a whole number of seconds: Dash polls a background job every second,
    # and a poll that lands just as the job stores its result and exits can find neither
    # the result nor the job, and ends with no update (a race in Dash's background
    # callbacks, Dash 3 and 4 alike). A job of 2.5 s ends between two polls instead.
    time.sleep(2.5)
    hub.publish(
        dash_notify.notification(
            f"Job {n_clicks} finished",
            "The report is ready.",
            severity="Medium",
            source="jobs",
            actions=[dash_notify.action("open", "Open")],
        ),
        to=me,
    )
    return f"Job {n_clicks} done"


@app.callback(
    Output("everyone", "disabled"), Input("everyone", "n_clicks"), prevent_initial_call=True
)
def tell_everyone(n_clicks):
    # Published in a request: the clicker is its actor. Their tabs show it as everyone's
    # do; a mail or push of it would skip them (they are not named in "to").
    hub.publish({"title": "Hello, everyone", "body": f"Message {n_clicks}"}, to="*")
    return False


if __name__ == "__main__":
    url = "http://127.0.0.1:8050"
    print(f"""Publish from outside (token {token.id}, may reach: * group:*):
  curl -X POST {url}/_dash_notify/publish -H "Authorization: Bearer {SECRET}" \\
    -H "Content-Type: application/json" -d '{{"to": "*", "notification": {{"title": "From curl"}}}}'
  DASH_NOTIFY_TOKEN={SECRET} dash-notify send --url {url} --title "From the CLI"
  curl -u :{SECRET} -H "Priority: high" -d "From an ntfy client" {url}/_dash_notify/ntfy/alerts
  curl -X POST {url}/_dash_notify/ingest -H "Authorization: token {SECRET}" \\
    -H "Content-Type: application/json" -d '{{"message": "Like JupyterLab", "type": "success"}}'
(ntfy's topic "alerts" is group:alerts: only users in that group receive it; this example
has no groups, so try "to": "*" or the JupyterLab request, which is broadcast.)""")
    app.run(debug=True)
