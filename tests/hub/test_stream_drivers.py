"""The two drivers of the event stream's script (hub/web/stream.py): what the script
sends before it would block goes out in one write (a stream behind, its queue holding
several events, writes them at once), at most ``WRITE_BATCH`` bytes a write, and nothing
is held back when the script waits or ends."""

from __future__ import annotations

import asyncio
import time
from collections import deque

import pytest

from dash_notify.hub.web.stream import WRITE_BATCH, Next, Send, run_async, run_sync


class Queue:
    """A subscriber with events already queued (the live fan-out's Subscriber API)."""

    closed = False

    def __init__(self, *events):
        self.events = deque(events)

    def poll(self):
        return self.events.popleft() if self.events else None

    def get(self, timeout):
        return self.poll()

    async def aget(self, timeout):
        return self.poll()


def script(queue: Queue, waits: list[str]):
    """Sends a hello, then each event it is given, until a wait gives none."""
    yield Send(b"hello;")
    while True:
        event = yield Next(queue, 1.0)
        if event is None:
            waits.append("waited")
            return
        yield Send(event)


def run(driver: str, steps, on_chunk=lambda chunk: None) -> list[bytes]:
    """The chunks a driver writes; ``on_chunk`` runs as each is written (the server's
    write, blocking in both cases)."""
    chunks: list[bytes] = []
    if driver == "sync":
        for chunk in run_sync(steps):
            chunks.append(chunk)
            on_chunk(chunk)
        return chunks

    async def read() -> None:
        async for chunk in run_async(steps):
            chunks.append(chunk)
            on_chunk(chunk)

    asyncio.run(read())
    return chunks


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_queued_events_go_out_in_one_write(driver):
    waits: list[str] = []
    chunks = run(driver, script(Queue(b"one;", b"two;", b"three;"), waits))
    # the hello and the three queued events in one write; then a real wait ended it
    assert chunks == [b"hello;one;two;three;"]
    assert waits == ["waited"]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_a_write_gathers_at_most_write_batch_bytes(driver):
    big = b"x" * (WRITE_BATCH // 2)
    chunks = run(driver, script(Queue(big, big, big), []))
    assert b"".join(chunks) == b"hello;" + big * 3
    assert [len(chunk) for chunk in chunks] == [6 + 2 * len(big), len(big)]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_what_is_gathered_is_written_before_the_script_waits(driver):
    """A wait with nothing queued: what was gathered goes out first (a browser must not
    wait for the next event, or the next keepalive, to see this one)."""
    order: list[str] = []

    class Watched(Queue):
        def get(self, timeout):
            order.append("wait")
            return None

        async def aget(self, timeout):
            order.append("wait")
            return None

    def steps():
        yield Send(b"hello;")
        yield Next(Watched(), 1.0)

    run(driver, steps(), lambda chunk: order.append(chunk.decode()))
    assert order == ["hello;", "wait"]


@pytest.mark.parametrize("driver", ["sync", "async"])
def test_the_time_a_write_takes_comes_off_the_wait_that_follows(driver):
    """The script asks for its wait (up to the next keepalive) before what it gathered
    is written: a write that takes 0.3 s leaves 0.7 s of a 1 s wait, so keepalives and
    identity re-checks keep their times behind a slow client."""
    asked: list[float] = []

    class Timed(Queue):
        def get(self, timeout):
            asked.append(timeout)
            return None

        async def aget(self, timeout):
            asked.append(timeout)
            return None

    def steps():
        yield Send(b"hello;")
        yield Next(Timed(), 1.0)

    run(driver, steps(), lambda chunk: time.sleep(0.3))  # the write to a slow client
    [timeout] = asked
    assert timeout <= 0.71, timeout  # (1.0 when the write was not taken off)
