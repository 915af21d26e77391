"""Sending one event to one rule's URL: the payload, the Standard Webhooks headers, the
address check at send time, and the request."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from .addresses import AddressRefusedError, check_url
from .client import Answer, request
from .config import WebhookConfig
from .events import encode, payload
from .rule import Rule
from .signing import signature_header

USER_AGENT = "dash-notify-webhooks/1"


def send_event(
    rule: Rule,
    webhook_id: str,
    event_type: str,
    data: Mapping[str, Any],
    config: WebhookConfig,
) -> Answer:
    """Sign and send one event to ``rule``'s URL; what came back.

    POST rules get the JSON payload as the body; GET rules get ``type``, ``timestamp``
    and ``data`` (JSON) as query parameters, and the signed payload is then the whole
    query string as sent."""
    try:
        destination = check_url(
            rule.url, allow_private=config.allow_private, resolve=config.resolve
        )
    except AddressRefusedError as error:
        return Answer(None, 0.0, f"refused: {error}", refused=True)
    now = time.time()
    body = payload(event_type, data, now)
    headers = {"User-Agent": USER_AGENT, "webhook-id": webhook_id}
    if rule.method == "GET":
        query = urlencode(
            {"type": body["type"], "timestamp": body["timestamp"], "data": encode(body["data"])}
        )
        target = destination.target + ("&" if "?" in destination.target else "?") + query
        signed, content = target.split("?", 1)[1], None
    else:
        target = destination.target
        signed = encode(body)
        content = signed.encode("utf-8")
        headers["Content-Type"] = "application/json"
    timestamp = int(now)
    headers["webhook-timestamp"] = str(timestamp)
    headers["webhook-signature"] = signature_header(
        rule.secrets(now), webhook_id, timestamp, signed
    )
    return request(destination, rule.method, target, headers, content, config.timeout)
