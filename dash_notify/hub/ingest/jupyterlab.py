"""The JupyterLab notifications extension's ``/ingest`` payload.

Two routes take it: ``<prefix>_dash_notify/ingest`` (short, for curl), and
``<prefix>_dash_notify/jupyter/jupyterlab-notifications-extension/ingest``, the path
the extension's own command line posts to, so that
``jupyterlab-notify --url http://host/_dash_notify/jupyter -m "..."`` publishes to the
hub. Both answer as the extension does: ``{"success": true, "notification_id": <id>}``.

The payload, and what each field becomes:

- ``message``: its first line is the title, the rest the body.
- ``type``: default, info, success, warning, error, in-progress onto severity None,
  Low, Low, Medium, High, Low (in-progress also sets ``inProgress``); the type itself
  is kept in ``data.type``.
- ``autoClose``: ``false`` keeps the notification until dismissed
  (``requireInteraction``); ``0`` puts it in the center only (``showToast: false``,
  ``silent``); other numbers of milliseconds use the component's own durations.
- ``actions``: ``label`` becomes the button title and its slug the action id (what
  ``clickData.action`` says). ``caption`` and ``displayType`` only style JupyterLab's
  buttons and are dropped. ``commandId`` and ``args`` (a JupyterLab command the
  button runs there) cannot run in a Dash app; they are kept in
  ``data.commands[<action id>]`` so that the app's click callback can act on them.
- ``data``: any JSON, kept in ``data.data`` and so returned in ``clickData``.
- ``immediate``: the extension pushes such a notification to every open tab at once
  instead of waiting for a poll. The hub always delivers at once to every open tab,
  so ``true`` and ``false`` are both accepted and change nothing.
- ``to`` (ours, not the extension's): the targets; without it, everyone (``"*"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..targets import EVERYONE
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
from .ours import targets

TYPES = {
    "default": "None",
    "info": "Low",
    "success": "Low",
    "warning": "Medium",
    "error": "High",
    "in-progress": "Low",
}
FIELDS = ("message", "type", "autoClose", "actions", "data", "immediate", "to")
ACTION_FIELDS = ("label", "caption", "displayType", "commandId", "args")
# The path the extension's own clients post to, below the base that --url names.
CLIENT_PATH = "jupyter/jupyterlab-notifications-extension/ingest"


def _slug(label: str, index: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:60]
    return slug or f"action-{index}"


def _auto_close(value: Any, options: dict[str, Any]) -> None:
    if value is False:
        options["requireInteraction"] = True
    elif value is True or not isinstance(value, (int, float)) or value < 0:
        raise PayloadError("autoClose", "must be a number of milliseconds >= 0 or false")
    elif value == 0:
        options["showToast"] = False
        options["silent"] = True


def _actions(value: Any) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The buttons, and the JupyterLab commands they name by action id."""
    if not isinstance(value, list):
        raise PayloadError("actions", "must be a list")
    buttons, commands = [], {}
    for index, item in enumerate(value):
        if not isinstance(item, Mapping) or not isinstance(item.get("label"), str):
            raise PayloadError(f"actions[{index}].label", "required, a string")
        for name in item:
            if name not in ACTION_FIELDS:
                raise PayloadError(f"actions[{index}].{name}", "unknown field", ACTION_FIELDS)
            if name != "args" and not isinstance(item[name], str):
                raise PayloadError(f"actions[{index}].{name}", "must be a string")
        action = _slug(item["label"], index)
        buttons.append({"action": action, "title": item["label"]})
        if "commandId" in item:
            commands[action] = {"commandId": item["commandId"], "args": item.get("args", {})}
        elif "args" in item:
            raise PayloadError(f"actions[{index}].args", "needs a commandId")
    return buttons, commands


def parse(request: IngestRequest, token: Publisher) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The options and targets of a JupyterLab ``/ingest`` payload (see the module)."""
    payload = json_object(parse_json(request.body), 'with a "message"')
    unknown = sorted(set(payload) - set(FIELDS))
    if unknown:
        raise PayloadError(unknown[0], "unknown field", FIELDS)
    message = payload.get("message")
    if not isinstance(message, str) or not message.strip():
        raise PayloadError("message", "required, a non-empty string")
    kind = payload.get("type", "info")
    if not isinstance(kind, str) or kind not in TYPES:
        raise PayloadError("type", f"{kind!r} is not a type", tuple(TYPES))
    if not isinstance(payload.get("immediate", False), bool):
        raise PayloadError("immediate", "must be true or false")
    title, _, body = message.strip().partition("\n")
    data: dict[str, Any] = {"type": kind}
    if "data" in payload:
        data["data"] = payload["data"]
    options: dict[str, Any] = {
        "title": title.strip(),
        "severity": TYPES[kind],
        "source": token.name,
    }
    if body.strip():
        options["body"] = body.strip()
    if kind == "in-progress":
        options["inProgress"] = True
    _auto_close(payload.get("autoClose", 5000), options)
    buttons, commands = _actions(payload.get("actions", []))
    if buttons:
        options["actions"] = buttons
    if commands:
        data["commands"] = commands
    options["data"] = data
    return options, targets(payload.get("to", EVERYONE))


def reply(message: Published) -> tuple[int, dict[str, Any]]:
    """What the extension answers, with the hub's message id."""
    return 200, {"success": True, "notification_id": message.id}


SCHEMAS: dict[str, Any] = {
    "JupyterLab": {
        "type": "object",
        "additionalProperties": False,
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "minLength": 1},
            "type": {"enum": list(TYPES)},
            "autoClose": {"oneOf": [{"type": "number", "minimum": 0}, {"const": False}]},
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
                        "commandId": {"type": "string"},
                        "args": {},
                    },
                },
            },
            "data": {},
            "immediate": {"type": "boolean"},
            "to": ref("To"),
        },
    },
    "JupyterLabReply": {
        "type": "object",
        "required": ["success", "notification_id"],
        "properties": {"success": {"const": True}, "notification_id": {"type": "integer"}},
    },
}


def _path_item(description: str) -> dict[str, Any]:
    return {
        "post": publishing_operation(
            "Publish in the JupyterLab notifications extension's format",
            description,
            {"application/json": {"schema": ref("JupyterLab")}},
            {"200": json_response("Stored.", ref("JupyterLabReply"))},
        )
    }


ROUTES = [
    PublishRoute(
        name="ingest",
        path="ingest",
        methods=("POST",),
        parse=parse,
        reply=reply,
        path_item=_path_item("Broadcast unless `to` is given."),
    ),
    PublishRoute(
        name="jupyterlab_client",
        path=CLIENT_PATH,
        methods=("POST",),
        parse=parse,
        reply=reply,
        path_item=_path_item(
            "The path the extension's `jupyterlab-notify` posts to: give it "
            "`--url <app>/_dash_notify/jupyter`. Broadcast unless `to` is given."
        ),
    ),
]
