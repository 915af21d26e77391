"""Who receives mail at which address: the app's ``address`` function answers, for a
user id, an address (or None: no mail for them), or a :class:`Recipient` with their
language and time zone, or a dict with those keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# One address, no display name: what the SMTP envelope and To: take. Deliberately
# plain: local@domain with a dot in the domain, no spaces, no angle brackets.
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class Recipient:
    """A user's mail address, language (``"en"``, ``"fr"``) and IANA time zone."""

    address: str
    language: str | None = None
    timezone: str | None = None

    def zone(self) -> ZoneInfo:
        """The user's time zone (UTC when unknown)."""
        try:
            return ZoneInfo(self.timezone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def recipient(answer: Any) -> Recipient | None:
    """The app's answer as a Recipient (None: no mail for this user). ValueError saying
    why for an answer that is not an address."""
    if answer is None or answer == "":
        return None
    if isinstance(answer, Recipient):
        found = answer
    elif isinstance(answer, str):
        found = Recipient(answer)
    elif isinstance(answer, Mapping):
        found = Recipient(
            str(answer.get("address", "")), answer.get("language"), answer.get("timezone")
        )
    else:
        raise ValueError(f"address: the app answered {type(answer).__name__}, not an address")
    if not ADDRESS.fullmatch(found.address) or len(found.address) > 254:
        raise ValueError(f"address: {found.address[:100]!r} is not an email address")
    return found
