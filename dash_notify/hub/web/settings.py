"""Every limit and option of the web layer, in one place: the handlers enforce these and
the OpenAPI document states these, so the two cannot disagree.

Values come from the hub (``max_body``, ``rate_limit``, ``keepalive``) and its ``web``
options (``Hub(app, ..., web={"max_streams_per_user": 5})``), else the defaults below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

#: Per identity; an IP gets ``IP_FACTOR`` times as much (users behind one proxy or NAT).
BROWSER_RATES: dict[str, tuple[int, int]] = {
    "events": (60, 60),
    "history": (120, 60),
    "seen": (120, 60),
    "clicked": (120, 60),
    "preferences": (60, 60),
    "email": (60, 60),
    "push": (60, 60),  # the key, subscribe and unsubscribe together
    # streams opened by outside systems (read tokens), per token
    "subscribe": (60, 60),
}
IP_FACTOR = 10


@dataclass(frozen=True)
class WebSettings:
    """The web layer's limits and options (see the module docstring)."""

    max_body: int = 8192
    rate_limit: tuple[int, int] = (120, 60)
    keepalive: float = 15.0
    #: (requests, seconds) per identity of the browser routes; an IP gets ``IP_FACTOR``x.
    browser_rates: dict[str, tuple[int, int]] = field(default_factory=lambda: dict(BROWSER_RATES))
    #: Open event streams per worker process; None: half the thread pool on a threaded
    #: WSGI server when its size is known (gunicorn gthread), else ``streams_default``.
    max_streams: int | None = None
    stream_thread_fraction: float = 0.5
    streams_default_threaded: int = 50
    streams_default_async: int = 10000
    max_streams_per_ip: int = 50
    max_streams_per_user: int = 20
    #: How often an open stream asks the app again who its user is (a logout ends it).
    identity_recheck: float = 30.0
    #: A stream ends after this many seconds (None: never); the browser reconnects at
    #: once and resumes from its last id, nothing lost. So every identity source is
    #: asked again at least this often (flask-login's user is cached for a request's
    #: life, so its logout is seen at the next stream), and proxies that cut long
    #: responses are not waited for.
    stream_lifetime: float | None = 300.0
    #: How often a WSGI stream looks whether its client has gone.
    disconnect_poll: float = 1.0
    #: A write that makes no progress for this long ends the stream (a client that
    #: stopped reading cannot hold a thread).
    write_timeout: float = 10.0
    #: Trust ``X-Forwarded-Proto: https`` from a proxy: the anonymous cookie is then Secure.
    trust_forwarded_proto: bool = False
    #: Behind one reverse proxy that appends the client's address to X-Forwarded-For:
    #: the per-IP limits count that address (the last one) rather than the proxy's.
    trust_forwarded_for: bool = False
    cookie_name: str = "dash_notify_browser"
    cookie_max_age: int = 400 * 24 * 3600

    @classmethod
    def of(cls, hub: Any) -> WebSettings:
        """The settings of a hub; an unknown name in its ``web`` options is a ValueError."""
        values: dict[str, Any] = {
            "max_body": hub.max_body,
            "rate_limit": tuple(hub.rate_limit),
            "keepalive": hub.keepalive,
        }
        options = dict(getattr(hub, "web_options", None) or {})
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ValueError(
                f"web: {unknown[0]!r} is not an option; allowed: {', '.join(sorted(known))}"
            )
        return cls(**{**values, **options})

    def browser_rate(self, route: str) -> tuple[int, int]:
        """The (requests, seconds) limit of a browser route, per identity."""
        return tuple(self.browser_rates.get(route, BROWSER_RATES[route]))  # type: ignore[return-value]


def user_function(hub: Any) -> Callable[..., Any] | None:
    """The app's ``user`` function (None: every browser is anonymous)."""
    return getattr(hub, "user_function", None)
