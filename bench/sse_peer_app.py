"""The peer of bench_stream_memory.py: the least an event stream can be on the stack the
README recommends for FastAPI (uvicorn, FastAPI, sse-starlette), with nothing else.

One route, ``GET /events``, answered by sse-starlette's ``EventSourceResponse`` with the
hub's own stream options (no library pings, a 10 s write timeout): one event, then the
stream stays open until the client leaves. No Dash, no hub, no store, no middleware.

Served by: ``uvicorn --factory bench.sse_peer_app:create``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sse_starlette import EventSourceResponse

PATH = "/events"


def create() -> FastAPI:
    """The FastAPI app (see the module docstring)."""
    app = FastAPI()
    never = asyncio.Event()  # set by nobody: each stream waits until its client leaves

    async def stream() -> AsyncIterator[dict[str, str]]:
        yield {"data": "open"}
        await never.wait()

    @app.get(PATH)
    async def events() -> EventSourceResponse:
        return EventSourceResponse(stream(), ping=0, send_timeout=10.0)

    return app
