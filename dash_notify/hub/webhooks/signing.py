"""Standard Webhooks signatures (https://www.standardwebhooks.com): ``whsec_`` secrets
and the ``v1`` HMAC-SHA256 of ``<webhook-id>.<webhook-timestamp>.<payload>``.

The tests verify these signatures with the ``standardwebhooks`` package, not with this
code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh secret: ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def signature(secret: str, webhook_id: str, timestamp: int, payload: str) -> str:
    """``v1,<base64 HMAC-SHA256>`` of the signed content under ``secret``."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = f"{webhook_id}.{timestamp}.{payload}".encode()
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(secrets_: tuple[str, ...], webhook_id: str, timestamp: int, payload: str):
    """The ``webhook-signature`` header: one signature per secret, space-separated (two
    while a rotated secret is still honoured)."""
    return " ".join(signature(s, webhook_id, timestamp, payload) for s in secrets_)
