"""The OpenAPI 3.1 document of the hub's HTTP API, built from the one options schema."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ..options import options_schema
from . import formats
from .targets import TARGET_FORMS, TARGET_PATTERN

if TYPE_CHECKING:
    from .core import Hub


def _components_schema() -> dict[str, Any]:
    """The options schema with its $defs moved into components/schemas."""
    schema = copy.deepcopy(options_schema())
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    # Our two extra keywords, said in standard JSON Schema for OpenAPI tools.
    rules = []
    for flag, needed in schema.pop("x-requires-when-true", {}).items():
        rules.append(
            {
                "if": {"properties": {flag: {"const": True}}, "required": [flag]},
                "then": {"required": [needed], "properties": {needed: {"minLength": 1}}},
            }
        )
    for flag, banned in schema.pop("x-excludes-when-true", {}).items():
        rules.append(
            {
                "if": {"properties": {flag: {"const": True}}, "required": [flag]},
                "then": {"not": {"required": [banned]}},
            }
        )
    if rules:
        schema["allOf"] = rules
    text = json.dumps({"NotificationOptions": schema, **definitions})
    return json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _publishing(
    summary: str, description: str, body: dict[str, Any], ok: dict, *, body_required: bool = True
) -> dict:
    return {
        "summary": summary,
        "description": description,
        "security": [{"bearer": []}, {"basic": []}],
        "requestBody": {"required": body_required, "content": body},
        "responses": {
            **ok,
            "400": _error("Malformed JSON or an invalid field (named in `field`)."),
            "401": _error("No valid token."),
            "403": _error("The token may not publish to a target."),
            "413": _error("The body is over the size limit."),
            "429": {
                **_error("The token's rate limit is reached."),
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
            "503": _error("The store is unavailable; nothing was stored."),
        },
    }


def openapi_document(prefix: str, hub: Hub) -> dict[str, Any]:
    """The document, for an app whose requests path prefix is ``prefix``."""
    target = {
        "type": "string",
        "pattern": TARGET_PATTERN,
        "description": f"One of {', '.join(TARGET_FORMS)}.",
    }
    ntfy_reply = {
        "200": {
            "description": "Published (ntfy's reply shape).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NtfyReply"}}},
        }
    }
    requests, seconds = hub.rate_limit
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dash_notify hub",
            "version": "1",
            "description": (
                "Publish notifications to the users of a Dash app. Bodies are limited to "
                f"{hub.max_body} bytes and each token to {requests} requests per {seconds} s."
            ),
        },
        "servers": [{"url": prefix.rstrip("/") or "/"}],
        "paths": {
            "/_dash_notify/publish": {
                "post": _publishing(
                    "Publish a notification",
                    "Stores the notification for its targets and delivers it live.",
                    {"application/json": {"schema": {"$ref": "#/components/schemas/Publish"}}},
                    {
                        "201": {
                            "description": "Stored.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Published"}
                                }
                            },
                        }
                    },
                )
            },
            "/_dash_notify/ingest": {
                "post": _publishing(
                    "Publish in the JupyterLab notifications extension's format",
                    "Broadcast unless `to` is given.",
                    {"application/json": {"schema": {"$ref": "#/components/schemas/JupyterLab"}}},
                    {
                        "200": {
                            "description": "Stored.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["success", "notification_id"],
                                        "properties": {
                                            "success": {"type": "boolean"},
                                            "notification_id": {"type": "integer"},
                                        },
                                    }
                                }
                            },
                        }
                    },
                )
            },
            "/_dash_notify/ntfy/{topic}": {
                "parameters": [
                    {
                        "name": "topic",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": formats.TOPIC.pattern},
                    },
                    *(
                        {
                            "name": name,
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                        for name in ("Title", "Tags", "Click", "Actions", "Icon")
                    ),
                    {
                        "name": "Priority",
                        "in": "header",
                        "required": False,
                        "schema": {"enum": ["", *formats.NTFY_PRIORITIES]},
                    },
                ],
                **{
                    method: _publishing(
                        "Publish in ntfy's plain-text format",
                        "The body is the message; headers as ntfy's. Reaches group:<topic>.",
                        {"text/plain": {"schema": {"type": "string"}}},
                        ntfy_reply,
                        body_required=False,
                    )
                    for method in ("post", "put")
                },
            },
            "/_dash_notify/ntfy/": {
                "post": _publishing(
                    "Publish in ntfy's JSON format",
                    "The topic is in the body. Reaches group:<topic>.",
                    {"application/json": {"schema": {"$ref": "#/components/schemas/NtfyJSON"}}},
                    ntfy_reply,
                )
            },
            "/_dash_notify/history": {
                "get": {
                    "summary": "The requesting user's notifications, newest first",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                        },
                        {
                            "name": "before",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2**62},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Notifications with their seen time.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/History"}
                                }
                            },
                        },
                        "400": _error("A bad query parameter."),
                        "503": _error("The store is unavailable."),
                    },
                }
            },
            "/_dash_notify/seen": {
                "post": {
                    "summary": "Mark the requesting user's notifications seen",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SeenRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The ids newly marked.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["seen"],
                                        "properties": {
                                            "seen": {"type": "array", "items": {"type": "integer"}}
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("Malformed JSON or a bad field."),
                        "413": _error("The body is over the size limit."),
                        "415": _error("Not JSON."),
                        "503": _error("The store is unavailable."),
                    },
                }
            },
            "/_dash_notify/events": {
                "get": {
                    "summary": "Server-Sent Events: the requesting user's notifications, live",
                    "description": (
                        "Events `hello`, `notification` (with an id) and `seen`. Send "
                        "`Last-Event-ID` (or `?lastEventId=`) to get what was missed."
                    ),
                    "responses": {
                        "200": {
                            "description": "An event stream.",
                            "content": {"text/event-stream": {"schema": {"type": "string"}}},
                        },
                        "400": _error("A bad Last-Event-ID."),
                        "503": _error("The store is unavailable."),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "ntfy style: any user name, the token as password.",
                },
            },
            "schemas": {
                **_components_schema(),
                "Target": target,
                "To": {
                    "oneOf": [
                        _ref("Target"),
                        {"type": "array", "minItems": 1, "maxItems": 100, "items": _ref("Target")},
                    ]
                },
                "Publish": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["to", "notification"],
                    "properties": {
                        "to": _ref("To"),
                        "notification": {"$ref": "#/components/schemas/NotificationOptions"},
                    },
                },
                "Published": {
                    "type": "object",
                    "required": ["id", "to"],
                    "properties": {
                        "id": {"type": "integer"},
                        "to": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "JupyterLab": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["message"],
                    "properties": {
                        "message": {"type": "string", "minLength": 1},
                        "type": {"enum": list(formats.JUPYTER_TYPES)},
                        "autoClose": {
                            "oneOf": [{"type": "number", "minimum": 0}, {"const": False}]
                        },
                        "actions": {
                            "type": "array",
                            "maxItems": 2,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["label"],
                                "properties": {
                                    "label": {"type": "string", "minLength": 1, "maxLength": 100},
                                    "caption": {"type": "string"},
                                    "displayType": {"type": "string"},
                                },
                            },
                        },
                        "to": _ref("To"),
                        "data": {},
                    },
                },
                "NtfyJSON": {
                    "type": "object",
                    "required": ["topic"],
                    "properties": {
                        "topic": {"type": "string", "pattern": formats.TOPIC.pattern},
                        "message": {"type": "string"},
                        "title": {"type": "string"},
                        "priority": {"type": "integer", "minimum": 1, "maximum": 5},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "click": {"type": "string"},
                        "icon": {"type": "string"},
                        "actions": {
                            "type": "array",
                            "maxItems": 2,
                            "items": {
                                "type": "object",
                                "required": ["label"],
                                "properties": {
                                    "action": {"type": "string"},
                                    "label": {"type": "string", "minLength": 1, "maxLength": 100},
                                    "url": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "NtfyReply": {
                    "type": "object",
                    "required": ["id", "time", "event", "topic"],
                    "properties": {
                        "id": {"type": "string"},
                        "time": {"type": "integer"},
                        "event": {"const": "message"},
                        "topic": {"type": "string"},
                        "title": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
                "History": {
                    "type": "object",
                    "required": ["user", "items"],
                    "properties": {
                        "user": {"type": "string"},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "created", "seen", "options"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "created": {"type": "number"},
                                    "seen": {"type": ["number", "null"]},
                                    "options": {"$ref": "#/components/schemas/NotificationOptions"},
                                },
                            },
                        },
                    },
                },
                "SeenRequest": {
                    "oneOf": [
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["ids"],
                            "properties": {
                                "ids": {
                                    "type": "array",
                                    "maxItems": 1000,
                                    "items": {
                                        "type": "integer",
                                        "minimum": 1,
                                        "maximum": 2**62 - 1,
                                    },
                                }
                            },
                        },
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["all"],
                            "properties": {"all": {"const": True}},
                        },
                    ]
                },
                "Error": {
                    "type": "object",
                    "required": ["error", "http"],
                    "properties": {
                        "error": {"type": "string"},
                        "http": {"type": "integer"},
                        "field": {"type": ["string", "null"]},
                        "allowed": {"type": "array", "items": {"type": "string"}},
                        "errors": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
    }
