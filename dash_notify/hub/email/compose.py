"""The mail: subject, headers, and a plain text and an HTML part rendered from Jinja2
templates (``digest.txt``, ``digest.html``; an app may give its own folder). HTML is
rendered with autoescape on: every notification's text is escaped, always."""

from __future__ import annotations

import email.policy
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

try:
    import jinja2
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        f"the email channel needs the email extra: pip install 'dash_notify[email]' ({error})"
    ) from error

from ..model import Message
from .recipients import Recipient

HERE = Path(__file__).parent / "templates"
# Lines up to RFC 5322's 998 characters: a long header (the unsubscribe URL) is kept
# as it is instead of being folded into encoded words, which mail clients would not
# read as a URL.
POLICY = email.policy.SMTP.clone(max_line_length=998)
COLORS = {"Critical": "#c62828", "High": "#ef6c00", "Medium": "#1565c0", "Low": "#757575"}
MODE_TEXT = {
    "often": "a digest every few minutes",
    "daily": "a daily digest",
    "never": "Critical notifications only",
}


@dataclass(frozen=True)
class Item:
    """One notification in a mail, with its signed link."""

    message: Message
    link: str


def summary(messages: Sequence[Message]) -> str:
    """The subject: ``"3 new notifications: 1 Critical"``; one notification: its title."""
    if len(messages) == 1:
        options = messages[0].options
        severity = options.get("severity")
        prefix = f"{severity}: " if severity in ("Critical", "High") else ""
        return _line(prefix + str(options.get("title", "")), 150)
    counts = {}
    for message in messages:
        severity = message.options.get("severity")
        if severity in ("Critical", "High"):
            counts[severity] = counts.get(severity, 0) + 1
    text = f"{len(messages)} new notifications"
    parts = [f"{counts[s]} {s}" for s in ("Critical", "High") if s in counts]
    return text + (": " + ", ".join(parts) if parts else "")


def _line(text: str, limit: int) -> str:
    """One header line: no line breaks, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Composer:
    """Builds mails from the templates in ``templates`` (a folder; the package's own
    for any template it lacks)."""

    def __init__(self, templates: str | Path | None = None, app_name: str = "dash_notify"):
        folders = [str(templates)] if templates else []
        loader = jinja2.FileSystemLoader([*folders, str(HERE)])
        self.html = jinja2.Environment(loader=loader, autoescape=True)
        self.text = jinja2.Environment(loader=loader, autoescape=False)
        self.app_name = app_name

    def _items(self, items: Sequence[Item], to: Recipient) -> list[dict[str, Any]]:
        zone = to.zone()
        found = []
        for item in items:
            options = item.message.options
            when = datetime.fromtimestamp(item.message.created, zone)
            severity = options.get("severity")
            found.append(
                {
                    "id": item.message.id,
                    "title": str(options.get("title", "")),
                    "body": str(options.get("body", "") or ""),
                    "source": str(options.get("source", "") or ""),
                    "category": str(options.get("category", "") or ""),
                    "severity": severity if severity in COLORS else "",
                    "color": COLORS.get(severity, "#9e9e9e"),
                    "time": when.strftime("%Y-%m-%d %H:%M %Z"),
                    "link": item.link,
                }
            )
        return found

    def build(
        self,
        *,
        items: Sequence[Item],
        to: Recipient,
        sender: str,
        message_id: str,
        unsubscribe: str,
        mode: str,
        now: float,
    ) -> EmailMessage:
        """The mail for ``to`` with ``items``: text and HTML parts, Message-ID, the
        RFC 8058 one-click unsubscribe headers and ``Auto-Submitted``."""
        subject = summary([item.message for item in items])
        context = {
            "summary": subject,
            "items": self._items(items, to),
            "unsubscribe": unsubscribe,
            "app_name": self.app_name,
            "mode": mode,
            "mode_text": MODE_TEXT.get(mode, mode),
            "language": to.language,
        }
        mail = EmailMessage(policy=POLICY)
        mail["Subject"] = subject
        mail["From"] = sender
        mail["To"] = Address(addr_spec=to.address)
        mail["Date"] = email.utils.formatdate(now, localtime=False)
        mail["Message-ID"] = message_id
        mail["Auto-Submitted"] = "auto-generated"
        mail["X-Auto-Response-Suppress"] = "All"
        mail["List-Unsubscribe"] = f"<{unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mail.set_content(self.text.get_template("digest.txt").render(context))
        mail.add_alternative(self.html.get_template("digest.html").render(context), subtype="html")
        if to.language:  # after the parts: set_content drops Content-* headers
            mail["Content-Language"] = _line(to.language, 35)
        return mail
