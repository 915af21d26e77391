"""The email channel against a real SMTP server (aiosmtpd on 127.0.0.1): digests by
mode on a simulated clock and in time zones, what was seen left out, Critical at once,
owners, SMTP failures, STARTTLS with a login, and the mail itself (parts, headers,
escaping)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dash_notify.hub import Hub
from dash_notify.hub.channels.email import EmailChannel

from .smtp_server import SMTPServer, self_signed

SECRET = "a-test-secret-of-at-least-32-characters!"
ADDRESSES = {
    "alice": "alice@example.com",
    "bob": {"address": "bob@example.com", "timezone": "America/New_York", "language": "en"},
    "carol": {"address": "carol@example.com", "timezone": "Asia/Tokyo"},
    "dave": "not an address",
    "erin": None,
    "frank": "frank@example.com",
    "gina": "gina@example.com",
}


class Clock:
    """A simulated clock, from the real time on (a lease taken at a simulated time
    must still be valid in real time)."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


def email_hub(store_url: str, port: int, clock: Clock | None = None, **options) -> Hub:
    channel = EmailChannel(
        ADDRESSES.get,
        base_url="http://app.test/",
        secret=SECRET,
        host="127.0.0.1",
        port=port,
        sender="Notifications <notify@app.test>",
        clock=clock or time.time,
        **options,
    )
    hub = Hub(None, store_url, channels=[channel], run=False, preferences={"email": "often"})
    hub.runner.step(channel, now=clock.now if clock else None)  # the cursor at "now"
    return hub


def run(hub: Hub, clock: Clock | None = None) -> None:
    """Runner passes until nothing more is due."""
    for _ in range(100):
        if not hub.runner.step(hub.channels[0], now=clock.now if clock else None):
            return
    raise AssertionError("the channel never settled")


def publish(hub: Hub, to: str, title: str = "t", **options) -> int:
    """Store a notification as the publish door does (``category`` and ``owner`` are
    not in the options schema yet)."""
    return hub.stores.messages.append({"title": title, **options}, (to,), "python", "notify").id


def states(hub: Hub) -> dict[int, tuple[str, str | None]]:
    return {d.message_id: (d.state, d.error) for d in hub.deliveries(channel="email")}


def test_often_sends_one_digest_per_period_without_what_was_seen(store_url, smtp):
    clock = Clock()
    hub = email_hub(store_url, smtp.port, clock)
    try:
        first = publish(hub, "user:alice", "Build broken", body="on main")
        seen = publish(hub, "user:alice", "Seen in a browser")
        third = publish(hub, "user:alice", "Deploy done", severity="High", source="ci")
        run(hub, clock)
        assert smtp.inbox.mails == [] and {s for s, _ in states(hub).values()} == {"queued"}
        hub.mark_seen(hub.identity("alice"), [seen])
        slot = (int(hub.stores.messages.get([first])[first].created // 600) + 1) * 600
        clock.now = slot - 1
        run(hub, clock)
        assert smtp.inbox.mails == []
        clock.now = slot + 1
        run(hub, clock)
        [mail] = smtp.inbox.wait_for(1)
        assert mail.recipients == ["alice@example.com"]
        assert mail.message["Subject"] == "2 new notifications: 1 High"
        text = mail.part("plain")
        assert "Build broken" in text and "on main" in text and "Deploy done" in text
        assert "Seen in a browser" not in text and "Source: ci" in text
        assert states(hub) == {
            first: ("sent", None),
            seen: ("skipped", "already seen"),
            third: ("sent", None),
        }
        # the next period's notification is the next mail
        later = publish(hub, "user:alice", "Next period")
        clock.now = slot + 601
        run(hub, clock)
        assert [m.message["Subject"] for m in smtp.inbox.wait_for(2)][1] == "Next period"
        assert states(hub)[later] == ("sent", None)
    finally:
        hub.stop()


def test_daily_digests_go_at_seven_in_each_users_time_zone(store_url, smtp):
    clock = Clock()
    hub = email_hub(store_url, smtp.port, clock)
    try:
        for user in ("bob", "carol"):
            hub.preferences(user).update({"email": "daily"})
        to_bob = publish(hub, "user:bob", "For bob")
        to_carol = publish(hub, "user:carol", "For carol")
        run(hub, clock)
        created = hub.stores.messages.get([to_bob])[to_bob].created

        def seven(zone: str) -> float:
            local = datetime.fromtimestamp(created, ZoneInfo(zone))
            at = local.replace(hour=7, minute=0, second=0, microsecond=0)
            return (at if at.timestamp() > created else at + timedelta(days=1)).timestamp()

        slots = {"bob": seven("America/New_York"), "carol": seven("Asia/Tokyo")}
        first, second = sorted(slots, key=slots.get)
        clock.now = slots[first] - 1
        run(hub, clock)
        assert smtp.inbox.mails == []
        clock.now = slots[first] + 1
        run(hub, clock)
        [mail] = smtp.inbox.wait_for(1)
        assert mail.recipients == [f"{first}@example.com"]
        clock.now = slots[second] + 1
        run(hub, clock)
        assert [m.recipients for m in smtp.inbox.wait_for(2)][1] == [f"{second}@example.com"]
        assert states(hub) == {to_bob: ("sent", None), to_carol: ("sent", None)}
        [bob_mail] = smtp.inbox.to("bob@example.com")
        local = datetime.fromtimestamp(created, ZoneInfo("America/New_York"))
        assert f"Time: {local:%Y-%m-%d %H:%M %Z}" in bob_mail.part("plain")
        assert bob_mail.message["Content-Language"] == "en"
    finally:
        hub.stop()


def test_critical_goes_at_once_never_gets_only_critical_silent_gets_nothing(store_url, smtp):
    clock = Clock()
    hub = email_hub(store_url, smtp.port, clock)
    try:
        hub.preferences("frank").update({"email": "never"})
        hub.preferences("gina").update({"email": "silent"})
        critical = publish(hub, "user:alice", "Disk full", severity="Critical")
        never = publish(hub, "user:frank", "Not for a never user")
        never_critical = publish(hub, "user:frank", "Down", severity="Critical")
        silent = publish(hub, "user:gina", "Down too", severity="Critical")
        run(hub, clock)  # no clock change: Critical does not wait for a slot
        mails = smtp.inbox.wait_for(2)
        assert sorted(m.message["Subject"] for m in mails) == [
            "Critical: Disk full",
            "Critical: Down",
        ]
        assert states(hub) == {
            critical: ("sent", None),
            never: ("skipped", "preference: email mode never"),
            never_critical: ("sent", None),
            silent: ("skipped", "preference: email mode silent"),
        }
    finally:
        hub.stop()


def test_a_mail_has_escaped_html_text_headers_and_signed_links(store_url, smtp):
    hub = email_hub(store_url, smtp.port)
    try:
        hub.preferences("alice").update({"email": "never"})
        title = '<script>alert("x")</script> & <b>co</b>'
        message = publish(
            hub, "user:alice", title, body="<img src=x onerror=alert(1)>", severity="Critical",
            source="<ci>", category="deploy",
        )  # fmt: skip
        run(hub)
        [mail] = smtp.inbox.wait_for(1)
        page = mail.part("html")
        assert "<script>" not in page and "<img" not in page and "<b>co" not in page
        assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "&amp; " in page and "&lt;ci&gt;" in page and "deploy" in page
        assert title in mail.part("plain")  # the text part is text
        headers = mail.message
        assert headers["Auto-Submitted"] == "auto-generated"
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = headers["List-Unsubscribe"].strip("<>")
        assert unsubscribe.startswith("http://app.test/_dash_notify/email/unsubscribe?t=")
        assert f"List-Unsubscribe: <{unsubscribe}>\r\n".encode() in mail.raw  # not folded
        assert headers["Message-ID"].endswith("@app.test>")
        assert headers["From"] == "Notifications <notify@app.test>"
        channel = hub.channels[0]
        link = "http://app.test/_dash_notify/email/open?t="
        token = page.split(link, 1)[1].split('"', 1)[0]
        grant = channel.links.check(token, "open")
        assert (grant.user, grant.notification) == ("alice", message)
        assert headers["Subject"] == f"Critical: {title}"
    finally:
        hub.stop()


def test_smtp_refusals_and_a_server_that_is_down(store_url, smtp):
    hub = email_hub(store_url, smtp.port)
    try:
        for user in ("alice", "frank", "gina", "dave", "erin"):
            hub.preferences(user).update({"email": "never"})
        smtp.inbox.refuse["frank@example.com"] = "451 4.3.0 try again later"
        smtp.inbox.refuse["gina@example.com"] = "550 5.1.1 no such mailbox"
        ok = publish(hub, "user:alice", "ok", severity="Critical")
        later = publish(hub, "user:frank", "later", severity="Critical")
        gone = publish(hub, "user:gina", "gone", severity="Critical")
        bad = publish(hub, "user:dave", "bad address", severity="Critical")
        none = publish(hub, "user:erin", "no address", severity="Critical")
        run(hub)
        assert [m.recipients for m in smtp.inbox.wait_for(1)] == [["alice@example.com"]]
        found = states(hub)
        assert found[ok] == ("sent", None)
        assert found[later][0] == "queued" and found[later][1].startswith("SMTP 451")
        assert found[gone][0] == "failed" and found[gone][1].startswith("SMTP 550")
        assert found[bad] == ("skipped", "address: 'not an address' is not an email address")
        assert found[none] == ("skipped", "no address for this user")
        [retry] = hub.deliveries(message_id=later)
        assert retry.attempts == 1 and retry.due > time.time() + 20
    finally:
        hub.stop()
    port = smtp.port
    smtp.stop()  # nothing listens any more
    hub = email_hub(store_url, port)
    try:
        hub.preferences("alice").update({"email": "never"})
        down = [publish(hub, "user:alice", f"down {i}", severity="Critical") for i in range(3)]
        run(hub)
        for message in down:
            [delivery] = hub.deliveries(message_id=message)
            assert delivery.state == "queued" and "unreachable" in delivery.error
    finally:
        hub.stop()


def test_starttls_and_login(store_url, tmp_path):
    cert, key = self_signed(tmp_path)
    with SMTPServer(tls=(cert, key), login=("mailer", "s3cret")) as server:
        hub = email_hub(
            store_url, server.port, security="starttls", user="mailer", password="s3cret",
            ca_file=str(cert),
        )  # fmt: skip
        try:
            hub.preferences("alice").update({"email": "never"})
            message = publish(hub, "user:alice", "over TLS", severity="Critical")
            run(hub)
            [mail] = server.inbox.wait_for(1)
            assert mail.authenticated and mail.message["Subject"] == "Critical: over TLS"
            assert states(hub) == {message: ("sent", None)}
        finally:
            hub.stop()
        wrong = email_hub(
            store_url, server.port, security="starttls", user="mailer", password="wrong",
            ca_file=str(cert),
        )  # fmt: skip
        try:
            message = publish(wrong, "user:alice", "refused login", severity="Critical")
            run(wrong)
            [delivery] = wrong.deliveries(message_id=message)
            assert delivery.state == "queued" and "535" in delivery.error
        finally:
            wrong.stop()


def test_owner_mark_seen_when_sent_and_groups(store_url, smtp):
    hub = email_hub(
        store_url, smtp.port, mark_seen_when_sent=False, users=lambda: ["alice", "frank"]
    )
    try:
        for user in ("alice", "frank"):
            hub.preferences(user).update({"email": "never"})
        first = publish(hub, "user:alice", "ticket 1 changed", severity="Critical", owner="t1")
        again = publish(hub, "user:alice", "ticket 1 again", severity="Critical", owner="t1")
        run(hub)
        assert states(hub)[first] == ("sent", None)
        assert states(hub)[again] == ("skipped", "owner 't1': mailed already, not seen yet")
        still = publish(hub, "user:alice", "ticket 1 still unseen", severity="Critical", owner="t1")
        run(hub)
        assert states(hub)[still][0] == "skipped"
        hub.mark_seen(hub.identity("alice"), [first])
        after = publish(hub, "user:alice", "ticket 1 after seen", severity="Critical", owner="t1")
        everyone = hub.stores.messages.append(
            {"title": "all", "severity": "Critical"}, ("*",), "python", "notify"
        ).id
        run(hub)
        assert states(hub)[after] == ("sent", None)
        assert {d.recipient for d in hub.deliveries(message_id=everyone)} == {
            "user:alice", "user:frank",
        }  # fmt: skip
        assert len(smtp.inbox.wait_for(3)) == 3
        # alice's two Critical ones of one pass share a mail (sent beside frank's)
        subjects = [m.message["Subject"] for m in smtp.inbox.to("alice@example.com")]
        assert subjects == ["Critical: ticket 1 changed", "2 new notifications: 2 Critical"]
    finally:
        hub.stop()
    marking = email_hub(store_url, smtp.port, mark_seen_when_sent=True)
    try:
        message = publish(marking, "user:alice", "marked", severity="Critical")
        run(marking)
        assert message in marking.stores.seen.seen_at("alice", [message])
    finally:
        marking.stop()


def test_bad_settings_are_refused_naming_the_field(monkeypatch):
    def channel(**kwargs):
        options = {"base_url": "http://app.test/", "secret": SECRET, "sender": "n@app.test"}
        return EmailChannel(ADDRESSES.get, **{**options, **kwargs})

    for kwargs, field in [
        ({"secret": "short"}, "secret"),
        ({"base_url": "app.test"}, "base_url"),
        ({"security": "ssl"}, "security"),
        ({"port": "smtp"}, "port"),
        ({"sender": None}, "sender"),
        ({"every": 5}, "every"),
        ({"daily_at": "7am"}, "daily_at"),
    ]:
        monkeypatch.delenv("DASH_NOTIFY_SMTP_FROM", raising=False)
        with pytest.raises(ValueError, match=f"^{field}:"):
            channel(**kwargs)
    monkeypatch.setenv("DASH_NOTIFY_SMTP_HOST", "mail.internal")
    monkeypatch.setenv("DASH_NOTIFY_SMTP_SECURITY", "tls")
    settings = channel().smtp
    assert (settings.host, settings.port, settings.security) == ("mail.internal", 465, "tls")
