"""Websockets on the FastAPI backend: a native websocket route per subscribe path
(Starlette's), refusals sent as an HTTP answer to the handshake where the server
allows it (uvicorn does), else as a last message and a 4000 + status close code."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response
from starlette.websockets import WebSocket

from .context import context_of
from .fastapi import _web_request
from .messages import WebResponse
from .websocket import refusal_text, run_accepted

AVAILABLE = True


async def _refuse(websocket: WebSocket, answer: WebResponse) -> None:
    try:
        response = Response(answer.body, answer.status, headers=answer.headers)
        await websocket.send_denial_response(response)
    except RuntimeError:
        text, code = refusal_text(answer)
        await websocket.accept()
        await websocket.send_text(text)
        await websocket.close(code)


def add_websocket(
    app: Any, rule: str, name: str, handler: Callable[..., WebResponse], *extra: Any
) -> None:
    """Take websockets at ``rule`` for ``handler`` (a subscribe view) on ``app``."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)

    async def run(websocket: WebSocket) -> None:
        ctx = context_of(app)
        if ctx is None:
            await websocket.close(1011)
            return
        if ctx.slots.per_worker is None:
            ctx.slots.per_worker = ctx.settings.streams_default_async
        answer = await asyncio.to_thread(handler, ctx, _web_request(websocket), *extra)
        if answer.stream is None:
            await _refuse(websocket, answer)
            return

        async def receive() -> bool:
            return (await websocket.receive())["type"] != "websocket.disconnect"

        try:
            timeout = ctx.settings.write_timeout
            await run_accepted(answer, websocket.accept, websocket.send_text, receive, timeout)
        finally:
            with contextlib.suppress(Exception):
                await websocket.close(1000)

    app.server.add_api_websocket_route(path, run, name=name)
