"""Who is asking: the app's ``user`` function, else the browser's anonymous id.

``user`` may take no argument (it is then called inside the framework's own request
context, as flask-login's ``current_user`` needs) or one: the neutral
:class:`~dash_notify.hub.web.messages.WebRequest` (``headers``, ``cookies``,
``native``). A header set by a proxy is read the same way. When it returns None or
"", the browser is anonymous: a random id kept in an HttpOnly cookie, minted once per
request and set on that request's response, so the page itself gives the browser its
id and every later request (event stream, callbacks) shares it.
"""

from __future__ import annotations

import inspect
import secrets
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from .messages import WebRequest
from .settings import WebSettings, user_function

MINTED = "dash_notify_anonymous"


def _valid(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def anonymous_id(request: WebRequest, settings: WebSettings) -> str:
    """The browser's anonymous id: its cookie, else one minted for this request."""
    current = request.cookies.get(settings.cookie_name, "")
    if _valid(current):
        return current
    minted = request.state.get(MINTED)
    if minted is None:
        minted = request.state[MINTED] = secrets.token_hex(16)
    return minted


@lru_cache(maxsize=32)
def _takes_request(function: Callable[..., Any]) -> bool:
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        and p.default is p.empty
        for p in parameters
    )


def app_user(hub: Any, request: WebRequest) -> str | None:
    """What the app's ``user`` function says (None: no function, or a visitor)."""
    function = user_function(hub)
    if function is None:
        return None
    user = function(request) if _takes_request(function) else function()
    return None if user is None or user == "" else str(user)


def user_id(hub: Any, request: WebRequest, settings: WebSettings) -> str:
    """The user id of a request: the app's user, else ``browser:<anonymous id>``."""
    return app_user(hub, request) or "browser:" + anonymous_id(request, settings)


def known_user_id(hub: Any, request: WebRequest, settings: WebSettings) -> str | None:
    """The user id of a request without minting an id: the app's user, the browser's
    anonymous id from its cookie, or None (a request from no browser of the app's,
    such as another server's call to one of the app's own routes)."""
    user = app_user(hub, request)
    if user is not None:
        return user
    cookie = request.cookies.get(settings.cookie_name, "")
    if _valid(cookie):
        return "browser:" + cookie
    minted = request.state.get(MINTED)  # hub.me() gave it one in this request
    return None if minted is None else "browser:" + minted


def is_secure(request: WebRequest, settings: WebSettings) -> bool:
    """HTTPS, directly or (when the app trusts it) behind a proxy that says so."""
    if request.scheme == "https":
        return True
    if settings.trust_forwarded_proto:
        forwarded = request.headers.get("X-Forwarded-Proto", "")
        return forwarded.split(",")[0].strip().lower() == "https"
    return False


def client_ip(request: WebRequest, settings: WebSettings) -> str:
    """The client's address for the per-IP limits: the connection's, or (when the app
    trusts its proxy) the last address in X-Forwarded-For, the one the proxy added."""
    if settings.trust_forwarded_for:
        forwarded = request.headers.get("X-Forwarded-For", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return request.remote_addr


def cookie_to_set(request: WebRequest, settings: WebSettings, path: str) -> str | None:
    """The ``Set-Cookie`` value for a response: the anonymous id minted during this
    request, or a fresh one on a page (an HTML response) to a browser with none."""
    minted = request.state.get(MINTED)
    if minted is None:
        return None
    parts = [
        f"{settings.cookie_name}={minted}",
        f"Max-Age={settings.cookie_max_age}",
        f"Path={path}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if is_secure(request, settings):
        parts.append("Secure")
    return "; ".join(parts)


def is_page(content_type: str) -> bool:
    """Whether a response with this Content-Type is a page (HTML), the response that
    gives a browser its id and the store's position."""
    return content_type.lower().startswith("text/html")


def wants_cookie(request: WebRequest, settings: WebSettings, content_type: str) -> bool:
    """Whether this response should give the browser its id now: a page (HTML) to a
    browser without a valid cookie. The id is then minted for the request."""
    if not is_page(content_type):
        return False
    if _valid(request.cookies.get(settings.cookie_name, "")):
        return False
    anonymous_id(request, settings)
    return True
