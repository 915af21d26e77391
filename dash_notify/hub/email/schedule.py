"""When a user's digest goes out: ``often``, at the end of each period of ``every``
seconds (periods aligned on the clock, so that a user's notifications of one period
share one mail); ``daily``, at a time of day in the user's time zone. A notification
published before a slot goes out at that slot; one whose slot has passed (the sender
was down) goes out at once, with the user's others of the same slot."""

from __future__ import annotations

import math
import zlib
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def spread(user: str) -> float:
    """A small per-user offset (under 10 ms) added to a slot: each user's deliveries
    share one due time that no other user's have (but for rare collisions), so the
    runner hands them over together."""
    return (zlib.crc32(user.encode("utf-8")) % 100_000) / 1e7


def often_slot(created: float, now: float, every: float) -> float:
    """The slot of a notification created at ``created``: the end of its period, or
    the start of the current period once that has passed."""
    end = math.floor(created / every) * every + every
    return end if end > now else math.floor(now / every) * every


def daily_slot(created: float, now: float, at: time, zone: ZoneInfo) -> float:
    """The first ``at`` (local time in ``zone``) after ``created``; once passed, the
    last ``at`` before ``now``."""

    def at_on(day) -> float:
        return datetime.combine(day, at, tzinfo=zone).timestamp()

    local = datetime.fromtimestamp(created, zone).date()
    slot = at_on(local)
    if slot <= created:
        slot = at_on(local + timedelta(days=1))
    if slot > now:
        return slot
    today = datetime.fromtimestamp(now, zone).date()
    last = at_on(today)
    return last if last <= now else at_on(today - timedelta(days=1))


def parse_time(value: str) -> time:
    """``"07:00"`` as a time; ValueError naming ``daily_at`` otherwise."""
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        raise ValueError(f"daily_at: {value!r} is not a time of day HH:MM") from None
