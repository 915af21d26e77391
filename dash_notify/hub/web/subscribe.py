"""Subscribing from outside systems with a read token: our formats under
``_dash_notify/subscribe/`` (JSON lines, SSE, websocket) and ntfy's subscribe protocol
beside our ntfy publish (``_dash_notify/ntfy/<topics>/json|sse|raw|ws``, ``/auth``,
``/v1/health``; at the app's root too with ``ntfy_at_root``).

Every stream is the browsers' one (:mod:`.stream`, run sync on WSGI, async on ASGI)
with a read token's :class:`~dash_notify.hub.reach.Reader` in place of a user and an
encoder of its format; it takes a place in the same open-stream limits (counted per
token and per IP), ends after ``stream_lifetime`` (clients resume with ``since``) and
when the token is revoked. Checked in order: token (401; ``Authorization: Bearer``,
Basic with the token as password, or ntfy's ``?auth=``), rate (429), the token's
``read`` permission (403), parameters (400 naming the field), what it may read (403).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import PublishDeniedError, StoreUnavailableError
from ..reach import Reader, latest_id, reader_of, reader_page
from ..targets import TargetError
from . import feeds, handlers, ntfy_feed, sse
from .context import WebContext
from .errors import HTTPError
from .identity import client_ip, is_secure
from .messages import WebRequest, WebResponse
from .ntfy_filters import parse_filters
from .stream import REPLAY_BATCH, StreamStart, script
from .subscribe_since import Since, parse_ntfy_since, parse_since

NO_BUFFERING = {"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"}
FLAGS = {"1": True, "yes": True, "true": True, "0": False, "no": False, "false": False, "": False}


# -- who is reading ------------------------------------------------------------------
def _auth_param(request: WebRequest) -> str | None:
    """ntfy's ``?auth=``: an Authorization value in (URL-safe) base64, for clients that
    cannot set headers (a browser's websocket)."""
    raw = request.query.get("auth")
    if not raw:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        raise HTTPError(401, "auth: not a base64 Authorization value", field="auth") from None
    secret = handlers.authorization_secret(text.strip())
    if secret is None:
        raise HTTPError(401, "auth: not a Bearer or Basic Authorization value", field="auth")
    return secret


def read_token(ctx: WebContext, request: WebRequest) -> tuple[Any, str]:
    """The request's read token and its secret: 401, 429, or 403 for a token without
    the ``read`` permission."""
    secret = handlers.authorization_secret(request.headers.get("Authorization", ""))
    secret = secret or _auth_param(request)
    token = handlers._authenticate(ctx, request, secret)
    if "read" not in token.allow:
        raise HTTPError(
            403,
            f"token {token.name!r} may not read (a read token may: the app creates it "
            "with allow read)",
            field="Authorization",
            allowed=("read",),
        )
    return token, secret or ""


def _reader(token: Any, wanted: list[str] | None, field: str) -> Reader:
    try:
        return reader_of(token, wanted, field)
    except TargetError as error:
        raise HTTPError(400, str(error), field=field, allowed=error.allowed) from None
    except PublishDeniedError as error:
        raise HTTPError(403, str(error), field=field, allowed=error.allowed) from None


def _flag(raw: str | None, name: str) -> bool:
    value = (raw or "").strip().lower()
    if value not in FLAGS:
        raise HTTPError(400, f"{name}: must be 1 or 0", field=name, allowed=("1", "0"))
    return FLAGS[value]


# -- the stream, shared by every format -----------------------------------------------
@dataclass(frozen=True)
class Subscription:
    """What a subscribe request asked for, once checked."""

    reader: Reader
    secret: str
    since: Since
    poll: bool
    encoder: Any
    headers: dict[str, str]
    epoch: str | None = None


def _stream(ctx: WebContext, request: WebRequest, wanted: Subscription) -> WebResponse:
    hub, settings, reader = ctx.hub, ctx.settings, wanted.reader
    handlers.browser_rate(ctx, "subscribe", reader.user, request)
    if request.method == "HEAD":
        return WebResponse(200, headers=wanted.headers)
    last = wanted.since.last
    if wanted.since.latest:
        newest = latest_id(hub, reader)
        last = None if newest is None else newest - 1
    not_before = wanted.since.not_before
    slot = ctx.slots.acquire(client_ip(request, settings), reader.user)
    secret = wanted.secret
    steps = script(
        hub,
        StreamStart(
            reader,
            "",
            last,
            wanted.epoch,
            page=lambda after: reader_page(hub, reader, after, REPLAY_BATCH, not_before),
            poll=wanted.poll,
        ),
        keepalive=settings.keepalive,
        recheck_every=settings.identity_recheck,
        # a revoked token ends its streams
        recheck=lambda: reader.user if hub.authenticate(secret) is not None else "",
        lifetime=settings.stream_lifetime,
        on_end=slot.release,
        encoder=wanted.encoder,
    )
    return WebResponse(200, headers=wanted.headers, stream=steps, on_close=slot.release)


def _narrowed(token: Any, request: WebRequest) -> Reader:
    """The token's reader, narrowed by ``to`` and ``topic`` (each checked on its own,
    so that a refusal names the parameter that asked too much)."""
    wanted: list[str] = []
    for name, prefix in (("to", ""), ("topic", "group:")):
        raw = request.query.get(name)
        if raw is not None:
            parts = [p.strip() for p in raw.split(",")]
            if not all(parts):
                raise HTTPError(400, f"{name}: an empty name in {raw[:70]!r}", field=name)
            wanted += _reader(token, [prefix + p for p in parts], name).reach
    return _reader(token, wanted or None, "to")


@handlers.guarded
def subscribe(ctx: WebContext, request: WebRequest, kind: str) -> WebResponse:
    """Our subscribe stream (``kind``: json, sse or ws) of what the read token reaches,
    narrowed by ``to`` and ``topic``; ``since`` (or an EventSource's Last-Event-ID)
    and ``epoch`` say where it starts; ``poll=1`` ends it after the replay."""
    token, secret = read_token(ctx, request)
    reader = _narrowed(token, request)
    poll = _flag(request.query.get("poll"), "poll")
    resume = request.headers.get("Last-Event-ID") if kind == "sse" else None
    if resume:
        since = parse_since(resume, field="Last-Event-ID")
    else:
        since = parse_since(request.query.get("since"), poll=poll)
    if kind == "sse":
        encoder: Any = feeds.ServerSentEvents(reader)
        headers = dict(sse.HEADERS)
    else:
        encoder = feeds.JsonLines(reader)
        headers = {"Content-Type": feeds.JSON_LINES, **NO_BUFFERING}
    epoch = handlers._epoch(request)
    return _stream(ctx, request, Subscription(reader, secret, since, poll, encoder, headers, epoch))


subscribe.opens_stream = True  # type: ignore[attr-defined]


# -- ntfy's protocol -------------------------------------------------------------------
def _ntfy_param(request: WebRequest, *names: str) -> str | None:
    """A parameter as ntfy reads it: its headers first, then the query."""
    for name in names:
        value = request.headers.get(name)
        if value:
            return value.strip()
    for name in names:
        value = request.query.get(name.lower())
        if value is not None:
            return value.strip()
    return None


def _topics(request: WebRequest) -> tuple[str, ...]:
    raw = request.path_params.get("topics", "")
    if not ntfy_feed.TOPICS.fullmatch(raw):
        raise HTTPError(
            400,
            f"topic: {raw[:70]!r} is not a topic list (1-64 of A-Z a-z 0-9 _ -, comma-separated)",
            field="topic",
        )
    return tuple(dict.fromkeys(raw.split(",")))


def _app_url(ctx: WebContext, request: WebRequest) -> str:
    scheme = "https" if is_secure(request, ctx.settings) or request.scheme == "wss" else "http"
    host = request.headers.get("Host", "localhost")
    return f"{scheme}://{host}{ctx.prefix}"


def _ntfy_reader(ctx: WebContext, request: WebRequest) -> tuple[Reader, str, tuple[str, ...]]:
    topics = _topics(request)
    token, secret = read_token(ctx, request)
    return _reader(token, [f"group:{t}" for t in topics], "topic"), secret, topics


@handlers.guarded
def ntfy_subscribe(ctx: WebContext, request: WebRequest, kind: str) -> WebResponse:
    """ntfy's subscribe (``kind``: json, sse, raw or ws) to ``<topics>``."""
    reader, secret, topics = _ntfy_reader(ctx, request)
    poll = _flag(_ntfy_param(request, "X-Poll", "poll", "po"), "poll")
    since = parse_ntfy_since(_ntfy_param(request, "X-Since", "since", "si"), poll=poll)
    filters = parse_filters(lambda *names: _ntfy_param(request, *names))
    base, retention = _app_url(ctx, request), ctx.hub.retention_days
    encoder = ntfy_feed.ENCODERS[kind](topics, base, retention, poll, filters)
    headers = {"Content-Type": ntfy_feed.CONTENT_TYPES[kind], **NO_BUFFERING}
    return _stream(ctx, request, Subscription(reader, secret, since, poll, encoder, headers))


ntfy_subscribe.opens_stream = True  # type: ignore[attr-defined]


@handlers.guarded
def ntfy_auth(ctx: WebContext, request: WebRequest) -> WebResponse:
    """ntfy's ``GET <topics>/auth``: whether the token may read these topics."""
    _ntfy_reader(ctx, request)
    return WebResponse.json({"success": True})


def health(ctx: WebContext, request: WebRequest) -> WebResponse:
    """ntfy's ``GET /v1/health``: healthy while the store answers."""
    try:
        ctx.hub.position()
    except StoreUnavailableError:
        return WebResponse.json({"healthy": False}, 503, {"Retry-After": "1"})
    return WebResponse.json({"healthy": True})


@handlers.guarded
def websocket_over_http(ctx: WebContext, request: WebRequest, available: bool) -> WebResponse:
    """A plain HTTP request to a websocket path: 400 for a bad topic list, else 426
    (connect with a websocket), or 501 on Flask, which serves no websockets."""
    if "topics" in request.path_params:
        _topics(request)
    if available:
        return HTTPError(
            426,
            "this path is a websocket: connect with one (ws:// or wss://)",
            headers={"Upgrade": "websocket", "Connection": "Upgrade"},
        ).response()
    return HTTPError(
        501,
        "websockets are not available on the Flask backend: subscribe with the JSON "
        "or SSE stream of this path's neighbours, or serve the app on FastAPI or Quart",
    ).response()


# -- the route table ---------------------------------------------------------------------
@dataclass(frozen=True)
class SubscribeRoute:
    """One subscribe path: under ``_dash_notify/``, and (ntfy's) at the app's root
    with ``ntfy_at_root``; a websocket path takes websockets on FastAPI and Quart and
    answers plain HTTP with :func:`websocket_over_http`."""

    path: str
    name: str
    handler: Callable[..., WebResponse]
    args: tuple[Any, ...] = ()
    root: str | None = None
    websocket: bool = False
    methods: tuple[str, ...] = ("GET", "HEAD")


ROUTES = [
    SubscribeRoute("subscribe/json", "subscribe_json", subscribe, ("json",)),
    SubscribeRoute("subscribe/sse", "subscribe_sse", subscribe, ("sse",)),
    SubscribeRoute("subscribe/ws", "subscribe_ws", subscribe, ("ws",), websocket=True),
    *(
        SubscribeRoute(
            f"ntfy/<topics>/{kind}",
            f"ntfy_subscribe_{kind}",
            ntfy_subscribe,
            (kind,),
            root=f"<topics>/{kind}",
            websocket=kind == "ws",
        )
        for kind in ("json", "sse", "raw", "ws")
    ),
    SubscribeRoute("ntfy/<topics>/auth", "ntfy_subscribe_auth", ntfy_auth, root="<topics>/auth"),
    SubscribeRoute("ntfy/v1/health", "ntfy_health", health, root="v1/health"),
]
