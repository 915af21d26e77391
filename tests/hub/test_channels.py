"""Channels through the runner: a test channel that posts to a real HTTP receiver on
127.0.0.1, in this process and across gunicorn servers sharing one store (SQLite file,
redis-server), including a kill -9 of the process sending."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from dash_notify.hub import Channel, Failed, Hub, Retry, Sent, Skipped
from dash_notify.hub.channels.base import RetryPolicy
from dash_notify.hub.model import StoreUnavailableError
from dash_notify.hub.targets import Identity

from ..waiting import wait_until
from .receiver import Receiver
from .recording_channel import RecordingChannel
from .servers import ROOT, RedisServer, free_port, wait_for_port


class Scripted(Channel):
    """Answers outcomes from a script, per recipient, and records what it was given."""

    name = "scripted"
    retry = RetryPolicy(delays=(0.05, 0.05), jitter=0.0)

    def __init__(self, script):
        self.script = script
        self.calls: list[tuple[str, int]] = []

    def recipients(self, message, hub):
        return [t for t in message.targets if t.startswith("user:")]

    def send(self, batch, hub):
        outcomes = []
        for item in batch:
            self.calls.append((item.key, item.delivery.attempts))
            answer = self.script(item)
            if isinstance(answer, Exception):
                raise answer
            outcomes.append(answer)
        return outcomes


def test_outcomes_retries_and_the_delivery_log(store_url):
    def script(item):
        who = item.recipient
        if who == "user:ok":
            return Sent()
        if who == "user:flaky":  # fails once, then succeeds
            return Retry("HTTP 503") if item.delivery.attempts == 0 else Sent()
        if who == "user:down":
            return Retry("connection refused")
        if who == "user:gone":
            return Failed("HTTP 410")
        return Skipped("preference")

    channel = Scripted(script)
    hub = Hub(None, store_url, channels=[channel], run=True)
    try:
        time.sleep(0.2)  # the runner places the new channel's cursor at "now"
        message = hub.publish(
            {"title": "x"},
            to=["user:ok", "user:flaky", "user:down", "user:gone", "user:muted", "group:ops"],
        )
        states = wait_until(
            lambda: (
                s
                if len(s := {d.recipient: d for d in hub.deliveries(message_id=message)}) == 5
                and all(d.state != "queued" for d in s.values())
                else None
            ),
            what="every delivery settled",
        )
    finally:
        hub.stop()
    assert {r: (d.state, d.attempts, d.error) for r, d in states.items()} == {
        "user:ok": ("sent", 1, None),
        "user:flaky": ("sent", 2, None),
        "user:down": ("failed", 3, "connection refused"),  # 1 try + 2 retries
        "user:gone": ("failed", 1, "HTTP 410"),
        "user:muted": ("skipped", 1, "preference"),
    }
    assert {d.key for d in states.values()} == {f"scripted:{message}:{r}" for r in states}


def test_a_send_that_raises_is_retried_and_a_new_channel_starts_at_now(store_url):
    Hub(None, store_url).publish({"title": "before the channel existed"}, to="user:a")
    raised = []

    def script(item):
        if not raised:
            raised.append(1)
            return RuntimeError("receiver exploded")
        return Sent()

    channel = Scripted(script)
    hub = Hub(None, store_url, channels=[channel], run=True)
    try:
        wait_until(lambda: hub.stores.channels.cursor("scripted") is not None, what="cursor")
        message = hub.publish({"title": "after"}, to="user:a")
        wait_until(
            lambda: [d.state for d in hub.deliveries(message_id=message)] == ["sent"],
            what="sent after the retry",
        )
        assert [d.message_id for d in hub.deliveries()] == [message]
    finally:
        hub.stop()
    assert [key for key, _ in channel.calls] == [f"scripted:{message}:user:a"] * 2


def test_a_publish_from_a_process_with_no_app_is_sent_by_the_runner(store_url):
    with Receiver() as receiver:
        hub = Hub(None, store_url, channels=[RecordingChannel(receiver.url)], run=True)
        try:
            wait_until(lambda: hub.stores.channels.cursor("recording") is not None, what="cursor")
            # a cron job: its own Hub on the same store, no app, no runner
            job = Hub(None, store_url)
            message = job.publish({"title": "nightly report"}, to="user:alice")
            job.stores.close()
            keys = receiver.wait_for(1)
        finally:
            hub.stop()
    assert keys == [f"recording:{message}:user:alice"]


def test_stop_does_not_wait_out_an_idle_channels_poll(store_url):
    """A process shutting down (an app, ``dash-notify worker`` on Ctrl-C) stops at once:
    a channel waiting for work (here for up to 30 s) and the live fan-out end their
    waits, and the lease is given up for the next process."""
    hub = Hub(None, store_url, channels=[Scripted({})], run=False)
    hub.runner.poll_seconds = 30.0
    hub.runner.start()
    hub.live.subscribe(Identity("alice"))  # the live fan-out's thread waits too
    wait_until(lambda: hub.stores.channels.cursor("scripted") is not None, what="cursor")
    time.sleep(0.3)  # both threads are in their wait
    started = time.monotonic()
    hub.stop()
    assert time.monotonic() - started < 4  # not the 30 s poll (nor the 5 s join timeout)
    assert not any(thread.is_alive() for thread in hub.runner._threads)
    other = Hub(None, store_url)
    try:
        assert other.stores.channels.acquire("scripted", "next", 30, time.time())
    finally:
        other.stop()


def test_a_store_outage_pauses_channels_which_resume_by_themselves(tmp_path):
    redis = RedisServer(tmp_path / "redis").start()
    url = f"{redis.url}?prefix=outage"
    try:
        with Receiver() as receiver:
            hub = Hub(None, url, channels=[RecordingChannel(receiver.url)], run=True)
            wait_until(lambda: hub.stores.channels.cursor("recording") is not None, what="cursor")
            first = hub.publish({"title": "before"}, to="user:a")
            receiver.wait_for(1)
            port = redis.port
            redis.stop()
            with pytest.raises(StoreUnavailableError):
                hub.publish({"title": "during"}, to="user:a")
            time.sleep(1.0)  # the runner meets the outage and backs off
            redis = RedisServer(tmp_path / "redis", port=port).start()
            second = wait_until(
                lambda: _try_publish(hub, {"title": "after"}, "user:a"), what="store back"
            )
            keys = receiver.wait_for(2)
            hub.stop()
    finally:
        redis.stop()
    assert sorted(set(keys)) == sorted(f"recording:{i}:user:a" for i in (first, second))


def _try_publish(hub, options, to):
    try:
        return hub.publish(options, to=to)
    except StoreUnavailableError:
        return None


class Gunicorn:
    """``tests.hub.recording_channel:server()`` under gunicorn, killable."""

    def __init__(self, store: str, receiver: str):
        self.port = free_port()
        env = {**os.environ, "DASH_NOTIFY_STORE": store, "RECEIVER_URL": receiver}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--workers", "2",
                "--worker-class", "gthread", "--threads", "4",
                "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "1",
                "tests.hub.recording_channel:server()",
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def test_kill_9_of_the_sender_loses_nothing_and_the_receiver_sees_each_once(store_url):
    """Two gunicorn servers (two workers each) on one store; the process sending is
    killed with SIGKILL mid-batch; another takes the lease when it expires and
    finishes: every delivery arrives, each key counted once at the receiver."""
    count = 40
    with Receiver(delay=0.03) as receiver:
        servers = [Gunicorn(store_url, receiver.url), Gunicorn(store_url, receiver.url)]
        try:
            publisher = Hub(None, store_url)
            wait_until(
                lambda: publisher.stores.channels.cursor("recording") is not None, what="cursor"
            )
            ids = [publisher.publish({"title": str(i)}, to="user:bob") for i in range(count)]
            wait_until(lambda: len(receiver.requests) >= 8, what="sending under way")
            sender = int(receiver.requests[-1]["headers"]["X-Pid"])
            os.kill(sender, signal.SIGKILL)
            keys = receiver.wait_for(count, timeout=30)
            pids = {int(r["headers"]["X-Pid"]) for r in receiver.requests}
            wait_until(
                lambda: len(publisher.deliveries(state="sent", limit=count)) == count,
                what="every delivery recorded as sent",
            )
        finally:
            for server in servers:
                server.stop()
    expected = {f"recording:{i}:user:bob" for i in ids}
    assert set(keys) == expected  # nothing lost, nothing else sent
    repeats = len(keys) - len(set(keys))
    assert repeats <= RecordingChannel.batch_size  # at most the batch in flight
    assert len(pids) >= 2 and sender in pids  # someone else finished the work


def test_dash_notify_worker_sends_for_an_app_that_does_not(store_url, tmp_path):
    """The app's processes publish with run=False; `dash-notify worker app:hub` sends."""
    (tmp_path / "myapp.py").write_text(
        "import os\n"
        "from dash import Dash, html\n"
        "import dash_notify\n"
        "from tests.hub.recording_channel import RecordingChannel\n"
        "app = Dash(__name__)\n"
        "app.layout = html.Div()\n"
        "hub = dash_notify.Hub(app, os.environ['DASH_NOTIFY_STORE'], run=False,\n"
        "    channels=[RecordingChannel(os.environ['RECEIVER_URL'])])\n"
    )
    with Receiver() as receiver:
        env = {
            **os.environ,
            "DASH_NOTIFY_STORE": store_url,
            "RECEIVER_URL": receiver.url,
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        worker = subprocess.Popen(
            [sys.executable, "-m", "dash_notify.cli", "worker", "myapp:hub"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert "running recording" in worker.stdout.readline()
            publisher = Hub(None, store_url)
            wait_until(
                lambda: publisher.stores.channels.cursor("recording") is not None, what="cursor"
            )
            message = publisher.publish({"title": "from the app"}, to="user:carol")
            assert receiver.wait_for(1) == [f"recording:{message}:user:carol"]
            publisher.stop()
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(10) == 0
    bad = subprocess.run(
        [sys.executable, "-m", "dash_notify.cli", "worker", "nope"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert bad.returncode == 2 and "expected MODULE:NAME" in bad.stderr
