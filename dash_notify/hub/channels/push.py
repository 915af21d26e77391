"""The Web Push channel: each notification to each subscribed browser of its
recipients, through the browser's push service, while no tab of the app is open.

Who receives: a notification for ``user:<id>`` goes to each subscription of that user;
for ``"*"`` to every subscription; for ``group:<name>`` to each subscribed user the
app's ``groups`` function puts in that group (the groups of every subscribed user are
asked, remembered for ``group_cache_seconds``: groups themselves cannot be listed).
Close messages are not pushed (a push must show a notification in Chromium).

Each delivery is one subscription (recipient ``user:<id>#<subscription id>``). When it
is sent: a subscription removed meanwhile, or now belonging to another user (the
browser signed in as someone else), is skipped; so is a notification the user has
already seen. The request (pywebpush: RFC 8291 aes128gcm encryption, RFC 8292 VAPID
signature) carries ``TTL``, ``Urgency`` from the severity and ``Topic`` from the tag
(:mod:`..push.payload`).

What the push service answers: 201 (or 200/202) sent; 404 and 410 mean the
subscription is gone: the delivery fails with that reason and the subscription is
removed; 429 and 5xx are retried with the runner's backoff (at least the service's
``Retry-After``); a push service that cannot be reached or does not answer within
``timeout`` is retried, then fails. Other answers (400, 403: the subscription was made
with another key, 413) fail at once. Redirects are never followed.

Nothing stalls: ``concurrency`` requests run at once (one slow push service does not
hold the others' requests back), each bounded by ``timeout``; once a push service
fails to answer, the rest of the batch for it is retried later without waiting again;
and what has not started ``batch_seconds`` after the batch began is retried later, so
a batch stays well within the runner's lease (its first push always starts, so even a
slow machine moves every batch on).
"""

from __future__ import annotations

import concurrent.futures
import email.utils
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

try:
    import requests
    from pywebpush import WebPushException, webpush
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"the push channel needs the push extra: pip install 'dash_notify[push]' ({error})"
    ) from error

from ..model import Message
from ..push.payload import payload, topic, urgency
from ..push.subscription import Subscription, check_resolved
from ..push.vapid import VapidKeys, vapid_keys
from ..targets import EVERYONE, Identity
from .base import Channel, Failed, Outcome, Outgoing, Retry, RetryPolicy, Sent, Skipped

if TYPE_CHECKING:
    from ..core import Hub

GONE = (404, 410)
MAX_RESPONSE = 65536  # bytes of a push service's answer that are read
MAX_RETRY_AFTER = 3600.0


class _Session(requests.Session):
    """A session that never follows redirects (a push service does not redirect; a
    redirect could point anywhere), verifies TLS against ``verify`` whatever the
    environment says (requests lets ``REQUESTS_CA_BUNDLE`` override a session's), and
    reads at most ``MAX_RESPONSE`` bytes of an answer: the endpoint is a URL a browser
    gave, so its server may be anyone's (pywebpush reads the whole body otherwise)."""

    def __init__(self, verify: str | bool, pool: int):
        super().__init__()
        self._verify = verify
        adapter = requests.adapters.HTTPAdapter(pool_connections=pool, pool_maxsize=pool)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs["allow_redirects"] = False
        kwargs["verify"] = self._verify
        kwargs["stream"] = True
        response = super().request(method, url, *args, **kwargs)
        try:
            body = response.raw.read(MAX_RESPONSE + 1, decode_content=True) or b""
        except Exception:  # reading an answer we do not need must not fail the push
            body = b""
        if len(body) > MAX_RESPONSE:
            response.raw.close()  # the rest is never read: the connection is not reused
        response._content = body[:MAX_RESPONSE]
        response._content_consumed = True
        response.close()
        return response


@dataclass(frozen=True)
class _Target:
    """One delivery ready to send: the subscription and the request's content."""

    index: int
    subscription: Subscription
    data: bytes
    headers: dict[str, str]


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date), capped at an hour."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}".lower()


class PushChannel(Channel):
    """Sends notifications by Web Push.

    ``private_key`` (a file, PEM or base64url; see ``dash-notify vapid generate``) and
    ``contact`` (``mailto:`` or ``https:``) default to ``DASH_NOTIFY_VAPID_PRIVATE_KEY``
    and ``DASH_NOTIFY_VAPID_CONTACT``; without them this raises ``VapidConfigError``
    saying how to make them. ``ttl``: seconds a push service keeps a push for a browser
    that is offline. ``allow_private``: accept endpoints on loopback and private
    addresses (tests, an in-house push service); off, they are refused when
    subscribing and when sending. ``ca_bundle``: a CA file to verify push services
    with instead of the system's (a test's own push service).
    """

    batch_size = 100
    retry = RetryPolicy(delays=(1.0, 5.0, 30.0, 120.0, 600.0))

    def __init__(
        self,
        private_key: str | None = None,
        contact: str | None = None,
        *,
        name: str = "push",
        ttl: int = 86400,
        allow_private: bool = False,
        concurrency: int = 16,
        timeout: float = 10.0,
        batch_seconds: float = 20.0,
        group_cache_seconds: float = 5.0,
        ca_bundle: str | None = None,
    ):
        self.keys: VapidKeys = vapid_keys(private_key, contact)
        self.name = name
        if not isinstance(ttl, int) or not 0 <= ttl <= 2419200:
            raise ValueError(f"ttl: must be 0 to 2419200 seconds (28 days), got {ttl!r}")
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 256:
            raise ValueError(f"concurrency: must be 1 to 256, got {concurrency!r}")
        if not timeout > 0:
            raise ValueError(f"timeout: must be > 0 seconds, got {timeout!r}")
        self.ttl = ttl
        self.allow_private = allow_private
        self.concurrency = concurrency
        self.timeout = timeout
        self.batch_seconds = batch_seconds
        self.group_cache_seconds = group_cache_seconds
        self.verify: str | bool = ca_bundle or True
        self._local = threading.local()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._identities: dict[str, tuple[float, Identity]] = {}

    @property
    def public_key(self) -> str:
        """The applicationServerKey browsers subscribe with."""
        return self.keys.public_key

    # -- who receives ----------------------------------------------------------------
    def recipients(self, message: Message, hub: Hub) -> Iterable[str]:
        if message.kind != "notify":
            return []
        targets = message.targets
        users = {t[len("user:") :] for t in targets if t.startswith("user:")}
        if EVERYONE in targets or any(t.startswith("group:") for t in targets):
            for user in hub.stores.push.users():
                if user not in users and (
                    EVERYONE in targets or self._identity(hub, user).receives(targets)
                ):
                    users.add(user)
        return [f"user:{s.user}#{s.id}" for s in hub.stores.push.of_users(users)]

    def _identity(self, hub: Hub, user: str) -> Identity:
        now = time.monotonic()
        cached = self._identities.get(user)
        if cached is not None and now - cached[0] < self.group_cache_seconds:
            return cached[1]
        if len(self._identities) > 100_000:
            self._identities.clear()
        identity = hub.identity(user)
        self._identities[user] = (now, identity)
        return identity

    # -- sending ---------------------------------------------------------------------
    def send(self, batch: Sequence[Outgoing], hub: Hub) -> Sequence[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(batch)
        targets = self._prepare(batch, hub, outcomes)
        started = time.monotonic()
        down: dict[str, str] = {}
        refused: dict[str, str | None] = {}
        lock = threading.Lock()
        begun = [0]  # pushes started; the first always starts, so every batch moves on

        def one(target: _Target) -> Outcome:
            origin = _origin(target.subscription.endpoint)
            with lock:
                if origin in down:
                    return Retry(f"push service {origin} unreachable: {down[origin]}")
            if origin not in refused:  # once per push service and batch
                refused[origin] = check_resolved(
                    target.subscription.endpoint, allow_private=self.allow_private
                )
            if refused[origin] is not None:
                return Failed(f"endpoint: {refused[origin]}; subscription removed")
            with lock:
                if begun[0] and time.monotonic() - started > self.batch_seconds:
                    return Retry("not sent: the batch ran out of time (batch_seconds)")
                begun[0] += 1
            outcome = self._post(target)
            if isinstance(outcome, Retry) and outcome.error.startswith("unreachable"):
                with lock:
                    down.setdefault(origin, outcome.error)
            return outcome

        for target, outcome in zip(targets, self._executor().map(one, targets)):
            outcomes[target.index] = outcome
        now = round(time.time(), 3)
        gone = [t.subscription.id for t in targets if _gone(outcomes[t.index])]
        sent = [t.subscription.id for t in targets if isinstance(outcomes[t.index], Sent)]
        if gone:
            hub.stores.push.remove(gone)
        if sent:
            hub.stores.push.succeeded(sent, now)
        return [o if o is not None else Retry("not sent") for o in outcomes]

    def _prepare(
        self, batch: Sequence[Outgoing], hub: Hub, outcomes: list[Outcome | None]
    ) -> list[_Target]:
        """The deliveries to send; the others' outcomes (skipped, failed) filled in."""
        ids = {item.recipient.rpartition("#")[2] for item in batch}
        found = hub.stores.push.get(sorted(ids))
        by_user: dict[str, list[int]] = {}
        for item in batch:
            user = item.recipient[len("user:") :].rpartition("#")[0]
            by_user.setdefault(user, []).append(item.message.id)
        seen = {user: hub.stores.seen.seen_at(user, mids) for user, mids in by_user.items()}
        bodies: dict[int, bytes | None] = {}
        targets: list[_Target] = []
        for index, item in enumerate(batch):
            user, _, sid = item.recipient[len("user:") :].rpartition("#")
            subscription = found.get(sid)
            message = item.message
            if subscription is None:
                outcomes[index] = Skipped("subscription removed")
            elif subscription.user != user:
                outcomes[index] = Skipped("the browser's subscription is now another user's")
            elif message.id in seen[user]:
                outcomes[index] = Skipped("already seen")
            else:
                if message.id not in bodies:
                    try:
                        bodies[message.id] = payload(message)
                    except ValueError:
                        bodies[message.id] = None
                data = bodies[message.id]
                if data is None:
                    outcomes[index] = Failed("the notification does not fit in a push (4 KB)")
                    continue
                headers = {"Urgency": urgency(message.options)}
                if (name := topic(message.options.get("tag"))) is not None:
                    headers["Topic"] = name
                targets.append(_Target(index, subscription, data, headers))
        return targets

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    self.concurrency, thread_name_prefix=f"dash_notify-{self.name}"
                )
            return self._pool

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = _Session(self.verify, pool=4)
        return session

    def _post(self, target: _Target) -> Outcome:
        """One push request and what its answer means."""
        try:
            webpush(
                subscription_info=target.subscription.info(),
                data=target.data,
                vapid_private_key=self.keys.vapid,
                vapid_claims={"sub": self.keys.contact},
                ttl=self.ttl,
                headers=dict(target.headers),
                timeout=self.timeout,
                requests_session=self._session(),
            )
        except WebPushException as error:
            return _answer(error)
        except requests.exceptions.RequestException as error:
            return Retry(f"unreachable: {type(error).__name__}: {str(error)[:300]}")
        return Sent()

    def close(self) -> None:
        """Stop the sending threads (the hub's runner does not need it; tests do)."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None


def _gone(outcome: Outcome | None) -> bool:
    """Whether the outcome removes the subscription (expired, or refused endpoint)."""
    return isinstance(outcome, Failed) and outcome.error.startswith(
        ("HTTP 404", "HTTP 410", "endpoint:")
    )


def _answer(error: WebPushException) -> Outcome:
    """The outcome for a push service's refusal."""
    status = error.status_code
    if status is None:
        return Retry(f"unreachable: {error.message[:300]}")
    if status in GONE:
        return Failed(f"HTTP {status}: the subscription has expired or was removed; removed")
    if status == 429 or status >= 500:
        return Retry(f"HTTP {status} from the push service", retry_after(error.retry_after))
    if 300 <= status < 400:
        return Failed(f"HTTP {status}: the push service redirected; redirects are not followed")
    return Failed(f"HTTP {status} from the push service: {_text(error)}")


def _text(error: WebPushException) -> str:
    try:
        return (error.response.text or "")[:200]
    except AttributeError:
        return ""
