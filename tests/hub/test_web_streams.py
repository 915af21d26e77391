"""Open event streams as a hostile or careless client makes them, on every backend's
production server (gunicorn gthread, uvicorn, hypercorn): limits per user, per IP and
per worker with their 429/503, page loads and callbacks answered while streams are
open, closed clients noticed at once, a client that stops reading cut by the write
timeout, HEAD leaving nothing behind, a logged-out user's stream ended, and (FastAPI)
streams ended when uvicorn is told to stop."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time

import pytest
from dash import html

from dash_notify.hub import Hub

from ..waiting import wait_until
from .serve import BACKENDS, create_app, new_dash
from .servers import (
    ROOT,
    AppProcess,
    SSEClient,
    free_port,
    serve_in_thread,
    server_command,
    wait_for_port,
)
from .web_client import Client


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def open_stream(port: int, user: str, source: str | None = None) -> SSEClient:
    client = SSEClient(port, headers={"Cookie": f"user={user}"}, source=source)
    assert client.wait_status(20) is not None, "no answer"
    return client


def callback_request() -> dict:
    """A Dash callback of the test app (log_click), as the renderer posts it."""
    click = {"id": 1, "action": "", "delivery": "toast"}
    return {
        "output": "clicked.children",
        "outputs": {"id": "clicked", "property": "children"},
        "inputs": [{"id": "n", "property": "clickData", "value": click}],
        "changedPropIds": ["n.clickData"],
        "state": [],
    }


def test_stream_limits_per_user_ip_and_worker_keep_the_app_answering(sqlite_url, backend):
    """Two streams per user, three per IP, four per worker (on Flask: half of
    gunicorn's 8 threads, detected): past each, a JSON 429 or 503 with Retry-After;
    with the worker full, the page and a callback still answer at once; a closed stream
    is noticed within about a second and its place is free again."""
    env = {
        "DASH_NOTIFY_STREAMS_PER_USER": "2",
        "DASH_NOTIFY_STREAMS_PER_IP": "3",
        "DASH_NOTIFY_BROWSER_RATE": "100000",
    }
    if backend != "flask":
        env["DASH_NOTIFY_STREAMS"] = "4"
    app = AppProcess(sqlite_url, backend=backend, workers=1, threads=8, env=env).start()
    clients: list[SSEClient] = []
    try:
        bob_1 = open_stream(app.port, "bob")
        clients.append(bob_1)
        clients.append(open_stream(app.port, "bob"))
        assert [c.status for c in clients] == [200, 200]
        refused = open_stream(app.port, "bob")
        assert refused.status == 429 and refused.error["http"] == 429
        assert "user" in refused.error["error"] and int(refused.header("Retry-After")) >= 1
        clients.append(open_stream(app.port, "alice"))
        assert clients[-1].status == 200
        by_ip = open_stream(app.port, "carol")
        assert by_ip.status == 429 and "IP" in by_ip.error["error"]
        # another address: the per-IP limit is its own, the worker's is shared
        clients.append(open_stream(app.port, "dave", source="127.0.0.2"))
        assert clients[-1].status == 200
        full = open_stream(app.port, "erin", source="127.0.0.2")
        assert full.status == 503 and full.error["http"] == 503
        assert int(full.header("Retry-After")) >= 1

        client = Client(app.url)
        started = time.monotonic()
        assert client.get("/").status == 200
        answer = client.post("/_dash-update-component", json=callback_request())
        assert answer.status == 200, answer.body
        # a starved worker would hold them until a stream ends (15 s and more); the
        # margin is for a loaded machine, not a speed figure
        assert time.monotonic() - started < 5.0

        # bob leaves: his place is noticed free without waiting for a keepalive (15 s)
        bob_1.close()
        deadline = time.monotonic() + 3.0
        while True:
            again = open_stream(app.port, "erin", source="127.0.0.2")
            if again.status == 200:
                clients.append(again)
                break
            assert time.monotonic() < deadline, "the closed stream's place stayed taken"
            time.sleep(0.1)
    finally:
        for item in clients:
            item.close()
        app.stop()


def test_a_client_that_stops_reading_is_cut_by_the_write_timeout(sqlite_url, backend):
    """A real socket that stops reading (a tiny receive buffer, never read): once the
    server's writes stop making progress for write_timeout (1 s), the stream ends and
    its place is free; before, it held its thread (Flask) or place for good."""
    env = {
        "DASH_NOTIFY_STREAMS_PER_USER": "1",
        "DASH_NOTIFY_WRITE_TIMEOUT": "1",
        "DASH_NOTIFY_BROWSER_RATE": "100000",  # the test asks again and again
    }
    app = AppProcess(sqlite_url, backend=backend, workers=1, threads=8, env=env).start()
    publisher = Hub(None, sqlite_url)
    stuck = socket.socket()
    try:
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect(("127.0.0.1", app.port))
        stuck.sendall(
            b"GET /_dash_notify/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: user=bob\r\n\r\n"
        )
        # read up to the hello (the stream is open), then never read again
        received = b""
        stuck.settimeout(10)
        while b"event: hello" not in received:
            chunk = stuck.recv(1024)
            assert chunk, received
            received += chunk
        assert received.startswith(b"HTTP/1.1 200"), received
        refused = open_stream(app.port, "bob")
        assert refused.status == 429 and "streams open" in refused.error["error"]
        # far more than the kernel's buffers hold (4 MB send + the tiny receive buffer)
        for i in range(8):
            publisher.publish({"title": f"big {i}", "data": "x" * 1_000_000}, to="user:bob")
        started = time.monotonic()
        while True:
            again = open_stream(app.port, "bob")
            if again.status == 200:
                again.close()
                break
            assert "streams open" in again.error["error"], again.error
            assert time.monotonic() - started < 15, "the stuck stream was never cut"
            time.sleep(0.2)
    finally:
        stuck.close()
        publisher.stop()
        app.stop()


def test_head_on_events_leaves_no_subscriber_and_no_place(sqlite_url, backend):
    app, hub = create_app(sqlite_url, backend=backend)
    server = serve_in_thread(app)
    try:
        client = Client(server.url)
        statuses = set()
        for i in range(300):
            reply = client.request("HEAD", "/_dash_notify/events", headers={"Cookie": f"user=u{i}"})
            statuses.add(reply.status)
            assert reply.header("Content-Type").startswith("text/event-stream")
        assert statuses == {200}
        assert hub.live.subscriber_count == 0
        from dash_notify.hub.web.context import context_of

        assert context_of(app).slots.open == 0
        # and a GET still streams
        stream = open_stream(server.port, "bob")
        stream.wait_for("hello", 1)
        assert hub.live.subscriber_count == 1
        stream.close()
        wait_until(lambda: hub.live.subscriber_count == 0, what="the GET's subscriber to go")
    finally:
        server.stop()
        hub.stop()


def test_a_stream_whose_user_logged_out_ends(sqlite_url, backend, monkeypatch):
    """The app's user function is asked again while a stream is open (every 0.3 s
    here): when the session has ended, the stream ends, and the browser's reconnect is
    whoever it is now."""
    monkeypatch.setenv("DASH_NOTIFY_RECHECK", "0.3")
    sessions = {"s1": "bob"}
    app, hub = create_app(sqlite_url, backend=backend)
    hub.user_function = lambda request: sessions.get(request.cookies.get("session", ""))
    server = serve_in_thread(app)
    try:
        stream = SSEClient(server.port, headers={"Cookie": "session=s1"})
        [(_, hello)] = stream.wait_for("hello", 1)
        hub.publish({"title": "for bob"}, to="user:bob")
        stream.wait_for("notification", 1)
        time.sleep(0.5)  # several re-checks pass while bob is still logged in
        assert not stream.closed.is_set()
        del sessions["s1"]
        assert stream.closed.wait(5), "the logged-out stream stayed open"
        again = SSEClient(server.port, headers={"Cookie": "session=s1"})
        [(_, anonymous)] = again.wait_for("hello", 1)
        assert anonymous["user"] != hello["user"]
        hub.publish({"title": "for bob, later"}, to="user:bob")
        hub.publish({"title": "for everyone"}, to="*")
        again.wait_for("notification", 1)
        assert [d["options"]["title"] for _, d in again.of("notification")] == ["for everyone"]
        again.close()
    finally:
        server.stop()
        hub.stop()


def test_an_anonymous_browsers_stream_is_not_asked_who_it_is_again(
    sqlite_url, backend, monkeypatch
):
    """Without the app's user function, a browser is its cookie's for the request's
    life: its stream does not re-check it (a blocking call in a thread per stream every
    ``identity_recheck`` s, for nothing); with one, it does (the test above)."""
    from dash_notify.hub.web import handlers

    monkeypatch.setenv("DASH_NOTIFY_RECHECK", "0.05")
    asked: list[str] = []
    real_user_id = handlers.user_id

    def counting_user_id(asked_hub, *args):
        if asked_hub is hub:  # (not an earlier test's server, still winding down)
            asked.append("asked")
        return real_user_id(asked_hub, *args)

    monkeypatch.setattr(handlers, "user_id", counting_user_id)
    app, hub = create_app(sqlite_url, backend=backend)
    hub.user_function = None
    server = serve_in_thread(app)
    try:
        stream = open_stream(server.port, "bob")
        stream.wait_for("hello", 1)
        time.sleep(0.5)  # ten re-check periods
        hub.publish({"title": "still there"}, to="*")
        stream.wait_for("notification", 1)
        assert asked == ["asked"]  # the stream's start only
        stream.close()
    finally:
        server.stop()
        hub.stop()


def test_a_page_load_callback_publishing_to_me_reaches_the_stream(sqlite_url, backend):
    """The first visit as a browser makes it, without a browser: the page's response
    gives the browser its id, then the stream and a page-load callback publishing to
    ``hub.me()`` both use it, and the notification arrives live."""
    app, hub = create_app(sqlite_url, backend=backend, greet=0.0)
    server = serve_in_thread(app)
    try:
        client = Client(server.url)
        client.get("/")
        cookie = f"dash_notify_browser={client.cookies['dash_notify_browser']}"
        stream = SSEClient(server.port, headers={"Cookie": cookie})
        stream.wait_for("hello", 1)
        answer = client.post(
            "/_dash-update-component",
            json={
                "output": "greeted.children",
                "outputs": {"id": "greeted", "property": "children"},
                "inputs": [{"id": "greeted", "property": "id", "value": "greeted"}],
                "changedPropIds": [],
                "state": [],
            },
        )
        assert answer.status == 200, answer.body
        published = int(json.loads(answer.body)["response"]["greeted"]["children"])
        [(event_id, data)] = stream.wait_for("notification", 1)
        assert int(event_id) == published and data["options"]["title"] == "welcome"
        stream.close()
    finally:
        server.stop()
        hub.stop()


def _take_low_descriptors(held: list[int], below: int) -> None:
    """Hold every free descriptor numbered below ``below`` (in ``held``)."""
    while True:
        fd = os.open(os.devnull, os.O_RDONLY)
        if fd >= below:
            os.close(fd)
            return
        held.append(fd)


def _server_end(client: SSEClient) -> int | None:
    """The descriptor of this process's socket at the other end of ``client``'s."""
    wanted = client.sock.getsockname()
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as other:
                if other.getpeername() == wanted:
                    return fd
        except OSError:
            continue  # closed meanwhile, or not a connected TCP socket
    return None


def test_a_stream_on_a_descriptor_numbered_over_1023_stays_open_and_its_end_is_seen(
    sqlite_url,
):
    """Flask's servers look whether a quiet stream's client has gone (every
    disconnect_poll). With select() that look failed on descriptors numbered 1024 or
    more, which a server holding a thousand streams has, and ended those streams: 110 to
    299 of 2,000 under gunicorn gevent. Here the server (Werkzeug, in this process) gets
    such a descriptor because every lower one is taken; the stream stays open, and once
    its client closes, its end is still seen."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    assert wanted >= 1200, f"the test needs 1,200 descriptors; the hard limit is {hard}"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    held: list[int] = []
    app = new_dash("flask")
    app.layout = html.Div()
    hub = Hub(app, sqlite_url, web={"disconnect_poll": 0.05})
    server = serve_in_thread(app)
    client = None
    try:
        # A descriptor below 1024 can be freed at any moment (CI run 18: a socket of an
        # earlier test collected as garbage): take the free ones just before connecting,
        # and connect again if one was freed before the server accepted.
        for _ in range(5):
            _take_low_descriptors(held, 1030)
            client = open_stream(server.port, "carol")
            server_end = _server_end(client)
            if server_end is not None and server_end >= 1024:
                break
            client.close()
            wait_until(lambda: hub.live.subscriber_count == 0, timeout=5, what="a retry")
        assert server_end is not None and server_end >= 1024, f"the server's end: {server_end}"
        time.sleep(0.5)  # ten looks at the client
        assert not client.closed.is_set(), "the stream was ended"
        hub.publish({"title": "still here"}, to="*")
        [(_, notification)] = client.wait_for("notification", 1)
        assert notification["options"]["title"] == "still here" and not client.closed.is_set()
        assert hub.live.subscriber_count == 1
        client.close()
        wait_until(lambda: hub.live.subscriber_count == 0, timeout=5, what="the end seen")
    finally:
        if client is not None:
            client.close()
        server.stop()
        hub.stop()
        for fd in held:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.parametrize("how", ["ctrl-c", "gunicorn-sigterm", "gunicorn-max-requests"])
def test_a_stopping_uvicorn_ends_its_open_streams_at_once(sqlite_url, how, tmp_path):
    """FastAPI: stopping with streams open, uvicorn would wait for them for good
    (``python app.py`` then ``Ctrl+C``) or until gunicorn's graceful timeout (a SIGTERM,
    or a worker past ``--max-requests``): the streams end within about a second, their
    bodies properly ended (uvicorn logs no unfinished response), and the server (or the
    worker) goes."""
    port = free_port()
    if how == "ctrl-c":  # one uvicorn process, as app.run() serves a FastAPI app
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "tests.hub.serve:asgi",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
    else:  # the README's deployment, with a graceful timeout longer than the test waits
        command = server_command("fastapi", port, 1)
        command[command.index("--graceful-timeout") + 1] = "60"
        if how == "gunicorn-max-requests":  # (uvicorn counts a response once it is done)
            command.insert(command.index("--bind"), "--max-requests")
            command.insert(command.index("--bind"), "2")
    env = {**os.environ, "DASH_NOTIFY_STORE": sqlite_url, "DASH_NOTIFY_BACKEND": "fastapi"}
    log = tmp_path / "server.log"
    with open(log, "w") as errors:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, start_new_session=True, stderr=errors
        )
    streams: list[SSEClient] = []
    try:
        wait_for_port(port, timeout=30, process=process)
        streams = [open_stream(port, user) for user in ("bob", "alice")]
        for stream in streams:
            stream.wait_for("hello", 1)
        started = time.monotonic()
        if how == "ctrl-c":
            process.send_signal(signal.SIGINT)
        elif how == "gunicorn-sigterm":
            process.send_signal(signal.SIGTERM)
        else:  # two requests answered: the worker has served its --max-requests
            client = Client(f"http://127.0.0.1:{port}/")
            assert [client.get("/_dash-layout").status for _ in range(2)] == [200, 200]
        for stream in streams:
            assert stream.closed.wait(10), "a stream stayed open after the server stopped"
        if how != "gunicorn-max-requests":  # (there gunicorn starts the next worker)
            process.wait(10)
        assert time.monotonic() - started < 5
        time.sleep(0.5)  # (uvicorn logs an unfinished response as its task ends)
        assert "without completing response" not in log.read_text()
    finally:
        for stream in streams:
            stream.close()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
