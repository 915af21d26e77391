"""The FastAPI event stream's response (hub/web/asgi_stream.py) driven through ASGI
directly, for the ends a real server rarely shows on cue: an error from the stream's own
body, a cancellation from outside at the moment the client leaves, a final write that
never completes, and ``on_close`` when closing the body fails. (The suite's HTTP tests
run it under uvicorn: clients leaving, the write timeout, HEAD, the server stopping.)"""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("starlette")

from dash_notify.hub.web.asgi_stream import EventStreamResponse

SCOPE = {"type": "http", "method": "GET"}


class Client:
    """The server's side of one connection: what was sent, and a disconnect on cue."""

    def __init__(self, block_after: int | None = None):
        self.sent: list[dict] = []
        self.gone = asyncio.Event()
        self.block_after = block_after  # sends after this many never complete

    async def send(self, message: dict) -> None:
        if self.block_after is not None and len(self.sent) >= self.block_after:
            await asyncio.Event().wait()  # a client that stopped reading
        self.sent.append(message)

    async def receive(self) -> dict:
        await self.gone.wait()
        return {"type": "http.disconnect"}


def test_an_os_error_from_the_stream_body_is_raised_not_taken_for_a_gone_client():
    """The body's blocking calls (the app's user function) may raise OSError
    (``requests.ConnectionError``): it is an error to see, not a client that left."""
    closed = []

    async def body():
        yield b"data: one\n\n"
        raise ConnectionError("the app's session service is down")

    async def run():
        client = Client()
        response = EventStreamResponse(body(), on_close=lambda: closed.append(1))
        await response(SCOPE, client.receive, client.send)

    with pytest.raises(ConnectionError):
        asyncio.run(run())
    assert closed == [1]


def test_a_cancellation_from_outside_is_not_swallowed_with_the_clients_leaving():
    """The client leaves and, before the stream runs again, the server cancels it too
    (its graceful timeout): the stream takes back its own cancellation only."""

    async def body():
        yield b"data: one\n\n"
        await asyncio.Event().wait()

    async def run() -> str:
        client = Client()
        task = asyncio.ensure_future(
            EventStreamResponse(body())(SCOPE, client.receive, client.send)
        )
        while len(client.sent) < 2:
            await asyncio.sleep(0.01)
        client.gone.set()
        await asyncio.sleep(0)  # the watcher sees the disconnect and cancels the stream
        task.cancel()  # and so does the server, before the stream has run
        try:
            await task
        except asyncio.CancelledError:
            return "cancelled"
        return "returned"

    if not hasattr(asyncio.Task, "uncancel"):
        pytest.skip("Python < 3.11 cannot tell two cancellations apart")
    assert asyncio.run(run()) == "cancelled"


def test_the_clients_leaving_ends_the_stream_quietly():
    closed = []

    async def body():
        yield b"data: one\n\n"
        await asyncio.Event().wait()

    async def run() -> list[dict]:
        client = Client()
        response = EventStreamResponse(body(), on_close=lambda: closed.append(1))
        task = asyncio.ensure_future(response(SCOPE, client.receive, client.send))
        while len(client.sent) < 2:
            await asyncio.sleep(0.01)
        client.gone.set()
        await asyncio.wait_for(task, 5)
        return client.sent

    sent = asyncio.run(run())
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert closed == [1]


def test_every_write_is_bounded_by_the_write_timeout_the_last_one_too():
    """A stream whose body ends while its client has stopped reading: the final write
    (the end of the chunked body) is bounded like the others, so the stream's place is
    given back instead of being held for as long as the client stays connected."""
    closed = []

    async def body():
        yield b"data: one\n\n"

    async def run() -> None:
        client = Client(block_after=2)  # the start and one event, then nothing is read
        response = EventStreamResponse(body(), write_timeout=0.2, on_close=lambda: closed.append(1))
        await asyncio.wait_for(response(SCOPE, client.receive, client.send), 5)

    asyncio.run(run())
    assert closed == [1]


def test_on_close_runs_when_closing_the_body_fails():
    """The stream ends while its body waits at a ``yield`` (a write timed out), and
    closing the body raises (the script's clean-up failed): ``on_close`` still gives the
    stream's place back."""
    closed = []

    async def body():
        try:
            yield b"data: one\n\n"
            yield b"data: two\n\n"
        finally:
            raise RuntimeError("unsubscribe failed")

    async def run() -> None:
        client = Client(block_after=2)  # the start and one event, then nothing is read
        response = EventStreamResponse(body(), write_timeout=0.2, on_close=lambda: closed.append(1))
        await asyncio.wait_for(response(SCOPE, client.receive, client.send), 5)

    with pytest.raises(RuntimeError, match="unsubscribe failed"):
        asyncio.run(run())
    assert closed == [1]
