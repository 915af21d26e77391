"""The event stream, written once: :func:`script` is a generator that says what to do
(send bytes, make a blocking call, wait for the next live event) and two drivers run
it, :func:`run_sync` as a WSGI body (a thread per stream, polling its socket) and
:func:`run_async` as an ASGI body (a coroutine per stream, blocking calls in a thread).

Order of a stream: subscribe (inside the body, so a request whose body never runs,
such as HEAD, leaves nothing behind), read the store's position, ``hello``, replay
what the browser missed, then live events, keepalives and identity re-checks until
the client goes, the subscriber overflows, the store's epoch changes (``Reset``) or
the user is no longer the same. Notifications the user's preferences hold back
from in-app delivery (a category switched off, silent) are not sent; the history
(the notification center's list) still has them.

The same script serves outside systems (:mod:`.subscribe`): an :class:`Encoder`
says how each step is written (the browser's SSE events, JSON lines, ntfy's
formats) and ``StreamStart.page`` how the missed messages are read (a read token's
reach rather than a user's targets); ``poll`` ends the stream after the replay.
A read token has no preferences: nothing is held back from it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, Union

from ..model import Message, Reset, Seen, StoreUnavailableError
from . import sse

log = logging.getLogger("dash_notify.hub")

REPLAY_BATCH = 500
#: A write gathers what the stream has at hand until it holds this many bytes (it may
#: pass it by one message); the rest goes in the next.
WRITE_BATCH = 64 * 1024


@dataclass(frozen=True)
class Send:
    """Write these bytes to the client."""

    data: bytes


@dataclass(frozen=True)
class Call:
    """Run a blocking function (store, app code); the script receives its result."""

    fn: Callable[..., Any]
    args: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Next:
    """Wait up to ``timeout`` seconds for the subscriber's next event (None: none)."""

    subscriber: Any
    timeout: float


Command = Union[Send, Call, Next]
Script = Generator[Command, Any, None]


#: A page of the replay: (messages to send, the last id read, whether more may follow).
Page = tuple[list[Message], int, bool]


class Encoder(Protocol):
    """How a stream writes each of its steps (b"": nothing to write)."""

    preamble: bytes

    def hello(self, hello: dict[str, Any], event_id: int | None) -> bytes:
        """The first event: the store's position (``last``, ``epoch``, ``from``)."""

    def message(self, message: Message) -> bytes:
        """A stored message (a notification, or a close by tag)."""

    def seen(self, event: Seen) -> bytes:
        """Notifications the user saw elsewhere."""

    def keepalive(self) -> bytes:
        """Written when nothing else was for ``keepalive`` seconds."""


class BrowserEvents:
    """The browser's event stream: the SSE events of :mod:`.sse`."""

    preamble = sse.RETRY

    def hello(self, hello: dict[str, Any], event_id: int | None) -> bytes:
        return sse.frame("hello", hello, event_id)

    def message(self, message: Message) -> bytes:
        framed = message.wire.get("sse")
        if framed is None:  # the same bytes for every stream: made once (Message.wire)
            framed = sse.close(message) if message.kind == "close" else sse.notification(message)
            message.wire["sse"] = framed
        return framed

    def seen(self, event: Seen) -> bytes:
        return sse.seen(event)

    def keepalive(self) -> bytes:
        return sse.KEEPALIVE


BROWSER = BrowserEvents()


@dataclass
class StreamStart:
    """Where a stream starts: the browser's last event id and epoch (None: fresh). With
    ``from_page``, they are the page's (the browser has no position of its own yet:
    the hello gives it one). ``page``: reads the replay after an id (default: the
    identity's messages, :func:`user_page`); ``poll``: end after the replay."""

    identity: Any
    user_key: str
    last: int | None = None
    epoch: str | None = None
    from_page: bool = False
    page: Callable[[int], Page] | None = None
    poll: bool = False


def user_page(hub: Any, identity: Any, after: int) -> Page:
    """A page of a user's messages after id ``after``."""
    batch = hub.replay(identity, after, REPLAY_BATCH)
    return batch, (batch[-1].id if batch else after), len(batch) == REPLAY_BATCH


def script(
    hub: Any,
    start: StreamStart,
    *,
    keepalive: float,
    recheck_every: float,
    recheck: Callable[[], str | None] | None,
    lifetime: float | None = None,
    on_end: Callable[[], None] = lambda: None,
    encoder: Encoder = BROWSER,
) -> Script:
    """The stream's steps (see the module docstring). ``recheck`` answers the user id of
    the request now (None: unchanged or unknown); after ``lifetime`` seconds the stream
    ends (the browser reconnects and resumes); ``on_end`` runs however it ends;
    ``encoder`` writes each step."""
    subscriber = None
    page = start.page or (lambda after: user_page(hub, start.identity, after))

    def send(data: bytes) -> Script:
        if data:
            yield Send(data)

    try:
        subscriber = None if start.poll else hub.live.subscribe(start.identity)
        position = yield Call(hub.position)
        yield from send(encoder.preamble)
        hello = {"user": start.user_key, "last": position.last, "epoch": position.epoch}
        if start.last is None:
            delivered, replay = position.last, False
            hello_id: int | None = position.last
        elif start.epoch not in (None, position.epoch):
            # The store was replaced (Redis without persistence restarted, another
            # file): everything in it is new to this browser.
            delivered, replay, hello_id = 0, True, 0
        elif start.last > position.last:
            # Ids went back (a restored file): start over from now.
            delivered, replay, hello_id = position.last, False, position.last
        else:
            delivered, replay = start.last, True
            hello_id = start.last if start.from_page else None
        # "from": the id this stream continues after (the browser's cursor from now on)
        hello["from"] = delivered
        yield from send(encoder.hello(hello, hello_id))
        while replay:
            batch, delivered, replay = yield Call(page, (delivered,))
            for message in batch:
                if not (yield from _held_back(hub, start.identity, message)):
                    yield from send(encoder.message(message))
        if start.poll:
            return
        delivered = max(delivered, position.last)

        now = time.monotonic()
        keepalive_at, recheck_at = now + keepalive, now + recheck_every
        end_at = now + lifetime if lifetime is not None else float("inf")
        while True:
            now = time.monotonic()
            if now >= end_at:
                return
            if recheck is not None and now >= recheck_at:
                user = yield Call(recheck)
                if user is not None and user != start.identity.user:
                    return  # logged out or another user: the browser reconnects as who it is
                recheck_at = now + recheck_every
            if now >= keepalive_at:
                yield from send(encoder.keepalive())
                keepalive_at = now + keepalive
            wait = min(keepalive_at, recheck_at if recheck else keepalive_at, end_at) - now
            event = yield Next(subscriber, max(0.0, wait))
            if event is None:
                if subscriber.closed:
                    return  # a slow client (or hub shutdown): it resumes from the store
                continue
            if isinstance(event, Reset):
                return  # the store's log started over: the browser reconnects, starts over
            if isinstance(event, Seen):
                yield from send(encoder.seen(event))
            elif event.id > delivered:
                delivered = event.id
                if not (yield from _held_back(hub, start.identity, event)):
                    yield from send(encoder.message(event))
    finally:
        if subscriber is not None:
            hub.live.unsubscribe(subscriber)
        on_end()


def _held_back(hub: Any, identity: Any, message: Message) -> Generator[Command, Any, bool]:
    """Whether the user's preferences hold a notification back from in-app delivery
    (their preferences are read from the store only when this process has none
    recent); what is held back is noted in the delivery log. A read token (a
    :class:`~dash_notify.hub.reach.Reader`) is no user: nothing is held back."""
    if message.kind != "notify" or getattr(identity, "reader", False):
        return False
    service = hub.preference_service
    effective = service.cached(identity.user)
    if effective is None:
        effective = yield Call(service.effective, (identity.user,))
    reason = service.config.held_back(effective, "inapp", message.options)
    if reason is None:
        return False
    yield Call(service.note_held_back, (identity.user, "inapp", message, reason))
    return True


def run_sync(
    steps: Script, client_gone: Callable[[], bool] | None = None, poll: float = 1.0
) -> Iterator[bytes]:
    """Run a script as a WSGI body. While waiting for events it looks every ``poll``
    seconds whether the client has gone (``client_gone``), so a closed stream frees
    its thread in about ``poll`` seconds rather than at the next keepalive. What the
    script sends before it would wait goes out in one write (:func:`_gather`)."""
    reply: Any = None
    try:
        while True:
            data, command, reply = _gather(steps, reply)
            asked = time.monotonic()
            if data:
                yield data
            if isinstance(command, Call):
                reply = command.fn(*command.args)
            elif isinstance(command, Next):
                reply = _wait(command.subscriber, _left(command, asked), client_gone, poll)
                if reply is _GONE:
                    return
            elif command is _END:
                return
    except StoreUnavailableError as error:
        log.warning("dash_notify hub: event stream ended: %s", error)
    finally:
        steps.close()


#: What :func:`_gather` answers when the script has ended.
_END = object()


def _gather(steps: Script, reply: Any) -> tuple[bytes, Any, Any]:
    """Run the script up to its next blocking step (a call, or a wait with no event
    queued), gathering what it sends: a stream behind (its queue holding several
    events) writes them at once instead of one write each. Returns the bytes to write,
    that step (None when ``WRITE_BATCH`` bytes are gathered: write them, then go on;
    ``_END`` when the script has ended) and the reply to send the script on."""
    pending: list[bytes] = []
    size = 0
    while True:
        try:
            command = steps.send(reply)
        except StopIteration:
            return b"".join(pending), _END, None
        reply = None
        if isinstance(command, Send):
            pending.append(command.data)
            size += len(command.data)
            if size >= WRITE_BATCH:
                return b"".join(pending), None, None
        elif isinstance(command, Next) and (queued := command.subscriber.poll()) is not None:
            reply = queued
        else:
            return b"".join(pending), command, reply


def _left(command: Next, asked: float) -> float:
    """The seconds left of the wait the script asked for at ``asked`` (the gathered
    write went first), so that keepalives and re-checks keep their times."""
    return max(0.0, command.timeout - (time.monotonic() - asked))


_GONE = object()


def _wait(
    subscriber: Any, timeout: float, client_gone: Callable[[], bool] | None, poll: float
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        step = remaining if client_gone is None else min(poll, remaining)
        event = subscriber.get(max(0.0, step))
        if event is not None or remaining <= step:
            return event
        if subscriber.closed:
            return None
        if client_gone is not None and client_gone():
            return _GONE


async def run_async(steps: Script) -> AsyncIterator[bytes]:
    """Run a script as an ASGI body: a coroutine per stream, blocking calls in a worker
    thread (with the request's context), live events awaited. The server ends it when
    the client goes (the task is cancelled). What the script sends before it would wait
    goes out in one write (:func:`_gather`)."""
    reply: Any = None
    try:
        while True:
            data, command, reply = _gather(steps, reply)
            asked = time.monotonic()
            if data:
                yield data
            if isinstance(command, Call):
                reply = await asyncio.to_thread(command.fn, *command.args)
            elif isinstance(command, Next):
                reply = await command.subscriber.aget(_left(command, asked))
            elif command is _END:
                return
    except StoreUnavailableError as error:
        log.warning("dash_notify hub: event stream ended: %s", error)
    finally:
        steps.close()
