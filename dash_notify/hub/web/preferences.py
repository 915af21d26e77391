"""The preferences route: the requesting user's own delivery preferences.

``GET`` answers them (every channel, every category of the app, the email mode) with
what a settings page needs (``channels``, ``categories``, ``required``, ``modes``);
``PUT`` replaces the user's choices, ``PATCH`` changes some. A user reads and changes
only their own: the route has no user parameter, the user is who is asking.
"""

from __future__ import annotations

from typing import Any

from ..ingest import PayloadError, parse_json
from ..preferences import PreferenceError
from .context import WebContext
from .errors import HTTPError
from .messages import WebRequest, WebResponse


def answer(ctx: WebContext, user_key: str, effective: dict[str, Any]) -> WebResponse:
    """The JSON answer: ``{"user", "preferences", "channels", "categories", ...}``."""
    return WebResponse.json(
        {
            "user": user_key,
            "preferences": effective,
            **ctx.hub.preference_service.config.describe(),
        }
    )


def change(ctx: WebContext, request: WebRequest, user: str) -> dict[str, Any]:
    """Apply a PUT or PATCH body for ``user``; 415, 400 naming the field otherwise."""
    kind = request.content_type
    if not (kind == "application/json" or kind.endswith("+json")):
        raise HTTPError(415, "Content-Type must be application/json", field="body")
    try:
        payload = parse_json(request.body)
    except PayloadError as error:
        raise HTTPError(400, str(error), field=error.field) from None
    mine = ctx.hub.preferences(user)
    try:
        return mine.set(payload) if request.method == "PUT" else mine.update(payload)
    except PreferenceError as error:
        raise HTTPError(400, str(error), field=error.field, allowed=error.allowed) from None


def openapi_paths(ctx: WebContext, rate: str) -> dict[str, Any]:
    """The preferences path of the OpenAPI document (``rate``: its rate sentence)."""
    from .openapi import error, ref

    body = {"required": True, "content": {"application/json": {"schema": ref("Preferences")}}}
    answer = {
        "description": "The user's preferences now, and what a settings page needs.",
        "content": {"application/json": {"schema": ref("PreferencesAnswer")}},
    }
    errors = {s: error(s) for s in ("400", "413", "415", "429", "503")}
    return {
        "/_dash_notify/preferences": {
            "get": {
                "summary": "The requesting user's delivery preferences",
                "description": rate,
                "responses": {"200": answer, **{s: error(s) for s in ("429", "503")}},
            },
            "put": {
                "summary": "Replace the requesting user's choices",
                "description": rate,
                "requestBody": body,
                "responses": {"200": answer, **errors},
            },
            "patch": {
                "summary": "Change some of the requesting user's choices",
                "description": rate,
                "requestBody": body,
                "responses": {"200": answer, **errors},
            },
        }
    }


def openapi_schemas(ctx: WebContext) -> dict[str, Any]:
    """The component schemas of the preferences path."""
    from ..preferences import CHANNELS, MODES

    config = ctx.hub.preference_service.config
    switches = {
        "type": "object",
        "properties": {channel: {"type": "boolean"} for channel in CHANNELS},
        "additionalProperties": False,
    }
    document = {
        "type": "object",
        "properties": {
            "channels": switches,
            "categories": {
                "type": "object",
                "properties": {name: switches for name in config.categories},
                "additionalProperties": False,
            },
            "email": {"enum": list(MODES)},
        },
        "additionalProperties": False,
    }
    return {
        "Preferences": document,
        "PreferencesAnswer": {
            "type": "object",
            "required": ["user", "preferences", "channels", "categories", "required", "modes"],
            "properties": {
                "user": {"type": "string"},
                "preferences": document,
                "channels": {"type": "array", "items": {"type": "string"}},
                "categories": {"type": "array", "items": {"type": "string"}},
                "required": {"type": "array", "items": {"type": "string"}},
                "modes": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
