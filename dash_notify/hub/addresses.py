"""Which network addresses the hub sends to: the one rule behind the server-side request
forgery checks of every outbound channel (webhooks, Web Push). A URL given by a client
must not make the hub reach the loopback, private, link-local, shared, reserved or
multicast networks of its own deployment, unless the app allows private addresses."""

from __future__ import annotations

import ipaddress
import socket


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver), without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def refused_address(address: str) -> str | None:
    """Why the hub will not send to the IP ``address`` (None when it is public)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for name in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return f"{address} is a {name.replace('_', '-')} address"
    if not ip.is_global:
        return f"{address} is not a public address"
    return None
