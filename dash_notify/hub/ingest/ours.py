"""Our own format: ``POST <prefix>_dash_notify/publish`` with
``{"to": <target or list of targets>, "notification": <options>}``, and
``POST <prefix>_dash_notify/close`` with ``{"to": <targets>, "tag": <tag>}`` (the
notification with that tag goes away in every browser of ``to``, as ``hub.close``);
both answer 201 with ``{"id": <message id>, "to": [<targets>]}``."""

from __future__ import annotations

from typing import Any

from ...options import options_schema
from ..targets import TARGET_FORMS, TARGET_PATTERN, TargetError, parse_targets
from .base import (
    IngestRequest,
    PayloadError,
    Published,
    Publisher,
    PublishRoute,
    json_object,
    json_response,
    parse_json,
    publishing_operation,
    ref,
)

FIELDS = ("to", "notification")
CLOSE_FIELDS = ("to", "tag")


def targets(value: Any, field: str = "to") -> tuple[str, ...]:
    """``value`` as targets, or :class:`PayloadError` on ``field`` listing the forms."""
    try:
        return parse_targets(value)
    except TargetError as error:
        raise PayloadError(field, str(error).split(": ", 1)[1], error.allowed) from None


def _fields(request: IngestRequest, fields: tuple[str, ...]) -> Any:
    """The body as a JSON object with exactly ``fields``, or :class:`PayloadError`
    naming the first unknown or missing one."""
    payload = json_object(parse_json(request.body), f'with "{fields[0]}" and "{fields[1]}"')
    unknown = sorted(set(payload) - set(fields))
    if unknown:
        raise PayloadError(unknown[0], "unknown field", fields)
    for name in fields:
        if name not in payload:
            raise PayloadError(name, "required")
    return payload


def parse(request: IngestRequest, token: Publisher) -> tuple[Any, tuple[str, ...]]:
    """The options (validated later by the hub) and the targets of a publish."""
    payload = _fields(request, FIELDS)
    return payload["notification"], targets(payload["to"])


def parse_close(request: IngestRequest, token: Publisher) -> tuple[Any, tuple[str, ...]]:
    """The ``{"tag": ...}`` of a close (its tag checked later by the hub, as
    ``hub.close``'s) and its targets."""
    payload = _fields(request, CLOSE_FIELDS)
    return {"tag": payload["tag"]}, targets(payload["to"])


def reply(message: Published) -> tuple[int, dict[str, Any]]:
    """201 with the stored message's id and its targets."""
    return 201, {"id": message.id, "to": list(message.targets)}


SCHEMAS: dict[str, Any] = {
    "Target": {
        "type": "string",
        "pattern": TARGET_PATTERN,
        "description": f"One of {', '.join(TARGET_FORMS)}.",
    },
    "To": {
        "oneOf": [
            ref("Target"),
            {"type": "array", "minItems": 1, "maxItems": 100, "items": ref("Target")},
        ]
    },
    "Publish": {
        "type": "object",
        "additionalProperties": False,
        "required": list(FIELDS),
        "properties": {"to": ref("To"), "notification": ref("NotificationOptions")},
    },
    "Close": {
        "type": "object",
        "additionalProperties": False,
        "required": list(CLOSE_FIELDS),
        "properties": {
            "to": ref("To"),
            "tag": {
                **options_schema()["properties"]["tag"],
                "minLength": 1,
                "description": "The tag the notification was published with.",
            },
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
}


def _route(
    name: str, parse: Any, schema: str, summary: str, description: str, **extra: Any
) -> PublishRoute:
    """A POST route at ``name`` taking JSON of ``schema`` and answering 201 Published."""
    return PublishRoute(
        name=name,
        path=name,
        methods=("POST",),
        parse=parse,
        reply=reply,
        path_item={
            "post": publishing_operation(
                summary,
                description,
                {"application/json": {"schema": ref(schema)}},
                {"201": json_response("Stored.", ref("Published"))},
            )
        },
        **extra,
    )


ROUTES = [
    _route(
        "publish",
        parse,
        "Publish",
        "Publish a notification",
        "Stores the notification for its targets and delivers it live.",
    ),
    _route(
        "close",
        parse_close,
        "Close",
        "Close a notification by its tag",
        "Takes the notification published with this tag away (its toast and its desktop "
        "notification) in every browser of the targets, as `hub.close` does: a job that "
        "finished removes its progress notification. The close is stored like a "
        "notification, so a browser that reconnects applies it too. The token needs only "
        "to reach the targets (with them it could already replace the notification by "
        "its tag).",
        kind="close",
    ),
]
