"""The webhook rules' HTTP API, framework-neutral: each route is a method, a path under
the hub's prefix and a view from a :class:`RulesRequest` to ``(status, JSON body)``,
with its OpenAPI part beside it. The web layer authenticates the caller (an admin
token), mounts :data:`ROUTES`, documents :data:`PATHS` and :data:`SCHEMAS`, and turns a
``StoreUnavailableError`` into its 503; every other refusal is answered here, as the
web layer's errors are (``{"error", "http", "field"[, "allowed"]}``), never a 500.

    POST   /webhooks                    201 the rule, with its secret (shown here only)
    GET    /webhooks?q=&limit=&offset=  200 {"rules", "total", "limit", "offset"}
    GET    /webhooks/{id}               200 the rule
    PATCH  /webhooks/{id}               200 the rule (only the fields given change)
    DELETE /webhooks/{id}               204
    POST   /webhooks/{id}/rotate        200 {"id", "secret", "previous_until"}
    POST   /webhooks/{id}/test          200 the attempt
    GET    /webhooks/{id}/attempts      200 {"attempts"}: status, latency, error
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..ingest.base import PayloadError, parse_json
from .rule import EVENTS, FILTERS, METHODS, Rule
from .validate import FIELDS, RuleError, RuleNotFoundError

if TYPE_CHECKING:
    from ..core import Hub

PAGE_LIMIT = 500
Answer = tuple[int, Any]


@dataclass(frozen=True)
class RulesRequest:
    """A request as the web layer hands it over: the raw body (already bounded in
    size), the query parameters (first value of each) and the path's ``id``."""

    body: bytes = b""
    query: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RulesRoute:
    """One route: ``method`` and ``path`` (under the hub's prefix; ``{id}`` is the
    rule's id), its OpenAPI ``operation`` id, and the view."""

    method: str
    path: str
    operation: str
    view: Callable[[Hub, RulesRequest], Answer]

    def answer(self, hub: Hub, request: RulesRequest) -> Answer:
        """The view's answer, or the JSON refusal of a bad request or unknown rule."""
        try:
            return self.view(hub, request)
        except (RuleError, PayloadError) as error:
            return refusal(400, str(error), error.field, error.allowed)
        except RuleNotFoundError as error:
            return refusal(404, str(error), "id")


def refusal(status: int, message: str, field: str | None, allowed=()) -> Answer:
    """A refusal in the web layer's error shape."""
    body: dict[str, Any] = {"error": message, "http": status, "field": field}
    if allowed:
        body["allowed"] = list(allowed)
    return status, body


def _object(request: RulesRequest, *, optional: bool = False) -> dict[str, Any]:
    if optional and not request.body.strip():
        return {}
    value = parse_json(request.body)
    if not isinstance(value, dict):
        raise RuleError("body", "must be a JSON object")
    return value


def _integer(request: RulesRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise RuleError(name, f"must be an integer from {low} to {high}, got {raw!r}")
    return int(raw)


def shown(rule: Rule) -> dict[str, Any]:
    """A rule as the API shows it (no secret)."""
    return rule.public()


# -- views --------------------------------------------------------------------------------
def create(hub: Hub, request: RulesRequest) -> Answer:
    body = _object(request)
    fields = {name: body[name] for name in body}
    for required in ("name", "url"):
        if required not in fields:
            raise RuleError(required, "is required")
    unknown = [name for name in fields if name not in FIELDS]
    if unknown:
        raise RuleError(unknown[0], "is not a rule field", FIELDS)
    rule = hub.webhooks.create(fields.pop("name"), fields.pop("url"), **fields)
    return 201, {**shown(rule), "secret": rule.secret}


def listing(hub: Hub, request: RulesRequest) -> Answer:
    limit = _integer(request, "limit", 50, 1, PAGE_LIMIT)
    offset = _integer(request, "offset", 0, 0, 2**62)
    rules, total = hub.webhooks.list(request.query.get("q") or None, limit, offset)
    return 200, {
        "rules": [shown(r) for r in rules],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


def get(hub: Hub, request: RulesRequest) -> Answer:
    return 200, shown(hub.webhooks.get(request.params["id"]))


def update(hub: Hub, request: RulesRequest) -> Answer:
    changes = _object(request)
    if not changes:
        raise RuleError("body", "give at least one field to change", FIELDS)
    unknown = [name for name in changes if name not in FIELDS]
    if unknown:
        raise RuleError(unknown[0], "is not a rule field", FIELDS)
    return 200, shown(hub.webhooks.update(request.params["id"], **changes))


def delete(hub: Hub, request: RulesRequest) -> Answer:
    hub.webhooks.delete(request.params["id"])
    return 204, None


def rotate(hub: Hub, request: RulesRequest) -> Answer:
    body = _object(request, optional=True)
    unknown = [name for name in body if name != "keep_previous"]
    if unknown:
        raise RuleError(unknown[0], "is not an option of rotate", ("keep_previous",))
    keep = body.get("keep_previous")
    if keep is not None and (isinstance(keep, bool) or not isinstance(keep, (int, float))):
        raise RuleError("keep_previous", "must be a number of seconds >= 0")
    rule = hub.webhooks.rotate(request.params["id"], keep_previous=keep)
    return 200, {"id": rule.id, "secret": rule.secret, "previous_until": rule.previous_until}


def test(hub: Hub, request: RulesRequest) -> Answer:
    return 200, asdict(hub.webhooks.test(request.params["id"]))


def attempts(hub: Hub, request: RulesRequest) -> Answer:
    limit = _integer(request, "limit", 50, 1, PAGE_LIMIT)
    found = hub.webhooks.attempts(request.params["id"], limit)
    return 200, {"attempts": [asdict(a) for a in found]}


ROUTES = [
    RulesRoute("POST", "/webhooks", "createWebhookRule", create),
    RulesRoute("GET", "/webhooks", "listWebhookRules", listing),
    RulesRoute("GET", "/webhooks/{id}", "getWebhookRule", get),
    RulesRoute("PATCH", "/webhooks/{id}", "updateWebhookRule", update),
    RulesRoute("DELETE", "/webhooks/{id}", "deleteWebhookRule", delete),
    RulesRoute("POST", "/webhooks/{id}/rotate", "rotateWebhookSecret", rotate),
    RulesRoute("POST", "/webhooks/{id}/test", "testWebhookRule", test),
    RulesRoute("GET", "/webhooks/{id}/attempts", "listWebhookAttempts", attempts),
]


# -- the OpenAPI part -----------------------------------------------------------------------
def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_RETRY = {"Retry-After": {"schema": {"type": "integer", "minimum": 1}}}
_ERRORS = {
    "400": _json(_ref("Error"), "An invalid field (named in `field`) or malformed JSON."),
    "401": _json(_ref("Error"), "No valid token."),
    "403": _json(_ref("Error"), "The token is not an admin token (allow 'admin')."),
    "413": _json(_ref("Error"), "The body is over the size limit."),
    "415": _json(_ref("Error"), "A body that is not JSON."),
    "429": _json(_ref("Error"), "The token's rate limit is reached.") | {"headers": _RETRY},
    "503": _json(_ref("Error"), "The store is unavailable.") | {"headers": _RETRY},
}
#: Every operation takes an admin token.
SECURITY = [{"bearer": []}]
_NOT_FOUND = {"404": _json(_ref("Error"), "No rule with this id.")}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _query_integer(name: str, low: int, high: int) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "schema": {"type": "integer", "minimum": low, "maximum": high},
    }


_FILTERS = {
    "type": "object",
    "description": "Accepted values per field; every filter given must match.",
    "properties": {
        name: {"type": "array", "items": {"type": "string"}, "minItems": 1} for name in FILTERS
    },
    "additionalProperties": False,
}
_WRITABLE = {
    "name": {"type": "string", "minLength": 1, "maxLength": 100},
    "url": {"type": "string", "format": "uri", "maxLength": 2048},
    "method": {"enum": list(METHODS)},
    "active": {"type": "boolean"},
    "events": {"type": "array", "items": {"enum": list(EVENTS)}, "minItems": 1},
    "filters": _FILTERS,
}
SCHEMAS: dict[str, Any] = {
    "WebhookRuleInput": {
        "type": "object",
        "required": ["name", "url"],
        "properties": _WRITABLE,
        "additionalProperties": False,
    },
    "WebhookRulePatch": {
        "type": "object",
        "minProperties": 1,
        "properties": _WRITABLE,
        "additionalProperties": False,
    },
    "WebhookRule": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            **_WRITABLE,
            "previous_until": {"type": ["number", "null"]},
            "created": {"type": "number"},
            "updated": {"type": "number"},
            "disabled_reason": {"type": ["string", "null"]},
            "failing_since": {"type": ["number", "null"]},
            "secret": {"type": "string", "description": "Only in the answer to create."},
        },
    },
    "WebhookAttempt": {
        "type": "object",
        "properties": {
            "rule_id": {"type": "string"},
            "webhook_id": {"type": "string"},
            "event": {"type": "string"},
            "at": {"type": "number"},
            "status": {"type": ["integer", "null"]},
            "latency": {"type": "number", "description": "Seconds."},
            "error": {"type": ["string", "null"]},
        },
    },
}
_RULE = _json(_ref("WebhookRule"), "The rule.")
PATHS: dict[str, Any] = {
    "/webhooks": {
        "post": {
            "security": SECURITY,
            "operationId": "createWebhookRule",
            "summary": "Create a webhook rule (its secret is in this answer only)",
            "requestBody": _json(_ref("WebhookRuleInput"), "The rule.") | {"required": True},
            "responses": {"201": _json(_ref("WebhookRule"), "Created."), **_ERRORS},
        },
        "get": {
            "security": SECURITY,
            "operationId": "listWebhookRules",
            "summary": "List webhook rules, oldest first, searched by name",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}},
                _query_integer("limit", 1, PAGE_LIMIT),
                _query_integer("offset", 0, 2**62),
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "rules": {"type": "array", "items": _ref("WebhookRule")},
                            "total": {"type": "integer"},
                            "limit": {"type": "integer"},
                            "offset": {"type": "integer"},
                        },
                    },
                    "A page of rules and how many match in all.",
                ),
                **_ERRORS,
            },
        },
    },
    "/webhooks/{id}": {
        "parameters": [_ID],
        "get": {
            "security": SECURITY,
            "operationId": "getWebhookRule",
            "summary": "A webhook rule",
            "responses": {"200": _RULE, **_NOT_FOUND, **_ERRORS},
        },
        "patch": {
            "security": SECURITY,
            "operationId": "updateWebhookRule",
            "summary": "Change some fields of a rule (active: true clears why it was disabled)",
            "requestBody": _json(_ref("WebhookRulePatch"), "The fields to change.")
            | {"required": True},
            "responses": {"200": _RULE, **_NOT_FOUND, **_ERRORS},
        },
        "delete": {
            "security": SECURITY,
            "operationId": "deleteWebhookRule",
            "summary": "Delete a rule",
            "responses": {"204": {"description": "Deleted."}, **_NOT_FOUND, **_ERRORS},
        },
    },
    "/webhooks/{id}/rotate": {
        "parameters": [_ID],
        "post": {
            "security": SECURITY,
            "operationId": "rotateWebhookSecret",
            "summary": "A new secret; the previous one signs too for keep_previous seconds",
            "requestBody": _json(
                {
                    "type": "object",
                    "properties": {"keep_previous": {"type": "number", "minimum": 0}},
                    "additionalProperties": False,
                },
                "Optional.",
            ),
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "id": {"type": "string"},
                            "secret": {"type": "string"},
                            "previous_until": {"type": ["number", "null"]},
                        },
                    },
                    "The new secret.",
                ),
                **_NOT_FOUND,
                **_ERRORS,
            },
        },
    },
    "/webhooks/{id}/test": {
        "parameters": [_ID],
        "post": {
            "security": SECURITY,
            "operationId": "testWebhookRule",
            "summary": "Send a webhook.test event to the rule's URL now",
            "responses": {
                "200": _json(_ref("WebhookAttempt"), "What the receiver answered."),
                **_NOT_FOUND,
                **_ERRORS,
            },
        },
    },
    "/webhooks/{id}/attempts": {
        "parameters": [_ID],
        "get": {
            "security": SECURITY,
            "operationId": "listWebhookAttempts",
            "summary": "The rule's recent requests, newest first",
            "parameters": [_query_integer("limit", 1, PAGE_LIMIT)],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "attempts": {"type": "array", "items": _ref("WebhookAttempt")}
                        },
                    },
                    "Status, latency and error of each.",
                ),
                **_NOT_FOUND,
                **_ERRORS,
            },
        },
    },
}
