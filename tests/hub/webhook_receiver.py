"""A real webhook receiver on 127.0.0.1 for the webhook tests: records every request
(method, path, query, headers, body, time), verifies signatures with the
``standardwebhooks`` package (not with dash_notify's code), and answers what each path
is told to: a status (with ``Retry-After`` or ``Location``), or hanging until released."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from standardwebhooks.webhooks import Webhook


class Server(ThreadingHTTPServer):
    """A threaded HTTP server with a backlog for many concurrent senders (the default
    of 5 drops connections, which the sender's TCP retries a second later)."""

    request_queue_size = 128
    daemon_threads = True


@dataclass
class Got:
    """One request as received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    def verified(self, secret: str) -> dict:
        """The payload, verified with ``standardwebhooks`` under ``secret`` (raises
        WebhookVerificationError when the signature does not match)."""
        if self.method == "GET":
            Webhook(secret).verify(self.query, self.headers, json_parse=False)
            params = {k: v[0] for k, v in parse_qs(self.query).items()}
            return {**params, "data": json.loads(params["data"])}
        return Webhook(secret).verify(self.body, self.headers)


@dataclass
class Answer:
    """How a path answers: ``status`` with ``headers`` (after ``delay`` seconds), or
    ``hang`` until released."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False
    delay: float = 0.0


class WebhookReceiver:
    """Answers per path (``answers[path]``: one Answer for every request, or a list
    consumed one per request, the last repeating); records everything."""

    def __init__(self):
        self.answers: dict[str, Answer | list[Answer]] = {}
        self.got: list[Got] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_one(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                got = Got(
                    self.command,
                    parts.path,
                    parts.query,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                with receiver.lock:
                    receiver.got.append(got)
                    answer = receiver._answer(parts.path)
                if answer.hang:
                    receiver.release.wait(30)
                    answer = Answer(200)
                elif answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def do_GET(self):
                self.handle_one()

            def do_POST(self):
                self.handle_one()

            def log_message(self, *args):
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _answer(self, path: str) -> Answer:
        answer = self.answers.get(path, Answer())
        if isinstance(answer, list):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def at(self, path: str) -> list[Got]:
        """Requests received on ``path``, in order."""
        with self.lock:
            return [got for got in self.got if got.path == path]

    def wait_for(self, path: str, count: int, timeout: float = 20.0) -> list[Got]:
        """Wait until ``path`` received ``count`` requests; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.at(path)
            if len(got) >= count:
                return got
            time.sleep(0.01)
        raise TimeoutError(f"{path}: {len(self.at(path))} of {count} requests arrived")
