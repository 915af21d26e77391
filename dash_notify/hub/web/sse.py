"""Server-Sent Events framing (the wire formats of /PLAN.md)."""

from __future__ import annotations

import json
from typing import Any

RETRY = b"retry: 1000\n\n"
KEEPALIVE = b": keepalive\n\n"
HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
}


def frame(event: str, data: Any, event_id: int | None = None) -> bytes:
    """One event: ``id:`` (when given), ``event:`` and one ``data:`` line of JSON."""
    lines = [f"event: {event}", "data: " + json.dumps(data, separators=(",", ":"))]
    if event_id is not None:
        lines.insert(0, f"id: {event_id}")
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def notification(message: Any) -> bytes:
    """A ``notification`` event for a stored message."""
    data = {
        "id": message.id,
        "created": message.created,
        "options": message.options,
        "publisher": message.publisher,
    }
    return frame("notification", data, message.id)


def close(message: Any) -> bytes:
    """A ``close`` event (``hub.close(tag, to=...)``): close the notification by tag."""
    data = {"id": message.id, "created": message.created, "tag": message.options["tag"]}
    return frame("close", data, message.id)


def seen(event: Any) -> bytes:
    """A ``seen`` event: these ids (or everything up to ``upto``) were marked seen, in
    another tab or browser of the user."""
    return frame("seen", {"ids": list(event.ids), "upto": event.upto})
