"""What every publish format shares: the request it reads, the route it declares, the
error it raises, and a JSON reader that bad input cannot crash.

A format is a list of :class:`PublishRoute`: where it listens, how it turns an
:class:`IngestRequest` into ``(options, targets)`` and how it answers. The web layer
mounts and documents every route of :data:`dash_notify.hub.ingest.FORMATS` and knows
nothing else about formats; a format knows nothing about the web framework.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..model import MessageKind

# JSON deeper than this is refused before it is parsed: Python's parser recurses once
# per level, so ~1,000 levels in a few KB would raise RecursionError (a 500).
MAX_DEPTH = 32

_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class PayloadError(ValueError):
    """A payload that cannot be mapped: ``field`` names the offending field (a path such
    as ``notification.title`` or ``actions[0].url``), ``allowed`` the values it may take
    when they can be listed."""

    def __init__(self, field: str, message: str, allowed: tuple[str, ...] = ()):
        self.field = field
        self.message = message
        self.allowed = allowed
        super().__init__(f"{field}: {message}")


class Headers(Mapping[str, str]):
    """Request headers, looked up case-insensitively.

    Values are ``str`` as WSGI gives them: each byte of the header decoded as latin-1
    (so a UTF-8 header arrives as mojibake, which a format re-decodes if it wants to).
    A header sent twice keeps its first value.
    """

    def __init__(self, items: Iterable[tuple[str, str]] | Mapping[str, str] = ()):
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            self._items.setdefault(name.lower(), (name, value))

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class IngestRequest:
    """A publishing request as the web layer hands it to a format.

    ``body``: the raw body (the web layer has already bounded its size). ``headers``:
    a :class:`Headers`. ``query``: the query parameters, first value of each, decoded.
    ``params``: the path parameters of the route (``{"topic": "deploys"}``).
    """

    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=Headers)
    query: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)


class Publisher(Protocol):
    """The token a request was authenticated with (only its name is read)."""

    name: str


class Published(Protocol):
    """The stored message a reply describes."""

    id: int
    created: float
    targets: tuple[str, ...]
    options: Mapping[str, Any]


Parse = Callable[[IngestRequest, Publisher], tuple[Any, tuple[str, ...]]]
Reply = Callable[[Published], tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class PublishRoute:
    """One publishing route of a format.

    ``name``: a unique id (the web layer's endpoint name is ``dash_notify_<name>``).
    ``path``: under ``<prefix>_dash_notify/``, with Flask-style parameters
    (``ntfy/<topic>``). ``methods``: the HTTP methods it answers. ``parse(request,
    token)``: the options (validated later, by the hub, like any publish) and the
    targets, or :class:`PayloadError`. ``reply(message)``: ``(status, JSON body)`` for
    the stored message. ``path_item``: its OpenAPI path item (complete operations,
    error responses included; they refer to ``#/components/schemas/Error`` and, where
    said, ``NotificationOptions``, which the document generator provides).
    ``root_path``: where the route is also mounted at the app's own root when the hub
    is told to (``ntfy_at_root``), or None. ``kind``: what the parsed message asks of
    the browsers, handed to the hub's publish door: ``"notify"`` (the options are a
    notification's) or ``"close"`` (the options are ``{"tag": ...}``).
    """

    name: str
    path: str
    methods: tuple[str, ...]
    parse: Parse
    reply: Reply
    path_item: Mapping[str, Any]
    root_path: str | None = None
    kind: MessageKind = "notify"

    @property
    def openapi_path(self) -> str:
        """The path in OpenAPI's form: ``/_dash_notify/ntfy/{topic}``."""
        return "/_dash_notify/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.path)


# -- reading JSON ----------------------------------------------------------------------
def parse_json(data: bytes, *, field: str = "body", max_depth: int = MAX_DEPTH) -> Any:
    """``data`` parsed as JSON, or :class:`PayloadError` naming what is wrong.

    Refused: bytes that are not UTF-8, malformed JSON, ``NaN`` and ``Infinity`` (not
    JSON), nesting deeper than ``max_depth`` (checked before parsing, so a deep
    payload costs one scan and never a RecursionError), and a lone surrogate
    (``"\\ud800"``) in any string or key, named by its path (``notification.title``).
    """
    try:
        text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    except UnicodeDecodeError as error:
        raise PayloadError(
            field, f"malformed JSON (not UTF-8: {error.reason} at byte {error.start})"
        ) from None
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > max_depth:
            raise PayloadError(field, f"nested deeper than {max_depth} levels")
    try:
        value = json.loads(text, parse_constant=_not_json)
    except PayloadError as error:
        raise PayloadError(field, error.message) from None
    except (ValueError, RecursionError) as error:
        raise PayloadError(field, f"malformed JSON ({error})") from None
    check_text(value, "" if field == "body" else field)
    return value


def _not_json(constant: str) -> Any:
    raise PayloadError("body", f"{constant} is not JSON")


def check_text(value: Any, path: str) -> None:
    """Raise :class:`PayloadError` at the first string (or key) in ``value`` holding a
    lone surrogate, which no UTF-8 text can carry; ``path`` names ``value`` (empty for
    a whole body: fields are then named from its top, ``notification.title``)."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise PayloadError(path or "body", "contains a lone surrogate (not valid Unicode text)")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                raise PayloadError(
                    path or "body", "contains a key with a lone surrogate (not valid Unicode text)"
                )
            check_text(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, f"{path}[{index}]")


def json_object(payload: Any, what: str) -> Mapping[str, Any]:
    """``payload`` if it is a JSON object, else :class:`PayloadError` on ``body``."""
    if not isinstance(payload, Mapping):
        raise PayloadError("body", f"must be a JSON object ({what})")
    return payload


# -- OpenAPI ---------------------------------------------------------------------------
def error_response(description: str) -> dict[str, Any]:
    """An OpenAPI response carrying the hub's JSON error body."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(description: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAPI response with a JSON body of ``schema``."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def publishing_operation(
    summary: str,
    description: str,
    content: Mapping[str, Any],
    ok: Mapping[str, Any],
    *,
    body_required: bool = True,
) -> dict[str, Any]:
    """A publishing operation: token auth, its body, its success response(s) and every
    rejection the hub gives a publish (the size and rate limits are stated once, in the
    document's description)."""
    return {
        "summary": summary,
        "description": description,
        "security": [{"bearer": []}, {"basic": []}],
        "requestBody": {"required": body_required, "content": dict(content)},
        "responses": {
            **ok,
            "400": error_response("Malformed JSON or an invalid field (named in `field`)."),
            "401": error_response("No valid token."),
            "403": error_response("The token may not publish to a target."),
            "413": error_response("The body is over the size limit."),
            "429": {
                **error_response("The token's rate limit is reached."),
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
            "503": error_response("The store is unavailable; nothing was stored."),
        },
    }


def ref(name: str) -> dict[str, str]:
    """A ``$ref`` to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}
