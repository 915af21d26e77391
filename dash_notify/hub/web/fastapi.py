"""The FastAPI adapter (``Dash(backend="fastapi")``, Dash >= 4.2): native async views
with the Starlette ``Request`` injected (Dash's middleware sets its request context only
under ``<prefix>_dash-``), each stream a coroutine answered by
:class:`~.asgi_stream.EventStreamResponse` (a write timeout, ended when the client
disconnects or the server stops)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from . import handlers
from .asgi_stream import EventStreamResponse
from .context import context_of
from .messages import Headers, WebRequest, WebResponse
from .stream import run_async


def _state(scope: dict[str, Any]) -> dict[str, Any]:
    state = scope.setdefault("state", {})
    return state if isinstance(state, dict) else {}


def _web_request(request: Request | WebSocket, body: bytes = b"") -> WebRequest:
    return WebRequest(
        method=getattr(request, "method", "GET"),  # (a websocket's handshake is a GET)
        path=request.url.path,
        query=request.query_params,
        headers=Headers(list(request.headers.items())),
        cookies=request.cookies,
        remote_addr=request.client.host if request.client else "",
        scheme=request.url.scheme,
        body=body,
        path_params={k: str(v) for k, v in request.path_params.items()},
        native=request,
        state=_state(request.scope),
    )


KEPT_BODY = "dash_notify_body"


async def _body(request: Request, limit: int) -> bytes:
    kept = _state(request.scope).get(KEPT_BODY)
    if kept is not None:
        return kept
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return b""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)


def current_request() -> WebRequest | None:
    """The request of the running Dash callback (Dash's own request context)."""
    try:
        from dash.backends._fastapi import get_current_request
    except ImportError:
        return None
    try:
        return _web_request(get_current_request())
    except (RuntimeError, LookupError):
        return None


def _enter_dash_context(request: Request) -> None:
    # So that an app's no-argument user function that reads Dash's request adapter
    # works in the hub's views too (Dash sets it only for its own paths).
    try:
        from dash.backends._fastapi import set_current_request
    except ImportError:
        return
    set_current_request(request)


def _native(ctx: Any, response: WebResponse) -> Response:
    if response.stream is None:
        native = Response(response.body, status_code=response.status)
        native.headers.update(response.headers)
        return native
    return EventStreamResponse(
        run_async(response.stream),
        status_code=response.status,
        headers={k: v for k, v in response.headers.items() if k != "Content-Type"},
        # (a JSON-lines subscribe stream keeps its own type)
        media_type=response.headers.get("Content-Type", "text/event-stream"),
        write_timeout=ctx.settings.write_timeout,
        on_close=response.on_close,
    )


def view(app: Any, handler: Callable[..., WebResponse], *extra: Any, reads_body: bool = False):
    """An async FastAPI view running ``handler`` for ``app``'s hub (404 when none). The
    handler runs in a worker thread: it calls the store and the app's functions."""

    async def run(request: Request) -> Response:
        ctx = context_of(app)
        if ctx is None:
            return _native(None, handlers.no_hub(_web_request(request)))
        if ctx.slots.per_worker is None:
            ctx.slots.per_worker = ctx.settings.streams_default_async
        _enter_dash_context(request)
        body = await _body(request, ctx.settings.max_body) if reads_body else b""
        web = _web_request(request, body)
        answer = await asyncio.to_thread(handler, ctx, web, *extra)
        return _native(ctx, answer)

    return run


def add_route(app: Any, rule: str, name: str, run: Callable[..., Any], methods: list[str]) -> None:
    """Mount a view through Dash's backend (FastAPI's ``add_api_route``)."""
    import re

    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
    app.backend.add_url_rule(path, run, endpoint=name, methods=methods)


class CookieMiddleware:
    """Gives a browser its anonymous id on its first response (the page itself), and
    the id minted for any request on that request's response (ASGI middleware)."""

    def __init__(self, asgi: Any, dash_app: Any):
        self.asgi = asgi
        self.dash_app = dash_app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        ctx = context_of(self.dash_app)
        if scope["type"] != "http" or ctx is None:
            await self.asgi(scope, receive, send)
            return
        _state(scope)

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                kind = headers.get("content-type", "")
                if handlers.may_give_cookies(_state(scope), kind):
                    web = _web_request(Request(scope))
                    for value in await asyncio.to_thread(handlers.page_cookies, ctx, web, kind):
                        headers.append("set-cookie", value)
            await send(message)

        await self.asgi(scope, receive, sending)


class KeepRootBody:
    """Reads the body of a POST or PUT to the app's root path before Dash's middleware
    (which parses JSON bodies at that path and so consumes them), keeps it for the
    hub's view and hands it on. Only there: ntfy's JSON form posts to the root."""

    def __init__(self, asgi: Any, dash_app: Any):
        self.asgi = asgi
        prefix = dash_app.config.routes_pathname_prefix
        self.paths = {prefix, prefix.rstrip("/") or "/"}
        self.dash_app = dash_app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        ctx = context_of(self.dash_app)
        if (
            ctx is None
            or scope["type"] != "http"
            or scope["path"] not in self.paths
            or scope["method"] not in ("POST", "PUT")
        ):
            await self.asgi(scope, receive, send)
            return
        limit = ctx.settings.max_body
        body = bytearray()
        more = True
        while more and len(body) <= limit:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
        _state(scope)[KEPT_BODY] = bytes(body[: limit + 1])
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.asgi(scope, replay, send)


def install_root_body(app: Any) -> None:
    """Add :class:`KeepRootBody` (outermost) when ntfy's paths are taken at the root."""
    app.server.add_middleware(KeepRootBody, dash_app=app)


def install_cookie(app: Any) -> None:
    """Add :class:`CookieMiddleware` to the app's FastAPI server."""
    app.server.add_middleware(CookieMiddleware, dash_app=app)
