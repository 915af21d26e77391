"""The email channel's routes on Flask, FastAPI and Quart, end to end: a real mail
from aiosmtpd, its signed links opened by the right user (seen, redirected to the app
with the click), by another user, expired or altered; and the RFC 8058 one-click
unsubscribe posted as a mail client does (no cookies)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from dash_notify.hub import Hub
from dash_notify.hub.channels.email import EmailChannel

from ..waiting import wait_until
from .serve import BACKENDS, new_dash
from .servers import serve_in_thread
from .smtp_server import SMTPServer
from .test_email import ADDRESSES, SECRET
from .web_client import Client


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url):
    with SMTPServer() as smtp:
        app = new_dash(request.param)
        app.layout = []
        channel = EmailChannel(
            ADDRESSES.get, base_url="http://placeholder/", secret=SECRET,
            host="127.0.0.1", port=smtp.port, sender="notify@app.test",
        )  # fmt: skip
        hub = Hub(app, sqlite_url, user=lambda r: r.cookies.get("user"), channels=[channel])
        server = serve_in_thread(app)
        channel.base_url = server.url
        yield hub, server, smtp
        server.stop()
        hub.stop()


def _mail_for_alice(hub: Hub, smtp: SMTPServer):
    wait_until(lambda: hub.stores.channels.cursor("email") is not None, what="the cursor")
    message = hub.publish({"title": "Disk full", "severity": "Critical"}, to="user:alice")
    [mail] = smtp.inbox.wait_for(1)
    return message, mail


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_the_link_in_a_mail_opens_the_app_for_its_user_only(served):
    hub, server, smtp = served
    message, mail = _mail_for_alice(hub, smtp)
    html = mail.part("html")
    link = html.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link.startswith(f"{server.url}_dash_notify/email/open?t=")
    bob = Client(server.url)
    bob.cookies["user"] = "bob"
    refused = bob.get(_path(link))
    assert refused.status == 403 and refused.json()["field"] == "t"
    assert hub.stores.seen.seen_at("alice", [message]) == {}
    alice = Client(server.url)
    alice.cookies["user"] = "alice"
    opened = alice.get(_path(link))
    assert opened.status == 303
    assert opened.header("Location") == f"/?dash_notify_email={message}"
    assert message in hub.stores.seen.seen_at("alice", [message])
    # forged, altered, expired, for another purpose
    token = link.split("t=", 1)[1]
    payload, signature = token.split(".")
    expired = hub.channels[0].links.sign("alice", "open", message, 60, time.time() - 120)
    unsubscribe = hub.channels[0].links.sign("alice", "unsubscribe", None, 60, time.time())
    for bad, status in [
        (payload + "." + signature[:-2] + "AA", 400),
        (payload[:-2] + "xx." + signature, 400),
        ("nonsense", 400),
        ("%C3%A9.%C3%A9", 400),  # not ASCII
        (expired, 410),
        (unsubscribe, 400),
    ]:
        answer = alice.get(f"/_dash_notify/email/open?t={bad}")
        assert answer.status == status and answer.json()["field"] == "t"
    assert alice.get("/_dash_notify/email/open").status == 400


def test_one_click_unsubscribe_as_a_mail_client_posts_it(served):
    hub, server, smtp = served
    _, mail = _mail_for_alice(hub, smtp)
    url = mail.message["List-Unsubscribe"].strip("<>")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client = Client(server.url)  # no cookies: a mail provider's request
    page = client.get(_path(url))
    assert page.status == 200 and b'<form method="post">' in page.body
    assert hub.preferences("alice").get()["email"] == "often"  # a GET changes nothing
    done = client.post(
        _path(url),
        data=b"List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert done.status == 200 and b"Unsubscribed" in done.body
    hub.preference_service._cache.clear()
    assert hub.preferences("alice").get()["email"] == "never"
    assert hub.preferences("bob").get()["email"] == "often"
    assert client.post("/_dash_notify/email/unsubscribe?t=x.y", data=b"").status == 400
