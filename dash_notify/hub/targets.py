"""Who a notification is for, and who is asking.

A target is a string: ``"*"`` (everyone), ``"user:<id>"`` (one user) or
``"group:<name>"`` (a group; an ntfy topic is a group). An :class:`Identity` is the
user of a request with the groups they belong to; they receive a notification when
one of its targets is one of theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

EVERYONE = "*"
_NAME = re.compile(r"^[A-Za-z0-9._~@+-]{1,128}$")
# User ids: letters, digits and . _ ~ @ + : = | / - (emails, UUIDs, numbers, "browser:<hex>").
_USER_NAME = re.compile(r"^[A-Za-z0-9._~@+:=|/-]{1,200}$")
# The same two rules as patterns for the OpenAPI document.
TARGET_PATTERN = r"^(\*|user:[A-Za-z0-9._~@+:=|/-]{1,200}|group:[A-Za-z0-9._~@+-]{1,128})$"
TARGET_FORMS = ('"*"', '"user:<id>"', '"group:<name>"')


class TargetError(ValueError):
    """A target that is not one of the allowed forms."""

    def __init__(self, value: object, reason: str = ""):
        self.value = value
        self.allowed = TARGET_FORMS
        detail = f" ({reason})" if reason else ""
        super().__init__(
            f"to: {value!r} is not a target{detail}; allowed: {', '.join(TARGET_FORMS)}"
        )


def user(user_id: str) -> str:
    """The target for one user: ``user("alice") == "user:alice"``."""
    return parse_target(f"user:{user_id}")


def group(name: str) -> str:
    """The target for a group or topic: ``group("ops") == "group:ops"``."""
    return parse_target(f"group:{name}")


def parse_target(value: object, *, wildcards: bool = False) -> str:
    """Check one target string and return it; raises :class:`TargetError`.

    With ``wildcards`` (a token's allowed targets), ``"user:*"`` and ``"group:*"``
    are accepted too.
    """
    if not isinstance(value, str):
        raise TargetError(value, "not a string")
    if value == EVERYONE:
        return value
    kind, _, name = value.partition(":")
    if name == "*" and kind in ("user", "group"):
        if wildcards:
            return value
        raise TargetError(value, "wildcards only in a token's allowed targets")
    if kind == "user" and _USER_NAME.fullmatch(name):
        return value
    if kind == "group" and _NAME.fullmatch(name):
        return value
    if kind in ("user", "group"):
        raise TargetError(value, f"bad {kind} name")
    raise TargetError(value)


def parse_targets(to: str | Iterable[str], *, wildcards: bool = False) -> tuple[str, ...]:
    """Check ``to`` (one target or a list of them) and return them, sorted, unique."""
    if isinstance(to, str):
        items = [to]
    elif isinstance(to, (list, tuple, set, frozenset)):
        items = list(to)
    else:
        raise TargetError(to, "not a string or a list of strings")
    if not items:
        raise TargetError(to, "no target given")
    if len(items) > 100:
        raise TargetError(to, "more than 100 targets")
    return tuple(sorted({parse_target(item, wildcards=wildcards) for item in items}))


@dataclass(frozen=True)
class Identity:
    """The user of a request and the groups they are in."""

    user: str
    groups: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def targets(self) -> frozenset[str]:
        """Every target that reaches this user (computed once: the dispatcher asks for
        every event and every subscriber)."""
        return frozenset(
            {EVERYONE, f"user:{self.user}", *(f"group:{name}" for name in self.groups)}
        )

    def receives(self, targets: Iterable[str]) -> bool:
        """Whether a notification for ``targets`` reaches this user."""
        return not self.targets.isdisjoint(targets)


def may_reach(allowed: Iterable[str], targets: Iterable[str]) -> list[str]:
    """The targets a token limited to ``allowed`` may not publish to (empty when all may).

    ``"*"`` in ``allowed`` covers every target; ``"user:*"`` every user and
    ``"group:*"`` every group.
    """
    allowed = set(allowed)
    if EVERYONE in allowed:
        return []
    denied = []
    for target in targets:
        kind = target.split(":", 1)[0]
        if target not in allowed and f"{kind}:*" not in allowed:
            denied.append(target)
    return denied
