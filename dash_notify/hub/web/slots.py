"""Open event streams counted per worker process, per client IP and per identity, so
that streams cannot take every thread (or all memory) of a worker."""

from __future__ import annotations

import threading
from collections import Counter

from .errors import HTTPError, too_many


class Slot:
    """One open stream's place; :meth:`release` gives it back (once, however often
    it is called)."""

    def __init__(self, owner: StreamSlots, ip: str, user: str):
        self._owner = owner
        self._keys = (ip, user)
        self._released = False

    def release(self) -> None:
        """Give the place back (idempotent)."""
        with self._owner._lock:
            if self._released:
                return
            self._released = True
            self._owner._drop(*self._keys)


class StreamSlots:
    """Counts open streams; :meth:`acquire` refuses one past a limit: 503 when the
    worker is full (another worker or a retry may have room), 429 when this IP or this
    user holds too many. Both with Retry-After."""

    def __init__(self, per_worker: int | None, per_ip: int, per_user: int):
        self.per_worker = per_worker
        self.per_ip = per_ip
        self.per_user = per_user
        self._lock = threading.Lock()
        self._total = 0
        self._ips: Counter[str] = Counter()
        self._users: Counter[str] = Counter()

    @property
    def open(self) -> int:
        """How many streams hold a place now."""
        with self._lock:
            return self._total

    def acquire(self, ip: str, user: str) -> Slot:
        """A place for a new stream, or :class:`HTTPError` 503/429."""
        with self._lock:
            if self.per_worker is not None and self._total >= self.per_worker:
                raise too_many(
                    f"this server process has its {self.per_worker} event streams open; "
                    "retry later",
                    5,
                    status=503,
                )
            if self._ips[ip] >= self.per_ip:
                raise _limit("IP address", self.per_ip)
            if self._users[user] >= self.per_user:
                raise _limit("user", self.per_user)
            self._total += 1
            self._ips[ip] += 1
            self._users[user] += 1
        return Slot(self, ip, user)

    def _drop(self, ip: str, user: str) -> None:
        self._total -= 1
        self._ips[ip] -= 1
        if self._ips[ip] <= 0:
            del self._ips[ip]
        self._users[user] -= 1
        if self._users[user] <= 0:
            del self._users[user]


def _limit(who: str, limit: int) -> HTTPError:
    return too_many(f"events: this {who} has {limit} event streams open already", 5)
