"""Where a subscription starts: its ``since`` parameter, in our form and in ntfy's.

Both take ``all`` (everything kept), ``none`` (from now; the default of a stream),
``latest`` (the newest message, then what follows) and a duration (``10m``,
``1h30m``, ``2d``: what was published that long ago and since). They differ in how a
number reads, as each protocol's ids do: ours are integers, so ``since=42`` is after
message 42 and a time is written ``@<unix seconds>``; ntfy's ids are strings
(``dn0000000042`` here), so there ``since=1700000000`` is a unix time.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from .errors import HTTPError

_DURATION = re.compile(r"^(?:\d{1,9}(?:\.\d{1,9})?(?:ns|us|µs|ms|s|m|h|d))+$")
_PART = re.compile(r"(\d{1,9}(?:\.\d{1,9})?)(ns|us|µs|ms|s|m|h|d)")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}
NTFY_ID = re.compile(r"^dn(\d{10,18})$")
FORMS = ("all", "none", "latest", "<id>", "@<unix time>", "<duration: 10m, 2h, 1d>")
NTFY_FORMS = ("all", "none", "latest", "<message id>", "<unix time>", "<duration: 10m, 2h>")


@dataclass(frozen=True)
class Since:
    """A start: after message ``last`` (None: from now), only messages created at or
    after ``not_before``; with ``latest``, from the newest message."""

    last: int | None = None
    not_before: float | None = None
    latest: bool = False


def ntfy_id(message_id: int) -> str:
    """ntfy's id of one of our messages: ``dn`` and at least 10 digits (12 characters,
    the length of ntfy's own ids)."""
    return f"dn{message_id:010d}"


def _common(raw: str, poll: bool) -> Since | None:
    if raw == "":
        return Since(0) if poll else Since()
    if raw == "all":
        return Since(0)
    if raw == "none":
        return Since()
    if raw == "latest":
        return Since(latest=True)
    if _DURATION.fullmatch(raw):
        seconds = sum(float(n) * _SECONDS[unit] for n, unit in _PART.findall(raw))
        return Since(0, time.time() - seconds)
    return None


def _bad(raw: str, field: str, forms: tuple[str, ...]) -> HTTPError:
    return HTTPError(400, f"{field}: {raw[:70]!r} is not a start", field=field, allowed=forms)


def parse_since(raw: str | None, *, poll: bool = False, field: str = "since") -> Since:
    """Our ``since``: an id, ``@<unix time>``, a duration, all, none or latest (400
    naming ``field`` otherwise)."""
    raw = (raw or "").strip()
    found = _common(raw, poll)
    if found is not None:
        return found
    if raw.isascii() and raw.isdigit() and len(raw) <= 18:
        return Since(int(raw))
    if raw.startswith("@") and raw[1:].isascii() and raw[1:].isdigit() and len(raw) <= 13:
        return Since(0, float(raw[1:]))
    raise _bad(raw, field, FORMS)


def parse_ntfy_since(raw: str | None, *, poll: bool = False) -> Since:
    """ntfy's ``since``: a message id, a unix time, a duration, all, none or latest."""
    raw = (raw or "").strip()
    found = _common(raw, poll)
    if found is not None:
        return found
    match = NTFY_ID.fullmatch(raw)
    if match:
        return Since(int(match.group(1)))
    if raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return Since(0, float(raw))
    raise _bad(raw, "since", NTFY_FORMS)
