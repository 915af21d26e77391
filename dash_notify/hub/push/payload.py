"""What a push carries, and the RFC 8030 headers that go with it.

The payload is the event stream's ``notification`` event data (``{"id", "created",
"options", "publisher"}``), so that the service worker shows a pushed notification
through the same code as a tab shows a live one (``webOptions`` and ``makeEnvelope``,
with the center id ``hub:<id>`` and the tag defaulting to it), and knows the message
id to avoid a second popup and to mark it seen. Added: ``"v": 1`` (the payload's
version) and ``"trimmed"``: the option fields that were shortened or dropped to fit.

Push services accept 4096 bytes of encrypted body; aes128gcm adds 103 (RFC 8291
section 4: a 86-byte header, a 16-byte tag and one padding delimiter), so the JSON
may be 3993 bytes. A longer notification is cut: the body first, then ``data``, the
images, the actions, and at last the title; the browser can fetch the whole
notification from the history by its id.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from ..model import Message

MAX_PLAINTEXT = 3993  # RFC 8291 section 4: 4096 - 86 (header) - 16 (tag) - 1 (delimiter)
ELLIPSIS = "…"
# Fields dropped whole when cutting the body was not enough, in this order.
DROPPABLE = ("data", "image", "icon", "badge", "actions", "vibrate")
URGENCY = {"Critical": "high", "High": "high", "Low": "low"}
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _encode(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cut(text: str, size: int) -> str:
    """``text`` shortened to at most ``size`` UTF-8 bytes, ending with an ellipsis."""
    budget = size - len(ELLIPSIS.encode("utf-8"))
    if budget <= 0:
        return ""
    cut = text.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return cut + ELLIPSIS


def _shorten(body: dict[str, Any], options: dict[str, Any], field: str, limit: int) -> None:
    """Cut ``options[field]`` until ``body`` fits in ``limit`` bytes (or it is empty):
    JSON escapes can make a string longer than its UTF-8 bytes, so measure again."""
    original = options[field]
    options[field] = ""
    room = limit - len(_encode(body))
    if room <= 0:
        return
    options[field] = _cut(original, room)
    while options[field] and (excess := len(_encode(body)) - limit) > 0:
        options[field] = _cut(original, len(options[field].encode("utf-8")) - excess)


def payload(message: Message, limit: int = MAX_PLAINTEXT) -> bytes:
    """The JSON a push carries for ``message`` (UTF-8), at most ``limit`` bytes."""
    options = dict(message.options)
    body = {
        "v": 1,
        "id": message.id,
        "created": message.created,
        "publisher": message.publisher,
        "options": options,
        "trimmed": [],
    }
    encoded = _encode(body)
    if len(encoded) <= limit:
        return encoded
    trimmed: list[str] = body["trimmed"]  # type: ignore[assignment]
    for field in ("body", *DROPPABLE, "title"):
        if field not in options:
            continue
        trimmed.append(field)
        if isinstance(options[field], str):
            _shorten(body, options, field, limit)
        else:
            del options[field]
        encoded = _encode(body)
        if len(encoded) <= limit:
            return encoded
    # Only the title and small fields are left; whatever remains must fit.
    for field in sorted(options, key=lambda f: -len(_encode({f: options[f]}))):
        if field in ("title", "tag"):
            continue
        del options[field]
        trimmed.append(field)
        encoded = _encode(body)
        if len(encoded) <= limit:
            return encoded
    raise ValueError(f"notification {message.id}: cannot fit in {limit} bytes")


def urgency(options: Mapping[str, Any]) -> str:
    """RFC 8030 ``Urgency`` from the severity: Critical and High -> high, Low -> low,
    anything else normal."""
    return URGENCY.get(str(options.get("severity")), "normal")


def topic(tag: object) -> str | None:
    """RFC 8030 ``Topic`` from the notification's tag, so that a push still queued at
    the push service is replaced by a newer one with the same tag: the tag itself when
    it is 1-32 URL-safe base64 characters, else the first 32 characters of its
    SHA-256 in base64url. None without a tag."""
    if not isinstance(tag, str) or not tag:
        return None
    if _TOPIC.fullmatch(tag):
        return tag
    digest = hashlib.sha256(tag.encode("utf-8", "surrogatepass")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]
