"""``dash-notify listen`` against a live app (the installed command, in a process of
its own), and ``dash-notify token create --allow read``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from dash_notify.cli import main
from dash_notify.hub.web import configure

from ..waiting import wait_until
from .serve import BACKENDS, create_app
from .servers import ROOT, serve_in_thread


@pytest.fixture(params=BACKENDS)
def live(request, sqlite_url):
    app, hub = create_app(sqlite_url, backend=request.param)
    server = serve_in_thread(app)
    yield app, hub, server.url
    server.stop()
    hub.stop()


def listen(*args: str, token: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if token:
        env["DASH_NOTIFY_TOKEN"] = token
    return subprocess.Popen(
        [sys.executable, "-m", "dash_notify.cli", "listen", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


class Lines:
    """The stdout lines of a process, read in a thread."""

    def __init__(self, process: subprocess.Popen):
        self.items: list[dict] = []
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self.ready:
                self.items.append(json.loads(line))
                self.ready.notify_all()

    def wait(self, count: int, timeout: float = 20.0) -> list[dict]:
        with self.ready:
            assert self.ready.wait_for(lambda: len(self.items) >= count, timeout), self.items
            return list(self.items)


def test_listen_polls_what_is_kept(live):
    _, hub, url = live
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    hub.publish({"title": "a"}, to="group:deploys")
    hub.publish({"title": "b"}, to="group:other")
    done = listen(url, "--token", secret, "--since", "all", "--poll")
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert [(e["event"], e["options"]["title"]) for e in events] == [("notification", "a")]


def new_stream(hub, seen: set[int]) -> int:
    """Wait for a stream the hub has not had before (the listener's next connection)."""

    def fresh() -> int | None:
        found = [id(s) for s in hub.live.subscribers() if id(s) not in seen]
        return found[0] if found else None

    stream = wait_until(fresh, 20, "the listener's (re)connection")
    seen.add(stream)
    return stream


def test_listen_prints_live_and_resumes_after_each_stream_ends(live):
    app, hub, url = live
    configure(app, stream_lifetime=1.0)  # every stream ends after a second
    _, secret = hub.create_token("reader", "group:deploys", allow=["read"])
    # "--since all": a stream with no position of its own starts at the store's newest id
    # when it reads it, just after it subscribes, so "one", published as soon as the
    # subscriber shows, could fall before that start (it did once in CI, under load,
    # on Quart); from the beginning of the (empty) log it is delivered either way.
    process = listen(url, "--topic", "deploys", "--since", "all", token=secret)
    try:
        lines = Lines(process)
        streams: set[int] = set()
        new_stream(hub, streams)
        hub.publish({"title": "one"}, to="group:deploys")
        hub.publish({"title": "elsewhere"}, to="group:other")
        lines.wait(1)
        new_stream(hub, streams)  # the first stream ended; the listener came back
        hub.publish({"title": "two"}, to="group:deploys")
        hub.close("job", to="group:deploys")
        events = lines.wait(3)
        new_stream(hub, streams)  # and again: it resumed after "job", nothing twice
        assert lines.items == events
        assert [e.get("options", {}).get("title", e.get("tag")) for e in events] == [
            "one",
            "two",
            "job",
        ]
    finally:
        process.terminate()
        process.wait(10)


def test_listen_reports_refusals_and_missing_settings(live):
    _, hub, url = live
    _, publisher = hub.create_token("ci", "*")
    refused = listen(url, "--poll", token=publisher)
    _, err = refused.communicate(timeout=60)
    assert refused.returncode == 1 and "403" in err and "may not read" in err
    missing = listen(url, "--poll")
    _, err = missing.communicate(timeout=60)
    assert missing.returncode == 2 and "DASH_NOTIFY_TOKEN" in err


def test_token_create_allow_read(sqlite_url, capsys):
    argv = ["token", "create", "--store", sqlite_url, "--name", "phone", "--to", "group:ops"]
    assert main([*argv, "--allow", "read"]) == 0
    assert "allowed: read" in capsys.readouterr().out
    assert main(["token", "list", "--store", sqlite_url]) == 0
    assert "allow=read" in capsys.readouterr().out
