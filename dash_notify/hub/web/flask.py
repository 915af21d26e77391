"""The Flask adapter (Dash's default backend, and Dash 3.0.4's only one): each stream
is a sync generator on a server thread, run by :func:`.stream.run_sync`, which polls
its socket for a closed client and puts a timeout on its writes."""

from __future__ import annotations

import gc
import select
import socket
import ssl
import sys
from collections.abc import Callable, Iterator
from typing import Any

import flask

from . import handlers
from .context import WebContext, context_of
from .messages import WebRequest, WebResponse, werkzeug_request
from .stream import run_sync

STATE = "_dash_notify_state"


def _state() -> dict[str, Any]:
    state = getattr(flask.g, STATE, None)
    if state is None:
        state = {}
        setattr(flask.g, STATE, state)
    return state


def web_request(body_limit: int | None = None) -> WebRequest:
    """The current Flask request, neutral. The body is read (at most ``body_limit`` + 1
    bytes, nothing when Content-Length is already over) only when a limit is given."""
    request = flask.request
    body = b""
    if body_limit is not None:
        length = request.content_length
        if length is None or length <= body_limit:
            body = request.stream.read(body_limit + 1)
    return werkzeug_request(request, body, _state())


def current_request() -> WebRequest | None:
    """The request being handled in this thread (None: outside a Flask request)."""
    return web_request() if flask.has_request_context() else None


def _client_socket() -> Any:
    environ = flask.request.environ
    return environ.get("gunicorn.socket") or environ.get("werkzeug.socket")


def _os_poll() -> Callable[[], Any] | None:
    """The operating system's ``select.poll`` (None where there is none: Windows).
    Under gevent's monkey-patching ``select.poll`` is gevent's own, which waits through
    gevent's hub even for a timeout of 0; the original answers at once."""
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("select"):
        try:
            return monkey.get_original("select", "poll")
        except AttributeError:
            return None
    return getattr(select, "poll", None)


def _readable(sock: Any, poll: Callable[[], Any] | None) -> bool:
    """Whether ``sock`` has something to read (or its end of file), without waiting.
    poll, not select: select() cannot take a descriptor numbered 1024 or more, and a
    server holding a thousand streams has those (gevent's select calls the original
    first, so it fails the same way). select only where there is no poll (Windows)."""
    if poll is not None:
        poller = poll()
        poller.register(sock.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


def _gone_probe(sock: Any) -> Callable[[], bool] | None:
    """Whether the client has closed the connection: an SSE client sends nothing after
    its request, so a readable socket that reads empty is a closed one."""
    if sock is None or isinstance(sock, ssl.SSLSocket):
        return None
    poll = _os_poll()  # once per stream, not once per look

    def gone() -> bool:
        try:
            return _readable(sock, poll) and sock.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):  # ValueError: a closed socket (descriptor -1)
            return True

    return gone


_POOL: list[int | None] = []


def thread_pool_size() -> int | None:
    """The worker's thread pool size under gunicorn (gthread: its ``threads``; the
    sync worker: 1), else None (unknown, or a thread per request)."""
    if _POOL:
        return _POOL[0]
    size = None
    software = flask.request.environ.get("SERVER_SOFTWARE", "")
    if software.startswith("gunicorn"):
        gthread = sys.modules.get("gunicorn.workers.gthread")
        sync = sys.modules.get("gunicorn.workers.sync")
        for item in gc.get_objects():
            if gthread is not None and isinstance(item, gthread.ThreadWorker):
                size = int(item.cfg.threads)
                break
            if sync is not None and isinstance(item, sync.SyncWorker):
                size = 1
                break
    _POOL.append(size)
    return size


def _capacity(ctx: WebContext) -> None:
    if ctx.slots.per_worker is None:
        threads = thread_pool_size()
        settings = ctx.settings
        if threads is None:
            ctx.slots.per_worker = settings.streams_default_threaded
        else:
            ctx.slots.per_worker = max(0, int(threads * settings.stream_thread_fraction))


def _streamed(ctx: WebContext, response: WebResponse) -> Iterator[bytes]:
    sock = _client_socket()
    previous = None
    if sock is not None:
        try:
            previous = sock.gettimeout()
            sock.settimeout(ctx.settings.write_timeout)
        except OSError:
            sock = None
    try:
        yield from run_sync(response.stream, _gone_probe(sock), ctx.settings.disconnect_poll)
    finally:
        if sock is not None:
            try:
                sock.settimeout(previous)
            except OSError:
                pass


def native_response(ctx: WebContext | None, response: WebResponse) -> flask.Response:
    """A Flask response for a neutral one (a stream runs in this request's context)."""
    if response.stream is None:
        native = flask.Response(response.body, status=response.status)
    else:
        body = flask.stream_with_context(_streamed(ctx, response))
        native = flask.Response(body, status=response.status)
    native.headers.update(response.headers)
    if response.on_close is not None:
        native.call_on_close(response.on_close)
    return native


def view(app: Any, handler: Callable[..., WebResponse], *extra: Any, reads_body: bool = False):
    """A Flask view running ``handler`` for ``app``'s hub (404 JSON when it has none)."""

    def run(**_params: Any) -> flask.Response:
        ctx = context_of(app)
        if ctx is None:
            return native_response(None, handlers.no_hub(web_request()))
        if handler is handlers.events or getattr(handler, "opens_stream", False):
            _capacity(ctx)
        request = web_request(ctx.settings.max_body if reads_body else None)
        return native_response(ctx, handler(ctx, request, *extra))

    return run


def add_route(app: Any, rule: str, name: str, run: Callable[..., Any], methods: list[str]) -> None:
    """Mount a view through Dash's backend (Dash >= 4.2) or its Flask server (3.x)."""
    run.provide_automatic_options = False  # type: ignore[attr-defined]  # OPTIONS is ours
    backend = getattr(app, "backend", None)
    if backend is not None:
        backend.add_url_rule(rule, run, endpoint=name, methods=methods)
    else:
        app.server.add_url_rule(rule, name, run, methods=methods)


def install_cookie(app: Any) -> None:
    """Give a browser its anonymous id on its first response (the page itself)."""

    @app.server.after_request
    def give_cookie(response: flask.Response) -> flask.Response:
        ctx = context_of(app)
        kind = response.content_type or ""
        if ctx is None or not handlers.may_give_cookies(_state(), kind):
            return response
        for value in handlers.page_cookies(ctx, web_request(), kind):
            response.headers.add("Set-Cookie", value)
        return response
