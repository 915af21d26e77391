"""Preferences as data: the app's defaults (:class:`PreferenceConfig`), the check of a
user's document, the effective preferences (defaults with the user's choices over
them), and the one decision every channel asks (:meth:`PreferenceConfig.held_back`).

A user's stored document is sparse, only what they chose::

    {"channels": {"inapp": true, "push": false, "email": true},
     "categories": {"deploy": {"push": true}},
     "email": "daily"}

A category's value for a channel, when the user gave none, is the channel's. Critical
notifications and the categories the app marks ``required`` ignore every switch; the
email mode still applies to mail (``silent``: no mail at all and no in-app either but
for those; ``never``: mail only for Critical, at once; ``often`` and ``daily``:
digests, Critical at once).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CHANNELS = ("inapp", "push", "email")
MODES = ("silent", "never", "often", "daily")
CATEGORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DOCUMENT_KEYS = ("channels", "categories", "email")


class PreferenceError(ValueError):
    """A preference that is not allowed: ``field`` names it (``channels.sms``,
    ``categories.deploy.email``, ``email``), ``allowed`` lists what is."""

    def __init__(self, field: str, message: str, allowed: Sequence[str] = ()):
        self.field = field
        self.allowed = tuple(allowed)
        listed = f"; allowed: {', '.join(self.allowed)}" if self.allowed else ""
        super().__init__(f"{field}: {message}{listed}")


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise PreferenceError(name, f"must be true or false, got {value!r}", ("true", "false"))
    return value


def _switches(value: Any, name: str) -> dict[str, bool]:
    """``{channel: bool}`` with known channels only."""
    if not isinstance(value, Mapping):
        raise PreferenceError(name, "must be an object of channel -> true/false", CHANNELS)
    for channel in value:
        if channel not in CHANNELS:
            raise PreferenceError(f"{name}.{channel}", "is not a channel", CHANNELS)
    return {channel: _bool(on, f"{name}.{channel}") for channel, on in value.items()}


def _mode(value: Any, name: str = "email") -> str:
    if value not in MODES:
        raise PreferenceError(name, f"{value!r} is not an email mode", MODES)
    return value


@dataclass(frozen=True)
class PreferenceConfig:
    """The app's defaults (``Hub(..., preferences={...})``).

    ``channels``: each channel's default (all on unless given); ``categories``: the
    categories users may set (a list, or a dict of category -> channel defaults);
    ``required``: categories that cannot be switched off; ``email``: the default mode.
    """

    channels: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(CHANNELS, True))
    categories: dict[str, dict[str, bool]] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    email: str = "often"

    @classmethod
    def parse(cls, given: Mapping[str, Any] | None) -> PreferenceConfig:
        """The config from the app's dict; PreferenceError (``preferences.<field>``)
        for a mistake."""
        if given is None:
            return cls()
        if not isinstance(given, Mapping):
            raise PreferenceError("preferences", "must be a dict")
        known = ("channels", "categories", "required", "email")
        for key in given:
            if key not in known:
                raise PreferenceError(f"preferences.{key}", "is not a setting", known)
        channels = dict.fromkeys(CHANNELS, True)
        channels.update(_switches(given.get("channels", {}), "preferences.channels"))
        raw = given.get("categories", ())
        if isinstance(raw, Mapping):
            categories = {
                str(name): _switches(value, f"preferences.categories.{name}")
                for name, value in raw.items()
            }
        elif isinstance(raw, (list, tuple, set, frozenset)):
            categories = {str(name): {} for name in raw}
        else:
            raise PreferenceError("preferences.categories", "must be a list or a dict")
        required = frozenset(given.get("required", ()))
        for name in [*categories, *required]:
            if not isinstance(name, str) or not CATEGORY.fullmatch(name):
                raise PreferenceError(
                    "preferences.categories", f"{name!r} is not a category name (1-64 of "
                    "letters, digits, . _ -)",
                )  # fmt: skip
        for name in required:
            categories.setdefault(name, {})
        return cls(
            channels, categories, required, _mode(given.get("email", "often"), "preferences.email")
        )

    # -- a user's document ------------------------------------------------------------
    def check(self, document: Any) -> dict[str, Any]:
        """A user's document, checked (unknown keys, channels, categories, modes, a
        required category switched off: PreferenceError naming the field)."""
        if not isinstance(document, Mapping):
            raise PreferenceError("body", "must be an object", DOCUMENT_KEYS)
        for key in document:
            if key not in DOCUMENT_KEYS:
                raise PreferenceError(str(key), "is not a preference", DOCUMENT_KEYS)
        checked: dict[str, Any] = {}
        if "channels" in document:
            checked["channels"] = _switches(document["channels"], "channels")
        if "categories" in document:
            raw = document["categories"]
            if not isinstance(raw, Mapping):
                raise PreferenceError("categories", "must be an object", tuple(self.categories))
            checked["categories"] = {}
            for name, switches in raw.items():
                if name not in self.categories:
                    raise PreferenceError(
                        f"categories.{name}",
                        "is not a category of this app",
                        tuple(self.categories),
                    )
                values = _switches(switches, f"categories.{name}")
                for channel, on in values.items():
                    if name in self.required and not on:
                        raise PreferenceError(
                            f"categories.{name}.{channel}",
                            "is required by the app and cannot be switched off",
                        )
                checked["categories"][name] = values
        if "email" in document:
            checked["email"] = _mode(document["email"])
        return checked

    def merge(self, stored: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
        """``stored`` with the checked ``changes`` over it (categories merge by name)."""
        merged = {
            "channels": {**stored.get("channels", {}), **changes.get("channels", {})},
            "categories": {
                name: dict(values) for name, values in stored.get("categories", {}).items()
            },
        }
        for name, values in changes.get("categories", {}).items():
            merged["categories"].setdefault(name, {}).update(values)
        if "email" in changes or "email" in stored:
            merged["email"] = changes.get("email", stored.get("email"))
        return merged

    def effective(self, stored: Mapping[str, Any] | None) -> dict[str, Any]:
        """Every channel, every category of the app and the mode: the user's choices
        over the app's defaults."""
        stored = stored or {}
        channels = {**self.channels, **stored.get("channels", {})}
        mine = stored.get("categories", {})
        categories = {}
        for name, defaults in self.categories.items():
            values = {**channels, **defaults, **mine.get(name, {})}
            if name in self.required:
                values = dict.fromkeys(CHANNELS, True)
            categories[name] = values
        return {
            "channels": channels,
            "categories": categories,
            "email": stored.get("email", self.email),
        }

    # -- the decision -----------------------------------------------------------------
    def held_back(
        self, effective: Mapping[str, Any], channel: str, options: Mapping[str, Any]
    ) -> str | None:
        """Why the user's preferences hold a notification back on ``channel``
        ("preference: ..."), or None when they let it through. Channels that are not
        one of :data:`CHANNELS` (webhooks, the app's own) are never held back."""
        if channel not in CHANNELS:
            return None
        mode = effective["email"]
        critical = options.get("severity") == "Critical"
        category = options.get("category")
        category = category if isinstance(category, str) else None
        if channel == "email" and mode == "silent":
            return "preference: email mode silent"
        if critical:
            return None
        if channel == "email" and mode == "never":
            return "preference: email mode never"
        if category in self.required:
            return None
        if channel == "inapp" and mode == "silent":
            return "preference: silent"
        values = effective["categories"].get(category) if category else None
        if values is not None:
            return None if values[channel] else f"preference: {channel} off for {category}"
        return None if effective["channels"][channel] else f"preference: {channel} off"

    def describe(self) -> dict[str, Any]:
        """What a settings page needs: channels, categories, required ones, modes."""
        return {
            "channels": list(CHANNELS),
            "categories": list(self.categories),
            "required": sorted(self.required),
            "modes": list(MODES),
        }
