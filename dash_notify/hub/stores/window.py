"""The sliding-window arithmetic both stores' rate limits share: an estimate of the
requests in the last ``per`` seconds from two fixed windows, ``previous * (1 - elapsed /
per) + current`` (counted inside each store's own statement or script), and when one
more request fits."""

from __future__ import annotations


def retry_after(previous: int, current: int, elapsed: float, per: float, limit: int) -> float:
    """Seconds until one more request fits: when the previous window's weight has
    dropped enough, or the current window ends."""
    if previous and current < limit:
        # previous * (1 - t / per) + current <= limit - 1  ->  t
        needed = per * (1 - (limit - 1 - current) / previous)
        return max(0.5, needed - elapsed)
    return max(0.5, per - elapsed)
