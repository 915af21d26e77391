"""The browser's Web Push routes: the app's public key, and a browser subscribing and
unsubscribing for the requesting user (the app's user, else the browser's anonymous
cookie identity). The rules themselves (what a subscription must be, the SSRF rule on
endpoints) are ``hub.push``'s (:mod:`dash_notify.hub.push`); this only reads requests.
"""

from __future__ import annotations

from typing import Any

from ..push.subscription import MAX_ENDPOINT, PushSubscriptionError
from .context import WebContext
from .errors import HTTPError
from .handlers import browser_rate, guarded, json_body, user_key
from .identity import user_id
from .messages import WebRequest, WebResponse

NOT_CONFIGURED = (
    "push: this app's hub has no push channel; give it Hub(..., "
    "channels=[PushChannel(private_key, contact)]) with keys from "
    "`dash-notify vapid generate`"
)


def _public_key(ctx: WebContext) -> str:
    """The applicationServerKey, or 404 when the hub cannot send pushes."""
    if ctx.hub.push.sender is None:
        raise HTTPError(404, NOT_CONFIGURED, field=None)
    return ctx.hub.push.public_key


@guarded
def key(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The app's VAPID public key, for ``pushManager.subscribe({applicationServerKey})``."""
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "push", user, request)
    return WebResponse.json({"publicKey": _public_key(ctx)})


@guarded
def subscribe(ctx: WebContext, request: WebRequest) -> WebResponse:
    """Store the browser's ``PushSubscription.toJSON()`` (with an optional ``lang``) for
    the requesting user; the browser's User-Agent header is kept with it."""
    payload = json_body(ctx, request)
    _public_key(ctx)
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "push", user, request)
    if not isinstance(payload, dict):
        raise HTTPError(
            400,
            "body: must be the browser's PushSubscription JSON {endpoint, keys: {p256dh, auth}}",
            field="body",
        )
    try:
        stored = ctx.hub.push.subscribe(
            user,
            payload,
            lang=payload.get("lang"),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except PushSubscriptionError as error:
        raise HTTPError(400, str(error), field=error.field) from None
    return WebResponse.json(
        {"id": stored.id, "user": user_key(user), "created": stored.created}, 201
    )


def _endpoint(payload: Any) -> str:
    endpoint = payload.get("endpoint") if isinstance(payload, dict) else None
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT:
        raise HTTPError(
            400,
            f"endpoint: must be the subscription's endpoint URL (at most {MAX_ENDPOINT} "
            'characters): {"endpoint": "https://..."}',
            field="endpoint",
        )
    return endpoint


@guarded
def unsubscribe(ctx: WebContext, request: WebRequest) -> WebResponse:
    """Remove the requesting user's subscription with this endpoint (``{"endpoint"}``,
    or the whole subscription JSON); another user's is left alone."""
    endpoint = _endpoint(json_body(ctx, request))
    user = user_id(ctx.hub, request, ctx.settings)
    browser_rate(ctx, "push", user, request)
    return WebResponse.json({"removed": ctx.hub.push.unsubscribe(user, endpoint)})
