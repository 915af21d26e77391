"""A small validator for the subset of JSON Schema that ``options.schema.json`` uses.

The browser bundle carries a line-for-line twin of this module
(``src/lib/options/validate.js``) and ``tests/unit/test_schema_parity.py`` runs both
on the same inputs, so the Python helper, the HTTP ingest and the browser always
agree on what is valid and on what the error says.

Supported keywords: ``type`` (a name or a list of names), ``enum``, ``properties``,
``required``, ``additionalProperties: false``, ``items``, ``minItems``, ``maxItems``,
``minLength``, ``maxLength``, ``minimum``, ``maximum``, ``format`` (``safe-url``,
``link-url``, ``category``), local ``$ref`` (``#/$defs/...``), and two of our own:
``x-requires-when-true`` (``{"a": "b"}``: when ``a`` is true, ``b`` must be a non-empty
string) and ``x-excludes-when-true``
(``{"a": "b"}``: when ``a`` is true, ``b`` must be absent).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SUPPORTED_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$ref",
        "title",
        "description",
        "type",
        "enum",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "format",
        "x-requires-when-true",
        "x-excludes-when-true",
    }
)

_SAFE_SCHEMES = ("http", "https", "blob")
_PLAIN_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_LEADING_IGNORED = re.compile(r"^[\x00-\x20]+")
# A path of the app ("/", "/page?q=1#x"; not "//host" nor "/\\host") or an http(s) URL
# with a host; nothing a browser would drop or read as a slash (controls, spaces, "\\").
_LINK_URL = re.compile(
    r"^(?:/(?![/\\])[^\x00-\x20\x7f\\]*"
    r"|[hH][tT][tT][pP][sS]?://[^\x00-\x20\x7f\\/?#][^\x00-\x20\x7f\\]*)\Z"
)
# A category: lower-case ASCII letters, digits, ".", "_" and "-", starting with a letter
# or a digit (its length is the schema's minLength/maxLength).
_CATEGORY = re.compile(r"(?:[a-z0-9][a-z0-9._-]*)?\Z")
# The same as a JSON Schema pattern (ECMA-262), for OpenAPI tools.
CATEGORY_PATTERN = "^[a-z0-9][a-z0-9._-]*$"
CATEGORY_CHARACTERS = ("a-z", "0-9", ".", "_", "-")


@dataclass(frozen=True)
class SchemaError:
    """One problem found in a value.

    ``field`` is a path such as ``actions[1].title`` (``options`` for the value
    itself), ``code`` the name of the rule that failed (``required``, ``type``,
    ``enum``, ``unknown``, ``minLength``, ``maxLength``, ``minItems``, ``maxItems``,
    ``minimum``, ``maximum``, ``format``, ``requires``, ``excludes``), ``allowed``
    the allowed values or names where there is such a list.
    """

    field: str
    code: str
    message: str
    allowed: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready dict (the shape the browser's ``errorData`` uses)."""
        return {
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "allowed": list(self.allowed),
        }


def json_type(value: Any) -> str:
    """The JSON type name of a Python value, as the browser would see it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if math.isfinite(value) and value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _matches_type(value: Any, name: str) -> bool:
    actual = json_type(value)
    if name == "number":
        return actual in ("integer", "number") and math.isfinite(value)
    return actual == name


def js_number(number: float) -> str:
    """A number as JavaScript's ``String(number)`` writes it (``1e+21``, ``1.5e-7``, ``5``)."""
    if isinstance(number, int) and abs(number) < 10**21:
        return str(number)
    number = float(number)
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    digits_tuple, exponent = Decimal(repr(abs(number))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_tuple))
    k = len(digits)
    n = exponent + k
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = (
            digits[0]
            + ("." + digits[1:] if k > 1 else "")
            + "e"
            + ("+" if e >= 0 else "-")
            + str(abs(e))
        )
    return sign + text


def _index_key(key: str) -> bool:
    return (
        key.isdigit()
        and key.isascii()
        and (key == "0" or not key.startswith("0"))
        and int(key) < 2**32 - 1
    )


def js_json(value: Any) -> str:
    """``JSON.stringify(value)`` as the browser writes it: its number format and key order."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_json(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = list(value)
        ordered = sorted((k for k in keys if _index_key(k)), key=int) + [
            k for k in keys if not _index_key(k)
        ]
        return (
            "{"
            + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{js_json(value[k])}" for k in ordered)
            + "}"
        )
    raise TypeError(type(value).__name__)


def show(value: Any) -> str:
    """A short JSON rendering of a value for error messages (40 characters at most)."""
    try:
        text = js_json(value)
    except TypeError:
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def child_path(path: str, key: str) -> str:
    """The path of ``key`` inside the object at ``path``: ``a.b``, or ``a["odd key"]``."""
    if _PLAIN_NAME.match(key):
        return key if path == "options" else f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, used to suggest the option a typo meant."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(name: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed name closest to ``name`` (case-insensitive, at most 2 edits away)."""
    best, best_distance = None, 3
    for candidate in allowed:
        distance = edit_distance(name.lower(), candidate.lower())
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


def is_safe_url(url: str) -> bool:
    """True for relative URLs and http(s), blob and data:image/ URLs.

    Browsers drop tabs and newlines anywhere in a URL and leading control
    characters, so ``" java\\tscript:"`` is caught too.
    """
    cleaned = _LEADING_IGNORED.sub("", _URL_IGNORED.sub("", url))
    match = _SCHEME.match(cleaned)
    if match is None:
        return True
    scheme = match.group(1).lower()
    if scheme == "data":
        return cleaned[5:].lower().startswith("image/") and not cleaned[5:].lower().startswith(
            "image/svg"
        )
    return scheme in _SAFE_SCHEMES


def is_link_url(url: str) -> bool:
    """True for a path of the app (a single leading ``/``) or an http(s) URL with a host.

    Refused: other schemes (``javascript:``, ``data:``), protocol-relative URLs
    (``//evil.example``), and any control character, space or backslash, which
    browsers drop or read as ``/`` (``/\\evil.example`` is ``//evil.example``).
    """
    return _LINK_URL.match(url) is not None


def is_category(value: str) -> bool:
    """True for a category's characters: a-z, 0-9, ".", "_" and "-", starting with a
    letter or a digit (the empty string too: its length is checked apart)."""
    return _CATEGORY.match(value) is not None


_JSON_TYPES = frozenset({"null", "boolean", "integer", "number", "string", "array", "object"})


# Deeper values than this are refused (the JSON parsers of the hub's ingest stop there too).
MAX_DEPTH = 32
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _first_non_json(value: Any, path: str, depth: int = 0) -> tuple[str, str] | None:
    """The path of the first part of ``value`` that JSON cannot carry, and what it is.

    The browser only ever sees JSON, so this check exists in Python alone: sets,
    dates, NaN, infinities, dicts with non-string keys, strings that are not valid
    Unicode (a lone surrogate such as ``"\\ud800"``, which no UTF-8 text can hold) and
    values nested deeper than ``MAX_DEPTH`` are reported here.
    """
    if depth > MAX_DEPTH:
        return path, f"nested deeper than {MAX_DEPTH} levels"
    kind = json_type(value)
    if kind not in _JSON_TYPES or (kind == "number" and not math.isfinite(value)):
        return path, f"expected a JSON value, got {show(value) if kind == 'number' else kind}"
    if kind == "string" and _LONE_SURROGATE.search(value):
        return path, "not valid Unicode text (a lone surrogate)"
    if kind == "array":
        for index, item in enumerate(value):
            found = _first_non_json(item, f"{path}[{index}]", depth + 1)
            if found:
                return found
    if kind == "object":
        for key, item in value.items():
            if not isinstance(key, str):
                return path, f"keys must be strings, got {key!r}"
            if _LONE_SURROGATE.search(key):
                return path, "a key that is not valid Unicode text (a lone surrogate)"
            found = _first_non_json(item, child_path(path, key), depth + 1)
            if found:
                return found
    return None


class Validator:
    """Validates values against one schema document."""

    def __init__(self, schema: Mapping[str, Any]):
        self.schema = schema

    def validate(self, value: Any) -> list[SchemaError]:
        """All problems in ``value``, in a stable order; an empty list if it is valid."""
        not_json = _first_non_json(value, "options")
        if not_json is not None:
            path, problem = not_json
            return [SchemaError(path, "type", f"{path}: {problem}")]
        errors: list[SchemaError] = []
        self._check(self.schema, value, "options", errors)
        return errors

    def _resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = node.get("$ref")
        if ref is None:
            return node
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        return self.schema["$defs"][ref[len("#/$defs/") :]]

    def _check(self, node: Mapping[str, Any], value: Any, path: str, errors: list) -> None:
        node = self._resolve(node)
        types = node.get("type")
        if types is not None:
            names = (types,) if isinstance(types, str) else tuple(types)
            if not any(_matches_type(value, name) for name in names):
                errors.append(
                    SchemaError(
                        path,
                        "type",
                        f"{path}: expected {' or '.join(names)}, got {json_type(value)}",
                        names,
                    )
                )
                return
        if "enum" in node:
            allowed = tuple(node["enum"])
            if not any(value == item and json_type(value) == json_type(item) for item in allowed):
                errors.append(
                    SchemaError(
                        path,
                        "enum",
                        f"{path}: {show(value)} is not one of {_quoted(allowed)}",
                        allowed,
                    )
                )
                return
        kind = json_type(value)
        if kind == "string":
            self._check_string(node, value, path, errors)
        elif kind in ("integer", "number"):
            self._check_number(node, value, path, errors)
        elif kind == "array":
            self._check_array(node, value, path, errors)
        elif kind == "object":
            self._check_object(node, value, path, errors)

    def _check_string(self, node, value: str, path: str, errors: list) -> None:
        length = len(value.encode("utf-16-le")) // 2  # as JavaScript counts
        if "minLength" in node and length < node["minLength"]:
            errors.append(
                SchemaError(
                    path,
                    "minLength",
                    f"{path}: must not be empty"
                    if node["minLength"] == 1
                    else f"{path}: must be at least {node['minLength']} characters long",
                )
            )
        if "maxLength" in node and length > node["maxLength"]:
            errors.append(
                SchemaError(
                    path,
                    "maxLength",
                    f"{path}: must be at most {node['maxLength']} characters long, got {length}",
                )
            )
        if node.get("format") == "safe-url" and not is_safe_url(value):
            errors.append(
                SchemaError(
                    path,
                    "format",
                    f"{path}: {show(value)} is not an allowed URL; use a relative, http(s), "
                    "blob: or data:image/ URL",
                    ("relative", "http", "https", "blob", "data:image/"),
                )
            )
        if node.get("format") == "link-url" and not is_link_url(value):
            errors.append(
                SchemaError(
                    path,
                    "format",
                    f"{path}: {show(value)} is not an allowed link; use a path of the app "
                    '(starting with one "/") or an http(s) URL',
                    ("/path", "http", "https"),
                )
            )

        if node.get("format") == "category" and not is_category(value):
            errors.append(
                SchemaError(
                    path,
                    "format",
                    f'{path}: {show(value)} is not a category; use a-z, 0-9, ".", "_" '
                    'and "-", starting with a letter or a digit',
                    CATEGORY_CHARACTERS,
                )
            )

    def _check_number(self, node, value: float, path: str, errors: list) -> None:
        if "minimum" in node and value < node["minimum"]:
            errors.append(
                SchemaError(
                    path,
                    "minimum",
                    f"{path}: must be at least {node['minimum']}, got {show(value)}",
                )
            )
        if "maximum" in node and value > node["maximum"]:
            errors.append(
                SchemaError(
                    path, "maximum", f"{path}: must be at most {node['maximum']}, got {show(value)}"
                )
            )

    def _check_array(self, node, value: list, path: str, errors: list) -> None:
        if "minItems" in node and len(value) < node["minItems"]:
            errors.append(
                SchemaError(
                    path,
                    "minItems",
                    f"{path}: at least {node['minItems']} items needed, got {len(value)}",
                )
            )
        if "maxItems" in node and len(value) > node["maxItems"]:
            errors.append(
                SchemaError(
                    path,
                    "maxItems",
                    f"{path}: at most {node['maxItems']} items allowed, got {len(value)}",
                )
            )
            return
        if "items" in node:
            for index, item in enumerate(value):
                self._check(node["items"], item, f"{path}[{index}]", errors)

    def _check_object(self, node, value: dict, path: str, errors: list) -> None:
        properties: Mapping[str, Any] = node.get("properties", {})
        if node.get("additionalProperties") is False:
            allowed = tuple(properties)
            for key in sorted(key for key in value if key not in properties):
                hint = suggest(key, allowed)
                did_you_mean = f'did you mean "{hint}"? ' if hint else ""
                field = child_path(path, key)
                errors.append(
                    SchemaError(
                        field,
                        "unknown",
                        f"{field}: unknown option; {did_you_mean}allowed: {_quoted(allowed)}",
                        allowed,
                    )
                )
        for name in node.get("required", ()):
            if name not in value:
                field = child_path(path, name)
                errors.append(SchemaError(field, "required", f"{field}: is required"))
        for name, child in properties.items():
            if name in value:
                self._check(child, value[name], child_path(path, name), errors)
        for flag, needed in node.get("x-requires-when-true", {}).items():
            if value.get(flag) is True and not (
                isinstance(value.get(needed), str) and value[needed]
            ):
                field = child_path(path, needed)
                errors.append(
                    SchemaError(
                        field,
                        "requires",
                        f"{field}: a non-empty {needed} is required when {flag} is true",
                    )
                )
        for flag, banned in node.get("x-excludes-when-true", {}).items():
            if value.get(flag) is True and banned in value:
                field = child_path(path, banned)
                errors.append(
                    SchemaError(field, "excludes", f"{field}: not allowed when {flag} is true")
                )
