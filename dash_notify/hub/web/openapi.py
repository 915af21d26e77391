"""The OpenAPI 3.1 document of the hub's HTTP API, generated: the publish paths from
each ingest format's own OpenAPI part, the notification schema from the one options
schema, every limit from :mod:`.settings` and :mod:`.handlers` (what the handlers
enforce), so that the document and the handlers cannot disagree."""

from __future__ import annotations

import copy
import json
from typing import Any

from ...options import options_schema
from ...schema_validator import CATEGORY_PATTERN
from ..push.subscription import MAX_ENDPOINT, MAX_LANG
from . import handlers
from .context import WebContext
from .install import BASE, publish_routes
from .settings import IP_FACTOR


def ingest_schemas() -> dict[str, Any]:
    """The component schemas the publish formats' paths refer to."""
    from ..ingest import SCHEMAS

    return dict(SCHEMAS)


ERROR_STATUSES = {
    "400": "Malformed JSON or an invalid field (named in `field`).",
    "401": "No valid token.",
    "403": "The token may not publish this (the field is named in `field`).",
    "413": "The body is over the size limit.",
    "415": "Not JSON.",
    "429": "A rate or open-stream limit is reached; retry after Retry-After seconds.",
    "503": "The store is unavailable (nothing was stored), or this server process has "
    "all the event streams it may hold; retry after Retry-After seconds.",
}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def error(status: str, description: str | None = None) -> dict[str, Any]:
    """A JSON error response (with Retry-After where the status has one)."""
    response: dict[str, Any] = {
        "description": description or ERROR_STATUSES[status],
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if status in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
    return response


def options_components() -> dict[str, Any]:
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
    # Our "category" format, said as a pattern for OpenAPI tools (the same characters).
    for node in schema["properties"].values():
        if node.get("format") == "category":
            node["pattern"] = CATEGORY_PATTERN
    text = json.dumps({"NotificationOptions": schema, **definitions})
    return json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))


def _integer(name: str, low: int, high: int, where: str = "query") -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "schema": {"type": "integer", "minimum": low, "maximum": high},
    }


def _rate(route: str, ctx: WebContext) -> str:
    requests, seconds = ctx.settings.browser_rate(route)
    return (
        f"At most {requests} requests per {seconds} s per user and "
        f"{requests * IP_FACTOR} per IP address."
    )


def browser_paths(ctx: WebContext) -> dict[str, Any]:
    """The paths browsers use: history, seen, clicked, events."""
    settings = ctx.settings
    history = {
        "get": {
            "summary": "The requesting user's notifications, newest first",
            "description": _rate("history", ctx),
            "parameters": [_integer("limit", 1, 1000), _integer("before", 1, handlers.MAX_ID)],
            "responses": {
                "200": {
                    "description": "Notifications with their seen time.",
                    "content": {"application/json": {"schema": ref("History")}},
                },
                **{s: error(s) for s in ("400", "429", "503")},
            },
        }
    }
    seen = {
        "post": {
            "summary": "Mark the requesting user's notifications seen",
            "description": _rate("seen", ctx),
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("SeenRequest")}},
            },
            "responses": {
                "200": {
                    "description": (
                        "The ids newly marked, and `upto`: with `all`, everything up to "
                        "this id is seen (0 otherwise)."
                    ),
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["seen", "upto"],
                                "properties": {
                                    "seen": {"type": "array", "items": {"type": "integer"}},
                                    "upto": {"type": "integer", "minimum": 0},
                                },
                            }
                        }
                    },
                },
                **{s: error(s) for s in ("400", "413", "415", "429", "503")},
            },
        }
    }
    events = {
        "get": {
            "summary": "Server-Sent Events: the requesting user's notifications, live",
            "description": (
                "Events `hello` (`user`, `last`, `epoch`), `notification` and `close` (with "
                "an id) and `seen`. Send `Last-Event-ID` (or `?lastEventId=`) with "
                "`?epoch=` to get what was missed. "
                f"{_rate('events', ctx)} At most {settings.max_streams_per_user} open "
                f"streams per user and {settings.max_streams_per_ip} per IP address (429), "
                "and a number per server process (503)."
            ),
            "parameters": [
                _integer("lastEventId", 0, 10**18 - 1),
                {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}},
                {"name": "epoch", "in": "query", "schema": {"type": "string", "maxLength": 64}},
            ],
            "responses": {
                "200": {
                    "description": "An event stream (the schema is that of each event).",
                    "content": {"text/event-stream": {"schema": ref("Event")}},
                },
                **{s: error(s) for s in ("400", "429", "503")},
            },
        }
    }
    clicked = {
        "post": {
            "summary": "A click on one of the requesting user's notifications (for webhooks)",
            "description": _rate("clicked", ctx)
            + " Webhook rules wanting notification.clicked fire, with the user of the "
            "request; the answer says nothing of them.",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": ref("ClickRequest")}},
            },
            "responses": {
                "204": {"description": "Taken."},
                **{s: error(s) for s in ("400", "413", "415", "429", "503")},
                "404": error("404", "No notification with this id for this user."),
            },
        }
    }
    return {
        f"/{BASE}history": history,
        f"/{BASE}seen": seen,
        f"/{BASE}clicked": clicked,
        f"/{BASE}events": events,
        **push_paths(ctx),
    }


def push_paths(ctx: WebContext) -> dict[str, Any]:
    """The Web Push paths: the public key, subscribe, unsubscribe."""
    rate = _rate("push", ctx) + " (the three push paths together)."
    not_configured = error("404", "The hub has no push channel (PushChannel).")

    def post(summary: str, schema: str, answer: dict[str, Any], extra: str = "") -> dict:
        return {
            "post": {
                "summary": summary,
                "description": rate + extra,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref(schema)}},
                },
                "responses": {
                    **answer,
                    **{s: error(s) for s in ("400", "413", "415", "429", "503")},
                },
            }
        }

    return {
        f"/{BASE}push/key": {
            "get": {
                "summary": "The app's VAPID public key (applicationServerKey)",
                "description": rate,
                "responses": {
                    "200": {
                        "description": "The key, base64url (a 65-byte P-256 point).",
                        "content": {"application/json": {"schema": ref("PushKey")}},
                    },
                    "404": not_configured,
                    **{s: error(s) for s in ("429", "503")},
                },
            }
        },
        f"/{BASE}push/subscribe": post(
            "Store this browser's push subscription for the requesting user",
            "PushSubscription",
            {
                "201": {
                    "description": "Stored (a browser subscribing again replaces its own).",
                    "content": {"application/json": {"schema": ref("PushSubscribed")}},
                },
                "404": not_configured,
            },
            " An endpoint on a loopback or private address is refused (400) unless the "
            "app allows it (PushChannel(allow_private=True)).",
        ),
        f"/{BASE}push/unsubscribe": post(
            "Remove the requesting user's subscription with this endpoint",
            "PushUnsubscribe",
            {
                "200": {
                    "description": "Whether there was one.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["removed"],
                                "properties": {"removed": {"type": "boolean"}},
                            }
                        }
                    },
                }
            },
        ),
    }


def push_schemas() -> dict[str, Any]:
    """The component schemas of the push paths."""
    key = {"type": "string", "pattern": "^[A-Za-z0-9_-]+={0,2}$"}
    return {
        "PushKey": {
            "type": "object",
            "required": ["publicKey"],
            "properties": {"publicKey": key},
        },
        "PushSubscription": {
            "type": "object",
            "description": "PushSubscription.toJSON(), plus the browser's language.",
            "required": ["endpoint", "keys"],
            "properties": {
                "endpoint": {
                    "type": "string",
                    "format": "uri",
                    "pattern": "^https://",
                    "maxLength": MAX_ENDPOINT,
                },
                "expirationTime": {"type": ["number", "null"]},
                "keys": {
                    "type": "object",
                    "required": ["p256dh", "auth"],
                    "properties": {
                        "p256dh": {**key, "description": "65 bytes: an uncompressed P-256 point"},
                        "auth": {**key, "description": "16 bytes"},
                    },
                },
                "lang": {"type": ["string", "null"], "maxLength": MAX_LANG},
            },
        },
        "PushSubscribed": {
            "type": "object",
            "required": ["id", "user", "created"],
            "properties": {
                "id": {"type": "string"},
                "user": {"type": "string"},
                "created": {"type": "number"},
            },
        },
        "PushUnsubscribe": {
            "type": "object",
            "required": ["endpoint"],
            "properties": {"endpoint": {"type": "string", "maxLength": MAX_ENDPOINT}},
        },
    }


def browser_schemas() -> dict[str, Any]:
    """The component schemas of the browser paths and of errors."""
    return {
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
                            "options": ref("NotificationOptions"),
                            "publisher": {"type": "string"},
                        },
                    },
                },
            },
        },
        "ClickRequest": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "minimum": 1, "maximum": handlers.MAX_ID - 1},
                "action": {"type": ["string", "null"], "minLength": 1, "maxLength": 200},
            },
            "additionalProperties": False,
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
                            "maxItems": handlers.MAX_IDS,
                            "items": {
                                "type": "integer",
                                "minimum": 1,
                                "maximum": handlers.MAX_ID - 1,
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
        "Event": {
            "type": "object",
            "required": ["event", "data"],
            "properties": {
                "event": {"enum": ["hello", "notification", "close", "seen"]},
                "data": {"type": "string", "contentMediaType": "application/json"},
                "id": {"type": "string", "pattern": "^[0-9]+$"},
                "retry": {"type": "integer"},
            },
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
    }


def document(ctx: WebContext) -> dict[str, Any]:
    """The document for one app's hub."""
    requests, seconds = ctx.settings.rate_limit
    from . import preferences

    paths = {**browser_paths(ctx), **preferences.openapi_paths(ctx, _rate("preferences", ctx))}
    schemas = {
        **options_components(),
        **browser_schemas(),
        **push_schemas(),
        **preferences.openapi_schemas(ctx),
    }
    for route in publish_routes():
        paths[route.openapi_path] = copy.deepcopy(dict(route.path_item))
    schemas.update(copy.deepcopy(ingest_schemas()))
    from ..webhooks import rest

    for path, item in rest.PATHS.items():
        paths["/_dash_notify" + path] = copy.deepcopy(item)
    schemas.update(copy.deepcopy(rest.SCHEMAS))
    from . import subscribe_openapi

    paths.update(subscribe_openapi.subscribe_paths(ctx))
    schemas.update(copy.deepcopy(subscribe_openapi.SCHEMAS))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dash_notify hub",
            "version": "1",
            "description": (
                "Publish notifications to the users of a Dash app. Bodies are limited to "
                f"{ctx.settings.max_body} bytes and each token to {requests} requests per "
                f"{seconds} s."
            ),
        },
        "servers": [{"url": ctx.prefix.rstrip("/") or "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "ntfy style: any user name, the token as password.",
                },
                "ntfyAuth": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "auth",
                    "description": "ntfy style: an Authorization value in base64.",
                },
            },
            "schemas": schemas,
        },
    }
