"""Rejections as JSON: every refusal names its status, the offending field and, where it
helps, the allowed values; a store outage is a 503 with Retry-After."""

from __future__ import annotations

from typing import Any

from .messages import WebResponse


class HTTPError(Exception):
    """A rejection: status, message, offending field and allowed values."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        allowed: tuple[str, ...] | list[str] = (),
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.allowed = tuple(allowed)
        self.errors = errors or []
        self.headers = headers or {}

    def response(self) -> WebResponse:
        """The JSON answer: ``{"error", "http", "field"[, "allowed"][, "errors"]}``."""
        body: dict[str, Any] = {"error": self.message, "http": self.status, "field": self.field}
        if self.allowed:
            body["allowed"] = list(self.allowed)
        if self.errors:
            body["errors"] = self.errors
        return WebResponse.json(body, self.status, self.headers)


def unavailable(error: Exception) -> WebResponse:
    """503: the store is unreachable or refused the write; nothing was stored, retrying
    is safe."""
    return HTTPError(
        503, str(error) or "the store is unavailable", headers={"Retry-After": "1"}
    ).response()


def too_many(message: str, retry_after: float, *, status: int = 429) -> HTTPError:
    """429 (or 503 for a full worker) with a whole number of seconds in Retry-After."""
    return HTTPError(
        status, message, headers={"Retry-After": str(max(1, int(retry_after + 0.999)))}
    )
