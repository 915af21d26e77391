"""The OpenAPI part of the subscribe routes (:mod:`.subscribe`): ours and ntfy's, with
the limits of :mod:`.settings` and the ``since`` forms of :mod:`.subscribe_since`."""

from __future__ import annotations

from typing import Any

from ..ingest.base import error_response, json_response, ref
from .context import WebContext
from .install import BASE
from .ntfy_feed import TOPICS
from .settings import IP_FACTOR
from .subscribe_since import FORMS, NTFY_FORMS

SECURITY = [{"bearer": []}, {"basic": []}, {"ntfyAuth": []}]
REFUSALS = {
    "400": "A bad parameter (named in `field`).",
    "401": "No valid token.",
    "403": "Not a read token, or it may not read a target or topic asked for (`field`).",
    "429": "A rate or open-stream limit is reached; retry after Retry-After seconds.",
    "503": "The store is unavailable, or this server process has all the streams it "
    "may hold; retry after Retry-After seconds.",
}


def error(status: str, description: str | None = None) -> dict[str, Any]:
    """A refusal (with Retry-After on 429 and 503)."""
    response = error_response(description or REFUSALS[status])
    if status in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    return response


_SINCE = {"type": "string", "maxLength": 64}
_POLL = {"type": "string", "enum": ["", "0", "1", "no", "yes", "false", "true"]}


def _query(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    item: dict[str, Any] = {"name": name, "in": "query", "schema": schema}
    if description:
        item["description"] = description
    return item


def _limits(ctx: WebContext) -> str:
    settings = ctx.settings
    requests, seconds = settings.browser_rate("subscribe")
    lifetime = settings.stream_lifetime
    ends = f" A stream ends after {lifetime:g} s (resume with `since`)." if lifetime else ""
    return (
        f"A read token (allow read) is required. At most {requests} streams opened per "
        f"{seconds} s per token and {requests * IP_FACTOR} per IP address; at most "
        f"{settings.max_streams_per_user} open per token and {settings.max_streams_per_ip} "
        f"per IP address (429), and a number per server process (503).{ends}"
    )


def _stream(summary: str, description: str, media: str, parameters: list[Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "description": description,
            "security": SECURITY,
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "A stream (the schema is that of each event).",
                    "content": {media: {"schema": ref("SubscribeEvent")}},
                },
                **{status: error(status) for status in REFUSALS},
            },
        }
    }


def _websocket(summary: str, parameters: list[Any]) -> dict[str, Any]:
    return {
        "get": {
            "parameters": parameters,
            "summary": summary,
            "description": (
                "A websocket (FastAPI and Quart backends): the JSON stream's events, one "
                "per message; its query parameters and refusals are the JSON stream's. "
                "A plain HTTP request is answered 426, and 501 on Flask (no websockets); a bad "
                "topic list 400."
            ),
            "responses": {
                "400": error("400"),
                "426": error_response("Connect with a websocket."),
                "501": error_response("This app's backend (Flask) serves no websockets."),
            },
        }
    }


def subscribe_paths(ctx: WebContext) -> dict[str, Any]:
    """The subscribe paths of this app's hub."""
    ours = [
        _query("to", {"type": "string"}, "Only these targets (comma-separated)."),
        _query("topic", {"type": "string"}, "Only these topics (comma-separated)."),
        _query("since", _SINCE, "Where to start: " + ", ".join(FORMS) + "."),
        _query("poll", _POLL, "1: send what is kept, then end."),
        _query("epoch", {"type": "string", "maxLength": 64}),
    ]
    topics = {
        "name": "topics",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": TOPICS.pattern},
    }
    ntfy = [
        topics,
        _query("since", _SINCE, "Where to start: " + ", ".join(NTFY_FORMS) + "."),
        _query("poll", _POLL, "1: send what is kept, then end."),
        _query("auth", {"type": "string"}, "An Authorization value in base64 (ntfy's)."),
        *(
            _query(name, {"type": "string"}, f"ntfy's filter: only messages with this {name}.")
            for name in ("message", "title", "id", "priority", "tags")
        ),
    ]
    limits = _limits(ctx)
    paths: dict[str, Any] = {
        f"/{BASE}subscribe/json": _stream(
            "JSON lines: notifications for a read token, live",
            "Events `open`, `notification`, `close`, `keepalive`. " + limits,
            "application/x-ndjson",
            ours,
        ),
        f"/{BASE}subscribe/sse": _stream(
            "Server-Sent Events: notifications for a read token, live",
            "The JSON stream's events as SSE (`Last-Event-ID` resumes). " + limits,
            "text/event-stream",
            [*ours, {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}],
        ),
        f"/{BASE}subscribe/ws": _websocket("Websocket: notifications for a read token", []),
    }
    media = {"json": "application/x-ndjson", "sse": "text/event-stream", "raw": "text/plain"}
    for kind, kind_media in media.items():
        paths[f"/{BASE}ntfy/{{topics}}/{kind}"] = _stream(
            f"ntfy's subscribe ({kind}) to topics",
            "ntfy's message JSON (event open, keepalive, message). " + limits,
            kind_media,
            ntfy,
        )
    paths[f"/{BASE}ntfy/{{topics}}/ws"] = _websocket("ntfy's websocket subscribe", [topics])
    paths[f"/{BASE}ntfy/{{topics}}/auth"] = {
        "get": {
            "summary": "ntfy's check: may this token read these topics",
            "security": SECURITY,
            "parameters": [topics, ntfy[3]],
            "responses": {
                "200": json_response("It may.", ref("NtfySuccess")),
                **{status: error(status) for status in REFUSALS},
            },
        }
    }
    paths[f"/{BASE}ntfy/v1/health"] = {
        "get": {
            "summary": "ntfy's health check",
            "responses": {
                "200": json_response("Healthy.", ref("NtfyHealth")),
                "503": json_response("The store is unavailable.", ref("NtfyHealth")),
            },
        }
    }
    return paths


SCHEMAS: dict[str, Any] = {
    "SubscribeEvent": {
        "type": "object",
        "description": "One event (ours or ntfy's message JSON).",
        "properties": {
            "event": {"type": "string"},
            "id": {"type": ["integer", "string"]},
        },
    },
    "NtfySuccess": {
        "type": "object",
        "required": ["success"],
        "properties": {"success": {"const": True}},
    },
    "NtfyHealth": {
        "type": "object",
        "required": ["healthy"],
        "properties": {"healthy": {"type": "boolean"}},
    },
}
