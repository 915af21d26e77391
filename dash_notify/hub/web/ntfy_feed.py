"""ntfy's subscribe formats (its docs/subscribe/api.md and server.go), written by us.

Each message is ntfy's message JSON: ``id`` (ours as ``dn`` + 10 digits), ``time``,
``expires`` (when the hub's retention removes it), ``event`` (``open``, ``keepalive``,
``message``), ``topic``, ``title``, ``message`` (the body), ``priority`` 1-5 from the
severity (None 1, Low 2, Medium 3, High 4, Critical 5), ``tags``, ``click`` (the
``url`` option, made absolute), ``icon`` and ``actions`` (ntfy's "view" actions: those
with a URL). Closes by tag have no ntfy form and are not sent.

- ``/json`` and websocket: one JSON object per line (message);
- ``/sse``: ``data: <json>`` for messages, ``event: <open|keepalive>`` before the others;
- ``/raw``: the message text on one line, an empty line for anything else.

``poll=1`` sends no ``open`` event: the cached messages, then the response ends.
ntfy's filters (``message``, ``title``, ``id``, ``priority``, ``tags``:
:mod:`.ntfy_filters`) leave out the messages that do not match.
"""

from __future__ import annotations

import json
import re
import secrets
import string
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from ..model import Message, Seen
from .ntfy_filters import Filters
from .subscribe_since import ntfy_id

TOPICS = re.compile(r"^[-_A-Za-z0-9]{1,64}(,[-_A-Za-z0-9]{1,64}){0,99}$")
PRIORITY = {"None": 1, "Low": 2, "Medium": 3, "High": 4, "Critical": 5}
_HTTP = re.compile(r"^https?://[^\s\x00-\x1f\x7f]+$", re.IGNORECASE)
_ALPHABET = string.ascii_letters + string.digits
CONTENT_TYPES = {
    "json": "application/x-ndjson; charset=utf-8",
    "ws": "application/x-ndjson; charset=utf-8",
    "sse": "text/event-stream; charset=utf-8",
    "raw": "text/plain; charset=utf-8",
}


def _random_id() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def _http(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    url = urljoin(base, value)
    return url if _HTTP.match(url) else None


def _actions(kept: Any) -> list[dict[str, Any]]:
    """ntfy's actions a publisher gave (kept in ``data.ntfy``): the "view" ones, which
    open a URL (the others need ntfy's own machinery)."""
    actions = []
    for index, item in enumerate(kept if isinstance(kept, list) else []):
        if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
            continue
        url = item.get("url")
        if item.get("action", "view") == "view" and isinstance(url, str) and _HTTP.match(url):
            actions.append(
                {
                    "id": f"a{index}",
                    "action": "view",
                    "label": item["label"],
                    "url": url,
                    "clear": False,
                }
            )
    return actions


def ntfy_message(
    message: Message, topics: tuple[str, ...], base: str, retention: float | None
) -> dict[str, Any] | None:
    """One of our messages as ntfy's message JSON (None: it has no ntfy form). ``base``
    is the app's URL, against which a relative ``url`` is made absolute."""
    if message.kind != "notify":
        return None
    options = message.options
    topic = next((t for t in topics if f"group:{t}" in message.targets), topics[0])
    data = options.get("data")
    kept = data.get("ntfy") if isinstance(data, Mapping) else None
    kept = kept if isinstance(kept, Mapping) else {}
    body = options.get("body")
    out: dict[str, Any] = {"id": ntfy_id(message.id), "time": int(message.created)}
    if retention is not None:
        out["expires"] = int(message.created + retention * 86400)
    out.update(event="message", topic=topic, title=options.get("title", ""))
    out["message"] = body if isinstance(body, str) and body else out["title"]
    out["priority"] = PRIORITY.get(options.get("severity"), 3)
    tags = kept.get("tags")
    if isinstance(tags, list) and tags and all(isinstance(t, str) for t in tags):
        out["tags"] = tags
    for name, value in (("click", options.get("url")), ("icon", options.get("icon"))):
        url = _http(value, base)
        if url:
            out[name] = url
    actions = _actions(kept.get("actions"))
    if actions:
        out["actions"] = actions
    return out


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class NtfyEvents:
    """ntfy's JSON stream (and websocket messages): one message JSON per line."""

    preamble = b""

    def __init__(
        self,
        topics: tuple[str, ...],
        base: str,
        retention: float | None,
        poll: bool = False,
        filters: Filters | None = None,
    ):
        self.topics = topics
        self.base = base
        self.retention = retention
        self.poll = poll
        self.filters = filters or Filters()

    def control(self, kind: str) -> dict[str, Any]:
        """An ``open`` or ``keepalive`` event."""
        return {
            "id": _random_id(),
            "time": int(time.time()),
            "event": kind,
            "topic": ",".join(self.topics),
        }

    def write(self, data: dict[str, Any]) -> bytes:
        """One event on the wire."""
        return (_json(data) + "\n").encode("utf-8")

    def hello(self, hello: dict[str, Any], event_id: int | None) -> bytes:
        return b"" if self.poll else self.write(self.control("open"))

    def message(self, message: Message) -> bytes:
        data = ntfy_message(message, self.topics, self.base, self.retention)
        return b"" if data is None or not self.filters.keeps(data) else self.write(data)

    def seen(self, event: Seen) -> bytes:
        return b""

    def keepalive(self) -> bytes:
        return self.write(self.control("keepalive"))


class NtfySSE(NtfyEvents):
    """ntfy's SSE stream: messages as ``data:`` alone, the others with ``event:``."""

    def write(self, data: dict[str, Any]) -> bytes:
        named = "" if data["event"] == "message" else f"event: {data['event']}\n"
        return f"{named}data: {_json(data)}\n\n".encode()


class NtfyRaw(NtfyEvents):
    """ntfy's raw stream: each message's text on a line of its own."""

    def write(self, data: dict[str, Any]) -> bytes:
        if data["event"] != "message":
            return b"\n"
        return (data["message"].replace("\r", " ").replace("\n", " ") + "\n").encode("utf-8")


ENCODERS = {"json": NtfyEvents, "ws": NtfyEvents, "sse": NtfySSE, "raw": NtfyRaw}
