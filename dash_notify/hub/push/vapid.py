"""VAPID (RFC 8292): the app server's key pair and contact, which push services use to
tell who sends to a subscription.

The private key signs a short-lived JWT on every push request; the public key, in the
form the browser's ``pushManager.subscribe({applicationServerKey})`` takes (the
uncompressed P-256 point, base64url without padding), ties each subscription to this
key: a push signed by another key is refused by the push service. The contact
(``mailto:`` or ``https:``) is the JWT's ``sub``, so that a push service can reach the
sender. Keys are made and read by py-vapid; nothing here does cryptography itself.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid
from py_vapid.utils import b64urlencode

PRIVATE_KEY_ENV = "DASH_NOTIFY_VAPID_PRIVATE_KEY"
CONTACT_ENV = "DASH_NOTIFY_VAPID_CONTACT"
HOW_TO = (
    "make a key pair with `dash-notify vapid generate --out vapid_private.pem`, then pass "
    f"private_key= and contact= (or set {PRIVATE_KEY_ENV} to the key file's path or the "
    f"key itself, and {CONTACT_ENV} to 'mailto:you@example.com' or an https URL)"
)
# What py-vapid accepts as a JWT "sub", and what RFC 8292 section 2.1 asks: a mailto:
# address or an https URL to reach the sender.
_CONTACT = re.compile(r"^(mailto:[^@\s]+@[^@\s]+|https://[^\s/]+(/\S*)?)$", re.IGNORECASE)


class VapidConfigError(ValueError):
    """The push settings are missing or unusable (``field`` names which); the message
    says how to make them."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class VapidKeys:
    """A VAPID signer: the private key (a py-vapid ``Vapid``) and the contact."""

    vapid: Vapid
    contact: str

    @property
    def public_key(self) -> str:
        """The applicationServerKey the browser subscribes with (base64url, 65 bytes)."""
        return application_server_key(self.vapid)


def application_server_key(vapid: Vapid) -> str:
    """The public key as ``pushManager.subscribe`` takes it: the uncompressed P-256
    point (65 bytes, starting 0x04), base64url without padding."""
    raw = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(raw)


def generate(path: str | os.PathLike) -> str:
    """Write a new private key (PEM, PKCS#8) to ``path``, readable and writable by its
    owner only, refusing to overwrite a file; returns the public key in the
    applicationServerKey form."""
    target = Path(path)
    vapid = Vapid()
    vapid.generate_keys()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(vapid.private_pem())
    os.chmod(target, 0o600)  # whatever the umask
    return application_server_key(vapid)


def load_private_key(value: str) -> Vapid:
    """A private key from a file path (PEM or base64 DER, as ``dash-notify vapid
    generate`` writes), a PEM text, or a base64url string (raw 32 bytes or DER)."""
    if not isinstance(value, str) or not value.strip():
        raise VapidConfigError("private_key", f"no VAPID private key given; {HOW_TO}")
    text = value.strip()
    if "-----BEGIN" not in text and len(text) < 4096 and os.path.isfile(text):
        mode = os.stat(text).st_mode & 0o077
        if mode:
            logging.getLogger("dash_notify.hub").warning(
                "VAPID private key %s is readable by others (mode %o); chmod 600 it",
                text,
                os.stat(text).st_mode & 0o777,
            )
        try:
            text = Path(text).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise VapidConfigError("private_key", f"cannot read {value!r}: {error}") from error
    try:
        if "-----BEGIN" in text:
            vapid = Vapid.from_pem(text.encode("ascii"))
        else:
            vapid = Vapid.from_string(text)
        application_server_key(vapid)  # a P-256 key with a public point
    except Exception as error:  # py-vapid raises whatever cryptography or base64 raise
        raise VapidConfigError(
            "private_key",
            f"not a P-256 private key (PEM, base64 DER or raw base64url): "
            f"{type(error).__name__}; {HOW_TO}",
        ) from error
    return vapid


def check_contact(value: str | None) -> str:
    """The contact, checked: ``mailto:<address>`` or an ``https://`` URL."""
    if not isinstance(value, str) or not value.strip():
        raise VapidConfigError("contact", f"no VAPID contact given; {HOW_TO}")
    contact = value.strip()
    if len(contact) > 500 or not _CONTACT.fullmatch(contact):
        raise VapidConfigError(
            "contact",
            f"{contact[:80]!r} is not a contact; allowed: 'mailto:<address>' or an "
            "'https://' URL (RFC 8292)",
        )
    return contact


def vapid_keys(private_key: str | None = None, contact: str | None = None) -> VapidKeys:
    """The VAPID settings from the arguments, else from ``DASH_NOTIFY_VAPID_PRIVATE_KEY``
    and ``DASH_NOTIFY_VAPID_CONTACT``; :class:`VapidConfigError` naming the missing or
    bad one, with how to make them."""
    key = private_key if private_key is not None else os.environ.get(PRIVATE_KEY_ENV)
    who = contact if contact is not None else os.environ.get(CONTACT_ENV)
    return VapidKeys(load_private_key(key or ""), check_contact(who))
