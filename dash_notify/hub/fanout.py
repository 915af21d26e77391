"""Live delivery inside one process: one thread follows the store's changes and hands
each notification to the subscribers (open event streams) of the users it is for."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Union

from .store import Message, Seen, Store, StoreUnavailableError
from .targets import Identity

log = logging.getLogger("dash_notify.hub")

Event = Union[Message, Seen]


class Subscriber:
    """One open event stream: a bounded queue of what its user should receive.

    When a slow client lets ``limit`` events pile up, the subscriber is marked
    ``overflowed``; its stream then ends and the browser reconnects with its last event
    id, getting the rest from the store, so nothing is lost.
    """

    def __init__(self, identity: Identity, limit: int = 1000):
        self.identity = identity
        self.limit = limit
        self.overflowed = False
        self._events: deque[Event] = deque()
        self._ready = threading.Condition()

    def put(self, event: Event) -> None:
        """Queue an event (called by the dispatcher)."""
        with self._ready:
            if len(self._events) >= self.limit:
                self.overflowed = True
            else:
                self._events.append(event)
            self._ready.notify()

    def get(self, timeout: float) -> Event | None:
        """The next event, or None after ``timeout`` seconds (or on overflow)."""
        with self._ready:
            if not self._events and not self.overflowed:
                self._ready.wait(timeout)
            return self._events.popleft() if self._events else None


class Dispatcher:
    """Follows a store and fans its changes out to this process's subscribers.

    Started with the first subscriber. When the store is unavailable it retries with
    backoff (0.1 s doubling to 5 s) and resumes from where it stopped, so delivery
    recovers by itself. ``on_idle`` runs about once a ``idle_every`` seconds (the
    hub's retention purge).
    """

    def __init__(
        self,
        store: Store,
        *,
        on_idle: Callable[[], None] | None = None,
        idle_every: float = 3600.0,
    ):
        self.store = store
        self.on_idle = on_idle
        self.idle_every = idle_every
        self._subscribers: set[Subscriber] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def subscribe(self, identity: Identity) -> Subscriber:
        """A new subscriber for ``identity``, receiving everything dispatched from now."""
        subscriber = Subscriber(identity)
        with self._lock:
            self._subscribers.add(subscriber)
            if self._thread is None:
                # The cursor is read before the thread starts, so nothing stored after
                # this subscribe call can be missed.
                cursor = self.store.cursor()
                self._thread = threading.Thread(
                    target=self._run, args=(cursor,), name="dash_notify-hub", daemon=True
                )
                self._thread.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop delivering to a subscriber."""
        with self._lock:
            self._subscribers.discard(subscriber)

    @property
    def subscriber_count(self) -> int:
        """How many event streams this process has open."""
        with self._lock:
            return len(self._subscribers)

    def stop(self) -> None:
        """Stop the thread (at its next wake-up)."""
        self._stopping.set()

    def deliver(self, events: list[Event]) -> None:
        """Hand events to every subscriber they are for."""
        with self._lock:
            subscribers = list(self._subscribers)
        for event in events:
            for subscriber in subscribers:
                if isinstance(event, Seen):
                    if event.user == subscriber.identity.user:
                        subscriber.put(event)
                elif subscriber.identity.receives(event.targets):
                    subscriber.put(event)

    def _run(self, cursor) -> None:
        delay = 0.1
        last_idle = 0.0
        while not self._stopping.is_set():
            try:
                if self.on_idle and time.monotonic() - last_idle > self.idle_every:
                    last_idle = time.monotonic()
                    self.on_idle()
                changes = self.store.changes(cursor, timeout=5.0)
            except StoreUnavailableError as error:
                log.warning("dash_notify hub: %s; retrying in %.1f s", error, delay)
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            except Exception:  # a bug must not end live delivery for the whole process
                log.exception("dash_notify hub: dispatch failed; retrying")
                self._stopping.wait(1.0)
                continue
            delay = 0.1
            cursor = changes.cursor
            if changes.messages or changes.seen:
                self.deliver([*changes.messages, *changes.seen])
