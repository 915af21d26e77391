"""The hub's views, framework-neutral: each takes the app's :class:`WebContext` and a
:class:`WebRequest` and answers a :class:`WebResponse`. The adapters (flask.py,
fastapi.py, quart.py) only translate; every rule is here.

Every publishing request is checked in the same order: size (413), token (401), rate
(429), payload (400), then the hub's one publish door (targets and options 400, token
reach 403); only then is anything stored. Every store failure, read or write, is a
JSON 503 with Retry-After; bad input is a 4xx naming the field, never a 500.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ...options import NotificationOptionsError
from ..ingest import Headers as IngestHeaders
from ..ingest import IngestRequest, PayloadError, parse_json
from ..model import Origin, PublishDeniedError, StoreUnavailableError
from ..targets import TargetError
from . import sse
from .context import WebContext
from .errors import HTTPError, too_many, unavailable
from .identity import MINTED, client_ip, cookie_to_set, is_page, user_id, wants_cookie
from .messages import WebRequest, WebResponse
from .settings import IP_FACTOR, user_function
from .since import page_since, since_cookie
from .stream import StreamStart, script

MAX_ID = 2**62
MAX_IDS = 1000


def user_key(user: str) -> str:
    """A short, stable digest of a user id (what the browser is told of it)."""
    return hashlib.sha256(user.encode("utf-8")).hexdigest()[:16]


def guarded(view):
    """Turns rejections into their JSON answers and store failures into 503s."""

    def run(ctx: WebContext, request: WebRequest, *args: Any) -> WebResponse:
        try:
            return view(ctx, request, *args)
        except HTTPError as error:
            return error.response()
        except StoreUnavailableError as error:
            return unavailable(error)

    run.__name__ = view.__name__
    run.__doc__ = view.__doc__
    return run


# -- publishing ------------------------------------------------------------------
def body_over_limit(request: WebRequest, limit: int) -> HTTPError | None:
    """413 when the declared or read body is over ``limit`` (adapters read at most
    ``limit + 1`` bytes, and nothing when Content-Length is already over)."""
    declared = request.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return HTTPError(413, f"body: {int(declared)} bytes is over the limit of {limit}")
    if len(request.body) > limit:
        return HTTPError(413, f"body: over the limit of {limit} bytes")
    return None


def _secret(request: WebRequest) -> str | None:
    return authorization_secret(request.headers.get("Authorization", ""))


def authorization_secret(header: str) -> str | None:
    """The token in an ``Authorization`` value: Bearer (or Token), or Basic with the
    token as the password (as ntfy clients and curl -u send it); None otherwise."""
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


def _authenticate(ctx: WebContext, request: WebRequest, secret: str | None = None) -> Any:
    """The request's token (its Authorization header's, or ``secret``), counted against
    its rate limit; 401 without a valid one, 429 over the limit."""
    secret = secret or _secret(request)
    token = ctx.hub.authenticate(secret) if secret else None
    if token is None:
        raise HTTPError(
            401,
            "a valid token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": 'Bearer realm="dash_notify"'},
        )
    requests, seconds = ctx.settings.rate_limit
    wait = ctx.hub.rate(f"token:{token.id}", (requests, seconds))
    if wait is not None:
        raise too_many(
            f"rate limit of {requests} requests per {seconds} s reached for token {token.name!r}",
            wait,
        )
    return token


def publish(ctx: WebContext, request: WebRequest, route: Any) -> WebResponse:
    """One publishing request in one of the ingest formats (``route``)."""
    try:
        too_big = body_over_limit(request, ctx.settings.max_body)
        if too_big:
            raise too_big
        token = _authenticate(ctx, request)
        ingest = IngestRequest(
            body=request.body,
            headers=IngestHeaders(list(request.headers.items())),
            query={key: request.query[key] for key in request.query},
            params=dict(request.path_params),
        )
        try:
            options, to = route.parse(ingest, token)
        except PayloadError as error:
            raise HTTPError(400, str(error), field=error.field, allowed=error.allowed) from None
        message = ctx.hub.submit(options, to, Origin.from_token(token), kind=route.kind)
        status, body = route.reply(message)
    except HTTPError as error:
        return error.response()
    except PublishDeniedError as error:
        return HTTPError(
            403, str(error), field=error.field, allowed=tuple(error.allowed or ())
        ).response()
    except TargetError as error:
        return HTTPError(400, str(error), field="to", allowed=error.allowed).response()
    except NotificationOptionsError as error:
        return HTTPError(
            400,
            str(error),
            field=error.field,
            allowed=error.allowed,
            errors=[problem.as_dict() for problem in error.errors],
        ).response()
    except StoreUnavailableError as error:
        return unavailable(error)
    return WebResponse.json(body, status)


# -- browsers --------------------------------------------------------------------
def json_body(ctx: WebContext, request: WebRequest) -> Any:
    """A browser request's JSON body: 415 unless JSON, 413 over the size limit, 400 for
    malformed JSON (depth- and surrogate-safe, as every publish format's)."""
    kind = request.content_type
    if not (kind == "application/json" or kind.endswith("+json")):
        raise HTTPError(415, "Content-Type must be application/json", field="body")
    too_big = body_over_limit(request, ctx.settings.max_body)
    if too_big:
        raise too_big
    try:
        return parse_json(request.body)
    except PayloadError as error:
        raise HTTPError(400, str(error), field=error.field) from None


def browser_rate(ctx: WebContext, route: str, user: str, request: WebRequest) -> None:
    """429 when the browser route `route` is over its per-user or per-IP rate."""
    ip = client_ip(request, ctx.settings)
    requests, seconds = ctx.settings.browser_rate(route)
    for key, limit in (
        (f"{route}:user:{user}", (requests, seconds)),
        (f"{route}:ip:{ip}", (requests * IP_FACTOR, seconds)),
    ):
        wait = ctx.hub.rate(key, limit)
        if wait is not None:
            raise too_many(f"{route}: rate limit of {limit[0]} requests per {seconds} s", wait)


def _int(raw: str | None, name: str, low: int, high: int) -> int | None:
    """A query integer; None when absent. ``"²".isdigit()`` is true: ASCII only."""
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19 and low <= int(raw) <= high):
        raise HTTPError(400, f"{name}: must be an integer from {low} to {high}", field=name)
    return int(raw)


@guarded
def history(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The requesting user's notifications, newest first, with their seen time."""
    limit = _int(request.query.get("limit"), "limit", 1, 1000) or 100
    before = _int(request.query.get("before"), "before", 1, MAX_ID)
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "history", user, request)
    items = ctx.hub.history(ctx.hub.identity(user), limit, before)
    return WebResponse.json(
        {
            "user": user_key(user),
            "items": [
                {
                    "id": message.id,
                    "created": message.created,
                    "seen": seen_at,
                    "options": message.options,
                    "publisher": message.publisher,
                }
                for message, seen_at in items
            ],
        }
    )


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
        or len(ids) > MAX_IDS
        or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < MAX_ID for i in ids)
    ):
        raise HTTPError(
            400, f"ids: must be a list of at most {MAX_IDS} notification ids", field="ids"
        )
    return ids


@guarded
def seen(ctx: WebContext, request: WebRequest) -> WebResponse:
    """Mark the requesting user's notifications seen (in every browser of theirs)."""
    ids = _seen_ids(json_body(ctx, request))
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "seen", user, request)
    marked = ctx.hub.mark_seen(ctx.hub.identity(user), ids)
    if marked is None:
        return WebResponse.json({"seen": [], "upto": 0})
    return WebResponse.json({"seen": list(marked.ids), "upto": marked.upto})


def _click(payload: Any) -> tuple[int, str | None]:
    if not isinstance(payload, dict) or not set(payload) <= {"id", "action"} or "id" not in payload:
        raise HTTPError(
            400, 'body: must be {"id": <notification id>, "action": <action id or null>}',
            field="body", allowed=("id", "action"),
        )  # fmt: skip
    notification, action = payload["id"], payload.get("action")
    if not isinstance(notification, int) or isinstance(notification, bool):
        raise HTTPError(400, "id: must be a notification id", field="id")
    if not 0 < notification < MAX_ID:
        raise HTTPError(400, "id: must be a notification id", field="id")
    if action is not None and (not isinstance(action, str) or not 0 < len(action) <= 200):
        raise HTTPError(400, "action: must be an action id of 1 to 200 characters", field="action")
    return notification, action


@guarded
def clicked(ctx: WebContext, request: WebRequest) -> WebResponse:
    """A click on one of the requesting user's notifications (its body, or the action
    ``action``), for the webhook rules that want ``notification.clicked``, as the
    user of the request. 404 when the notification is not theirs (or does not exist),
    400 for an action it does not have; else always 204: the browser learns nothing of
    the rules, nor whether one fired."""
    notification, action = _click(json_body(ctx, request))
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "clicked", user, request)
    identity = ctx.hub.identity(user)
    message = ctx.hub.webhooks.notification_for(notification, identity)
    if message is None:
        raise HTTPError(404, f"id: no notification {notification} for this user", field="id")
    actions = tuple(
        str(item["action"])
        for item in message.options.get("actions") or ()
        if isinstance(item, dict) and "action" in item
    )
    if action is not None and action not in actions:
        raise HTTPError(
            400,
            f"action: {action!r} is not an action of notification {notification}",
            field="action",
            allowed=actions,
        )
    ctx.hub.webhooks.emit("notification.clicked", notification, identity, action=action)
    return WebResponse(204)


@guarded
def preferences(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The requesting user's delivery preferences: GET reads them, PUT replaces and
    PATCH changes the user's choices (see :mod:`.preferences`)."""
    from . import preferences as routes

    too_big = body_over_limit(request, ctx.settings.max_body)
    if too_big:
        raise too_big
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "preferences", user, request)
    if request.method in ("GET", "HEAD"):
        effective = ctx.hub.preferences(user).get()
    else:
        effective = routes.change(ctx, request, user)
    return routes.answer(ctx, user_key(user), effective)


@guarded
def email_open(ctx: WebContext, request: WebRequest) -> WebResponse:
    """A notification's signed link in a mail (see :mod:`.email`)."""
    from . import email

    return email.open_link(ctx, request, browser_rate)


@guarded
def email_unsubscribe(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The one-click unsubscribe of a mail (see :mod:`.email`)."""
    from . import email

    ip = client_ip(request, ctx.settings)
    requests, seconds = ctx.settings.browser_rate("email")
    wait = ctx.hub.rate(f"email:ip:{ip}", (requests * IP_FACTOR, seconds))
    if wait is not None:
        raise too_many(f"email: rate limit of {requests * IP_FACTOR} per {seconds} s", wait)
    return email.unsubscribe(ctx, request)


def _last_event_id(request: WebRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID")
    if raw is None or raw == "":
        raw = request.query.get("lastEventId")
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise HTTPError(400, f"Last-Event-ID: {raw!r} is not an event id", field="Last-Event-ID")
    return int(raw)


def _epoch(request: WebRequest) -> str | None:
    raw = request.query.get("epoch")
    if raw is None or raw == "":
        return None
    if len(raw) > 64 or not raw.isascii() or not raw.isprintable():
        raise HTTPError(400, f"epoch: {raw[:70]!r} is not a store epoch", field="epoch")
    return raw


@guarded
def events(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The requesting user's event stream (see :mod:`.stream`). HEAD answers the
    headers only: nothing is subscribed and no stream place is taken."""
    last = _last_event_id(request)
    epoch = _epoch(request)
    since = page_since(request) if last is None else None
    if since is not None:
        # a page's first stream: from where the store was when the page was served
        epoch, last = since
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "events", user, request)
    if request.method == "HEAD":
        return WebResponse(200, headers=dict(sse.HEADERS))
    identity = ctx.hub.identity(user)
    slot = ctx.slots.acquire(client_ip(request, ctx.settings), user)
    hub, settings = ctx.hub, ctx.settings
    # An anonymous browser stays who it is for the request's life: asked again only when
    # the app says who is logged in (the stream then keeps no request otherwise)
    asks_app = user_function(hub) is not None
    steps = script(
        hub,
        StreamStart(identity, user_key(user), last, epoch, from_page=since is not None),
        keepalive=settings.keepalive,
        recheck_every=settings.identity_recheck,
        recheck=(lambda: user_id(hub, request, settings)) if asks_app else None,
        lifetime=settings.stream_lifetime,
        on_end=slot.release,
    )
    return WebResponse(200, headers=dict(sse.HEADERS), stream=steps, on_close=slot.release)


# -- webhook rules (an admin token) ------------------------------------------------------
@guarded
def webhook_rules(ctx: WebContext, request: WebRequest, routes: Any) -> WebResponse:
    """The webhook rules' API (``routes``: this path's :class:`RulesRoute` per method;
    the views and their refusals are in :mod:`..webhooks.rest`). Checked first: size
    (413), token (401, 429), the token's ``admin`` permission (403), a JSON body (415)."""
    from ..webhooks.rest import RulesRequest

    too_big = body_over_limit(request, ctx.settings.max_body)
    if too_big:
        raise too_big
    token = _authenticate(ctx, request)
    if "admin" not in token.allow:
        raise HTTPError(
            403,
            f"token {token.name!r} may not manage webhook rules (an admin token may: "
            "the app creates it with allow admin)",
            field="Authorization",
            allowed=("admin",),
        )
    kind = request.content_type
    if request.body.strip() and not (kind == "application/json" or kind.endswith("+json")):
        raise HTTPError(415, "Content-Type must be application/json", field="body")
    route = routes["GET" if request.method == "HEAD" else request.method]
    status, body = route.answer(
        ctx.hub,
        RulesRequest(
            request.body, {key: request.query[key] for key in request.query}, request.path_params
        ),
    )
    return WebResponse(status) if body is None else WebResponse.json(body, status)


def openapi(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The OpenAPI document of this app's hub."""
    from .openapi import document

    return WebResponse.json(document(ctx))


def may_give_cookies(state: dict[str, Any], content_type: str) -> bool:
    """Whether a response can have cookies to give (see :func:`page_cookies`): a page, or
    any response to a request for which an anonymous id was minted. Cheap: adapters ask
    it first, so that every other response (a callback, an asset, a publish) needs no
    neutral request, store read or thread."""
    return bool(state.get(MINTED)) or is_page(content_type)


def page_cookies(ctx: WebContext, request: WebRequest, content_type: str) -> list[str]:
    """The cookies a response of the app gives: the anonymous id minted for this request
    (or, on a page, for a browser with none) and, on a page, the store's position."""
    cookies = []
    if request.state.get(MINTED) or wants_cookie(request, ctx.settings, content_type):
        value = cookie_to_set(request, ctx.settings, ctx.prefix)
        if value:
            cookies.append(value)
    if is_page(content_type):
        try:
            position = ctx.hub.position()
        except StoreUnavailableError:
            return cookies  # the page still renders; its stream starts at "now"
        cookies.append(since_cookie(position, request, ctx.settings, ctx.prefix))
    return cookies


def no_hub(request: WebRequest) -> WebResponse:
    """404: this app has no hub."""
    return HTTPError(404, "this Dash app has no dash_notify hub", field=None).response()
