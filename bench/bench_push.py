"""Web Push throughput: publish -> every push accepted by the push service, for 1,000
subscriptions, through the hub (SQLite and Redis stores) and through pywebpush called
in a plain loop (the baseline: what an app without the hub would write).

The push service is tests/hub/push_receiver.py in a process of its own on 127.0.0.1
(HTTPS; it verifies each VAPID JWT and decrypts each body with the subscription's keys,
as a push service and a browser would). Each figure is sends per second from the
moment of the publish (or the loop's start) until the service has accepted all of
them. The variants run in interleaved rounds (the order rotating), so they share the
machine's load; printed are the medians, each round's figures, and the ratios.

``--latency`` makes the push service answer each push that much later, as a real one
on the internet does (tens of milliseconds): then sending one at a time is bound by
the latency, and the hub's concurrent sending shows.

Run: python bench/bench_push.py [--subscriptions 1000] [--rounds 5] [--latency 0.05]
[--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from pywebpush import webpush  # noqa: E402

from dash_notify.hub import Hub  # noqa: E402
from dash_notify.hub.channels.push import PushChannel  # noqa: E402
from dash_notify.hub.push.vapid import generate, load_private_key  # noqa: E402
from tests.hub.servers import RedisServer  # noqa: E402

CONTACT = "mailto:bench@example.com"
BROWSERS_PER_USER = 10
OPTIONS = {"title": "Build finished", "body": "main passed in 4 min 12 s", "severity": "High",
           "tag": "build-main"}  # fmt: skip


class Service:
    """The push service process and its counters."""

    def __init__(self, public_key: str, count: int, latency: float = 0.0):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hub.push_receiver", public_key, str(count),
             str(latency)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        info = json.loads(self.process.stdout.readline())
        self.ca, self.origin = info["ca"], info["origin"]
        self.subscriptions = info["subscriptions"]
        self.context = None

    def counts(self) -> dict:
        import ssl

        if self.context is None:
            self.context = ssl.create_default_context(cafile=self.ca)
        with urllib.request.urlopen(f"{self.origin}/count", context=self.context) as reply:
            return json.loads(reply.read())

    def wait_accepted(self, total: int, timeout: float = 600) -> float:
        """Poll until ``total`` pushes were accepted; returns the time it happened (the
        poll's resolution, 5 ms, is small against the runs)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            counts = self.counts()
            if counts["errors"]:
                raise RuntimeError(f"the push service refused pushes: {counts['errors']}")
            if counts["accepted"] >= total:
                return time.perf_counter()
            time.sleep(0.005)
        raise TimeoutError(f"{self.counts()} of {total} after {timeout} s")

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


def hub_variant(store: str, key: str, service: Service, concurrency: int):
    """A hub with the push channel on ``store``, every subscription stored; returns it."""
    channel = PushChannel(key, CONTACT, allow_private=True, ca_bundle=service.ca,
                          concurrency=concurrency)  # fmt: skip
    hub = Hub(None, store, channels=[channel], run=True)
    for index, subscription in enumerate(service.subscriptions):
        hub.push.subscribe(f"user{index // BROWSERS_PER_USER}", subscription)
    deadline = time.monotonic() + 30
    while hub.stores.channels.cursor(channel.name) is None:
        if time.monotonic() > deadline:
            raise TimeoutError("the channel did not start")
        time.sleep(0.01)
    return hub


def run_hub(hub: Hub, service: Service, total: int) -> float:
    """Publish one notification to everyone; sends per second until all accepted."""
    started = time.perf_counter()
    hub.publish(OPTIONS, to="*")
    done = service.wait_accepted(total)
    return len(service.subscriptions) / (done - started)


def run_loop(key: str, service: Service, total: int, session: requests.Session) -> float:
    """pywebpush's webpush() for each subscription in turn, as an app would call it."""
    vapid = load_private_key(key)
    data = json.dumps({"title": OPTIONS["title"], "body": OPTIONS["body"]})
    started = time.perf_counter()
    for subscription in service.subscriptions:
        webpush(subscription, data, vapid_private_key=vapid, vapid_claims={"sub": CONTACT},
                ttl=86400, headers={"Urgency": "high", "Topic": "build-main"},
                timeout=10, requests_session=session)  # fmt: skip
    done = service.wait_accepted(total)
    return len(service.subscriptions) / (done - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds the push service takes to answer each push (a real one is tens of "
        "milliseconds away; 0: as fast as this machine allows)",
    )
    parser.add_argument("--quick", action="store_true", help="50 subscriptions, 1 round")
    args = parser.parse_args()
    if args.quick:
        args.subscriptions, args.rounds = 50, 1
    folder = Path(tempfile.mkdtemp(prefix="dash-notify-bench-push-"))
    key = str(folder / "vapid.pem")
    public = generate(key)
    service = Service(public, args.subscriptions, args.latency)
    # the baseline's requests session verifies the test push service's certificate
    os.environ["REQUESTS_CA_BUNDLE"] = service.ca
    redis = RedisServer(folder / "redis").start()
    hubs = {
        "hub, SQLite": hub_variant(
            f"sqlite:///{folder / 'hub.db'}", key, service, args.concurrency
        ),
        "hub, Redis": hub_variant(f"{redis.url}?prefix=bench", key, service, args.concurrency),
    }
    session = requests.Session()
    names = [*hubs, "pywebpush loop"]
    results: dict[str, list[float]] = {name: [] for name in names}
    total = 0
    try:
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                total += args.subscriptions
                if name in hubs:
                    results[name].append(run_hub(hubs[name], service, total))
                else:
                    results[name].append(run_loop(key, service, total, session))
        for name, hub in hubs.items():
            failed = hub.deliveries(state="failed", limit=10)
            if failed:
                raise RuntimeError(f"{name}: failed deliveries {failed}")
    finally:
        for hub in hubs.values():
            hub.stop()
            hub.channels[0].close()
        redis.stop()
        service.stop()
    print(f"Web Push: publish -> {args.subscriptions} pushes accepted by a push service on "
          f"127.0.0.1 (HTTPS, VAPID verified, bodies decrypted), {args.rounds} interleaved "
          f"round(s); push service latency {args.latency * 1000:.0f} ms; hub concurrency "
          f"{args.concurrency}; sends per second")  # fmt: skip
    medians = {name: statistics.median(values) for name, values in results.items()}
    for name in names:
        rounds = ", ".join(f"{v:.0f}" for v in results[name])
        print(f"  {name:16} median {medians[name]:7.0f}/s   rounds: {rounds}")
    base = medians["pywebpush loop"]
    for name in hubs:
        print(f"  {name} / pywebpush loop: {medians[name] / base:.2f}x")


if __name__ == "__main__":
    main()
