"""An event stream as an ASGI response (FastAPI and Starlette views return it): the
stream's coroutine, one task waiting for the client to leave, and nothing else per
stream, so that an ASGI worker holds thousands of them.

- Each write is bounded by ``write_timeout``: a client that stops reading (its socket
  buffers full) ends its stream instead of holding it for ever.
- The client leaving ends the stream at once (the task waiting on ``receive`` cancels
  it), not at the next write.
- ``HEAD`` answers the headers and opens no stream (the body never starts, so the
  stream subscribes to nothing).
- When uvicorn stops (SIGTERM, Ctrl+C, gunicorn's ``--max-requests``), the open streams
  end within half a second, their bodies properly ended, so the server need not wait
  its graceful timeout for them (browsers reconnect to the next server). uvicorn says
  so only through its ``Server`` (the SIGTERM handler is its bound method), which one
  task per event loop reads while streams are open.
- ``on_close`` runs once however the response ends (it frees the stream's place).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
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
        try:
            if scope.get("method") == "HEAD":
                await send(self._start())
                await send(_LAST)
                return
            await self._stream(receive, send)
        finally:
            try:
                await self.body_iterator.aclose()
            finally:
                if self.on_close is not None:
                    self.on_close()

    def _start(self) -> dict[str, Any]:
        return {"type": "http.response.start", "status": self.status_code,
                "headers": self.raw_headers}  # fmt: skip

    async def _stream(self, receive: Any, send: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = task.get_loop()
        outside = task.cancelling() if hasattr(task, "cancelling") else 0
        # "left", "slow" (a write timed out) or "stop" (the server stops): the stream's
        # normal ends, not errors
        why: str | None = None
        streaming = True

        def end(reason: str) -> None:
            nonlocal why
            if streaming and why is None:
                why = reason
                task.cancel()

        def stop() -> None:
            end("stop")

        async def write(message: dict[str, Any]) -> bool:
            """Send under the write timeout; False when the client has gone."""
            timer = loop.call_later(self.write_timeout, end, "slow")
            try:
                await send(message)
            except OSError:  # (ASGI 2.4 servers raise it on a write to a gone client)
                return False
            finally:
                timer.cancel()
            return True

        async def client_left() -> None:
            try:
                while (await receive())["type"] != "http.disconnect":
                    pass
            except Exception:  # a receive that fails has no client behind it either
                pass
            end("left")

        watcher = asyncio.ensure_future(client_left())
        stopping = _ServerStop.of_this_loop()
        stopping.add(stop)
        started = False
        try:
            started = await write(self._start())
            if started:
                async for chunk in self.body_iterator:
                    if not await write(_body(chunk)):
                        break
                else:
                    await write(_LAST)
        except asyncio.CancelledError:
            # ours is taken back; one from outside as well (the server's own) goes on
            if why is None or (hasattr(task, "uncancel") and task.uncancel() > outside):
                raise
        finally:
            streaming = False
            stopping.discard(stop)
            watcher.cancel()
        if why == "stop" and started:  # end the body: the server then closes the connection
            with contextlib.suppress(OSError, asyncio.TimeoutError):
                await asyncio.wait_for(send(_LAST), self.write_timeout)


def _body(chunk: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": chunk, "more_body": True}


_LAST = {"type": "http.response.body", "body": b"", "more_body": False}


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
            # in a context of its own: not holding on to the request that started it
            self._polling = contextvars.Context().run(asyncio.ensure_future, self._poll())

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
    """Whether the uvicorn server of this process is stopping: told to (SIGTERM,
    Ctrl+C: ``should_exit``), or no longer serving (gunicorn's ``--max-requests``
    reached). It is found as the SIGTERM handler's owner (uvicorn >= 0.29 installs its
    ``handle_exit`` so, in the main thread; under gunicorn's uvicorn worker too)."""
    handler = signal.getsignal(signal.SIGTERM)
    server = getattr(handler, "__self__", None)
    if server is None or not hasattr(server, "should_exit"):
        return False
    if server.should_exit:
        return True
    listening = getattr(server, "servers", None)
    return bool(
        getattr(server, "started", False)
        and listening
        and not any(each.is_serving() for each in listening)
    )
