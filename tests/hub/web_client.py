"""A small HTTP client for the hub tests: any method, raw or JSON bodies, the headers
of the answer, and the cookies a server sets kept for the next requests (as a browser
would)."""

from __future__ import annotations

import http.client
import json as jsonlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Reply:
    """A response: status, headers (a name may repeat: ``all``), body."""

    status: int
    headers: dict[str, str]
    body: bytes
    all: list[tuple[str, str]] = field(default_factory=list)

    def json(self) -> Any:
        return jsonlib.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.all if k.lower() == name.lower()), None)

    def cookies_set(self) -> list[str]:
        return [v for k, v in self.all if k.lower() == "set-cookie"]


class Client:
    """Requests to one server, keeping its cookies."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        body = data.encode() if isinstance(data, str) else data
        if json is not None:
            body = jsonlib.dumps(json).encode()
            sent.setdefault("Content-Type", "application/json")
        if content_type:
            sent["Content-Type"] = content_type
        if self.cookies and "Cookie" not in sent:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            pairs = response.getheaders()
        finally:
            connection.close()
        reply = Reply(response.status, {k.lower(): v for k, v in pairs}, content, pairs)
        for cookie in reply.cookies_set():
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return reply

    def get(self, path: str, **kwargs: Any) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Reply:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Reply:
        return self.request("PUT", path, **kwargs)
