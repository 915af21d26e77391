"""Bundle size and dispatch latency: dash_notify against dash-mantine-components.

Prints, for both libraries in the same run:
- the size of the JavaScript the page loads for notifications, minified and gzipped;
- the time from a callback's response reaching the browser (the renderer's fetch of
  /_dash-update-component resolving, the first response after the click) to the
  notification being shown, with one callback per click on each side:
  - like for like, both to the same end point, the notification's element entering the
    page (a MutationObserver): dash_notify's in-page toast (``delivery="toast"``) and
    dash-mantine-components' notification; the harness dismisses each one (its close
    button, untimed) before the next raise, so each raise adds one element;
  - dash_notify's desktop delivery, to ``ServiceWorkerRegistration.showNotification()``
    resolving (the browser has the notification): another end point, not in the ratio.
  Median, p95, p99 and max over N raises of the same content, in rounds whose order
  alternates so that each sees the same machine load, and the ratio of the two.

Run: python bench/bench_dispatch.py [--raises 240] (under xvfb-run for headed Chromium).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
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

# Stamps the moment an element matching SELECTOR with the body text enters the page.
ELEMENT_PROBE = """
const wanted = BODY_JSON;
const selector = SELECTOR_JSON;
new MutationObserver(records => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.textContent.includes(wanted) &&
          (node.matches(selector) || node.querySelector(selector))) {
        window.__bench.shown.push(performance.now());
      }
    }
  }
}).observe(document.body, {childList: true, subtree: true});
""".replace("BODY_JSON", json.dumps(BODY))


def element_probe(selector: str) -> str:
    return ELEMENT_PROBE.replace("SELECTOR_JSON", json.dumps(selector))


TOAST = ".dn-toast"
TOAST_CLOSE = ".dn-close"
MANTINE = "[class*=Notification-root]"
MANTINE_CLOSE = "[class*=Notification-root] button"

# Clicks the raise button n times, one after another, and returns the latencies: from
# the first callback response after the click to the probe's stamp. With a close
# selector, the notification is dismissed (untimed) and gone before the next raise.
RUN = """
const [n, shownSelector, closeSelector, done] = arguments;
const bench = window.__bench;
const button = document.getElementById('raise');
const latencies = [];
const ours = [];
const sleep = ms => new Promise(r => setTimeout(r, ms));
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
    if (bench.responses.length === responsesBefore) { done({error: 'no response seen'}); return; }
    latencies.push(bench.shown[before] - bench.responses[responsesBefore]);
    const marks = performance.getEntriesByName('dash_notify:raise');
    const called = bench.called[bench.called.length - 1];
    if (marks.length && called !== undefined) ours.push(called - marks[marks.length - 1].startTime);
    if (closeSelector) {
      const waited = performance.now();
      while (document.querySelector(shownSelector)) {
        const close = document.querySelector(closeSelector);
        if (close) close.click();
        if (performance.now() - waited > 5000) { done({error: 'not dismissed'}); return; }
        await sleep(10);
      }
    }
    await sleep(30);
  }
  done({latencies, ours});
})();
"""


def notify_app(delivery: str = "desktop") -> Dash:
    app = Dash(__name__)
    app.layout = html.Div(
        [dash_notify.Notifications(id="n", delivery=delivery), html.Button("Raise", id="raise")]
    )

    @app.callback(Output("n", "raise"), Input("raise", "n_clicks"), prevent_initial_call=True)
    def go(n):
        if delivery == "toast":  # a new toast each time (the harness dismisses the last)
            return {"title": TITLE, "body": BODY}
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

    return app


def measure(driver, url: str, probe: str, raises: int, shown: str, close: str) -> dict:
    open_app(driver, url, "raise")
    driver.execute_script(INSTRUMENT + probe)
    # Warm up (worker registration, lazy chunks), then measure.
    for count in (5, raises):
        result = driver.execute_async_script(RUN, count, shown, close)
        if "error" in result:
            raise RuntimeError(result["error"])
    return result


# name -> (port, delivery or None for dmc, probe, shown selector, close selector)
LIBRARIES = {
    "dash_notify (toast)": ("toast", element_probe(TOAST), TOAST, TOAST_CLOSE),
    "dash-mantine-components": (None, element_probe(MANTINE), MANTINE, MANTINE_CLOSE),
    "dash_notify (desktop)": ("desktop", NOTIFY_PROBE, "", ""),
}


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
    results: dict[str, list[float]] = {name: [] for name in LIBRARIES}
    handed_over: list[float] = []
    with ExitStack() as stack:
        urls = {}
        for name, (delivery, *_) in LIBRARIES.items():
            app = mantine_app() if delivery is None else notify_app(delivery)
            urls[name] = stack.enter_context(serve(app))
        driver = stack.enter_context(chromium())
        order = list(LIBRARIES)
        for index in range(args.rounds):
            for name in order if index % 2 == 0 else reversed(order):
                _, probe, shown, close = LIBRARIES[name]
                result = measure(driver, urls[name], probe, per_round, shown, close)
                results[name] += result["latencies"]
                if name == "dash_notify (desktop)":
                    handed_over += result["ours"]

    print("\nDispatch latency: callback response in the browser -> notification shown (ms)")
    print(f"  {'library':<26}{'n':>5}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    stats = {name: summary(values) for name, values in results.items()}
    for name, values in stats.items():
        print(row(name, values))
    print(row("  of which dash_notify JS", summary(handed_over)), "(raise -> showNotification)")
    a, b = stats["dash_notify (toast)"], stats["dash-mantine-components"]
    median_ratio, p95_ratio = a["median"] / b["median"], a["p95"] / b["p95"]
    print(
        f"  ratio dash_notify / dmc: median {median_ratio:.2f}, p95 {p95_ratio:.2f}"
        " (same end point: the element in the page, one callback each)"
    )
    d = stats["dash_notify (desktop)"]
    print(
        "  dash_notify (desktop) is timed to showNotification resolving (a desktop"
        " notification, another end point)"
    )
    bundle_goal = "met" if notify_gz < 15 * 1024 else "MISSED"
    dispatch_goal = "met" if d["p95"] < 16 and a["p95"] < 16 else "MISSED"
    print(f"  goal: bundle < 15 KB gz: {bundle_goal}; dispatch p95 < 16 ms: {dispatch_goal}")


def row(name: str, s: dict[str, float]) -> str:
    numbers = f"{s['median']:>9.2f}{s['p95']:>9.2f}{s['p99']:>9.2f}{s['max']:>9.2f}"
    return f"  {name:<26}{s['n']:>5}{numbers}"


if __name__ == "__main__":
    main()
