"""The Quart adapter (``Dash(backend="quart")``, Dash >= 4.2): native async views added
through ``app.backend.add_url_rule`` (an ``async def`` through ``hooks.route`` fails),
each stream a coroutine; a write that makes no progress for ``write_timeout`` seconds
cancels it, and Quart cancels it when the client disconnects."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import quart

from . import handlers
from .context import context_of
from .messages import WebRequest, WebResponse, werkzeug_request
from .stream import run_async

STATE = "_dash_notify_state"


def _state() -> dict[str, Any]:
    state = getattr(quart.g, STATE, None)
    if state is None:
        state = {}
        setattr(quart.g, STATE, state)
    return state


def _web_request(body: bytes = b"") -> WebRequest:
    request = quart.request
    return werkzeug_request(request, body, _state())


def current_request() -> WebRequest | None:
    """The request being handled (None: outside a Quart request)."""
    return _web_request() if quart.has_request_context() else None


async def _body(limit: int) -> bytes:
    request = quart.request
    length = request.content_length
    if length is not None and length > limit:
        return b""
    data = bytearray()
    async for chunk in request.body:
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)


async def _timed_writes(chunks: AsyncIterator[bytes], timeout: float) -> AsyncIterator[bytes]:
    """Cancel the serving task when a chunk's write takes longer than ``timeout``."""
    task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    try:
        async for chunk in chunks:
            alarm = loop.call_later(timeout, task.cancel) if task else None
            try:
                yield chunk
            finally:
                if alarm is not None:
                    alarm.cancel()
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]


def _native(ctx: Any, response: WebResponse) -> quart.Response:
    if response.stream is None:
        native = quart.Response(response.body, status=response.status)
    else:
        timeout = ctx.settings.write_timeout

        @quart.stream_with_context
        async def body() -> AsyncIterator[bytes]:
            # in the request's context, for an app's user function re-checked mid-stream
            async for chunk in _timed_writes(run_async(response.stream), timeout):
                yield chunk

        native = quart.Response(body(), status=response.status)
        native.timeout = None  # a stream has no overall time limit
    native.headers.update(response.headers)
    # (a stream's place is freed when its body ends: Quart always runs a GET's body)
    return native


def view(app: Any, handler: Callable[..., WebResponse], *extra: Any, reads_body: bool = False):
    """An async Quart view running ``handler`` for ``app``'s hub (404 when none). The
    handler runs in a worker thread (with the request's context)."""

    async def run(**_params: Any) -> quart.Response:
        ctx = context_of(app)
        if ctx is None:
            return _native(None, handlers.no_hub(_web_request()))
        if ctx.slots.per_worker is None:
            ctx.slots.per_worker = ctx.settings.streams_default_async
        body = await _body(ctx.settings.max_body) if reads_body else b""
        web = _web_request(body)
        answer = await asyncio.to_thread(handler, ctx, web, *extra)
        return _native(ctx, answer)

    return run


def add_route(app: Any, rule: str, name: str, run: Callable[..., Any], methods: list[str]) -> None:
    """Mount a native async view through Dash's backend."""
    run.provide_automatic_options = False  # type: ignore[attr-defined]  # OPTIONS is ours
    app.backend.add_url_rule(rule, run, endpoint=name, methods=methods)


def install_cookie(app: Any) -> None:
    """Give a browser its anonymous id on its first response (the page itself)."""

    @app.server.after_request
    async def give_cookie(response: quart.Response) -> quart.Response:
        ctx = context_of(app)
        kind = response.content_type or ""
        if ctx is None or not handlers.may_give_cookies(_state(), kind):
            return response
        web = _web_request()
        for value in await asyncio.to_thread(handlers.page_cookies, ctx, web, kind):
            response.headers.add("Set-Cookie", value)
        return response
