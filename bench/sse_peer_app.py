"""The peers of bench_stream_memory.py: an event stream on the stack the README
recommends for FastAPI (gunicorn, uvicorn workers, FastAPI), with nothing else: no Dash,
no hub, no store, no middleware.

One route, ``GET /events``: one event, then the stream stays open until the client
leaves. Answered by
- ``create_lean()``: the hub's own ASGI response (``EventStreamResponse`` of
  dash_notify/hub/web/asgi_stream.py, the hub's 10 s write timeout): the least the hub's
  stream can be on this stack;
- ``create()``: sse-starlette's ``EventSourceResponse`` with the hub's former stream
  options (no library pings, a 10 s write timeout): what the hub used before, and what
  most FastAPI apps use.

Served by: ``gunicorn -k uvicorn_worker.UvicornWorker "bench.sse_peer_app:create()"``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import FastAPI

PATH = "/events"


def _app(respond) -> FastAPI:
    app = FastAPI()
    never = asyncio.Event()  # set by nobody: each stream waits until its client leaves

    async def stream() -> AsyncIterator[bytes]:
        yield b"data: open\n\n"
        await never.wait()

    @app.get(PATH)
    async def events():
        return respond(stream())

    return app


def create() -> FastAPI:
    """sse-starlette's response (see the module docstring)."""
    from sse_starlette import EventSourceResponse

    return _app(lambda body: EventSourceResponse(body, ping=0, send_timeout=10.0))


def create_lean() -> FastAPI:
    """The hub's own response (see the module docstring)."""
    from dash_notify.hub.web.asgi_stream import EventStreamResponse

    return _app(lambda body: EventStreamResponse(body, write_timeout=10.0))
