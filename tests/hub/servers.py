"""Real servers for the hub tests, on 127.0.0.1: redis-server, the test app (in a
thread, or in a process of its own that a test can kill) and an SSE client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]


def _preload() -> None:
    """Import every backend's modules now, in one thread: CPython 3.11.7 can fail with
    "SystemError: AST constructor recursion depth mismatch" when two threads compile at
    once (an import in a test thread, under pytest's assertion rewriting, while a
    server thread imports lazily). What is not installed (Dash 3 has no FastAPI or Quart
    backend) is skipped: its tests are not collected there."""
    import importlib

    for name in (
        "dash.backends._flask", "dash.backends._fastapi", "dash.backends._quart",
        "dash_notify.hub.web.flask", "dash_notify.hub.web.fastapi", "dash_notify.hub.web.quart",
        "uvicorn", "uvicorn.main", "hypercorn.asyncio", "hypercorn.config",
        "redis", "tests.hub.serve", "tests.hub.web_client",
    ):  # fmt: skip
        try:
            importlib.import_module(name)
        except ImportError:
            pass


_preload()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class RedisServer:
    """A real redis-server on 127.0.0.1 with append-only persistence in ``directory``."""

    def __init__(self, directory: Path, port: int | None = None):
        self.directory = directory
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class ThreadServer:
    """A Flask app served by Werkzeug (threaded) in a thread of the test process."""

    def __init__(self, flask_app):
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, flask_app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class UvicornServer:
    """An ASGI app (FastAPI) served by uvicorn in a thread of the test process."""

    def __init__(self, asgi_app):
        import uvicorn

        self.port = free_port()
        # proxy_headers off: uvicorn would otherwise trust X-Forwarded-Proto from
        # 127.0.0.1 itself, and the tests check what the hub decides
        config = uvicorn.Config(
            asgi_app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            proxy_headers=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class HypercornServer:
    """An ASGI app (Quart) served by hypercorn in a thread of the test process."""

    def __init__(self, asgi_app):
        import asyncio

        from hypercorn.asyncio import serve
        from hypercorn.config import Config

        self.port = free_port()
        config = Config()
        config.bind = [f"127.0.0.1:{self.port}"]
        config.accesslog = None
        config.graceful_timeout = 1
        self.loop = asyncio.new_event_loop()
        self.stopping = asyncio.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(
                serve(asgi_app, config, shutdown_trigger=self.stopping.wait)
            )

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        wait_for_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(10)


def serve_in_thread(app) -> ThreadServer | UvicornServer | HypercornServer:
    """Serve a Dash app in this process on its backend's server: Werkzeug (Flask),
    uvicorn (FastAPI) or hypercorn (Quart)."""
    kind = getattr(getattr(app, "backend", None), "server_type", "flask")
    if kind == "fastapi":
        return UvicornServer(app.server)
    if kind == "quart":
        return HypercornServer(app.server)
    return ThreadServer(app.server)


def server_command(backend: str, port: int, workers: int, threads: int = 50) -> list[str]:
    """The production command line of a backend, as the README's deployment guide
    gives it: gunicorn gthread (Flask), gunicorn with uvicorn workers (FastAPI),
    hypercorn (Quart), serving tests/hub/serve.py."""
    bind = f"127.0.0.1:{port}"
    if backend == "fastapi":
        return [
            sys.executable, "-m", "gunicorn", "--worker-class", "uvicorn_worker.UvicornWorker",
            "--workers", str(workers), "--bind", bind, "--graceful-timeout", "1",
            "--log-level", "warning", "tests.hub.serve:asgi()",
        ]  # fmt: skip
    if backend == "quart":
        return [
            sys.executable, "-m", "hypercorn", "tests.hub.serve:asgi()",
            "--bind", bind, "--workers", str(workers), "--graceful-timeout", "1",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn",
        "--worker-class", "gthread", "--threads", str(threads),
        "--workers", str(workers), "--bind", bind, "--graceful-timeout", "1",
        "tests.hub.serve:server()",
    ]  # fmt: skip


class AppProcess:
    """``tests/hub/serve.py`` in a process of its own, killable: with ``workers``, on
    the backend's production server (gunicorn, uvicorn, hypercorn); without, on
    Flask's own server."""

    def __init__(
        self,
        store: str,
        *,
        port: int | None = None,
        workers: int = 0,
        env=None,
        backend: str = "flask",
        threads: int = 50,
    ):
        self.store = store
        self.port = port or free_port()
        self.workers = workers
        self.backend = backend
        self.threads = threads
        self.env = {
            **os.environ,
            "DASH_NOTIFY_STORE": store,
            "DASH_NOTIFY_BACKEND": backend,
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{self.port}/"

    def start(self) -> AppProcess:
        if self.workers or self.backend != "flask":
            command: Sequence[str] = server_command(
                self.backend, self.port, self.workers or 1, self.threads
            )
        else:
            command = [sys.executable, "-m", "tests.hub.serve", str(self.port)]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        wait_for_port(self.port, timeout=30, process=self.process)
        return self

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


class SSEClient:
    """Reads one event stream in a thread; ``events`` holds (event, id, data) tuples."""

    def __init__(
        self,
        port: int,
        path: str = "/_dash_notify/events",
        headers=None,
        source: str | None = None,
    ):
        self.port = port
        self.path = path
        self.headers = dict(headers or {})
        self.events: list[tuple[str, str | None, dict]] = []
        # (wall-clock ms, data) of each notification event, stamped as it is read
        self.received_at: list[tuple[float, dict]] = []
        self.comments = 0
        self.status: int | None = None
        self.error: dict | None = None  # the JSON body of a refused stream
        self.response_headers: dict[str, str] = {}
        self.closed = threading.Event()
        self._ready = threading.Condition()
        # ``source``: another loopback address (127.0.0.2, ...) as another client IP
        self.connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=60, source_address=(source, 0) if source else None
        )
        self.answered = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            self.connection.request("GET", self.path, headers=self.headers)
            self.sock = self.connection.sock  # http.client lets go of it at getresponse
            response = self.connection.getresponse()
            self.status = response.status
            self.response_headers = dict(response.getheaders())
            if response.status != 200:
                self.error = json.loads(response.read())
                return
            self.answered.set()
            event, event_id, data = "message", None, []
            while True:
                line = response.readline()  # de-chunked: ends with the response
                if not line:
                    break
                line = line.decode("utf-8").rstrip("\n")
                if line == "":
                    if data:
                        parsed = json.loads("\n".join(data))
                        with self._ready:
                            self.events.append((event, event_id, parsed))
                            if event == "notification":
                                self.received_at.append((time.time() * 1000, parsed))
                            self._ready.notify_all()
                    event, event_id, data = "message", None, []
                elif line.startswith(":"):
                    self.comments += 1
                else:
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "event":
                        event = value
                    elif name == "id":
                        event_id = value
                    elif name == "data":
                        data.append(value)
        except (OSError, AttributeError, ValueError):
            pass  # closed by the test (http.client drops its file object on close)
        finally:
            self.answered.set()
            self.closed.set()
            with self._ready:
                self._ready.notify_all()

    def header(self, name: str) -> str | None:
        """A response header, whatever case the server gave it."""
        return next(
            (v for k, v in self.response_headers.items() if k.lower() == name.lower()), None
        )

    def wait_status(self, timeout: float = 10.0) -> int | None:
        """The response status, once the headers have come."""
        self.answered.wait(timeout)
        return self.status

    def of(self, kind: str) -> list[tuple[str | None, dict]]:
        with self._ready:
            return [(i, d) for e, i, d in self.events if e == kind]

    def wait_for(
        self, kind: str, count: int, timeout: float = 10.0
    ) -> list[tuple[str | None, dict]]:
        deadline = time.monotonic() + timeout
        with self._ready:
            while True:
                found = [(i, d) for e, i, d in self.events if e == kind]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed.is_set():
                    raise AssertionError(f"expected {count} {kind} events, got {found}")
                self._ready.wait(remaining)

    def close(self) -> None:
        sock = getattr(self, "sock", None) or self.connection.sock
        try:
            sock and sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()
