"""The hub's HTTP API on the Dash app's Flask server, under ``<prefix>_dash_notify/``.

Publishing (bearer tokens): every route of :data:`.ingest.FORMATS` (our ``publish``,
JupyterLab's ``ingest`` and its client's path, ntfy's ``ntfy/<topic>`` and ``ntfy/``,
and optionally ntfy's paths at the app's root).
Browsers (identified by the hub): ``events`` (Server-Sent Events), ``history``, ``seen``.
And ``openapi.json``, which documents all of it.

Every publishing request is checked in the same order: size (413), token (401), rate
(429), payload (400), targets (403), options (400); only then is anything stored.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import flask

from ..options import NotificationOptionsError
from .ingest import FORMATS, Headers, IngestRequest, PayloadError, PublishRoute, parse_json
from .model import Message, Origin, PublishDeniedError, Reset, Seen, StoreUnavailableError, Token
from .openapi import openapi_document
from .targets import Identity

if TYPE_CHECKING:
    from .core import Hub

SSE_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
}


class HTTPError(Exception):
    """A rejection: status, message, offending field and allowed values."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        allowed: tuple[str, ...] = (),
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.allowed = allowed
        self.errors = errors or []
        self.headers = headers or {}

    def response(self) -> flask.Response:
        body = {"error": self.message, "http": self.status, "field": self.field}
        if self.allowed:
            body["allowed"] = list(self.allowed)
        if self.errors:
            body["errors"] = self.errors
        response = flask.jsonify(body)
        response.status_code = self.status
        response.headers.update(self.headers)
        return response


def _unavailable(error: StoreUnavailableError) -> flask.Response:
    """503: the store is unreachable; nothing was stored, retrying is safe."""
    return HTTPError(503, str(error), headers={"Retry-After": "1"}).response()


def _read_body(hub: Hub) -> bytes:
    length = flask.request.content_length
    if length is not None and length > hub.max_body:
        raise HTTPError(413, f"body: {length} bytes is over the limit of {hub.max_body}")
    data = flask.request.stream.read(hub.max_body + 1)
    if len(data) > hub.max_body:
        raise HTTPError(413, f"body: over the limit of {hub.max_body} bytes")
    return data


def _secret() -> str | None:
    header = flask.request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme in ("bearer", "token") and value.strip():
        return value.strip()
    if scheme == "basic":
        # ntfy clients and curl -u send "<user>:<token>"; the user part is ignored.
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except ValueError:
            return None
        return decoded.partition(":")[2] or None
    return None


def _authenticate(hub: Hub) -> Token:
    secret = _secret()
    token = hub.authenticate(secret) if secret else None
    if token is None:
        raise HTTPError(
            401,
            "a valid token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": 'Bearer realm="dash_notify"'},
        )
    requests, seconds = hub.rate_limit
    wait = hub.rate(f"token:{token.id}")
    if wait is not None:
        retry = max(1, int(wait + 0.999))
        raise HTTPError(
            429,
            f"rate limit of {requests} requests per {seconds} s reached for token {token.name!r}",
            headers={"Retry-After": str(retry)},
        )
    return token


def _json(data: bytes) -> Any:
    try:
        return parse_json(data)
    except PayloadError as error:
        raise HTTPError(400, str(error), field=error.field) from None


def _publish(hub: Hub, token: Token, options: Any, targets: tuple[str, ...]) -> Message:
    try:
        return hub.submit(options, targets, Origin.from_token(token))
    except PublishDeniedError as error:
        raise HTTPError(403, str(error), field=error.field, allowed=error.allowed) from None
    except NotificationOptionsError as error:
        raise HTTPError(
            400,
            str(error),
            field=error.field,
            allowed=error.allowed,
            errors=[problem.as_dict() for problem in error.errors],
        ) from None


def _handle(hub: Hub, parse: Callable[[bytes, Token], tuple[Any, tuple[str, ...]]], ok):
    """Runs one publishing request through every check, then stores it."""
    try:
        data = _read_body(hub)
        token = _authenticate(hub)
        try:
            options, targets = parse(data, token)
        except PayloadError as error:
            raise HTTPError(400, str(error), field=error.field, allowed=error.allowed) from None
        message = _publish(hub, token, options, targets)
    except HTTPError as error:
        return error.response()
    except StoreUnavailableError as error:
        return _unavailable(error)
    return ok(message)


def _sse(event: str, data: Any, event_id: int | None = None) -> str:
    lines = [f"event: {event}"]
    if event_id is not None:
        lines.insert(0, f"id: {event_id}")
    lines.append("data: " + json.dumps(data, separators=(",", ":")))
    return "\n".join(lines) + "\n\n"


def _message_event(message: Message) -> str:
    if message.kind == "close":
        data = {"id": message.id, "created": message.created, "tag": message.options["tag"]}
        return _sse("close", data, message.id)
    data = {
        "id": message.id,
        "created": message.created,
        "options": message.options,
        "publisher": message.publisher,
    }
    return _sse("notification", data, message.id)


def _last_event_id() -> int | None:
    raw = flask.request.headers.get("Last-Event-ID") or flask.request.args.get("lastEventId")
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise HTTPError(400, f"Last-Event-ID: {raw!r} is not an event id", field="Last-Event-ID")
    return int(raw)


BROWSER_COOKIE = "dash_notify_browser"


def _browser_id(hub: Hub) -> str:
    current = flask.request.cookies.get(BROWSER_COOKIE, "")
    if len(current) == 32 and all(c in "0123456789abcdef" for c in current):
        return current
    cached = getattr(flask.g, "dash_notify_browser", None)
    if cached:
        return cached
    fresh = secrets.token_hex(16)
    flask.g.dash_notify_browser = fresh

    @flask.after_this_request
    def remember(response: flask.Response) -> flask.Response:
        response.set_cookie(
            BROWSER_COOKIE,
            fresh,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=flask.request.is_secure,
            path=hub.app.config.requests_pathname_prefix if hub.app else "/",
        )
        return response

    return fresh


def current_user(hub: Hub) -> str:
    """The user id of the current request (the app's ``user``, else the browser's)."""
    user_id = hub.user_function() if hub.user_function else None
    if user_id is None or user_id == "":
        user_id = "browser:" + _browser_id(hub)
    return str(user_id)


def identify(hub: Hub) -> Identity:
    """The identity of the current request."""
    return hub.identity(current_user(hub))


def register(hub: Hub, app: Any, *, ntfy_at_root: bool) -> None:
    """Add the hub's routes to a Dash app's Flask server."""
    hub.current_user = lambda: current_user(hub)
    server: flask.Flask = app.server
    root = app.config.routes_pathname_prefix
    base = f"{root}_dash_notify"

    def ingest_view(route: PublishRoute) -> Callable[..., flask.Response]:
        def view(**params: str) -> flask.Response:
            def parse(data: bytes, token: Token) -> tuple[Any, tuple[str, ...]]:
                request = IngestRequest(
                    body=data,
                    headers=Headers(flask.request.headers.items()),
                    query=dict(flask.request.args.items()),
                    params=params,
                )
                return route.parse(request, token)

            def answer(message: Message) -> flask.Response:
                status, body = route.reply(message)
                response = flask.jsonify(body)
                response.status_code = status
                return response

            return _handle(hub, parse, answer)

        view.__name__ = route.name
        return view

    def events() -> flask.Response:
        try:
            last = _last_event_id()
        except HTTPError as error:
            return error.response()
        identity = identify(hub)
        subscriber = hub.live.subscribe(identity)
        try:
            now = hub.position()
        except StoreUnavailableError as error:
            hub.live.unsubscribe(subscriber)
            return _unavailable(error)
        position = now.last
        epoch = flask.request.args.get("epoch")
        if last is not None and (last > position or (epoch and epoch != now.epoch)):
            last = 0  # the client's place is from another log: it starts over
        start = position if last is None else last
        hello = {
            "user": hub.user_key(identity),
            "last": position,
            "epoch": now.epoch,
            "from": start,
        }

        def stream() -> Iterator[str]:
            try:
                yield "retry: 1000\n\n"
                # Without Last-Event-ID the browser starts at "now"; with it, everything
                # after it is replayed from the store, then live events continue.
                yield _sse("hello", hello)
                delivered = position
                if last is not None:
                    delivered = last
                    while True:
                        batch = hub.replay(identity, delivered, 500)
                        for message in batch:
                            yield _message_event(message)
                            delivered = message.id
                        if len(batch) < 500:
                            break
                    delivered = max(delivered, position)
                while not subscriber.closed:
                    event = subscriber.get(hub.keepalive)
                    if event is None:
                        if not subscriber.closed:
                            yield ": keepalive\n\n"
                    elif isinstance(event, Reset):
                        return
                    elif isinstance(event, Seen):
                        yield _sse("seen", {"ids": list(event.ids), "upto": event.upto})
                    elif event.id > delivered:
                        delivered = event.id
                        yield _message_event(event)
            finally:
                hub.live.unsubscribe(subscriber)

        return flask.Response(stream(), headers=SSE_HEADERS)

    def history() -> flask.Response:
        try:
            limit = _int_arg("limit", 100, 1, 1000)
            before = _int_arg("before", None, 1, 2**62)
            identity = identify(hub)
            items = hub.history(identity, limit, before)
        except HTTPError as error:
            return error.response()
        except StoreUnavailableError as error:
            return _unavailable(error)
        return flask.jsonify(
            {
                "user": hub.user_key(identity),
                "items": [
                    {
                        "id": message.id,
                        "created": message.created,
                        "seen": seen_at,
                        "options": message.options,
                    }
                    for message, seen_at in items
                ],
            }
        )

    def seen() -> flask.Response:
        try:
            if not flask.request.is_json:
                raise HTTPError(415, "Content-Type must be application/json", field="body")
            payload = _json(_read_body(hub))
            ids = _seen_ids(payload)
            marked = hub.mark_seen(identify(hub), ids)
        except HTTPError as error:
            return error.response()
        except StoreUnavailableError as error:
            return _unavailable(error)
        return flask.jsonify(
            {"seen": list(marked.ids) if marked else [], "upto": marked.upto if marked else 0}
        )

    def openapi() -> flask.Response:
        return flask.jsonify(openapi_document(app.config.requests_pathname_prefix, hub))

    rules = [
        *((route.path, ingest_view(route), list(route.methods)) for route in FORMATS),
        ("events", events, ["GET"]),
        ("history", history, ["GET"]),
        ("seen", seen, ["POST"]),
        ("openapi.json", openapi, ["GET"]),
    ]
    for path, view, methods in rules:
        _add_rule(server, f"{base}/{path}", f"dash_notify_{view.__name__}", view, methods)
    if ntfy_at_root:
        for route in FORMATS:
            if route.root_path is not None:
                server.add_url_rule(
                    f"{root}{route.root_path}",
                    f"dash_notify_{route.name}_root",
                    ingest_view(route),
                    methods=list(route.methods),
                )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _add_rule(server: flask.Flask, rule: str, endpoint: str, view, methods: list[str]) -> None:
    """Adds a route that answers exactly ``methods``: the others get 405, and OPTIONS an
    Allow header listing them, instead of falling through to Dash's catch-all page route
    (which would answer GET with the app's index page)."""
    allowed = [*methods, *(["HEAD"] if "GET" in methods else []), "OPTIONS"]
    allow = ", ".join(allowed)

    def other(**_kwargs) -> flask.Response:
        if flask.request.method == "OPTIONS":
            return flask.Response(status=204, headers={"Allow": allow})
        return HTTPError(
            405,
            f"method {flask.request.method} not allowed here; allowed: {allow}",
            headers={"Allow": allow},
        ).response()

    server.add_url_rule(rule, endpoint, view, methods=methods, provide_automatic_options=False)
    rest = [method for method in _METHODS if method not in allowed] + ["OPTIONS"]
    server.add_url_rule(
        rule, f"{endpoint}_other", other, methods=rest, provide_automatic_options=False
    )


def _int_arg(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = flask.request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise HTTPError(400, f"{name}: must be an integer from {low} to {high}", field=name)
    return int(raw)


def _seen_ids(payload: Any) -> list[int] | None:
    if not isinstance(payload, dict) or set(payload) - {"ids", "all"} or len(payload) != 1:
        raise HTTPError(
            400,
            'body: must be {"ids": [...]} or {"all": true}',
            field="body",
            allowed=("ids", "all"),
        )
    if "all" in payload:
        if payload["all"] is not True:
            raise HTTPError(400, "all: must be true", field="all")
        return None
    ids = payload["ids"]
    if (
        not isinstance(ids, list)
        or len(ids) > 1000
        or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**62 for i in ids)
    ):
        raise HTTPError(400, "ids: must be a list of at most 1000 notification ids", field="ids")
    return ids
