"""A JSON-lines stream client for the subscribe tests: reads one stream in a thread
and keeps each line's JSON; tests wait for what they expect with a timeout."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any


class LineClient:
    """Reads ``path`` on 127.0.0.1:``port``; ``lines`` holds each JSON line read."""

    def __init__(self, port: int, path: str, headers: dict[str, str] | None = None):
        self.lines: list[dict[str, Any]] = []
        self.status: int | None = None
        self.error: Any = None
        self.closed = threading.Event()
        self.answered = threading.Event()
        self._ready = threading.Condition()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.sock: Any = None
        self._path, self._headers = path, dict(headers or {})
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            self.connection.request("GET", self._path, headers=self._headers)
            self.sock = self.connection.sock
            response = self.connection.getresponse()
            self.status = response.status
            self.answered.set()
            if response.status != 200:
                self.error = json.loads(response.read())
                return
            while True:
                line = response.readline()
                if not line:
                    break
                if line.strip():
                    with self._ready:
                        self.lines.append(json.loads(line))
                        self._ready.notify_all()
        except (OSError, AttributeError, ValueError, http.client.HTTPException):
            pass  # closed by the test (or the server)
        finally:
            self.answered.set()
            self.closed.set()
            with self._ready:
                self._ready.notify_all()

    def wait_status(self, timeout: float = 10.0) -> int | None:
        self.answered.wait(timeout)
        return self.status

    def events(self, kind: str, key: str = "event") -> list[dict[str, Any]]:
        with self._ready:
            return [line for line in self.lines if line.get(key) == kind]

    def wait_for(self, kind: str, count: int, timeout: float = 10.0, key: str = "event"):
        """The first ``count`` lines whose ``key`` is ``kind``, once there are that many."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while True:
                found = [line for line in self.lines if line.get(key) == kind]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed.is_set():
                    raise AssertionError(f"expected {count} {kind} lines, got {self.lines}")
                self._ready.wait(remaining)

    def wait_closed(self, timeout: float = 10.0) -> bool:
        return self.closed.wait(timeout)

    def close(self) -> None:
        sock = self.sock or self.connection.sock
        try:
            sock and sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()
