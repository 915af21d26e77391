"""Websockets on the Quart backend: a native websocket route per subscribe path;
a refusal is the HTTP answer to the handshake (Quart sends a response returned before
``accept``); Quart cancels the view when the client goes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import quart

from .context import context_of
from .messages import WebResponse, werkzeug_request
from .websocket import run_accepted

AVAILABLE = True


def add_websocket(
    app: Any, rule: str, name: str, handler: Callable[..., WebResponse], *extra: Any
) -> None:
    """Take websockets at ``rule`` for ``handler`` (a subscribe view) on ``app``."""

    async def run(**_params: Any) -> Any:
        ctx = context_of(app)
        if ctx is None:
            return quart.Response(b'{"error": "no hub"}', status=404)
        if ctx.slots.per_worker is None:
            ctx.slots.per_worker = ctx.settings.streams_default_async
        socket = quart.websocket
        request = werkzeug_request(socket, b"", {})
        answer = await asyncio.to_thread(handler, ctx, request, *extra)
        if answer.stream is None:
            return quart.Response(answer.body, status=answer.status, headers=answer.headers)

        async def receive() -> bool:
            await socket.receive()
            return True

        timeout = ctx.settings.write_timeout
        await run_accepted(answer, socket.accept, socket.send, receive, timeout)
        return None

    app.server.add_websocket(rule, endpoint=name, view_func=run)
