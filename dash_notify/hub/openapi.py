"""The OpenAPI 3.1 document of the hub's HTTP API, built from the one options schema."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from ..options import options_schema
from .ingest import FORMATS, SCHEMAS

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


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def openapi_document(prefix: str, hub: Hub) -> dict[str, Any]:
    """The document, for an app whose requests path prefix is ``prefix``."""
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
            **{route.openapi_path: dict(route.path_item) for route in FORMATS},
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
                **SCHEMAS,
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
