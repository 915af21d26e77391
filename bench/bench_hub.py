"""The hub: time from publish to the notification on screen, ingest throughput on
loopback, and memory per connected subscriber, in one run.

Latency: notifications are published over HTTP (POST /_dash_notify/publish, as a CI job
would) to the app, served by gunicorn (one gthread worker), and timed from just before
the request to the moment the desktop notification is shown (showNotification resolved,
in a real Chromium; both clocks are this machine's). With 1 subscriber (the page) and with 100
(the page and 99 more event streams, whose receive times are timed too), on SQLite and on
Redis; against the same component fed by a dcc.Interval callback polling the same store
every 1 s and every 30 s (the JupyterLab extension's interval).

Throughput: a bounded number of publishes from a few client threads, against a bare
Flask route of the same app (the baseline). Memory: the server's resident memory before
and after 100 event streams connect.

Run: python bench/bench_hub.py [--messages 40] [--subscribers 100] [--intervals 1,30]
     [--poll-messages 4] [--ingest 2000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import chromium, open_app, summary  # noqa: E402
from dash_notify.hub import open_stores  # noqa: E402
from tests.hub.servers import RedisServer, SSEClient, free_port, wait_for_port  # noqa: E402

# Stamps (wall-clock ms) the moment each desktop notification is shown, by title.
PROBE = """
window.__shown = {};
if (!window.__probed) {
  window.__probed = true;
  const real = ServiceWorkerRegistration.prototype.showNotification;
  ServiceWorkerRegistration.prototype.showNotification = function (title, ...rest) {
    return real.call(this, title, ...rest).then(result => {
      window.__shown[title] = performance.timeOrigin + performance.now();
      return result;
    });
  };
}
"""


@contextmanager
def app_server(store: str, mode: str = "hub", interval: float = 1.0):
    """The bench app under gunicorn on 127.0.0.1; yields (port, pid of the worker)."""
    port = free_port()
    env = {
        **os.environ,
        "DASH_NOTIFY_STORE": store,
        "BENCH_MODE": mode,
        "BENCH_INTERVAL": str(interval),
        "PYTHONPATH": str(ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--threads", "256",
            "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--graceful-timeout", "1",
            "bench.hub_apps:create()",
        ],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, 30, process)
        worker = _worker_pid(process.pid)
        yield port, worker
    finally:
        process.terminate()
        process.wait(15)


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children")
        found = children.read_text().split() if children.exists() else []
        if found:
            return int(found[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Publisher:
    """POSTs to the app's publish endpoint over one keep-alive connection."""

    def __init__(self, port: int, secret: str):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def publish(self, title: str, path: str = "/_dash_notify/publish") -> float:
        """Publishes; returns the wall-clock ms just before the request."""
        body = json.dumps({"to": "*", "notification": {"title": title, "body": "bench"}})
        for attempt in range(2):
            started = time.time() * 1000
            try:
                self.connection.request("POST", path, body=body, headers=self.headers)
                response = self.connection.getresponse()
                break
            except (ConnectionError, http.client.HTTPException):
                # the server closed an idle keep-alive connection: open a new one
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        response.read()
        if response.status not in (200, 201):
            raise RuntimeError(f"publish answered {response.status}")
        return started


def measure_latency(
    driver,
    port: int,
    secret: str,
    messages: int,
    gap: float,
    tag: str,
    extra_subscribers: int = 0,
    timeout: float = 60.0,
):
    """Publishes ``messages`` and returns (page latencies, stream latencies) in ms."""
    driver.execute_script(PROBE)
    streams = [SSEClient(port) for _ in range(extra_subscribers)]
    try:
        for stream in streams:
            stream.wait_for("hello", 1, timeout=30)
        publisher = Publisher(port, secret)
        sent = {}
        for index in range(messages):
            title = f"{tag}-{index}"
            sent[title] = publisher.publish(title)
            time.sleep(gap * random.uniform(0.5, 1.5))
        deadline = time.monotonic() + timeout
        shown = {}
        while time.monotonic() < deadline:
            shown = driver.execute_script("return window.__shown")
            if all(title in shown for title in sent):
                break
            time.sleep(0.2)
        missing = [t for t in sent if t not in shown]
        if missing:
            raise RuntimeError(f"{len(missing)} notifications never shown, e.g. {missing[:3]}")
        page = [shown[t] - sent[t] for t in sent]
        received = []
        for stream in streams:
            stream.wait_for("notification", messages, timeout=timeout)
            # the stream's receive times are stamped by the reader thread
            received += [at - sent[d["options"]["title"]] for at, d in stream.received_at]
        return page, received
    finally:
        for stream in streams:
            stream.close()


def ingest_throughput(port: int, secret: str, total: int, threads: int, path: str) -> float:
    """Requests per second for ``total`` publishes from ``threads`` clients."""
    per_thread = total // threads

    def worker(index: int) -> None:
        publisher = Publisher(port, secret)
        for n in range(per_thread):
            publisher.publish(f"load-{index}-{n}", path)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    return per_thread * threads / (time.perf_counter() - started)


def row(name: str, values: list[float]) -> str:
    s = summary(values)
    return (
        f"  {name:<44} n={s['n']:<5} median {s['median']:8.1f}  p95 {s['p95']:8.1f}"
        f"  p99 {s['p99']:8.1f}  max {s['max']:8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=40)
    parser.add_argument("--gap", type=float, default=0.1, help="seconds between publishes")
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--intervals", default="1,30", help="polling intervals, seconds")
    parser.add_argument(
        "--poll-messages", type=int, default=4, help="at least; 20 s worth at short intervals"
    )
    parser.add_argument("--ingest", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    random.seed(20261122)

    work = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    results: dict[str, list[float]] = {}
    figures: list[str] = []
    with ExitStack() as stack:
        redis = RedisServer(work / "redis").start() if shutil.which("redis-server") else None
        if redis:
            stack.callback(redis.stop)
        stores = {"SQLite": f"sqlite:///{work / 'bench.db'}"}
        if redis:
            stores["Redis"] = redis.url
        driver = stack.enter_context(chromium("allow"))
        for name, store_url in stores.items():
            opened = open_stores(store_url)
            _, secret = opened.tokens.add("bench", ("*",))
            opened.close()
            with app_server(store_url) as (port, worker):
                open_app(driver, f"http://127.0.0.1:{port}/", "n")
                wait_status(driver)
                page, _ = measure_latency(
                    driver, port, secret, args.messages, args.gap, f"{name}-1"
                )
                results[f"hub, {name}, 1 subscriber: page"] = page
                page, streams = measure_latency(
                    driver, port, secret, args.messages, args.gap, f"{name}-n",
                    extra_subscribers=args.subscribers - 1,
                )  # fmt: skip
                results[f"hub, {name}, {args.subscribers} subscribers: page"] = page
                results[f"hub, {name}, {args.subscribers} subscribers: streams"] = streams
                if name == "SQLite":
                    figures.append(memory_per_subscriber(port, worker, args.subscribers))
                    base = ingest_throughput(port, secret, args.ingest, args.threads, "/bench/noop")
                    figures.append(f"  bare Flask route (baseline)       {base:8.0f} requests/s")
                rate = ingest_throughput(
                    port, secret, args.ingest, args.threads, "/_dash_notify/publish"
                )
                figures.append(f"  publish, {name:<6} store             {rate:8.0f} requests/s")
                store_url = stores["SQLite"]
        opened = open_stores(store_url)
        _, secret = opened.tokens.add("bench-poll", ("*",))
        opened.close()
        for interval in [float(i) for i in args.intervals.split(",") if i]:
            with app_server(store_url, "poll", interval) as (port, _):
                open_app(driver, f"http://127.0.0.1:{port}/", "n")
                time.sleep(interval + 0.5)  # the first tick sets the starting point
                samples = max(args.poll_messages, int(20 / interval))
                page, _ = measure_latency(
                    driver, port, secret, samples, interval * 0.77,
                    f"poll{interval:g}", timeout=interval * 3 + 30,
                )  # fmt: skip
                label = f"dcc.Interval polling every {interval:g} s (our component, polled)"
                results[f"{label}: page"] = page

    print(
        f"Publish (HTTP) -> shown on the page, ms ({args.messages} publishes per row; served by"
        " gunicorn, ONE gthread worker x 256 threads: not the README's deployment, see"
        " bench_streams.py for those):"
    )
    for name, values in results.items():
        print(row(name, values))
    print(
        "  the polling rows are dash_notify's own component fed by a dcc.Interval callback"
        " reading the same store (a stand-in for polling at JupyterLab's 30 s, not the"
        " JupyterLab extension itself)"
    )
    hub_key = f"hub, SQLite, {args.subscribers} subscribers: page"
    for name, values in results.items():
        if name.startswith("dcc.Interval"):
            ratio = summary(results[hub_key])["median"] / summary(values)["median"]
            label = name.split(":")[0]
            print(f"  ratio hub ({args.subscribers} subscribers) / {label}: median {ratio:.3f}")
    load = f"{args.ingest} requests, {args.threads} client threads, one gunicorn worker"
    print(f"Ingest on loopback ({load}):")
    for line in figures:
        print(line)
    shutil.rmtree(work, ignore_errors=True)


def wait_status(driver, timeout: float = 30) -> None:
    """Waits until the page's hub stream is open (its hello arrived)."""
    deadline = time.monotonic() + timeout
    script = (
        "return performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('/_dash_notify/history'))"
    )
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.1)
    raise RuntimeError("the page never connected to the hub")


def memory_per_subscriber(port: int, worker: int, count: int) -> str:
    time.sleep(0.5)
    before = rss_kb(worker)
    streams = [SSEClient(port) for _ in range(count)]
    for stream in streams:
        stream.wait_for("hello", 1, timeout=30)
    time.sleep(1.0)
    after = rss_kb(worker)
    for stream in streams:
        stream.close()
    per = (after - before) / count
    return (
        f"  memory per event stream (server RSS) {per:8.1f} KB"
        f" ({before} -> {after} KB, {count} streams)"
    )


if __name__ == "__main__":
    main()
