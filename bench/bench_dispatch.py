"""Bundle size and dispatch latency: dash_notify against dash-mantine-components.

Prints, for both libraries in the same run:
- the size of the JavaScript the page loads for notifications, minified and gzipped;
- the time from a callback's response reaching the browser (the renderer's fetch of
  /_dash-update-component resolving) to the notification being shown: for dash_notify,
  ServiceWorkerRegistration.showNotification() resolving (the browser has the
  notification); for dash-mantine-components, the notification's element entering the
  DOM. Median, p95, p99 and max over N raises of the same content, run in alternating
  rounds so that both see the same machine load, and the ratio of the two.

Run: python bench/bench_dispatch.py [--raises 240] (under xvfb-run for headed Chromium).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import dash_mantine_components as dmc
from dash import Dash, Input, Output, html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dash_notify  # noqa: E402
from bench.common import chromium, open_app, serve, sizes, summary  # noqa: E402

TITLE = "New Trade"
BODY = "VOD.L: 23 shares sold @ $212.03"

# Wraps fetch to timestamp callback responses; each library's probe resolves `shown`.
INSTRUMENT = """
window.__bench = {responses: [], shown: [], called: []};
const realFetch = window.fetch;
window.fetch = function (...args) {
  const url = String(args[0] && args[0].url || args[0]);
  return realFetch.apply(this, args).then(response => {
    if (url.includes('_dash-update-component')) window.__bench.responses.push(performance.now());
    return response;
  });
};
"""

NOTIFY_PROBE = """
const real = ServiceWorkerRegistration.prototype.showNotification;
ServiceWorkerRegistration.prototype.showNotification = function (...args) {
  window.__bench.called.push(performance.now());
  return real.apply(this, args).then(result => {
    window.__bench.shown.push(performance.now());
    return result;
  });
};
"""

MANTINE_PROBE = """
const wanted = BODY_JSON;
new MutationObserver(records => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      const root = '[class*=Notification-root]';
      if (node.nodeType === 1 && node.textContent.includes(wanted) &&
          (node.matches(root) || node.querySelector(root))) {
        window.__bench.shown.push(performance.now());
      }
    }
  }
}).observe(document.body, {childList: true, subtree: true});
""".replace("BODY_JSON", json.dumps(BODY))

# Clicks the raise button n times, one after another, and returns the latencies.
RUN = """
const [n, done] = [arguments[0], arguments[arguments.length - 1]];
const bench = window.__bench;
const button = document.getElementById('raise');
const latencies = [];
const ours = [];
(async () => {
  for (let i = 0; i < n; i++) {
    const before = bench.shown.length;
    const responsesBefore = bench.responses.length;
    button.click();
    const started = performance.now();
    while (bench.shown.length === before) {
      if (performance.now() - started > 10000) { done({error: 'timeout at raise ' + i}); return; }
      await new Promise(r => setTimeout(r, 0));
    }
    const response = bench.responses[bench.responses.length - 1];
    if (bench.responses.length === responsesBefore) { done({error: 'no response seen'}); return; }
    latencies.push(bench.shown[bench.shown.length - 1] - response);
    const marks = performance.getEntriesByName('dash_notify:raise');
    const called = bench.called[bench.called.length - 1];
    if (marks.length) ours.push(called - marks[marks.length - 1].startTime);
    await new Promise(r => setTimeout(r, 30));
  }
  done({latencies, ours});
})();
"""


def notify_app() -> Dash:
    app = Dash(__name__)
    app.layout = html.Div([dash_notify.Notifications(id="n"), html.Button("Raise", id="raise")])

    @app.callback(Output("n", "raise"), Input("raise", "n_clicks"), prevent_initial_call=True)
    def go(n):
        return {"title": TITLE, "body": BODY, "tag": "bench"}

    return app


def mantine_app() -> Dash:
    app = Dash(__name__)
    app.layout = dmc.MantineProvider(
        html.Div(
            [
                dmc.NotificationContainer(id="n", transitionDuration=0),
                html.Button("Raise", id="raise"),
            ]
        )
    )

    @app.callback(
        Output("n", "sendNotifications"), Input("raise", "n_clicks"), prevent_initial_call=True
    )
    def go(n):
        return [{"action": "show", "id": f"bench-{n}", "title": TITLE, "message": BODY}]

    @app.callback(
        Output("n", "hideNotifications"), Input("raise", "n_clicks"), prevent_initial_call=True
    )
    def hide_previous(n):
        return [f"bench-{n - 1}"]

    return app


def measure(driver, url: str, probe: str, raises: int) -> dict[str, list[float]]:
    open_app(driver, url, "raise")
    driver.execute_script(INSTRUMENT + probe)
    # Warm up (worker registration, lazy chunks), then measure.
    result = driver.execute_async_script(RUN, 5)
    if "error" in result:
        raise RuntimeError(result["error"])
    result = driver.execute_async_script(RUN, raises)
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raises", type=int, default=240, help="raises per library (>= 200)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds")
    args = parser.parse_args()

    notify_min, notify_gz = sizes(ROOT / "dash_notify" / "dash_notify.min.js")
    worker_min, worker_gz = sizes(ROOT / "dash_notify" / "sw.js")
    mantine_min, mantine_gz = sizes(Path(dmc.__file__).parent / "dash_mantine_components.js")
    print("Bundle size (bytes, gzip -9)")
    print(f"  dash_notify bundle            {notify_min:>9,} min  {notify_gz:>8,} gz")
    print(f"  dash_notify service worker    {worker_min:>9,} min  {worker_gz:>8,} gz (worker only)")
    print(f"  dash-mantine-components 2.8.1 {mantine_min:>9,} min  {mantine_gz:>8,} gz (main)")
    print(f"  ratio dmc / dash_notify (gz)  {mantine_gz / notify_gz:.1f}x")

    per_round = max(1, args.raises // args.rounds)
    results: dict[str, list[float]] = {"dash_notify": [], "dash-mantine-components": []}
    handed_over: list[float] = []
    with serve(notify_app(), 8771) as notify_url, serve(mantine_app(), 8772) as mantine_url:
        with chromium() as driver:
            for _ in range(args.rounds):
                notify = measure(driver, notify_url, NOTIFY_PROBE, per_round)
                results["dash_notify"] += notify["latencies"]
                handed_over += notify["ours"]
                mantine = measure(driver, mantine_url, MANTINE_PROBE, per_round)
                results["dash-mantine-components"] += mantine["latencies"]

    print("\nDispatch latency: callback response in the browser -> notification shown (ms)")
    print(f"  {'library':<26}{'n':>5}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    stats = {name: summary(values) for name, values in results.items()}
    for name, values in stats.items():
        print(row(name, values))
    print(row("  of which dash_notify JS", summary(handed_over)), "(raise -> showNotification)")
    a, b = stats["dash_notify"], stats["dash-mantine-components"]
    median_ratio, p95_ratio = a["median"] / b["median"], a["p95"] / b["p95"]
    print(f"  ratio dash_notify / dmc: median {median_ratio:.2f}, p95 {p95_ratio:.2f}")
    bundle_goal = "met" if notify_gz < 15 * 1024 else "MISSED"
    dispatch_goal = "met" if a["p95"] < 16 else "MISSED"
    print(f"  goal: bundle < 15 KB gz: {bundle_goal}; dispatch p95 < 16 ms: {dispatch_goal}")


def row(name: str, s: dict[str, float]) -> str:
    numbers = f"{s['median']:>9.2f}{s['p95']:>9.2f}{s['p99']:>9.2f}{s['max']:>9.2f}"
    return f"  {name:<26}{s['n']:>5}{numbers}"


if __name__ == "__main__":
    main()
