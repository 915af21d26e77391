"""Where a page's event stream starts: the store's position when the page was served.

A stream opened without a last event id used to start at "now", so a notification
published between the page's response and the stream's subscription (a page-load
callback publishing to ``hub.me()``) was never delivered live. Each page response
carries the store's position in a short-lived cookie; the page's first stream starts
there and replays what came after.
"""

from __future__ import annotations

import re
from typing import Any

from .identity import is_secure
from .messages import WebRequest
from .settings import WebSettings

NAME = "dash_notify_since"
MAX_AGE = 300
_VALUE = re.compile(r"^([A-Za-z0-9_-]{1,64})\.([0-9]{1,18})$")


def since_cookie(position: Any, request: WebRequest, settings: WebSettings, path: str) -> str:
    """The ``Set-Cookie`` value carrying ``position`` (epoch and last id)."""
    parts = [
        f"{NAME}={position.epoch}.{position.last}",
        f"Max-Age={MAX_AGE}",
        f"Path={path}",
        "HttpOnly",
        "SameSite=Lax",
    ]
    if is_secure(request, settings):
        parts.append("Secure")
    return "; ".join(parts)


def page_since(request: WebRequest) -> tuple[str, int] | None:
    """The (epoch, last id) of the page this request comes from, if it said one."""
    match = _VALUE.match(request.cookies.get(NAME, ""))
    return (match.group(1), int(match.group(2))) if match else None
