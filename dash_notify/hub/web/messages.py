"""The two framework-neutral values every hub view works with: the request it reads
(:class:`WebRequest`) and the response it answers (:class:`WebResponse`)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


class Headers(Mapping[str, str]):
    """Request headers, looked up case-insensitively (first value of each name)."""

    def __init__(self, items: Mapping[str, str] | list[tuple[str, str]] = ()):
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: dict[str, str] = {}
        for name, value in pairs:
            self._items.setdefault(name.lower(), value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return self._items.get(name.lower(), default)


@dataclass
class WebRequest:
    """What a hub view reads of a request, whatever the framework.

    ``native`` is the framework's own request object (``flask.request``, a Starlette
    ``Request``, ``quart.request``), there for an app's ``user`` function.
    ``state`` holds per-request values the web layer keeps (the anonymous id minted
    for this request, so that the response can set its cookie).
    """

    method: str
    path: str
    query: Mapping[str, str]
    headers: Headers
    cookies: Mapping[str, str]
    remote_addr: str
    scheme: str
    body: bytes = b""
    path_params: Mapping[str, str] = field(default_factory=dict)
    native: Any = None
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        """The media type of the body, lower case, without parameters."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()


def werkzeug_request(request: Any, body: bytes, state: dict[str, Any]) -> WebRequest:
    """A Flask or Quart request (both Werkzeug-shaped), neutral."""
    return WebRequest(
        method=request.method,
        path=request.path,
        query=request.args,
        headers=Headers(list(request.headers.items())),
        cookies=request.cookies,
        remote_addr=request.remote_addr or "",
        scheme=request.scheme,
        body=body,
        path_params=dict(request.view_args or {}),
        native=request,
        state=state,
    )


@dataclass
class WebResponse:
    """What a hub view answers: status, headers and a body (bytes, or for the event
    stream a :class:`~dash_notify.hub.web.stream.EventStream` the adapter runs)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Any = None
    #: Called once the response is done with (for a stream: it frees the stream's place
    #: even when the framework never runs its body).
    on_close: Any = None

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None):
        """A JSON response (compact, UTF-8)."""
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return cls(
            status,
            body,
            {"Content-Type": "application/json", **(headers or {})},
        )
