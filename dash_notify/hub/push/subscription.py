"""A Web Push subscription as the hub keeps it, and the checks a subscription from a
browser must pass before it is stored.

A browser's ``PushSubscription.toJSON()`` is ``{"endpoint": "https://...",
"expirationTime": null, "keys": {"p256dh": "...", "auth": "..."}}``: the push
service's URL for that browser, the browser's P-256 public key (65 bytes, the
uncompressed point) and its 16-byte authentication secret, both base64url (RFC 8291).
Anything else is refused with :class:`PushSubscriptionError` naming the field.

The endpoint is a URL the hub will POST to, given by a browser: it must be https, and
an address on a loopback, private, link-local or otherwise non-public network is
refused (server-side request forgery) unless the app allows it (a test receiver, an
in-house push service). A name that resolves to such an address is refused when
sending (see :func:`check_resolved`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..addresses import refused_address, resolve_host

MAX_ENDPOINT = 2048
MAX_USER_AGENT = 512
MAX_LANG = 35
P256DH_BYTES = 65
AUTH_BYTES = 16
_BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_LOCAL_NAMES = ("localhost", "localhost.", "localhost.localdomain")


class PushSubscriptionError(ValueError):
    """A subscription that is not a valid Push API subscription, or not allowed here:
    ``field`` names the part (``endpoint``, ``keys.p256dh``, ``keys.auth``, ``lang``,
    ``userAgent``), the message what was expected."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Subscription:
    """One browser's push subscription for one user (as Lino's ``Subscription``:
    user, lang, userAgent, endpoint, p256dh, auth), when it was made and when a push
    to it last succeeded. ``id`` is derived from the endpoint (one per browser)."""

    id: str
    user: str
    endpoint: str
    p256dh: str
    auth: str
    lang: str = ""
    user_agent: str = ""
    created: float = 0.0
    last_success: float | None = None

    def info(self) -> dict[str, Any]:
        """The subscription in the form pywebpush (and ``PushSubscription.toJSON``) use."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def public(self) -> dict[str, Any]:
        """What may be shown about it (no keys): for listings and the HTTP API."""
        return {
            "id": self.id,
            "user": self.user,
            "lang": self.lang,
            "userAgent": self.user_agent,
            "endpoint": self.endpoint,
            "created": self.created,
            "lastSuccess": self.last_success,
        }


def subscription_id(endpoint: str) -> str:
    """The id of the subscription with this endpoint (one per browser and app)."""
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:20]


def _decode_key(field: str, value: object, size: int) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise PushSubscriptionError(field, "must be a base64url string")
    if not _BASE64URL.fullmatch(value):
        raise PushSubscriptionError(field, "must be base64url (A-Z a-z 0-9 - _)")
    try:
        raw = base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as error:
        raise PushSubscriptionError(field, f"not base64url: {error}") from error
    if len(raw) != size:
        raise PushSubscriptionError(field, f"must decode to {size} bytes, got {len(raw)}")
    return value.rstrip("=")


def _check_p256dh(value: object) -> str:
    key = _decode_key("keys.p256dh", value, P256DH_BYTES)
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    if raw[0] != 4:
        raise PushSubscriptionError(
            "keys.p256dh", "must be an uncompressed P-256 point (65 bytes starting 0x04)"
        )
    try:  # cryptography comes with the push extra (py-vapid); the core does not need it
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        return key
    try:  # the point must be on the curve, or encryption to it fails later
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as error:
        raise PushSubscriptionError("keys.p256dh", "is not a point on P-256") from error
    return key


def check_endpoint(value: object, *, allow_private: bool = False) -> str:
    """The endpoint, checked: an https URL of at most 2048 characters with a host, no
    credentials, and (unless ``allow_private``) not a loopback or private address."""
    if not isinstance(value, str) or not value:
        raise PushSubscriptionError("endpoint", "must be the push service's https URL")
    if len(value) > MAX_ENDPOINT:
        raise PushSubscriptionError("endpoint", f"longer than {MAX_ENDPOINT} characters")
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in value) or not value.isascii():
        raise PushSubscriptionError("endpoint", "must be an ASCII URL without spaces")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as error:
        raise PushSubscriptionError("endpoint", f"not a URL: {error}") from error
    if parts.scheme.lower() != "https":
        raise PushSubscriptionError(
            "endpoint", f"must be https (RFC 8030), got {parts.scheme or 'no scheme'!r}"
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise PushSubscriptionError("endpoint", "has no host")
    if parts.username is not None or parts.password is not None:
        raise PushSubscriptionError("endpoint", "must not carry credentials (user@host)")
    if parts.fragment:
        raise PushSubscriptionError("endpoint", "must not have a #fragment")
    if port == 0:
        raise PushSubscriptionError("endpoint", "port 0 is not a port")
    if not allow_private:
        try:
            private = refused_address(host) is not None
        except ValueError:  # a name, not an address
            private = host in _LOCAL_NAMES or host.endswith((".localhost", ".localhost."))
        if private:
            raise PushSubscriptionError(
                "endpoint",
                f"{host} is a loopback or private address; refused unless the app "
                "allows it (PushChannel(allow_private=True))",
            )
    return value


def check_resolved(endpoint: str, *, allow_private: bool = False) -> str | None:
    """Before sending: None when the endpoint's host resolves only to public addresses
    (or ``allow_private``), else why not. A name that does not resolve is left to the
    request (a temporary DNS failure is retried like any unreachable push service)."""
    if allow_private:
        return None
    parts = urlsplit(endpoint)
    try:
        found = resolve_host(parts.hostname or "", parts.port or 443)
    except (OSError, UnicodeError):
        return None
    for address in found:
        why = refused_address(address)
        if why:
            return f"{parts.hostname} resolves to {address}: {why}"
    return None


def _optional_text(field: str, value: object) -> str:
    """A string the browser may leave out (None: empty)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PushSubscriptionError(field, "must be a string")
    return value


def parse_subscription(
    data: object,
    *,
    user: str,
    lang: object = None,
    user_agent: object = None,
    allow_private: bool = False,
    now: float = 0.0,
) -> Subscription:
    """A :class:`Subscription` for ``user`` from a browser's ``PushSubscription.toJSON()``
    (a mapping), or :class:`PushSubscriptionError` naming what is wrong. ``lang`` (a
    BCP 47 tag, at most 35 characters) and ``user_agent`` (cut to 512 printable
    characters) are what the browser says of itself."""
    if not isinstance(data, Mapping):
        raise PushSubscriptionError(
            "subscription", "must be an object {endpoint, keys: {p256dh, auth}}"
        )
    endpoint = check_endpoint(data.get("endpoint"), allow_private=allow_private)
    keys = data.get("keys")
    if not isinstance(keys, Mapping):
        raise PushSubscriptionError("keys", "must be an object {p256dh, auth}")
    p256dh = _check_p256dh(keys.get("p256dh"))
    auth = _decode_key("keys.auth", keys.get("auth"), AUTH_BYTES)
    language = _optional_text("lang", lang)
    if language and (len(language) > MAX_LANG or not _LANG.fullmatch(language)):
        raise PushSubscriptionError(
            "lang", f"must be a language tag like 'en' or 'de-CH' (at most {MAX_LANG} characters)"
        )
    agent = _optional_text("userAgent", user_agent)
    agent = "".join(c for c in agent if c.isprintable())[:MAX_USER_AGENT]
    return Subscription(
        id=subscription_id(endpoint),
        user=user,
        endpoint=endpoint,
        p256dh=p256dh,
        auth=auth,
        lang=language,
        user_agent=agent,
        created=now,
    )
