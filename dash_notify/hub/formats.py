"""The publish formats the HTTP ingest accepts, each mapped onto notification options.

- ours: ``{"to": <target or list>, "notification": <options>}``;
- the JupyterLab notifications extension's ``/ingest`` payload (``message``, ``type``,
  ``autoClose``, ``actions``), broadcast unless an extra ``to`` is given;
- ntfy's publish API: a plain-text body with ``Title``, ``Priority``, ``Tags``,
  ``Click``, ``Actions``, ``Icon`` headers (or their query-parameter forms) to
  ``<base>/<topic>``, and its JSON form ``{"topic": ..., "message": ...}`` to ``<base>/``.
  A topic is a group: ntfy topic ``deploys`` reaches target ``group:deploys``.

Every mapper returns ``(options, targets)``; the options are then validated against the
one options schema, like anything raised from Python or the browser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .targets import EVERYONE, TargetError, parse_targets


class PayloadError(ValueError):
    """A payload that cannot be mapped: ``field`` names the offending field."""

    def __init__(self, field: str, message: str, allowed: tuple[str, ...] = ()):
        self.field = field
        self.allowed = allowed
        super().__init__(f"{field}: {message}")


def _object(payload: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(payload, Mapping):
        raise PayloadError("body", f"must be a JSON object ({what})")
    return payload


def _targets(value: Any, field: str = "to") -> tuple[str, ...]:
    try:
        return parse_targets(value)
    except TargetError as error:
        raise PayloadError(field, str(error).split(": ", 1)[1], error.allowed) from None


# -- ours ------------------------------------------------------------------------
def from_publish(payload: Any) -> tuple[Any, tuple[str, ...]]:
    """Our own format: ``{"to": ..., "notification": {...}}``."""
    payload = _object(payload, 'with "to" and "notification"')
    unknown = sorted(set(payload) - {"to", "notification"})
    if unknown:
        raise PayloadError(unknown[0], "unknown field", ("to", "notification"))
    if "to" not in payload:
        raise PayloadError("to", "required")
    if "notification" not in payload:
        raise PayloadError("notification", "required")
    return payload["notification"], _targets(payload["to"])


# -- JupyterLab ------------------------------------------------------------------
JUPYTER_TYPES = {
    "default": "None",
    "info": "Low",
    "success": "Low",
    "warning": "Medium",
    "error": "High",
    "in-progress": "Low",
}


def _slug(label: str, index: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60]
    return slug or f"action-{index}"


def from_jupyterlab(payload: Any, source: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The JupyterLab extension's ``/ingest`` payload.

    ``message``: its first line is the title, the rest the body. ``type``: default,
    info, success, warning, error, in-progress onto severity None, Low, Low, Medium,
    High, Low (in-progress also sets ``inProgress``); the type itself is kept in
    ``data.type``. ``autoClose``: ``false`` keeps the notification until dismissed
    (``requireInteraction``), ``0`` puts it in the center only (``showToast: false``,
    no desktop popup either); other numbers use the component's ``durations``.
    ``actions``: ``label`` becomes the button title, its slug the action id.
    """
    payload = _object(payload, 'with a "message"')
    allowed = ("message", "type", "autoClose", "actions", "to", "data")
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise PayloadError(unknown[0], "unknown field", allowed)
    message = payload.get("message")
    if not isinstance(message, str) or not message.strip():
        raise PayloadError("message", "required, a non-empty string")
    title, _, body = message.strip().partition("\n")
    kind = payload.get("type", "info")
    if not isinstance(kind, str) or kind not in JUPYTER_TYPES:
        raise PayloadError("type", f"{kind!r} is not a type", tuple(JUPYTER_TYPES))
    options: dict[str, Any] = {
        "title": title.strip(),
        "severity": JUPYTER_TYPES[kind],
        "source": source,
        "data": {"type": kind, **({"data": payload["data"]} if "data" in payload else {})},
    }
    if body.strip():
        options["body"] = body.strip()
    if kind == "in-progress":
        options["inProgress"] = True
    auto_close = payload.get("autoClose", 5000)
    if auto_close is False:
        options["requireInteraction"] = True
    elif auto_close is True or not isinstance(auto_close, (int, float)) or auto_close < 0:
        raise PayloadError("autoClose", "must be a number of milliseconds >= 0 or false")
    elif auto_close == 0:
        options["showToast"] = False
        options["silent"] = True
    actions = payload.get("actions", [])
    if not isinstance(actions, list):
        raise PayloadError("actions", "must be a list")
    mapped = []
    for index, item in enumerate(actions):
        if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
            raise PayloadError(f"actions[{index}].label", "required, a string")
        for name in item:
            if name not in ("label", "caption", "displayType"):
                raise PayloadError(
                    f"actions[{index}].{name}", "unknown field", ("label", "caption", "displayType")
                )
            if not isinstance(item[name], str):
                raise PayloadError(f"actions[{index}].{name}", "must be a string")
        mapped.append({"action": _slug(item["label"], index), "title": item["label"]})
    if mapped:
        options["actions"] = mapped
    return options, _targets(payload.get("to", EVERYONE))


# -- ntfy ------------------------------------------------------------------------
TOPIC = re.compile(r"^[-_A-Za-z0-9]{1,64}$")
NTFY_PRIORITIES = {
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
# ntfy's header names, their X- forms and their query-parameter aliases.
NTFY_FIELDS = {
    "title": ("X-Title", "Title", "ti", "t"),
    "message": ("X-Message", "Message", "m"),
    "priority": ("X-Priority", "Priority", "prio", "p"),
    "tags": ("X-Tags", "Tags", "Tag", "ta"),
    "click": ("X-Click", "Click"),
    "actions": ("X-Actions", "Actions", "Action"),
    "icon": ("X-Icon", "Icon"),
}


def check_topic(topic: str) -> str:
    """A valid ntfy topic name, or PayloadError."""
    if not TOPIC.fullmatch(topic or ""):
        raise PayloadError("topic", f"{topic!r} is not a topic name (1-64 of A-Z a-z 0-9 _ -)")
    return topic


def _priority(value: Any) -> str:
    key = str(value).strip().lower()
    if key not in NTFY_PRIORITIES:
        raise PayloadError("priority", f"{value!r} is not a priority", ("1", "2", "3", "4", "5"))
    return NTFY_PRIORITIES[key]


def _parse_action_header(text: str) -> list[dict[str, Any]]:
    """ntfy's short action format: ``view, Label, https://url[, key=value...]; ...``
    (or a JSON list)."""
    text = text.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            raise PayloadError("actions", "is not valid JSON") from None
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


def _ntfy_options(fields: Mapping[str, Any], topic: str, source: str) -> dict[str, Any]:
    message = fields.get("message")
    message = message if isinstance(message, str) and message.strip() else "triggered"
    title = fields.get("title")
    options: dict[str, Any] = {
        "title": title if isinstance(title, str) and title else topic,
        "body": message,
        "source": source,
        "severity": _priority(fields.get("priority", 3)),
    }
    ntfy: dict[str, Any] = {"topic": topic}
    tags = fields.get("tags")
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if tags:
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise PayloadError("tags", "must be a list of strings")
        ntfy["tags"] = tags
    if fields.get("click"):
        ntfy["click"] = fields["click"]
    if fields.get("icon"):
        options["icon"] = fields["icon"]
    actions = fields.get("actions") or []
    if isinstance(actions, str):
        actions = _parse_action_header(actions)
    if not isinstance(actions, list):
        raise PayloadError("actions", "must be a list")
    if len(actions) > 2:
        raise PayloadError("actions", f"at most 2 actions here, got {len(actions)}")
    mapped, kept = [], []
    for index, item in enumerate(actions):
        if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
            raise PayloadError(f"actions[{index}].label", "required, a string")
        for name in ("action", "url"):
            if name in item and not isinstance(item[name], str):
                raise PayloadError(f"actions[{index}].{name}", "must be a string")
        mapped.append({"action": f"{item.get('action', 'view')}-{index}", "title": item["label"]})
        kept.append({k: v for k, v in item.items() if k in ("action", "label", "url")})
    if mapped:
        options["actions"] = mapped
        ntfy["actions"] = kept
    options["data"] = {"ntfy": ntfy}
    return options


def from_ntfy_text(
    topic: str, body: str, headers: Mapping[str, str], query: Mapping[str, str], source: str
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """ntfy's plain-text publish: ``PUT/POST <base>/<topic>`` with headers."""
    topic = check_topic(topic)
    fields: dict[str, Any] = {"message": body}
    for name, aliases in NTFY_FIELDS.items():
        for alias in aliases:
            value = headers.get(alias) or query.get(alias.lower())
            if value:
                fields[name] = value
                break
    return _ntfy_options(fields, topic, source), (f"group:{topic}",)


def _json_priority(priority: Any) -> int:
    """ntfy's JSON form takes priority as a number from 1 to 5."""
    if isinstance(priority, float) and priority.is_integer():
        priority = int(priority)
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        raise PayloadError("priority", f"{priority!r} is not a priority", ("1", "2", "3", "4", "5"))
    return priority


def from_ntfy_json(payload: Any, source: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """ntfy's JSON publish: ``POST <base>/`` with the topic inside."""
    payload = _object(payload, 'with a "topic"')
    payload = {**payload, "priority": _json_priority(payload.get("priority", 3))}
    topic = payload.get("topic")
    if not isinstance(topic, str):
        raise PayloadError("topic", "required, a string")
    check_topic(topic)
    for name in ("title", "message", "click", "icon"):
        if name in payload and not isinstance(payload[name], str):
            raise PayloadError(name, "must be a string")
    for name in ("tags", "actions"):
        if name in payload and not isinstance(payload[name], list):
            raise PayloadError(name, "must be a list")
    return _ntfy_options(payload, topic, source), (f"group:{topic}",)
