"""A real HTTP receiver on 127.0.0.1 for channel tests: records every request it gets
(path, headers, body), answers what the test tells it, optionally slowly."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records requests; ``status`` and ``delay`` set how it answers."""

    def __init__(self, status: int = 200, delay: float = 0.0):
        self.status = status
        self.delay = delay
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": body}
                    )
                    status = receiver.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> list[str]:
        """The idempotency keys received, in order (repeats included)."""
        with self.lock:
            return [r["headers"].get("Idempotency-Key") for r in self.requests]

    def bodies(self) -> list[dict]:
        with self.lock:
            return [json.loads(r["body"]) for r in self.requests]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[str]:
        """Wait until ``count`` distinct keys arrived; returns every key received."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(set(self.keys())) >= count:
                return self.keys()
            time.sleep(0.02)
        raise TimeoutError(f"{len(set(self.keys()))} of {count} deliveries arrived")
