"""One SQLite file in WAL mode, shared by every process that opens it, through a
bounded pool of connections.

A connection is borrowed for one operation and returned, so a server with hundreds of
request threads holds at most ``size`` connections (and file descriptors) per file.
Writes are serialised by SQLite (``BEGIN IMMEDIATE``); ``synchronous=FULL`` by default
makes a write that returned survive a crash of the machine. SQLite's refusals (disk
full, locked for longer than ``timeout``, I/O errors) become StoreUnavailableError.
The file is created readable by its owner only.

A process forked from one using the pool (a Dash background callback run by
``DiskcacheManager``, a ``multiprocessing`` worker) starts with a pool of its own: SQLite
connections must not be used across a fork, and a lock another thread held at the fork
would never be released in the child.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ...model import StoreUnavailableError

T = TypeVar("T")

# SQLite allows 32766 parameters; lists of ids are sent in chunks below that.
CHUNK = 500

# What starts over in a forked child: each registered object's method, called there.
_FORK_RESETS: weakref.WeakKeyDictionary[object, Callable[[object], None]] = (
    weakref.WeakKeyDictionary()
)


def reset_after_fork(owner: object, reset: Callable[[object], None]) -> None:
    """Call ``reset(owner)`` in every child process forked while ``owner`` lives."""
    _FORK_RESETS[owner] = reset


def _after_fork_in_child() -> None:
    for owner, reset in list(_FORK_RESETS.items()):
        reset(owner)


os.register_at_fork(after_in_child=_after_fork_in_child)


def placeholders(count: int) -> str:
    """``?,?,?`` for ``count`` parameters."""
    return ",".join("?" * count)


def _create_private(path: str) -> None:
    """Create the database file (and its WAL and shared-memory files, which SQLite
    gives the database file's permissions) readable and writable by its owner only."""
    if path != ":memory:" and not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))


class Database:
    """A pool of connections to one SQLite file.

    ``synchronous``: FULL for what must survive a machine crash, OFF for data whose
    loss is harmless (rate counters, in a file of their own). ``on_commit`` is called
    after every committed write (to wake this process's readers at once).
    """

    def __init__(
        self,
        path: str,
        *,
        synchronous: str = "FULL",
        size: int = 8,
        timeout: float = 30.0,
        on_commit=None,
    ):
        self.path = path
        self.synchronous = synchronous
        self.timeout = timeout
        self.on_commit = on_commit
        self.size = size
        self._new_pool()
        self._closed = False
        _create_private(path)
        reset_after_fork(self, Database._new_pool)

    def _new_pool(self) -> None:
        """An empty pool (at start, and in a forked child, which leaves the inherited
        connections alone: they belong to the parent)."""
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(self.size)
        self._all: list[sqlite3.Connection] = []  # every connection opened (at most size)
        self._lock = threading.Lock()
        self._one_writer = threading.Lock()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        db.row_factory = sqlite3.Row
        try:
            # Turning a file to WAL takes an exclusive lock, for which SQLite does not
            # wait: two processes opening a file at once (a fresh one, or one from an
            # older release) can find it locked for a moment.
            self._until_free(lambda: db.execute("PRAGMA journal_mode=WAL"))
        except BaseException:
            db.close()
            raise
        db.execute(f"PRAGMA synchronous={self.synchronous}")
        db.execute("PRAGMA foreign_keys=ON")
        # SQLite's own wait for a lock held by another process sleeps in steps of up to
        # 100 ms; every statement waits in _until_free instead, in steps of at most 4 ms,
        # so that a lock held for one fsync costs about one fsync.
        db.execute("PRAGMA busy_timeout=0")
        with self._lock:
            self._all.append(db)
        return db

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a connection (waiting up to ``timeout`` when all are in use)."""
        if self._closed:
            raise StoreUnavailableError(f"SQLite at {self.path}: the store is closed")
        if not self._slots.acquire(timeout=self.timeout):
            raise StoreUnavailableError(f"SQLite at {self.path}: every connection is busy")
        try:
            try:
                db = self._idle.get_nowait()
            except queue.Empty:
                db = self._guarded(self._open)
            try:
                yield db
            finally:
                if self._closed:
                    db.close()
                else:
                    self._idle.put(db)
        finally:
            self._slots.release()

    def _guarded(self, function, *args):
        try:
            return function(*args)
        except sqlite3.OperationalError as error:
            raise StoreUnavailableError(f"SQLite at {self.path}: {error}") from error

    def read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        """Run a query and fetch every row (readers are never blocked in WAL mode, but
        for a moment while another connection recovers the file)."""
        with self.connection() as db:
            return self._until_free(lambda: db.execute(sql, params).fetchall())

    def write_one(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Run one writing statement as a transaction of its own and fetch the rows it
        returns (``RETURNING``): the write lock is held only while SQLite runs it, never
        while Python code between statements waits for the interpreter."""
        # This process's writers wait on a lock of their own rather than all asking
        # SQLite, whose answer to all but one would be "busy" and a sleep.
        if not self._one_writer.acquire(timeout=self.timeout):
            raise StoreUnavailableError(
                f"SQLite at {self.path}: waited {self.timeout:g} s for this process's writers"
            )
        try:
            with self.connection() as db:
                rows = self._until_free(lambda: db.execute(sql, params).fetchall())
        finally:
            self._one_writer.release()
        if self.on_commit is not None:
            self.on_commit()
        return rows

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on error)."""
        with self.connection() as db:
            self._begin(db)
            try:
                yield db
                self._until_free(lambda: db.execute("COMMIT"))  # (busy only outside WAL)
            except BaseException as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(error, sqlite3.OperationalError):
                    raise StoreUnavailableError(f"SQLite at {self.path}: {error}") from error
                raise
        if self.on_commit is not None:
            self.on_commit()

    def _begin(self, db: sqlite3.Connection) -> None:
        """``BEGIN IMMEDIATE``, waiting for another writer in short steps."""
        self._until_free(lambda: db.execute("BEGIN IMMEDIATE"))

    def _until_free(self, attempt: Callable[[], T]) -> T:
        """Run ``attempt`` until SQLite stops answering "locked" or "busy", in steps of
        0.2 ms doubling up to 4 ms, for at most ``timeout``; then StoreUnavailableError."""
        deadline = time.monotonic() + self.timeout
        delay = 0.0002
        while True:
            try:
                return attempt()
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() > deadline:
                    raise StoreUnavailableError(f"SQLite at {self.path}: {error}") from error
            time.sleep(delay)
            delay = min(delay * 2, 0.004)

    def script(self, sql: str) -> None:
        """Run a schema script (idempotent: run again whole when another writer held
        the lock)."""
        with self.connection() as db:
            self._until_free(lambda: db.executescript(sql))

    def close(self) -> None:
        """Close the idle connections now and each borrowed one when it is returned
        (never one that another thread is using: closing a connection under a running
        statement can crash the process)."""
        self._closed = True
        while True:
            try:
                db = self._idle.get_nowait()
            except queue.Empty:
                return
            db.close()
