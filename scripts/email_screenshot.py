"""Takes the README's screenshot of a digest mail (docs/email-digest.png): three
notifications mailed by the email channel to aiosmtpd on 127.0.0.1, the HTML part of
the mail the server received shown in Chromium, as a mail client would show it.

Run: xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/email_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import chromium  # noqa: E402
from dash_notify.hub import Hub  # noqa: E402
from dash_notify.hub.channels.email import EmailChannel  # noqa: E402
from tests.hub.smtp_server import SMTPServer  # noqa: E402

SAMPLES = [
    {"title": "Disk almost full", "body": "db-2: 97% used", "severity": "High",
     "source": "monitoring", "category": "ops"},
    {"title": "Deploy finished", "body": "api v2.14 is live on all 6 hosts",
     "severity": "Medium", "source": "CI", "category": "deploy"},
    {"title": "Bert commented on <Harry Potter>", "body": "\"Chapter 3 needs a look & a fix\"",
     "severity": "Low", "source": "comments", "category": "comment"},
]  # fmt: skip


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="dash-notify-email-shot-"))
    now = [time.time()]  # a simulated clock: the digest's slot comes at once
    with SMTPServer() as smtp:
        channel = EmailChannel(
            lambda user: {"address": "alice@example.com", "timezone": "Europe/Brussels"},
            base_url="https://app.example.com/", secret="screenshot-secret-of-32-characters!!",
            host="127.0.0.1", port=smtp.port, sender="Notifications <notify@example.com>",
            app_name="Example app", clock=lambda: now[0],
        )  # fmt: skip
        hub = Hub(None, f"sqlite:///{folder / 'hub.db'}", channels=[channel], run=False)
        hub.preferences("alice").update({"email": "often"})
        hub.runner.step(channel)
        for options in SAMPLES:  # "category" straight into the store (see the README)
            hub.stores.messages.append(options, ("user:alice",), "python", "notify")
        hub.runner.step(channel, now=now[0])  # queued for the next slot
        now[0] += 700
        while hub.runner.step(channel, now=now[0]):
            pass
        mails = smtp.inbox.wait_for(1)
        hub.stop()
    page = folder / "digest.html"
    page.write_text(mails[-1].part("html"), encoding="utf-8")
    with chromium() as driver:
        driver.set_window_size(720, 620)
        driver.get(page.as_uri())
        driver.save_screenshot(str(ROOT / "docs" / "email-digest.png"))
    print(f"subject of the digest: {mails[-1].message['Subject']}")


if __name__ == "__main__":
    main()
