"""Signed, expiring links: ``<payload>.<signature>``, both base64url, the signature an
HMAC-SHA256 of the payload with the app's secret. The payload names the user, the
purpose (``open`` a notification, ``unsubscribe``), the notification and the expiry:
a link cannot be forged, altered, used for another purpose or after it expired, and
the routes that take it check that the browser's user is the link's user."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass

PURPOSES = ("open", "unsubscribe")


class LinkError(ValueError):
    """A link that is malformed, badly signed, for another purpose or expired
    (``expired`` tells the last apart)."""

    def __init__(self, message: str, *, expired: bool = False):
        self.expired = expired
        super().__init__(message)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Grant:
    """What a valid link allows: ``purpose`` for ``user`` (about ``notification``)."""

    user: str
    purpose: str
    notification: int | None
    expires: float


class Links:
    """Signs and checks links with ``secret`` (at least 32 characters; default
    ``$DASH_NOTIFY_EMAIL_SECRET``)."""

    def __init__(self, secret: str | bytes | None = None):
        secret = secret if secret is not None else os.environ.get("DASH_NOTIFY_EMAIL_SECRET")
        if not secret or len(secret) < 32:
            raise ValueError(
                "secret: the email channel signs its links with a secret of at least 32 "
                "characters (secret=... or DASH_NOTIFY_EMAIL_SECRET); make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        self._key = secret.encode("utf-8") if isinstance(secret, str) else secret

    def _signature(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest)

    def sign(
        self, user: str, purpose: str, notification: int | None, lifetime: float, now: float
    ) -> str:
        """A link token for ``purpose`` by ``user``, valid ``lifetime`` seconds."""
        if purpose not in PURPOSES:
            raise ValueError(f"purpose: {purpose!r}; allowed: {', '.join(PURPOSES)}")
        body = {"u": user, "p": purpose, "n": notification, "e": int(now + lifetime)}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode("utf-8"))
        return f"{payload}.{self._signature(payload)}"

    def check(self, token: str, purpose: str, now: float | None = None) -> Grant:
        """The grant of a valid token for ``purpose``; LinkError otherwise."""
        if (
            not isinstance(token, str)
            or len(token) > 2000
            or not token.isascii()
            or token.count(".") != 1
        ):
            raise LinkError("the link is not one of ours")
        payload, signature = token.split(".")
        if not hmac.compare_digest(self._signature(payload), signature):
            raise LinkError("the link's signature does not match")
        try:
            body = json.loads(_unb64(payload))
            grant = Grant(str(body["u"]), str(body["p"]), body["n"], float(body["e"]))
        except (ValueError, KeyError, TypeError):
            raise LinkError("the link is not one of ours") from None
        if grant.purpose != purpose:
            raise LinkError(f"the link is for {grant.purpose}, not {purpose}")
        if grant.expires < (time.time() if now is None else now):
            raise LinkError("the link has expired", expired=True)
        return grant
