"""Token secrets: how they are made and the only form in which a store keeps them."""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """A fresh token secret (what the owner gives to the publishing system)."""
    return "dn_" + secrets.token_urlsafe(24)


def secret_hash(secret: str) -> str:
    """The stored form of a secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
