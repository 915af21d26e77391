"""The hub: publish notifications from anywhere, deliver them live to the right users'
browsers and on every channel, and keep every one of them, with per-user seen state.

This module knows no web framework: Python code, the command line and the web layer
(:mod:`.web`, which serves the HTTP API on Flask, FastAPI or Quart) all publish through
:meth:`Hub.submit`, the one door (validation, targets, token limits, store, wake-up).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..options import NotificationOptionsError, options_schema, validate_options
from ..schema_validator import SchemaError
from .channels.base import Channel
from .channels.runner import Runner
from .live import Dispatcher
from .model import (
    TOKEN_PERMISSIONS,
    Delivery,
    DeliveryState,
    Message,
    MessageKind,
    Origin,
    Position,
    PublishDeniedError,
    Seen,
    Token,
)
from .preferences import PreferenceConfig, PreferenceService, UserPreferences
from .preferences.service import user_of
from .push.service import Push
from .stores import Stores, open_stores
from .targets import Identity, may_reach, parse_targets
from .webhooks.api import Webhooks
from .webhooks.seen import emit_seen, unseen

# How long a token lookup is remembered in a process (a revoked token stops working
# within this many seconds everywhere).
TOKEN_CACHE_SECONDS = 2.0
TAG_LIMIT: int = options_schema()["properties"]["tag"]["maxLength"]


class Hub:
    """A notification hub on a store, optionally serving a Dash app.

    ``app``: the Dash app whose users receive notifications (its HTTP API and event
    stream are added to it, on Flask, FastAPI or Quart), or None in a process that only
    publishes or runs channels (a cron job, a worker). ``store``: a store URL
    (``"sqlite:///notifications.db"``, ``"redis://127.0.0.1:6379/0"``) or stores from
    ``open_stores``; every process that opens the same store shares its notifications.

    ``user``: who the user of a request is: a function with no argument (called during
    the request, as flask-login's ``current_user`` needs) or with one, the request (see
    the README), returning a user id, or None for a visitor; without it, or when it
    returns None, each browser is an anonymous user of its own. ``groups``: a function
    from a user id to the groups (topics) that user is in.

    ``channels``: channels that deliver beyond open tabs (see :mod:`.channels`);
    ``run``: whether this process runs them and the retention (default: when there is an
    app; ``dash-notify worker`` runs them in a process of its own). Across any number of
    processes, each channel is sent by one at a time (a lease in the store);
    ``lease_seconds`` is how soon another process takes over from one that died.

    ``retention_days``: notifications older than this are removed (None keeps them);
    ``keep_unseen`` keeps those a named recipient has not seen yet. ``max_body`` (bytes)
    and ``rate_limit`` (requests, seconds) per token bound the HTTP ingest;
    ``keepalive`` is the event stream's keepalive interval; ``ntfy_at_root`` also takes
    ntfy's publish paths at the app's root. ``web`` holds further options of the web
    layer (stream limits, proxies; see the README's deployment guide).

    ``preferences``: the app's defaults for users' delivery preferences (``channels``,
    ``categories``, ``required``, ``email``; see :mod:`.preferences` and the README).
    """

    def __init__(
        self,
        app: Any = None,
        store: str | Stores = "sqlite:///dash_notify.db",
        *,
        user: Callable[..., str | None] | None = None,
        groups: Callable[[str], Iterable[str]] | None = None,
        channels: Sequence[Channel] = (),
        run: bool | None = None,
        lease_seconds: float = 30.0,
        retention_days: float | None = 14,
        keep_unseen: bool = False,
        max_body: int = 8192,
        rate_limit: tuple[int, int] = (120, 60),
        keepalive: float = 15.0,
        ntfy_at_root: bool = False,
        web: Mapping[str, Any] | None = None,
        preferences: Mapping[str, Any] | None = None,
    ):
        self.stores: Stores = open_stores(store) if isinstance(store, str) else store
        self.user_function = user
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
        self.ntfy_at_root = ntfy_at_root
        self.web_options: dict[str, Any] = dict(web or {})
        self.preference_service = PreferenceService(self, PreferenceConfig.parse(preferences))
        self.live = Dispatcher(self.stores.messages, prepare=self.preference_service.warm)
        self._tokens: dict[str, tuple[float, Token | None]] = {}
        self._tokens_lock = threading.Lock()
        self.runner = Runner(self, channels, lease_seconds=lease_seconds)
        self.push = Push(self)  # Web Push subscriptions (hub/push/service.py)
        self.webhooks = Webhooks(self)
        self.app = app
        self.current_user: Callable[[], str] | None = None  # set by the web layer
        self.current_actor: Callable[[], str | None] | None = None  # likewise
        if app is not None:
            from .web import attach  # the web layer, only when there is an app to serve

            attach(app, self)
        if run if run is not None else app is not None:
            self.runner.start()

    @property
    def channels(self) -> tuple[Channel, ...]:
        """The channels this hub delivers on."""
        return self.runner.channels

    def preferences(self, user: str | Identity) -> UserPreferences:
        """A user's delivery preferences: ``.get()``, ``.set({...})``, ``.update({...})``
        (PreferenceError naming the field and the allowed values for bad input)."""
        return UserPreferences(self.preference_service, user_of(user))

    # -- the publish door ----------------------------------------------------------
    def submit(
        self,
        options: Any,
        to: str | Sequence[str],
        origin: Origin,
        *,
        kind: MessageKind = "notify",
    ) -> Message:
        """Check and store one message, and wake every follower: the one door through
        which Python, the command line and every HTTP format publish.

        Raises ``TargetError`` for a bad target, ``PublishDeniedError`` (with ``field``) for a
        target or an option the origin's token may not use, ``NotificationOptionsError``
        naming the field for bad options, ``StoreUnavailableError`` when nothing could be
        stored. Nothing is stored unless every check passed.

        The message's ``actor`` is the user of the request being handled when the app's
        own code publishes (in a callback: its caller, ``hub.me()``); None for a token,
        and outside a request (jobs, threads, the command line).
        """
        targets = parse_targets(to)
        token = origin.token
        if token is not None and not token.may_publish:
            raise PublishDeniedError(
                "Authorization",
                f"token {token.name!r} is a read token (the app lets it publish with 'publish')",
                ("publish",),
            )
        if token is not None:
            denied = may_reach(token.targets, targets)
            if denied:
                raise PublishDeniedError(
                    "to",
                    f"token {token.name!r} may not publish to {', '.join(denied)}",
                    token.targets,
                )
        if kind == "close":
            checked = _close_options(options)
        else:
            checked = validate_options(dict(options) if isinstance(options, Mapping) else options)
            if token is not None:
                _check_permissions(checked, token)
        actor = self._request_user() if token is None else None
        return self.stores.messages.append(checked, targets, origin.publisher, kind, actor)

    def publish(
        self, options: Mapping[str, Any], *, to: str | Sequence[str], publisher: str = "python"
    ) -> int:
        """Store a notification for ``to`` and deliver it live and on every channel;
        returns its id.

        ``to``: ``"*"`` (everyone), ``"user:<id>"``, ``"group:<name>"`` or a list of them
        (``dash_notify.user()`` and ``dash_notify.group()`` build them). The options are
        those of ``raise``, validated the same way: a mistake raises
        ``NotificationOptionsError`` naming the field, a bad target ``TargetError``, an
        unreachable store ``StoreUnavailableError``; nothing is stored then. Python
        code is trusted: it may set ``clickInterop`` and ``source``. Callable from
        callbacks, background callbacks, threads and other processes that open the same
        store.
        """
        return self.submit(options, to, Origin(publisher)).id

    def close(self, tag: str, *, to: str | Sequence[str]) -> int:
        """Close the notification with ``tag`` (its toast and desktop notification) in
        every browser of ``to``, as a job that finished takes its "in progress"
        notification away; returns the id of the close message."""
        return self.submit({"tag": tag}, to, Origin.python(), kind="close").id

    # -- who is asking -------------------------------------------------------------
    def identity(self, user_id: str) -> Identity:
        """The identity of a user: their id and the groups the app says they are in."""
        groups = frozenset(str(g) for g in self._groups(user_id)) if self._groups else frozenset()
        return Identity(str(user_id), groups)

    def me(self) -> str:
        """The target for the user of the current request (in a callback: its caller)."""
        if self.current_user is None:
            raise RuntimeError("hub.me() needs a request: call it in a callback of the hub's app")
        return f"user:{self.current_user()}"

    def _request_user(self) -> str | None:
        """The user id of the request being handled, or None outside one (a job, a
        thread, the command line) and for a request from no browser of the app's."""
        return self.current_actor() if self.current_actor is not None else None

    @staticmethod
    def user_key(identity: Identity) -> str:
        """A short, stable digest of a user id (what the browser is told of it)."""
        return hashlib.sha256(identity.user.encode("utf-8")).hexdigest()[:16]

    def authenticate(self, secret: str) -> Token | None:
        """The live token with this secret, or None (remembered for a moment)."""
        now = time.monotonic()
        with self._tokens_lock:
            cached = self._tokens.get(secret)
        if cached is not None and now - cached[0] < TOKEN_CACHE_SECONDS:
            return cached[1]
        token = self.stores.tokens.find(secret)
        with self._tokens_lock:
            if len(self._tokens) > 1000:
                self._tokens.clear()
            self._tokens[secret] = (now, token)
        return token

    def rate(self, key: str, limit: tuple[int, float] | None = None) -> float | None:
        """Count one request for ``key`` against ``limit`` (requests, seconds; the token
        rate limit by default), in the store so that every process counts together.
        None when allowed, else the seconds to wait."""
        requests, seconds = limit or self.rate_limit
        return self.stores.limits.take(key, int(requests), float(seconds), time.time())

    # -- reading ---------------------------------------------------------------------
    def position(self) -> Position:
        """The store's epoch and newest message id."""
        return self.stores.messages.position()

    def replay(self, identity: Identity, after: int, limit: int = 500) -> list[Message]:
        """A user's messages after id ``after``, oldest first (what a stream missed)."""
        return self.stores.messages.after(identity.targets, after, limit)

    def history(
        self, identity: Identity, limit: int = 100, before: int | None = None
    ) -> list[tuple[Message, float | None]]:
        """A user's notifications, newest first, with the time they saw each (or None)."""
        messages = [
            m
            for m in self.stores.messages.newest(identity.targets, limit, before)
            if m.kind == "notify"
        ]
        seen = self.stores.seen.seen_at(identity.user, [m.id for m in messages])
        return [(m, seen.get(m.id)) for m in messages]

    def mark_seen(self, identity: Identity, ids: Iterable[int] | None) -> Seen | None:
        """Mark a user's notifications seen (everything so far when ``ids`` is None), in
        every browser of theirs. Returns what was newly marked (``Seen.ids``, and
        ``Seen.upto`` for "everything up to this id", which is one mark however many
        notifications there are), or None when nothing was new.

        Webhook rules that want ``notification.seen`` get one event per notification
        newly seen (see :mod:`.webhooks.seen` for "everything so far")."""
        if ids is None:
            upto = self.position().last
            before = unseen(self, identity, upto)
            marked = self.stores.seen.mark(identity.user, (), upto=upto)
            emit_seen(self, identity, marked, before)
            return marked
        visible = self.stores.messages.visible(identity.targets, ids)
        marked = self.stores.seen.mark(identity.user, visible) if visible else None
        emit_seen(self, identity, marked)
        return marked

    def deliveries(
        self,
        *,
        channel: str | None = None,
        message_id: int | None = None,
        recipient: str | None = None,
        state: DeliveryState | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        """The delivery log of the channels, newest first: each notification to each
        recipient on each channel, with its state (queued, sent, failed, skipped), its
        attempts and last error."""
        return self.stores.channels.deliveries(
            channel=channel, message_id=message_id, recipient=recipient, state=state, limit=limit
        )

    # -- tokens and retention ----------------------------------------------------------
    def create_token(
        self, name: str, to: str | Sequence[str], *, allow: Sequence[str] = ()
    ) -> tuple[Token, str]:
        """A publishing token allowed to reach ``to`` (``"user:*"`` and ``"group:*"``
        allowed) and to set what ``allow`` names (``"interop"``: ``clickInterop`` and
        action ``interop``; ``"source"``: any ``source``; ``"admin"``: manage webhook
        rules); returns it and its secret, which is shown only this once.

        ``"read"`` makes a read token: it subscribes to the messages addressed to what
        ``to`` reaches (``"group:deploys"``: that topic's; ``"user:*"``: every user's
        direct messages; ``"*"``: everything) and may not publish, unless ``"publish"``
        is allowed too."""
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise ValueError(f"name: must be 1-100 characters, got {name!r}")
        bad = [a for a in allow if a not in TOKEN_PERMISSIONS]
        if bad:
            raise ValueError(
                f"allow: {bad[0]!r} is not a permission; allowed: {', '.join(TOKEN_PERMISSIONS)}"
            )
        return self.stores.tokens.add(
            name.strip(), parse_targets(to, wildcards=True), tuple(sorted(set(allow)))
        )

    def revoke_token(self, token_id: str) -> bool:
        """Revoke a token by id; False when there is none."""
        found = self.stores.tokens.revoke(token_id)
        with self._tokens_lock:
            self._tokens.clear()
        return found

    def tokens(self) -> list[Token]:
        """Every token (without secrets)."""
        return self.stores.tokens.all()

    def purge(self) -> int:
        """Apply the retention now; returns how many notifications were removed."""
        if self.retention_days is None:
            return 0
        before = time.time() - self.retention_days * 86400
        removed = 0
        after = 0
        while True:
            page = self.stores.messages.old(before, after, 500)
            if not page:
                return removed
            after = page[-1][0]
            doomed = [i for i, targets in page if not self._kept(i, targets)]
            if doomed:
                self.stores.messages.remove(doomed)
                self.stores.seen.forget(doomed)
                self.stores.channels.forget(doomed)
                removed += len(doomed)

    def _kept(self, message_id: int, targets: tuple[str, ...]) -> bool:
        """With ``keep_unseen``: a message to named users stays until each has seen it
        (everyone and groups have no closed list of recipients and age out by time)."""
        if not self.keep_unseen:
            return False
        users = [t[len("user:") :] for t in targets if t.startswith("user:")]
        return any(message_id not in self.stores.seen.seen_at(u, [message_id]) for u in users)

    def stop(self) -> None:
        """Stop this process's live fan-out and channel runner, and close the store.
        Returns at once unless a channel is sending (then up to 5 s for its batch)."""
        self.live.stop()
        self.runner.stop()
        self.stores.close()


def _close_options(options: Any) -> dict[str, Any]:
    tag = options.get("tag") if isinstance(options, Mapping) else None
    if not isinstance(tag, str) or not tag or len(tag) > TAG_LIMIT:
        raise NotificationOptionsError(
            [SchemaError("tag", "type", f"tag: must be a string of 1 to {TAG_LIMIT} characters")]
        )
    return {"tag": validate_options({"title": "close", "tag": tag})["tag"]}


def _check_permissions(options: Mapping[str, Any], token: Token) -> None:
    """A token may make a click run the app's interop handlers, or claim any source,
    only when the app allowed it (``allow``); its own name is always a true source."""
    if "interop" not in token.allow:
        if "clickInterop" in options:
            raise PublishDeniedError(
                "clickInterop",
                f"token {token.name!r} may not set it (the app allows it with 'interop')",
            )
        for index, item in enumerate(options.get("actions") or []):
            if isinstance(item, Mapping) and "interop" in item:
                raise PublishDeniedError(
                    f"actions[{index}].interop",
                    f"token {token.name!r} may not set it (the app allows it with 'interop')",
                )
    source = options.get("source")
    if source is not None and source != token.name and "source" not in token.allow:
        raise PublishDeniedError(
            "source",
            f"token {token.name!r} may only give its own name as the source "
            "(the app allows any with 'source')",
            (token.name,),
        )
