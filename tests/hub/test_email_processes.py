"""The email channel across processes: two ``dash-notify worker`` processes on one
store (SQLite file, redis-server), the one sending killed with SIGKILL mid-batch: every
recipient gets their notification in exactly one mail (one Message-ID), and
``dash-notify digest`` for cron."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import redis

from dash_notify.hub import Hub

from ..waiting import wait_until
from .servers import ROOT
from .smtp_server import Inbox, SMTPServer


def _env(store_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DASH_NOTIFY_STORE": store_url,
        "SMTP_PORT": str(port),
        "LEASE_SECONDS": "1.5",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }


def _lease_owner(store_url: str) -> str | None:
    """Who holds the email channel's lease (``host:pid:random``)."""
    if store_url.startswith("sqlite:///"):
        with sqlite3.connect(store_url[len("sqlite:///") :]) as db:
            row = db.execute(
                "SELECT owner, expires FROM channel_leases WHERE channel = 'email'"
            ).fetchone()
        return row[0] if row and row[1] > time.time() else None
    base, _, query = store_url.partition("?prefix=")
    return redis.Redis.from_url(base, decode_responses=True).get(f"{query}:lease:email")


def test_kill_9_mid_batch_sends_each_notification_in_exactly_one_mail(store_url):
    users = [f"u{i}" for i in range(30)]
    with SMTPServer(Inbox(delay=0.05)) as smtp:
        env = _env(store_url, smtp.port)
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "dash_notify.cli", "worker", "tests.hub.email_app:hub"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        publisher = Hub(None, store_url)
        try:
            wait_until(lambda: publisher.stores.channels.cursor("email") is not None, what="cursor")
            ids = {
                user: publisher.publish(
                    {"title": f"for {user}", "severity": "Critical"}, to=f"user:{user}"
                )
                for user in users
            }
            smtp.inbox.wait_for(5)
            owner = _lease_owner(store_url)
            killed = int(owner.split(":")[1])
            os.kill(killed, signal.SIGKILL)
            wait_until(
                lambda: (
                    len(publisher.deliveries(channel="email", state="sent", limit=100))
                    == len(users)
                ),
                timeout=30,
                what="every delivery recorded as sent",
            )
            taken_over = wait_until(lambda: _lease_owner(store_url), what="a lease holder")
            alive = [w.poll() for w in workers]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                worker.wait(10)
            publisher.stop()
    assert int(taken_over.split(":")[1]) != killed, (taken_over, killed, alive)
    by_user: dict[str, set[str]] = {}
    for mail in smtp.inbox.mails:
        [address] = mail.recipients
        by_user.setdefault(address.split("@")[0], set()).add(mail.message_id)
        assert f"for {address.split('@')[0]}" in mail.message["Subject"]
    assert sorted(by_user) == sorted(users)  # nothing lost
    assert all(len(message_ids) == 1 for message_ids in by_user.values())  # one mail each
    # a repeat is the same mail (same Message-ID): only those in flight when killed,
    # accepted by the server but not yet recorded (at most one per SMTP connection)
    assert len(smtp.inbox.mails) - len(users) <= 4, len(smtp.inbox.mails)
    assert len(ids) == len(users)


def test_dash_notify_digest_sends_what_is_due_for_its_mode(store_url):
    with SMTPServer() as smtp:
        env = _env(store_url, smtp.port)
        publisher = Hub(None, store_url)
        try:

            def digest(*args: str) -> str:
                done = subprocess.run(
                    [sys.executable, "-m", "dash_notify.cli", "digest", "tests.hub.email_app:hub",
                     *args],
                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                )  # fmt: skip
                assert done.returncode == 0, done.stderr
                return done.stdout

            digest()  # the first run places the channel's cursor
            publisher.preferences("dora").update({"email": "daily"})
            to_dora = publisher.publish({"title": "d", "severity": "Critical"}, to="user:dora")
            to_olga = publisher.publish({"title": "o", "severity": "Critical"}, to="user:olga")
            assert "1 deliveries settled" in digest("--mode", "often")
            assert [m.recipients for m in smtp.inbox.mails] == [["olga@example.com"]]
            [waiting] = publisher.deliveries(message_id=to_dora)
            assert waiting.state == "queued"
            digest("--mode", "daily")
            assert [m.recipients for m in smtp.inbox.wait_for(2)][1] == ["dora@example.com"]
            assert {d.state for d in publisher.deliveries(channel="email")} == {"sent"}
            assert to_olga != to_dora
        finally:
            publisher.stop()
