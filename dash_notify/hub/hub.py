"""The hub: publish notifications from anywhere, deliver them live to the right users'
browsers and keep every one of them, with per-user seen state, in a store."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import flask

from ..options import validate_options
from .fanout import Dispatcher
from .store import Message, Store, Token, open_store
from .targets import Identity, parse_targets

BROWSER_COOKIE = "dash_notify_browser"


class Hub:
    """Attach a notification hub to a Dash app.

    ``store``: a store URL (``"sqlite:///notifications.db"``, ``"redis://127.0.0.1:6379/0"``)
    or a store object; every process that opens the same store shares its notifications.
    ``user``: a function called during a request that returns the user's id (say
    ``lambda: flask_login.current_user.get_id()`` or a header a proxy sets), or None for
    a visitor; without it, or when it returns None, each browser is an anonymous user of
    its own (a random id in an HttpOnly cookie). ``groups``: a function from a user id to
    the groups (topics) that user is in. ``retention_days``: notifications older than this
    are removed (None keeps everything); ``keep_unseen`` keeps those a named recipient
    has not seen yet. ``max_body`` (bytes) and ``rate_limit`` (requests, seconds) per
    token bound the HTTP ingest. ``ntfy_at_root`` also takes ntfy's publish paths at the
    app's own root, so that ntfy clients can use the app's URL as their server.
    """

    def __init__(
        self,
        app: Any,
        store: str | Store = "sqlite:///dash_notify.db",
        *,
        user: Callable[[], str | None] | None = None,
        groups: Callable[[str], Iterable[str]] | None = None,
        retention_days: float | None = 14,
        keep_unseen: bool = False,
        max_body: int = 8192,
        rate_limit: tuple[int, int] = (120, 60),
        keepalive: float = 15.0,
        ntfy_at_root: bool = False,
    ):
        self.store: Store = open_store(store) if isinstance(store, str) else store
        self._user = user
        self._groups = groups
        if retention_days is not None and retention_days <= 0:
            raise ValueError(f"retention_days: must be > 0 or None, got {retention_days!r}")
        self.retention_days = retention_days
        self.keep_unseen = keep_unseen
        if max_body < 256:
            raise ValueError(f"max_body: must be at least 256 bytes, got {max_body!r}")
        self.max_body = max_body
        requests, seconds = rate_limit
        if requests < 1 or seconds < 1:
            raise ValueError(f"rate_limit: (requests, seconds) must be >= 1, got {rate_limit!r}")
        self.rate_limit = (int(requests), int(seconds))
        self.keepalive = keepalive
        self.dispatcher = Dispatcher(self.store, on_idle=self.purge, idle_every=3600.0)
        self.app = app
        if app is not None:
            from .http import register

            register(self, app, ntfy_at_root=ntfy_at_root)

    # -- publishing --------------------------------------------------------------
    def publish(
        self,
        options: Mapping[str, Any],
        *,
        to: str | Sequence[str],
        publisher: str = "python",
    ) -> int:
        """Store a notification for ``to`` and deliver it live; returns its id.

        ``to``: ``"*"`` (everyone), ``"user:<id>"``, ``"group:<name>"`` or a list of
        them (``dash_notify.user()`` and ``dash_notify.group()`` build them). The options
        are those of ``raise``, validated the same way: a mistake raises
        ``NotificationOptionsError`` naming the field, a bad target ``TargetError``, and
        an unreachable store ``StoreUnavailableError``; nothing is stored then.
        Callable from callbacks, background callbacks, threads and other processes that
        open the same store.
        """
        targets = parse_targets(to)
        checked = validate_options(dict(options) if isinstance(options, Mapping) else options)
        return self.store.publish(checked, targets, publisher).id

    # -- who is asking -----------------------------------------------------------
    def identify(self) -> Identity:
        """The user of the current request (see ``user`` and ``groups``)."""
        user_id = self._user() if self._user else None
        if user_id is None or user_id == "":
            user_id = "browser:" + self._browser_id()
        user_id = str(user_id)
        groups = frozenset(str(g) for g in self._groups(user_id)) if self._groups else frozenset()
        return Identity(user_id, groups)

    def me(self) -> str:
        """The target for the user of the current request (in a callback: its caller)."""
        return f"user:{self.identify().user}"

    def _browser_id(self) -> str:
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
                path=self.app.config.requests_pathname_prefix if self.app else "/",
            )
            return response

        return fresh

    @staticmethod
    def user_key(identity: Identity) -> str:
        """A short, stable digest of a user id (what the browser is told of it)."""
        return hashlib.sha256(identity.user.encode("utf-8")).hexdigest()[:16]

    # -- reading -----------------------------------------------------------------
    def history(
        self, identity: Identity, limit: int = 100, before: int | None = None
    ) -> list[tuple[Message, float | None]]:
        """A user's notifications, newest first, with the time they saw each (or None)."""
        return self.store.history(identity.targets, identity.user, limit, before)

    def mark_seen(self, identity: Identity, ids: Iterable[int] | None) -> tuple[int, ...]:
        """Mark a user's notifications seen (all when ``ids`` is None), in every browser."""
        return self.store.mark_seen(identity.targets, identity.user, ids)

    # -- tokens and retention ----------------------------------------------------
    def create_token(self, name: str, to: str | Sequence[str]) -> tuple[Token, str]:
        """A publishing token allowed to reach ``to`` (``"user:*"`` and ``"group:*"``
        allowed); returns it and its secret, which is shown only this once."""
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise ValueError(f"name: must be 1-100 characters, got {name!r}")
        return self.store.add_token(name.strip(), parse_targets(to, wildcards=True))

    def revoke_token(self, token_id: str) -> bool:
        """Revoke a token by id; False when there is none."""
        return self.store.revoke_token(token_id)

    def tokens(self) -> list[Token]:
        """Every token (without secrets)."""
        return self.store.tokens()

    def purge(self) -> int:
        """Apply the retention now; returns how many notifications were removed."""
        if self.retention_days is None:
            return 0
        return self.store.purge(time.time() - self.retention_days * 86400, self.keep_unseen)
