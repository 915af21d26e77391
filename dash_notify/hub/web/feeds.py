"""Our subscribe formats for outside systems, one event per line (JSON lines and
websocket messages) or per SSE event:

- ``{"event": "open", "last": 41, "epoch": "...", "from": 40}``: the store's newest id
  and epoch, and the id this stream continues after;
- ``{"event": "notification", "id": 42, "created": 1790000000.5, "to": [...],
  "options": {...}, "publisher": "token:ci"}``: ``to`` holds only the targets the
  token reaches (a message also sent to others does not say to whom);
- ``{"event": "close", "id": 43, "created": ..., "to": [...], "tag": "build-7"}``;
- ``{"event": "keepalive", "time": 1790000015}`` (in SSE: a comment).

In SSE, each event's name is its ``event`` and notifications and closes carry their
id, so that an EventSource resumes by itself (``Last-Event-ID``).
"""

from __future__ import annotations

import json
import time
from typing import Any

from ..model import Message, Seen
from . import sse

JSON_LINES = "application/x-ndjson; charset=utf-8"


def _line(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def event(message: Message, reader: Any) -> dict[str, Any]:
    """A stored message as a reader receives it."""
    data: dict[str, Any] = {
        "event": "close" if message.kind == "close" else "notification",
        "id": message.id,
        "created": message.created,
        "to": reader.visible(message.targets),
    }
    if message.kind == "close":
        data["tag"] = message.options["tag"]
    else:
        data["options"] = message.options
        data["publisher"] = message.publisher
    return data


def _open(hello: dict[str, Any]) -> dict[str, Any]:
    return {"event": "open", **{k: v for k, v in hello.items() if k != "user"}}


class JsonLines:
    """One JSON object per line (and per websocket message)."""

    preamble = b""

    def __init__(self, reader: Any):
        self.reader = reader

    def hello(self, hello: dict[str, Any], event_id: int | None) -> bytes:
        return _line(_open(hello))

    def message(self, message: Message) -> bytes:
        return _line(event(message, self.reader))

    def seen(self, event: Seen) -> bytes:
        return b""

    def keepalive(self) -> bytes:
        return _line({"event": "keepalive", "time": int(time.time())})


class ServerSentEvents(JsonLines):
    """The same events as Server-Sent Events."""

    preamble = sse.RETRY

    def hello(self, hello: dict[str, Any], event_id: int | None) -> bytes:
        return sse.frame("open", _open(hello), event_id)

    def message(self, message: Message) -> bytes:
        data = event(message, self.reader)
        return sse.frame(data["event"], data, message.id)

    def keepalive(self) -> bytes:
        return sse.KEEPALIVE
