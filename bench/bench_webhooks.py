"""Webhooks: events per second delivered to a local receiver with 1, 10 and 100 rules,
and what they add to a publish (they must add nothing: delivery is off the publish
path, in the channel runner).

For each rule count: a fresh store, a hub running the webhook channel, that many rules
(all wanting every notification) pointing at one receiver on 127.0.0.1 that answers
204 at once; ``--messages`` notifications are published one after another and timed;
throughput is signed requests received per second, from the first publish to the last
request. The baseline is the same publishes on a store with no rules.

Run: python bench/bench_webhooks.py [--messages 100] [--rules 1,10,100] [--store sqlite|redis]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import summary  # noqa: E402
from dash_notify.hub import Hub  # noqa: E402
from dash_notify.hub.channels.webhooks import WebhookChannel  # noqa: E402
from tests.hub.servers import RedisServer  # noqa: E402


class Server(ThreadingHTTPServer):
    """A threaded HTTP server with a backlog for many concurrent senders (the default
    of 5 drops connections, which the sender's TCP retries a second later)."""

    request_queue_size = 128
    daemon_threads = True


class Counter:
    """A receiver on 127.0.0.1 that answers 204 and counts requests (and their times)."""

    def __init__(self):
        self.count = 0
        self.last = 0.0
        self.lock = threading.Lock()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with counter.lock:
                    counter.count += 1
                    counter.last = time.monotonic()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float) -> float:
        """Wait for ``count`` requests; the monotonic time of the last one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if self.count >= count:
                    return self.last
            time.sleep(0.01)
        raise TimeoutError(f"{self.count} of {count} webhook requests arrived")


def run(store_url: str, rules: int, messages: int) -> dict[str, float]:
    """Publish ``messages`` with ``rules`` rules; publish latencies and throughput."""
    counter = Counter()
    channel = WebhookChannel(allow_private=True)
    hub = Hub(None, store_url, channels=[channel], run=rules > 0)
    try:
        while rules and hub.stores.channels.cursor("webhooks") is None:
            time.sleep(0.01)  # the channel starts at "now"
        for n in range(rules):
            hub.webhooks.create(f"rule {n}", counter.url)
        latencies = []
        started = time.monotonic()
        for n in range(messages):
            before = time.perf_counter()
            hub.publish({"title": f"event {n}"}, to="group:ci")
            latencies.append((time.perf_counter() - before) * 1000)
        result = {"publish_ms": summary(latencies)}
        if rules:
            last = counter.wait_for(rules * messages, timeout=600)
            result["events_per_s"] = rules * messages / (last - started)
        return result
    finally:
        hub.stop()
        counter.server.shutdown()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--rules", default="1,10,100")
    parser.add_argument("--store", choices=("sqlite", "redis"), default="sqlite")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if args.store == "redis":
            redis = RedisServer(folder / "redis").start()
            stack.callback(redis.stop)

        def store(name: str) -> str:
            if args.store == "redis":
                return f"{redis.url}?prefix={name}"
            return f"sqlite:///{folder / name}.db"

        print(f"webhooks on {args.store}, {args.messages} notifications per run")
        print(f"{'rules':>6} {'events/s':>10} {'publish median ms':>18} {'p95 ms':>8}")
        for count in [0] + [int(n) for n in args.rules.split(",")]:
            result = run(store(f"rules{count}"), count, args.messages)
            publish = result["publish_ms"]
            rate = f"{result['events_per_s']:.0f}" if count else "-"
            label = str(count) if count else "none"
            print(f"{label:>6} {rate:>10} {publish['median']:>18.2f} {publish['p95']:>8.2f}")


if __name__ == "__main__":
    main()
