"""ntfy's subscribe filters: only messages with this ``message``, ``title`` or ``id``,
one of these ``priority`` values (numbers or names, comma-separated), or every one of
these ``tags``. Each is read as ntfy reads it: its headers (``X-Priority``, ...) first,
then the query (``priority``, ``prio``, ``p``, ...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# (a proxy's or a browser's RFC 9218 "Priority" header is no filter: ntfy ignores it too)
from ..ingest.ntfy import _HTTP_PRIORITY as HTTP_PRIORITY
from ..ingest.ntfy import FIELDS
from .errors import HTTPError

NAMES = {"min": 1, "low": 2, "default": 3, "high": 4, "max": 5, "urgent": 5}
#: Each filter's names, in the order ntfy's server tries them (those of its publish
#: fields, as the ingest reads them).
PARAMS = {
    **{name: FIELDS[name] for name in ("message", "title", "priority", "tags")},
    "id": ("X-ID", "id"),
}


@dataclass(frozen=True)
class Filters:
    """What a subscription keeps (None: no filter on that field)."""

    message: str | None = None
    title: str | None = None
    message_id: str | None = None
    priorities: frozenset[int] | None = None
    tags: frozenset[str] | None = None

    def keeps(self, data: Mapping[str, Any]) -> bool:
        """Whether ntfy's message JSON ``data`` passes every filter."""
        if self.message is not None and data.get("message") != self.message:
            return False
        if self.title is not None and data.get("title") != self.title:
            return False
        if self.message_id is not None and data.get("id") != self.message_id:
            return False
        if self.priorities is not None and data.get("priority") not in self.priorities:
            return False
        return self.tags is None or self.tags <= set(data.get("tags") or ())


def _priorities(raw: str) -> frozenset[int]:
    found = set()
    for part in (p.strip().lower() for p in raw.split(",")):
        if part in NAMES:
            found.add(NAMES[part])
        elif part in ("1", "2", "3", "4", "5"):
            found.add(int(part))
        else:
            raise HTTPError(
                400,
                f"priority: {part[:20]!r} is not a priority",
                field="priority",
                allowed=("1", "2", "3", "4", "5", *NAMES),
            )
    return frozenset(found)


def parse_filters(param: Callable[..., str | None]) -> Filters:
    """The filters of a request; ``param(*names)`` reads a parameter as ntfy does."""
    values = {name: param(*names) or None for name, names in PARAMS.items()}
    if values["priority"] and HTTP_PRIORITY.match(values["priority"]):
        values["priority"] = None
    tags = values["tags"]
    return Filters(
        message=values["message"],
        title=values["title"],
        message_id=values["id"],
        priorities=_priorities(values["priority"]) if values["priority"] else None,
        tags=frozenset(t.strip() for t in tags.split(",") if t.strip()) if tags else None,
    )
