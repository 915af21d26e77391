"""Live delivery inside one process: one thread follows the store's change feed and
hands each event to the subscribers (open event streams) of the users it is for.

A subscriber is read either from a thread (``get``, for WSGI servers) or from an
asyncio task (``aget``, for ASGI servers: one coroutine per open stream, no thread).
Its queue is bounded: a subscriber ``limit`` events behind is ``closed`` and its stream
ends; the browser reconnects with its last event id and the rest comes from the store.
When the store's log starts over (a new epoch) every subscriber receives ``Reset`` and
its stream ends the same way.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Union

from .model import Message, Reset, Seen, StoreUnavailableError
from .stores import MessageLog
from .targets import Identity

log = logging.getLogger("dash_notify.hub")

Event = Union[Message, Seen, Reset]


class Subscriber:
    """One open event stream: a bounded queue of what its user should receive."""

    def __init__(self, identity: Identity, limit: int = 1000):
        self.identity = identity
        self.limit = limit
        self.closed = False
        self.overflowed = False
        self._events: deque[Event] = deque()
        self._ready = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiter: asyncio.Future | None = None

    def offer(self, event: Event) -> bool:
        """Queue an event without waking an asyncio reader; True when one is waiting
        and should be woken (the dispatcher wakes them in one call per event loop)."""
        with self._ready:
            if self.closed:
                return False
            if len(self._events) >= self.limit:
                self.overflowed = self.closed = True
            else:
                self._events.append(event)
                if isinstance(event, Reset):
                    self.closed = True
            self._ready.notify()
            return self._waiter is not None

    def put(self, event: Event) -> None:
        """Queue an event (from any thread) and wake the reader."""
        if self.offer(event) and self._loop is not None:
            _wake_soon(self._loop, [self])

    def close(self) -> None:
        """End the stream at its next read."""
        with self._ready:
            self.closed = True
            self._ready.notify()
            waiting = self._waiter is not None
        if waiting and self._loop is not None:
            _wake_soon(self._loop, [self])

    def _wake(self) -> None:
        """In the event loop: let the waiting ``aget`` return."""
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _pop(self) -> Event | None:
        return self._events.popleft() if self._events else None

    def poll(self) -> Event | None:
        """The next queued event, without waiting (None: none queued)."""
        with self._ready:
            return self._pop()

    def get(self, timeout: float) -> Event | None:
        """The next event, or None after ``timeout`` seconds (at once when closed and
        drained)."""
        with self._ready:
            if not self._events and not self.closed:
                self._ready.wait(timeout)
            return self._pop()

    async def aget(self, timeout: float) -> Event | None:
        """The next event from an asyncio task, or None after ``timeout`` seconds (no
        thread and no task per wait: a future resolved by the dispatcher or a timer)."""
        loop = asyncio.get_running_loop()
        with self._ready:
            event = self._pop()
            if event is not None or self.closed:
                return event
            self._loop = loop
            waiter = self._waiter = loop.create_future()
        timer = loop.call_later(timeout, self._wake)
        try:
            await waiter
        finally:
            timer.cancel()
            with self._ready:
                self._waiter = None
        with self._ready:
            return self._pop()


def _wake_soon(loop: asyncio.AbstractEventLoop, subscribers: list[Subscriber]) -> None:
    """Wake asyncio readers of one event loop with one thread-safe call."""

    def wake_all() -> None:
        for subscriber in subscribers:
            subscriber._wake()

    try:
        loop.call_soon_threadsafe(wake_all)
    except RuntimeError:  # the loop has closed: its streams are gone
        pass


class Dispatcher:
    """Follows the store's change feed and fans it out to this process's subscribers.

    Started with the first subscriber. When the store is unavailable it retries with
    backoff (0.1 s doubling to 5 s) and resumes from its cursor, so live delivery
    recovers by itself.
    """

    def __init__(
        self,
        messages: MessageLog,
        *,
        subscriber_limit: int = 1000,
        prepare: Callable[[set[str]], None] | None = None,
    ):
        self.messages = messages
        self.subscriber_limit = subscriber_limit
        # called with the users a notification is about to reach (the hub reads their
        # preferences in one go; the streams then need no read each)
        self.prepare = prepare
        self._subscribers: set[Subscriber] = set()
        # by user, so that a message to one user or a seen mark visits only theirs
        self._by_user: dict[str, set[Subscriber]] = {}
        # read tokens' streams (hub/reach.py): no user of their own, no seen marks
        self._readers: set[Subscriber] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def subscribe(self, identity: Identity) -> Subscriber:
        """A new subscriber for ``identity``, receiving everything dispatched from now."""
        subscriber = Subscriber(identity, self.subscriber_limit)
        with self._lock:
            self._subscribers.add(subscriber)
            if getattr(identity, "reader", False):
                self._readers.add(subscriber)
            else:
                self._by_user.setdefault(identity.user, set()).add(subscriber)
            if self._thread is None:
                # The cursor is read before the thread starts, so nothing stored after
                # this call can be missed.
                cursor = self.messages.feed_cursor()
                self._thread = threading.Thread(
                    target=self._run, args=(cursor,), name="dash_notify-live", daemon=True
                )
                self._thread.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop delivering to a subscriber."""
        with self._lock:
            self._subscribers.discard(subscriber)
            self._readers.discard(subscriber)
            mine = self._by_user.get(subscriber.identity.user)
            if mine is not None:
                mine.discard(subscriber)
                if not mine:
                    del self._by_user[subscriber.identity.user]

    def subscribers(self) -> list[Subscriber]:
        """The open subscribers (a copy)."""
        with self._lock:
            return list(self._subscribers)

    @property
    def subscriber_count(self) -> int:
        """How many event streams this process has open."""
        with self._lock:
            return len(self._subscribers)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and wait for it (its wait for changes ends at once)."""
        self._stopping.set()
        self.messages.interrupt()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _audience(self, event: Event) -> list[Subscriber]:
        """The subscribers an event is for (called with the lock held)."""
        if isinstance(event, Reset):
            return list(self._subscribers)
        if isinstance(event, Seen):
            return list(self._by_user.get(event.user, ()))
        targets = event.targets
        if all(t.startswith("user:") for t in targets):
            found: list[Subscriber] = []
            for target in targets:
                found.extend(self._by_user.get(target[len("user:") :], ()))
            found.extend(s for s in self._readers if s.identity.receives(targets))
            return found
        return [s for s in self._subscribers if s.identity.receives(targets)]

    def deliver(self, events: list[Event]) -> None:
        """Hand events to every subscriber they are for; asyncio readers are woken with
        one call per event loop, however many streams it serves."""
        to_wake: dict[asyncio.AbstractEventLoop, list[Subscriber]] = {}
        with self._lock:
            audiences = [(event, self._audience(event)) for event in events]
        self._prepare(audiences)  # once for the whole batch, before any is handed over
        for event, audience in audiences:
            for subscriber in audience:
                if subscriber.offer(event) and subscriber._loop is not None:
                    to_wake.setdefault(subscriber._loop, []).append(subscriber)
        for loop, subscribers in to_wake.items():
            _wake_soon(loop, subscribers)

    def _prepare(self, audiences: list[tuple[Event, list[Subscriber]]]) -> None:
        """Give ``prepare`` the users the batch's notifications reach (read tokens'
        streams are no user)."""
        if self.prepare is None:
            return
        users = {
            s.identity.user
            for event, audience in audiences
            if isinstance(event, Message) and event.kind == "notify"
            for s in audience
            if not getattr(s.identity, "reader", False)
        }
        if not users:
            return
        try:
            self.prepare(users)
        except StoreUnavailableError as error:  # each stream reads its own, or waits
            log.warning("dash_notify live: preparing a delivery: %s", error)
        except Exception:
            log.exception("dash_notify live: preparing a delivery failed")

    def _run(self, cursor) -> None:
        delay = 0.1
        while not self._stopping.is_set():
            try:
                changes = self.messages.changes(cursor, timeout=1.0)
            except StoreUnavailableError as error:
                log.warning("dash_notify live: %s; retrying in %.1f s", error, delay)
                self._stopping.wait(delay)
                delay = min(delay * 2, 5.0)
                continue
            except Exception:  # a bug must not end live delivery for the whole process
                log.exception("dash_notify live: dispatch failed; retrying")
                self._stopping.wait(1.0)
                continue
            delay = 0.1
            cursor = changes.cursor
            if changes.reset is not None:
                log.warning("dash_notify live: the store's log started over; streams restart")
                self.deliver([Reset(changes.reset)])
            elif changes.messages or changes.seen:
                self.deliver([*changes.messages, *changes.seen])
