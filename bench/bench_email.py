"""Email digests: build and send one digest per user, 1,000 users with 20 unseen
notifications each, through the hub's email channel to an SMTP server on 127.0.0.1
(aiosmtpd, in a process of its own, counting what it accepts), on SQLite and Redis.

The notifications are published to a group all users are in (20 publishes, 20,000
deliveries); the runner queues them for the users' next ``often`` slot; then the
simulated clock passes the slot and the figure is the time until every digest was
accepted by the SMTP server and every delivery recorded: mails per second (and
deliveries per second: each mail carries 20).

Run: python bench/bench_email.py [--users 1000] [--per-user 20] [--quick]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dash_notify.hub import Hub  # noqa: E402
from dash_notify.hub.channels.email import EmailChannel  # noqa: E402
from tests.hub.servers import RedisServer  # noqa: E402


class Server:
    """The counting SMTP server process."""

    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.hub.smtp_server"],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        self.port = int(self.process.stdout.readline())

    def count(self) -> int:
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(10)


class Clock:
    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def run(store: str, server: Server, users: int, per_user: int) -> tuple[float, float]:
    """Seconds to queue, and seconds to build and send every digest."""
    names = [f"user{i}" for i in range(users)]
    clock = Clock()
    channel = EmailChannel(
        lambda user: f"{user}@example.com", base_url="https://app.example.com/",
        secret="bench-secret-of-at-least-32-characters", host="127.0.0.1", port=server.port,
        sender="notify@app.example.com", users=lambda: names, clock=clock,
    )  # fmt: skip
    hub = Hub(None, store, channels=[channel], run=False, groups=lambda user: ["all"])
    try:
        hub.runner.step(channel, now=clock.now)
        started = time.perf_counter()
        for i in range(per_user):
            hub.publish(
                {"title": f"Build {i} finished", "body": "main passed in 4 min", "source": "ci"},
                to="group:all",
            )
        while hub.runner.step(channel, now=clock.now):
            pass
        queued = time.perf_counter() - started
        before = server.count()
        clock.now += 2 * channel.every
        started = time.perf_counter()
        while hub.runner.step(channel, now=clock.now):
            pass
        sent = time.perf_counter() - started
        mails = server.count() - before
        settled = hub.deliveries(channel="email", state="sent", limit=users * per_user)
        if mails != users or len(settled) != users * per_user:
            raise RuntimeError(f"{mails} mails, {len(settled)} deliveries sent")
        return queued, sent
    finally:
        hub.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--per-user", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="50 users (the smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.users = 50
    folder = Path(tempfile.mkdtemp(prefix="dash-notify-bench-email-"))
    server = Server()
    redis = RedisServer(folder / "redis").start()
    stores = {
        "SQLite": f"sqlite:///{folder / 'hub.db'}",
        "Redis": f"{redis.url}?prefix=bench",
    }
    try:
        print(f"Email digests: {args.users} users x {args.per_user} unseen notifications, "
              "one digest each, to an SMTP server on 127.0.0.1")  # fmt: skip
        print(f"  {'store':8} {'queue s':>8} {'send s':>8} {'mails/s':>8} {'deliveries/s':>13}")
        for name, store in stores.items():
            queued, sent = run(store, server, args.users, args.per_user)
            print(
                f"  {name:8} {queued:8.2f} {sent:8.2f} {args.users / sent:8.0f} "
                f"{args.users * args.per_user / sent:13.0f}"
            )
    finally:
        redis.stop()
        server.stop()


if __name__ == "__main__":
    main()
