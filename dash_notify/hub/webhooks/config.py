"""How an app's webhooks behave: where they may go, timeouts, retries, concurrency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Svix's schedule: after the first try (at once), retries 5 s, 5 min, 30 min, 2 h, 5 h,
# 10 h and 10 h later; then the delivery fails.
SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


@dataclass(frozen=True)
class WebhookConfig:
    """``allow_private``: send to loopback and private addresses too (a receiver on
    the same host or network; off by default, as anyone who may create a rule could
    otherwise reach them). ``timeout``: seconds for connecting and for each read.
    ``disable_after_days``: a rule whose receiver has failed for this long is disabled.
    ``workers``: requests sent at once (to different rules). ``wait``: how long a batch
    waits for its requests before handing the slow ones off (they finish in the
    background and their outcome is recorded at the delivery's next turn).
    ``keep_attempts``: attempts kept per rule. ``keep_previous``: seconds a rotated
    secret keeps signing. ``resolve``: how host names become addresses (``(host, port)
    -> [address, ...]``; None: the system resolver)."""

    allow_private: bool = False
    timeout: float = 15.0
    disable_after_days: float = 5.0
    workers: int = 8
    wait: float = 2.0
    keep_attempts: int = 100
    keep_previous: float = 86400.0
    resolve: Callable[[str, int], list[str]] | None = None

    def __post_init__(self) -> None:
        for name in ("timeout", "disable_after_days", "wait", "keep_previous"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{name}: must be a number > 0, got {value!r}")
        for name in ("workers", "keep_attempts"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name}: must be an integer >= 1, got {value!r}")
