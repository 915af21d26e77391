"""An event stream as an ASGI response (FastAPI and Starlette views return it): the
stream's coroutine, one task waiting for the client to leave, and nothing else per
stream, so that an ASGI worker holds thousands of them.

- Each write is bounded by ``write_timeout``: a client that stops reading (its socket
  buffers full) ends its stream instead of holding it for ever.
- The client leaving ends the stream at once (the task waiting on ``receive`` cancels
  it), not at the next write.
- ``HEAD`` answers the headers and opens no stream (the body never starts, so the
  stream subscribes to nothing).
- When uvicorn is told to stop (SIGTERM, Ctrl+C), the open streams end within half a
  second, so the server need not wait its graceful timeout for them (browsers reconnect
  to the next server). uvicorn says so only through the ``should_exit`` flag of its
  ``Server`` (the SIGTERM handler is its bound method), which one task per event loop
  reads while streams are open.
- ``on_close`` runs once however the response ends (it frees the stream's place).
"""

from __future__ import annotations

import asyncio
import signal
import weakref
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, ClassVar

from starlette.responses import StreamingResponse

#: How often a loop's open streams look whether uvicorn is stopping (seconds).
SHUTDOWN_POLL = 0.5


class EventStreamResponse(StreamingResponse):
    """Streams ``content`` (bytes chunks) until it ends, the client leaves, a write
    takes longer than ``write_timeout`` seconds or the server stops."""

    def __init__(
        self,
        content: AsyncIterator[bytes],
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str = "text/event-stream",
        write_timeout: float = 10.0,
        on_close: Callable[[], None] | None = None,
    ):
        super().__init__(content, status_code=status_code, headers=headers, media_type=media_type)
        self.write_timeout = write_timeout
        self.on_close = on_close

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = {"type": "http.response.start", "status": self.status_code,
                 "headers": self.raw_headers}  # fmt: skip
        try:
            if scope.get("method") == "HEAD":
                await send(start)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await self._stream(start, receive, send)
        finally:
            await self.body_iterator.aclose()
            if self.on_close is not None:
                self.on_close()

    async def _stream(self, start: dict[str, Any], receive: Any, send: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = task.get_loop()
        # ended by the client leaving, a write timing out or the server stopping: the
        # stream's normal ends, not errors
        ended = False
        streaming = True

        def end() -> None:
            nonlocal ended
            if streaming and not ended:
                ended = True
                task.cancel()

        async def client_left() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            end()

        watcher = asyncio.ensure_future(client_left())
        stopping = _ServerStop.of_this_loop()
        stopping.add(end)
        try:
            await send(start)
            async for chunk in self.body_iterator:
                timer = loop.call_later(self.write_timeout, end)
                try:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                finally:
                    timer.cancel()
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except asyncio.CancelledError:
            if not ended:
                raise
            if hasattr(task, "uncancel"):
                task.uncancel()
        except OSError:
            pass  # the client went (ASGI 2.4 servers raise it on a write)
        finally:
            streaming = False
            stopping.discard(end)
            watcher.cancel()


class _ServerStop:
    """One event loop's open streams: ended together when the uvicorn server running
    the loop is told to stop. Polls only while streams are open."""

    _loops: ClassVar[weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _ServerStop]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self) -> None:
        self._ends: set[Callable[[], None]] = set()
        self._polling: asyncio.Task | None = None

    @classmethod
    def of_this_loop(cls) -> _ServerStop:
        """The running loop's (made on first use)."""
        loop = asyncio.get_running_loop()
        found = cls._loops.get(loop)
        if found is None:
            found = cls._loops[loop] = cls()
        return found

    def add(self, end: Callable[[], None]) -> None:
        """Call ``end`` when the server stops (until discarded)."""
        self._ends.add(end)
        if self._polling is None:
            self._polling = asyncio.ensure_future(self._poll())

    def discard(self, end: Callable[[], None]) -> None:
        """No longer call ``end``."""
        self._ends.discard(end)

    async def _poll(self) -> None:
        try:
            while self._ends:
                await asyncio.sleep(SHUTDOWN_POLL)
                if _uvicorn_stopping():
                    for end in list(self._ends):
                        end()
        finally:
            self._polling = None


def _uvicorn_stopping() -> bool:
    """Whether a uvicorn server in this process has been told to stop (its SIGTERM
    handler is the server's ``handle_exit``; under gunicorn's uvicorn worker too)."""
    handler = signal.getsignal(signal.SIGTERM)
    server = getattr(handler, "__self__", None)
    return bool(getattr(server, "should_exit", False))
