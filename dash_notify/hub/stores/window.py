"""The sliding-window arithmetic both stores' rate limits share."""

from __future__ import annotations


def sliding(previous: int, current: int, elapsed: float, per: float) -> float:
    """The requests counted in the last ``per`` seconds, estimated from two fixed
    windows (``elapsed``: seconds into the current one)."""
    return previous * (1 - elapsed / per) + current


def retry_after(previous: int, current: int, elapsed: float, per: float, limit: int) -> float:
    """Seconds until one more request fits: when the previous window's weight has
    dropped enough, or the current window ends."""
    if previous and current < limit:
        # previous * (1 - t / per) + current <= limit - 1  ->  t
        needed = per * (1 - (limit - 1 - current) / previous)
        return max(0.5, needed - elapsed)
    return max(0.5, per - elapsed)
