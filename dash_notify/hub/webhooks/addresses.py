"""Where a webhook may go: http(s) URLs whose host resolves only to public addresses
(no loopback, private, link-local, shared, reserved or multicast address), unless the
app allows private ones. Checked when a rule is saved, and again at every send, whose
connection then goes to the very address that was checked (a DNS answer that changes
in between cannot redirect it)."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..addresses import refused_address, resolve_host

SCHEMES = ("http", "https")
URL_LIMIT = 2048

Resolver = Callable[[str, int], list[str]]


class AddressRefusedError(ValueError):
    """A destination URL the hub will not send to (``field`` is ``"url"``)."""

    field = "url"

    def __init__(self, message: str):
        super().__init__(f"url: {message}")


@dataclass(frozen=True)
class Destination:
    """A checked URL: its parts and the addresses its host resolved to (each checked)."""

    url: str
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent on the request line
    addresses: tuple[str, ...]


def check_url(
    url: object, *, allow_private: bool = False, resolve: Resolver | None = None
) -> Destination:
    """A checked destination, or AddressRefusedError saying why ``url`` is refused."""
    if not isinstance(url, str) or not url or len(url) > URL_LIMIT:
        raise AddressRefusedError(f"must be an http(s) URL of at most {URL_LIMIT} characters")
    if any(ord(c) < 33 or ord(c) > 126 for c in url):
        raise AddressRefusedError(
            "must be printable ASCII without spaces (percent-encode other characters; "
            "IDNA host names as xn--)"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise AddressRefusedError(f"{url!r} is not a URL ({error})") from error
    if parts.scheme not in SCHEMES:
        raise AddressRefusedError(
            f"scheme {parts.scheme!r} is not allowed; allowed: {', '.join(SCHEMES)}"
        )
    if parts.username is not None or parts.password is not None:
        raise AddressRefusedError("must not contain a user name or password")
    host = parts.hostname
    if not host:
        raise AddressRefusedError(f"{url!r} has no host")
    if port is None:
        port = 443 if parts.scheme == "https" else 80
    elif port == 0:
        raise AddressRefusedError("port 0 is not a port")
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = (resolve or resolve_host)(host, port)
        except (OSError, UnicodeError) as error:
            raise AddressRefusedError(f"host {host!r} does not resolve ({error})") from error
    if not addresses:
        raise AddressRefusedError(f"host {host!r} does not resolve")
    if not allow_private:
        for address in addresses:
            why = refused_address(address)
            if why:
                raise AddressRefusedError(
                    f"host {host!r}: {why}; webhooks go to public addresses only "
                    "(an app may allow private ones: WebhookChannel(allow_private=True))"
                )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(url, parts.scheme, host, port, target, tuple(addresses))
