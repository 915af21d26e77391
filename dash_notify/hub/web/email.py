"""The email channel's routes: the signed link of each notification in a mail, and
the one-click unsubscribe (RFC 8058).

``GET email/open?t=...``: a valid link of the browser's own user marks the
notification seen, counts as a click for webhook rules, and redirects to the app with
``?dash_notify_email=<id>`` (the component reports it in ``clickData`` with
``delivery: "email"``). A link of another user is 403, an expired one 410, a forged
or altered one 400: nothing is marked then.

``email/unsubscribe?t=...``: ``POST`` (what mail clients send for
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, without cookies) switches the
link's user to mode ``never``; ``GET`` answers a page with a button that posts it (a
link scanner's GET changes nothing).
"""

from __future__ import annotations

import html
from typing import Any

from ..email.links import Grant, LinkError
from .context import WebContext
from .errors import HTTPError
from .identity import user_id
from .messages import WebRequest, WebResponse

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 32em; margin: 3em auto;">
<h1 style="font-size: 1.3em;">{title}</h1><p>{text}</p>{form}</body></html>
"""


def _page(title: str, text: str, form: str = "", status: int = 200) -> WebResponse:
    body = PAGE.format(title=html.escape(title), text=html.escape(text), form=form)
    return WebResponse(
        status,
        body.encode("utf-8"),
        {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"},
    )


def _channel(hub: Any) -> Any:
    """The hub's email channel, found without importing it (an app without one may not
    have the email extra installed)."""
    return next(
        (
            c
            for c in hub.channels
            if getattr(c, "preference", None) == "email" and hasattr(c, "links")
        ),
        None,
    )


def _grant(ctx: WebContext, request: WebRequest, purpose: str) -> tuple[Any, Grant]:
    channel = _channel(ctx.hub)
    if channel is None:
        raise HTTPError(404, "this app's hub sends no mail", field=None)
    token = request.query.get("t")
    if not token:
        raise HTTPError(400, "t: the link's token is missing", field="t")
    try:
        return channel, channel.links.check(token, purpose)
    except LinkError as error:
        raise HTTPError(410 if error.expired else 400, f"t: {error}", field="t") from None


def open_link(ctx: WebContext, request: WebRequest, rate) -> WebResponse:
    """A notification's link in a mail (see the module docstring)."""
    _, grant = _grant(ctx, request, "open")
    user = user_id(ctx.hub, request, ctx.settings)
    rate(ctx, "email", user, request)
    if user != grant.user:
        raise HTTPError(
            403, "t: this link is for another user (sign in as them and open it again)", field="t"
        )
    identity = ctx.hub.identity(user)
    notification = int(grant.notification or 0)
    ctx.hub.mark_seen(identity, [notification])
    ctx.hub.webhooks.emit("notification.clicked", notification, identity)
    return WebResponse(
        303,
        headers={
            "Location": f"{ctx.prefix}?dash_notify_email={notification}",
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


def unsubscribe(ctx: WebContext, request: WebRequest) -> WebResponse:
    """The one-click unsubscribe (see the module docstring)."""
    _, grant = _grant(ctx, request, "unsubscribe")
    if request.method == "POST":
        ctx.hub.preferences(grant.user).update({"email": "never"})
        return _page(
            "Unsubscribed",
            "You will get no more notification mails (Critical ones excepted). "
            "You can change this in the app's notification preferences.",
        )
    form = (
        '<form method="post"><input type="hidden" name="List-Unsubscribe" '
        'value="One-Click"><button type="submit">Unsubscribe</button></form>'
    )
    return _page("Unsubscribe", "Stop the notification mails of this app?", form)
