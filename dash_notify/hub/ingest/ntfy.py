"""ntfy's publish API, with the hub as the ntfy server.

- Plain text: ``PUT``/``POST <prefix>_dash_notify/ntfy/<topic>``, the body is the
  message, the rest in headers (``Title``, ``Priority``, ``Tags``, ``Click``,
  ``Actions``, ``Icon``, ``Message``, with their ``X-`` forms and query aliases).
- JSON: ``POST <prefix>_dash_notify/ntfy/`` with ``{"topic": ..., "message": ...}``.
  As ntfy's server does, the JSON fields take the place of the ``X-`` headers, so
  that the request's own headers (``X-Priority: high``) and query parameters count
  wherever the JSON does not set that field: clients such as apprise send JSON with
  the priority, tags, click URL and icon in headers.
- Both are also served at the app's own root (``/<topic>``, ``/``) when the hub is
  told to (``ntfy_at_root``), for clients that take a server URL without a path.

Headers are read as ntfy reads them (see :mod:`.headers`): UTF-8, RFC 2047 encoded
words decoded, the first non-empty of a field's names, then the query. A topic is a
group: ntfy topic ``deploys`` reaches target ``group:deploys``. Priority 1-5 (or
min, low, default, high, max/urgent) maps onto severity Low, Low, Medium, High,
Critical. The click URL becomes the ``url`` option (a click on the notification opens
it, as ntfy's apps do); it, the tags and the actions are also kept in ``data.ntfy`` (so
they come back in ``clickData``); the click URL, the icon and the actions' URLs must be
absolute http(s) URLs (ntfy's server requires that of its icon and attachment URLs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .base import (
    IngestRequest,
    PayloadError,
    Published,
    Publisher,
    PublishRoute,
    check_text,
    json_object,
    json_response,
    parse_json,
    publishing_operation,
    ref,
)
from .headers import header_text

TOPIC = re.compile(r"^[-_A-Za-z0-9]{1,64}$")
PRIORITIES = {
    "1": "Low",
    "min": "Low",
    "2": "Low",
    "low": "Low",
    "3": "Medium",
    "default": "Medium",
    "4": "High",
    "high": "High",
    "5": "Critical",
    "max": "Critical",
    "urgent": "Critical",
}
# Each field's header names (X- form first: the JSON form's fields go there) and
# query aliases, in the order ntfy's server tries them.
FIELDS = {
    "title": ("X-Title", "Title", "t"),
    "message": ("X-Message", "Message", "m"),
    "priority": ("X-Priority", "Priority", "prio", "p"),
    "tags": ("X-Tags", "Tags", "Tag", "ta"),
    "click": ("X-Click", "Click"),
    "actions": ("X-Actions", "Actions", "Action"),
    "icon": ("X-Icon", "Icon"),
}
MAX_ACTIONS = 2  # the options schema's limit (ntfy's is 3)
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
# What a proxy (Cloudflare) puts in the HTTP "Priority" header (RFC 9218); ntfy ignores it.
_HTTP_PRIORITY = re.compile(r"^u=\d,\s*(i|\d)$|^u=\d$")


def check_topic(topic: Any) -> str:
    """A valid ntfy topic name, or :class:`PayloadError` on ``topic``."""
    if not isinstance(topic, str) or not TOPIC.fullmatch(topic):
        raise PayloadError("topic", f"{topic!r} is not a topic name (1-64 of A-Z a-z 0-9 _ -)")
    return topic


def _param(request: IngestRequest, field: str) -> str:
    """A field's value from the headers, else the query, as ntfy's ``readParam``."""
    names = FIELDS[field]
    for name in names:
        value = request.headers.get(name)
        if value:
            text = header_text(value).strip()
            if name.lower() == "priority" and _HTTP_PRIORITY.match(text):
                text = ""
            if text:
                return text
    for name in names:
        value = (request.query.get(name.lower()) or "").strip()
        if value:
            return value
    return ""


def _url(value: str, field: str) -> str:
    if not _HTTP_URL.fullmatch(value):
        raise PayloadError(field, f"{value[:100]!r} is not an http(s) URL", ("http", "https"))
    return value


def _priority(value: str) -> str:
    key = value.strip().lower()
    if key not in PRIORITIES:
        raise PayloadError("priority", f"{value!r} is not a priority", tuple(PRIORITIES))
    return PRIORITIES[key]


def _header_actions(text: str) -> list[Any]:
    """ntfy's ``Actions`` header: a JSON list, or its short form
    ``view, Label, https://url[, key=value...]; ...``."""
    if text.startswith("["):
        value = parse_json(text.encode("utf-8"), field="actions")
        if not isinstance(value, list):
            raise PayloadError("actions", "must be a JSON list")
        return value
    actions = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        fields = [f.strip() for f in part.split(",")]
        if len(fields) < 2:
            raise PayloadError("actions", f"{part!r} needs at least an action and a label")
        action = {"action": fields[0], "label": fields[1]}
        if len(fields) > 2 and "=" not in fields[2]:
            action["url"] = fields[2]
        actions.append(action)
    return actions


def _actions(actions: list[Any]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    """The buttons, and the actions as ntfy describes them (kept in ``data.ntfy``)."""
    if len(actions) > MAX_ACTIONS:
        raise PayloadError("actions", f"at most {MAX_ACTIONS} actions here, got {len(actions)}")
    buttons, kept = [], []
    for index, item in enumerate(actions):
        if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
            raise PayloadError(f"actions[{index}].label", "required, a string")
        for name in ("action", "url"):
            if name in item and not isinstance(item[name], str):
                raise PayloadError(f"actions[{index}].{name}", "must be a string")
        if "url" in item:
            _url(item["url"], f"actions[{index}].url")
        buttons.append({"action": f"{item.get('action', 'view')}-{index}", "title": item["label"]})
        kept.append({k: v for k, v in item.items() if k in ("action", "label", "url")})
    return buttons, kept


def _options(
    request: IngestRequest, topic: str, body: str, source: str, given: Mapping[str, Any]
) -> dict[str, Any]:
    """The options from the fields in ``given`` (the JSON form's), else the request's.
    ``body`` is the message (the text body, or the JSON form's ``message``)."""

    def field(name: str) -> Any:
        return given[name] if given.get(name) else _param(request, name)

    # The body is the message unless a Message header or query says otherwise; there,
    # as in ntfy, a written "\\n" is a line break.
    message = _param(request, "message").replace("\\n", "\n") or body
    title = field("title")
    priority = field("priority")
    options: dict[str, Any] = {
        "title": title or topic,
        "body": message if message.strip() else "triggered",
        "source": source,
        "severity": _priority(priority) if priority else "Medium",
    }
    ntfy: dict[str, Any] = {"topic": topic}
    tags = field("tags")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if tags:
        ntfy["tags"] = tags
    click = field("click")
    if click:
        # ntfy opens its click URL when the notification is tapped: so does ours.
        ntfy["click"] = options["url"] = _url(click, "click")
    icon = field("icon")
    if icon:
        options["icon"] = _url(icon, "icon")
    actions = field("actions") or []
    if isinstance(actions, str):
        actions = _header_actions(actions)
    buttons, kept = _actions(actions)
    if buttons:
        options["actions"] = buttons
        ntfy["actions"] = kept
    options["data"] = {"ntfy": ntfy}
    for name in ("title", "body", "icon"):
        check_text(options.get(name), name)
    check_text(ntfy, "data.ntfy")
    return options


def parse_text(request: IngestRequest, token: Publisher) -> tuple[dict[str, Any], tuple[str, ...]]:
    """ntfy's plain-text publish to ``<base>/<topic>``."""
    topic = check_topic(request.params.get("topic"))
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError("body", "must be UTF-8 text") from None
    return _options(request, topic, body, token.name, {}), (f"group:{topic}",)


def _json_fields(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON form's fields, type-checked as ntfy's server reads them."""
    priority = payload.get("priority")
    if isinstance(priority, float) and priority.is_integer():
        payload = {**payload, "priority": int(priority)}
    for name in ("title", "message", "click", "icon", "priority", "tags", "actions"):
        kinds = {"priority": (int,), "tags": (list,), "actions": (list,)}.get(name, (str,))
        value = payload.get(name)
        if value is not None and (not isinstance(value, kinds) or isinstance(value, bool)):
            what = {"priority": "a number from 1 to 5", "tags": "a list", "actions": "a list"}
            raise PayloadError(name, f"must be {what.get(name, 'a string')}")
    priority = payload.get("priority") or 0  # 0: not set, as in ntfy
    if not 0 <= priority <= 5:
        raise PayloadError("priority", f"{priority!r} is not a priority", ("1", "2", "3", "4", "5"))
    tags = payload.get("tags") or []
    if not all(isinstance(tag, str) for tag in tags):
        raise PayloadError("tags", "must be a list of strings")
    return {**payload, "priority": str(priority) if priority else ""}


def parse_json_form(
    request: IngestRequest, token: Publisher
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """ntfy's JSON publish to ``<base>/``, the topic inside, headers where JSON is silent."""
    payload = json_object(parse_json(request.body), 'with a "topic"')
    if not isinstance(payload.get("topic"), str):
        raise PayloadError("topic", "required, a string")
    topic = check_topic(payload["topic"])
    fields = _json_fields(payload)
    message = fields.get("message") or ""
    return _options(request, topic, message, token.name, fields), (f"group:{topic}",)


def reply(message: Published) -> tuple[int, dict[str, Any]]:
    """ntfy's answer to a publish."""
    return 200, {
        "id": str(message.id),
        "time": int(message.created),
        "event": "message",
        "topic": message.options["data"]["ntfy"]["topic"],
        "title": message.options["title"],
        "message": message.options.get("body", ""),
    }


# (an empty string is "not given")
_EMPTY_OR_HTTP = "^([Hh][Tt][Tt][Pp][Ss]?://.*)?$"
_ACTIONS_SCHEMA = {
    "type": "array",
    "maxItems": MAX_ACTIONS,
    "items": {
        "type": "object",
        "required": ["label"],
        "properties": {
            "action": {"type": "string"},
            "label": {"type": "string", "minLength": 1, "maxLength": 100},
            "url": {"type": "string", "pattern": _EMPTY_OR_HTTP},
        },
    },
}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """ntfy's server reads a JSON null as a field not given."""
    return {"anyOf": [schema, {"type": "null"}]}


SCHEMAS: dict[str, Any] = {
    "NtfyJSON": {
        "type": "object",
        "required": ["topic"],
        "properties": {
            "topic": {"type": "string", "pattern": TOPIC.pattern},
            "message": _or_null({"type": "string"}),
            "title": _or_null({"type": "string"}),
            "priority": _or_null({"type": "integer", "minimum": 0, "maximum": 5}),
            "tags": _or_null({"type": "array", "items": {"type": "string"}}),
            "click": _or_null({"type": "string", "pattern": _EMPTY_OR_HTTP}),
            "icon": _or_null({"type": "string", "pattern": _EMPTY_OR_HTTP}),
            "actions": _or_null(_ACTIONS_SCHEMA),
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
}

_OK = {"200": json_response("Published (ntfy's reply shape).", ref("NtfyReply"))}
_HEADERS = [
    {"name": name, "in": "header", "required": False, "schema": {"type": "string"}}
    for name in ("Title", "Tags", "Click", "Actions", "Icon")
]
_PRIORITY = {
    "name": "Priority",
    "in": "header",
    "required": False,
    "schema": {"enum": ["", *PRIORITIES]},
}

ROUTES = [
    PublishRoute(
        name="ntfy_topic",
        path="ntfy/<topic>",
        methods=("POST", "PUT"),
        parse=parse_text,
        reply=reply,
        root_path="<topic>",
        path_item={
            "parameters": [
                {
                    "name": "topic",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": TOPIC.pattern},
                },
                *_HEADERS,
                _PRIORITY,
            ],
            **{
                method: publishing_operation(
                    "Publish in ntfy's plain-text format",
                    "The body is the message; headers as ntfy's (UTF-8 or RFC 2047 "
                    "encoded words). Reaches group:<topic>.",
                    {"text/plain": {"schema": {"type": "string"}}},
                    _OK,
                    body_required=False,
                )
                for method in ("post", "put")
            },
        },
    ),
    PublishRoute(
        name="ntfy_json",
        path="ntfy/",
        methods=("POST",),
        parse=parse_json_form,
        reply=reply,
        root_path="",
        path_item={
            # Any text: a header the JSON overrides is never read.
            "parameters": [*_HEADERS, {**_PRIORITY, "schema": {"type": "string"}}],
            "post": publishing_operation(
                "Publish in ntfy's JSON format",
                "The topic is in the body; the request's ntfy headers count where the "
                "JSON does not set that field. Reaches group:<topic>.",
                {"application/json": {"schema": ref("NtfyJSON")}},
                _OK,
            ),
        },
    ),
]
