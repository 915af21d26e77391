"""Our own format: ``POST <prefix>_dash_notify/publish`` with
``{"to": <target or list of targets>, "notification": <options>}``; answers 201 with
``{"id": <message id>, "to": [<targets>]}``."""

from __future__ import annotations

from typing import Any

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


def targets(value: Any, field: str = "to") -> tuple[str, ...]:
    """``value`` as targets, or :class:`PayloadError` on ``field`` listing the forms."""
    try:
        return parse_targets(value)
    except TargetError as error:
        raise PayloadError(field, str(error).split(": ", 1)[1], error.allowed) from None


def parse(request: IngestRequest, token: Publisher) -> tuple[Any, tuple[str, ...]]:
    """The options (validated later by the hub) and the targets of a publish."""
    payload = json_object(parse_json(request.body), 'with "to" and "notification"')
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise PayloadError(unknown[0], "unknown field", FIELDS)
    for name in FIELDS:
        if name not in payload:
            raise PayloadError(name, "required")
    return payload["notification"], targets(payload["to"])


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
    "Published": {
        "type": "object",
        "required": ["id", "to"],
        "properties": {
            "id": {"type": "integer"},
            "to": {"type": "array", "items": {"type": "string"}},
        },
    },
}

ROUTES = [
    PublishRoute(
        name="publish",
        path="publish",
        methods=("POST",),
        parse=parse,
        reply=reply,
        path_item={
            "post": publishing_operation(
                "Publish a notification",
                "Stores the notification for its targets and delivers it live.",
                {"application/json": {"schema": ref("Publish")}},
                {"201": json_response("Stored.", ref("Published"))},
            )
        },
    )
]
