"""A progress notification driven by a background callback.

The export runs as a Dash background callback; each step updates the same notification
in place through its tag (inProgress with a progress value), and the last one ends it.
Needs the background callback manager's packages: pip install "dash[diskcache]".
Run: python examples/progress.py
"""

import tempfile
import time

import diskcache
from dash import Dash, DiskcacheManager, Input, Output, html

import dash_notify

STEPS = 5

manager = DiskcacheManager(diskcache.Cache(tempfile.mkdtemp(prefix="dash_notify_progress_")))
app = Dash(__name__, background_callback_manager=manager)

app.layout = html.Div(
    [
        dash_notify.Notifications(id="notifications", delivery="toast", center=True),
        html.Button("Export", id="export"),
        html.Div(id="result"),
    ],
    style={"fontFamily": "system-ui, sans-serif", "margin": "2rem"},
)


@app.callback(
    Output("result", "children"),
    Input("export", "n_clicks"),
    background=True,
    running=[(Output("export", "disabled"), True, False)],
    prevent_initial_call=True,
)
def export(n_clicks):
    tag = f"export-{n_clicks}"
    for step in range(STEPS):
        dash_notify.notify(
            "notifications",
            dash_notify.notification(
                "Exporting report.csv",
                f"Step {step + 1} of {STEPS}",
                tag=tag,
                inProgress=True,
                progress=step / STEPS,
                severity="Low",
            ),
        )
        time.sleep(0.5)  # (the job ends between Dash's polls: see hub_jobs.py)
    dash_notify.notify(
        "notifications",
        dash_notify.notification("Export finished", "report.csv is ready", tag=tag, severity="Low"),
    )
    return f"Export {n_clicks} done"


if __name__ == "__main__":
    app.run(debug=True)
