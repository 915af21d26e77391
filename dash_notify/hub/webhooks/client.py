"""One HTTP request to a checked destination: connected to the address that was
checked (never resolved again), with a timeout, redirects never followed, and at most
a little of the answer read."""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .addresses import Destination

# The answer's body is not used; reading a little lets the connection close cleanly.
READ_LIMIT = 4096


@dataclass(frozen=True)
class Answer:
    """What came back: the status (None when no answer came, with ``error``), its
    ``Retry-After`` header, its ``Location`` (for a redirect), and how long it took;
    ``refused`` when nothing was sent because the destination is not allowed."""

    status: int | None
    latency: float
    error: str | None = None
    retry_after: str | None = None
    location: str | None = None
    refused: bool = False


class _Pinned(http.client.HTTPConnection):
    """An HTTP connection to a given address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    """An HTTPS connection to a given address; the certificate is checked against the
    URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request(
    destination: Destination,
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes | None,
    timeout: float,
) -> Answer:
    """Send one request to ``destination`` (trying its addresses in order until one
    connects); ``timeout`` bounds the connection and each read."""
    started = time.monotonic()
    kind = _PinnedTLS if destination.scheme == "https" else _Pinned
    error: str = "no address"
    for address in destination.addresses:
        connection = kind(destination.host, destination.port, address, timeout)
        try:
            try:
                connection.connect()
            except OSError as failure:  # nothing was sent: the next address may answer
                error = _describe(failure, timeout)
                continue
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            response.read(READ_LIMIT)
            return Answer(
                response.status,
                time.monotonic() - started,
                retry_after=response.getheader("Retry-After"),
                location=response.getheader("Location"),
            )
        except (OSError, http.client.HTTPException) as failure:
            return Answer(None, time.monotonic() - started, _describe(failure, timeout))
        finally:
            connection.close()
    return Answer(None, time.monotonic() - started, error)


def _describe(failure: Exception, timeout: float) -> str:
    if isinstance(failure, socket.timeout):
        return f"timed out after {timeout:g} s"
    return f"{type(failure).__name__}: {failure}"
