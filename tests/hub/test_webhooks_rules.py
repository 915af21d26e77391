"""Webhook rules from Python (``hub.webhooks``): create, list, get, update, delete,
rotate, the checks of every field, where a URL may point (refused after DNS
resolution: nothing is ever sent to a refused address), and users' events (emit)."""

from __future__ import annotations

import socket
import time

import pytest

from dash_notify.hub import Hub
from dash_notify.hub.channels.webhooks import WebhookChannel
from dash_notify.hub.targets import Identity
from dash_notify.hub.webhooks import EVENTS, METHODS, RuleError, RuleNotFoundError, WebhookConfig
from dash_notify.hub.webhooks.addresses import AddressRefusedError, check_url

PUBLIC = "https://93.184.216.34/hooks"  # an address literal: no DNS, and never contacted


@pytest.fixture
def hub(store_url):
    hub = Hub(None, store_url)
    yield hub
    hub.stop()


def test_create_list_get_update_delete(hub):
    created = [
        hub.webhooks.create(name, PUBLIC + f"/{n}")
        for n, name in enumerate(["CI deploys", "pager", "ci builds"])
    ]
    first = created[0]
    assert first.id.startswith("wh_") and first.secret.startswith("whsec_")
    assert (first.method, first.active, first.events, first.filters) == (
        "POST", True, ("notification.published",), {},
    )  # fmt: skip
    assert hub.webhooks.get(first.id) == first
    assert "secret" not in first.public() and "whsec_" not in repr(first)

    rules, total = hub.webhooks.list()
    assert [r.name for r in rules] == ["CI deploys", "pager", "ci builds"] and total == 3
    rules, total = hub.webhooks.list(q="CI", limit=1, offset=1)
    assert [r.name for r in rules] == ["ci builds"] and total == 2

    changed = hub.webhooks.update(
        first.id, method="get", filters={"severity": "High", "topic": ["group:ops"]}
    )
    assert changed.method == "GET" and changed.filters == {
        "severity": ("High",), "topic": ("group:ops",),
    }  # fmt: skip
    assert (changed.name, changed.url, changed.secret) == (first.name, first.url, first.secret)
    assert changed.updated >= first.updated

    # a rule the hub disabled is turned back on with its reason and failing mark cleared
    hub.stores.rules.update(
        first.id, {"active": False, "disabled_reason": "HTTP 410", "failing_since": 1.0}
    )
    back = hub.webhooks.update(first.id, active=True)
    assert (back.active, back.disabled_reason, back.failing_since) == (True, None, None)

    hub.webhooks.delete(first.id)
    with pytest.raises(RuleNotFoundError):
        hub.webhooks.get(first.id)
    for call in (hub.webhooks.delete, hub.webhooks.rotate, hub.webhooks.test):
        with pytest.raises(RuleNotFoundError, match="no webhook rule"):
            call(first.id)
    with pytest.raises(RuleNotFoundError):
        hub.webhooks.update("wh_nope", name="x")
    assert hub.webhooks.list()[1] == 2


@pytest.mark.parametrize(
    ("fields", "field", "allowed"),
    [
        ({"name": ""}, "name", ()),
        ({"name": "x" * 101}, "name", ()),
        ({"name": 5}, "name", ()),
        ({"name": "lone \ud800"}, "name", ()),
        ({"filters": {"source": ["\udfff"]}}, "filters.source", ()),
        ({"method": "PUT"}, "method", METHODS),
        ({"events": ["notification.deleted"]}, "events", EVENTS),
        ({"events": []}, "events", ()),
        ({"filters": {"colour": ["red"]}}, "filters.colour", None),
        ({"filters": {"severity": ["Huge"]}}, "filters.severity", None),
        ({"filters": {"type": "Warning"}}, "filters.type", ("Notification", "Alert")),
        ({"filters": {"topic": ["team:ops"]}}, "filters.topic", ()),
        ({"filters": {"action": [""]}}, "filters.action", ()),
        ({"filters": {"category": ["Deploy"]}}, "filters.category", ("a-z", "0-9", ".", "_", "-")),
        ({"filters": {"category": ["d" * 65]}}, "filters.category", ("a-z", "0-9", ".", "_", "-")),
        ({"filters": ["severity"]}, "filters", None),
        ({"active": "yes"}, "active", ()),
        ({"url": 42}, "url", ()),
    ],
)
def test_bad_fields_are_refused_naming_the_field(tmp_path, fields, field, allowed):
    hub = Hub(None, f"sqlite:///{tmp_path}/hub.db")
    try:
        given = {"name": "ok", "url": PUBLIC, **fields}
        with pytest.raises(RuleError) as refused:
            hub.webhooks.create(given.pop("name"), given.pop("url"), **given)
        assert refused.value.field == field
        if allowed is not None:
            assert refused.value.allowed == allowed
        assert str(refused.value).startswith(f"{field}: ")
        rule = hub.webhooks.create("ok", PUBLIC)
        with pytest.raises(RuleError) as again:
            hub.webhooks.update(rule.id, **fields)
        assert again.value.field == field
        with pytest.raises(RuleError, match="secret: is not a rule field"):
            hub.webhooks.update(rule.id, secret="whsec_mine")
        assert hub.webhooks.get(rule.id) == rule  # nothing changed
        for paging in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"q": 3}):
            with pytest.raises(RuleError) as bad:
                hub.webhooks.list(**paging)
            assert bad.value.field == next(iter(paging))
    finally:
        hub.stop()


REFUSED = [
    ("http://127.0.0.1:8050/hook", "loopback"),
    ("http://10.0.0.1/hook", "private"),
    ("http://[::1]/hook", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://localhost:8050/hook", "loopback"),  # a host name that resolves to loopback
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),  # IPv4-mapped IPv6
    ("http://0.0.0.0/hook", "unspecified"),
    ("http://100.64.0.1/hook", "not a public address"),  # shared (carrier-grade NAT)
    ("http://192.168.1.1/hook", "private"),
    ("ftp://93.184.216.34/hook", "scheme 'ftp' is not allowed"),
    ("file:///etc/passwd", "scheme 'file' is not allowed"),
    ("http://user:pw@93.184.216.34/", "user name or password"),
    ("https://93.184.216.34:99999/", "is not a URL"),
    ("https://93.184.216.34:0/", "port 0"),
    ("http://93.184.216.34/a b", "spaces"),
    ("http://93.184.216.34/caf\u00e9", "printable ASCII"),
    ("http://93.184.216.34/\ud800", "printable ASCII"),
]


@pytest.mark.parametrize(("url", "why"), REFUSED)
def test_urls_to_private_addresses_or_other_schemes_are_refused(tmp_path, url, why):
    """Refused at creation (after DNS resolution) and on update; nothing is stored and
    nothing is sent (the check resolves names, it never connects; the only name here,
    localhost, is resolved from the hosts file)."""
    hub = Hub(None, f"sqlite:///{tmp_path}/hub.db")
    try:
        with pytest.raises(RuleError, match=why) as refused:
            hub.webhooks.create("internal", url)
        assert refused.value.field == "url"
        assert hub.webhooks.list() == ([], 0)
        rule = hub.webhooks.create("public", PUBLIC)
        with pytest.raises(RuleError, match=why):
            hub.webhooks.update(rule.id, url=url)
        assert hub.webhooks.get(rule.id).url == PUBLIC
    finally:
        hub.stop()


def test_an_app_may_allow_private_addresses_but_never_other_schemes(tmp_path):
    hub = Hub(None, f"sqlite:///{tmp_path}/hub.db", channels=[WebhookChannel(allow_private=True)])
    try:
        for url, _ in REFUSED[:5]:
            assert hub.webhooks.create("internal", url).url == url
        with pytest.raises(RuleError, match="scheme 'file'"):
            hub.webhooks.create("file", "file:///etc/passwd")
    finally:
        hub.stop()
    # the check itself, with a resolver answering both a public and a private address
    with pytest.raises(AddressRefusedError, match=r"10\.1\.2\.3 is a private"):
        check_url(
            "https://mixed.example/", resolve=lambda host, port: ["93.184.216.34", "10.1.2.3"]
        )

    def unknown(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(AddressRefusedError, match=r"host 'nowhere\.example' does not resolve"):
        check_url("https://nowhere.example/", resolve=unknown)
    allowed = check_url("https://mixed.example/x?y=1", resolve=lambda h, p: ["93.184.216.34"])
    assert (allowed.host, allowed.port, allowed.target, allowed.addresses) == (
        "mixed.example", 443, "/x?y=1", ("93.184.216.34",),
    )  # fmt: skip


def test_rotation_keeps_the_previous_secret_for_a_while(hub):
    rule = hub.webhooks.create("rotating", PUBLIC)
    rotated = hub.webhooks.rotate(rule.id, keep_previous=3600)
    assert rotated.secret != rule.secret and rotated.previous_secret == rule.secret
    now = time.time()
    assert rotated.secrets(now) == (rotated.secret, rule.secret)
    assert rotated.secrets(now + 3601) == (rotated.secret,)
    final = hub.webhooks.rotate(rule.id, keep_previous=0)
    assert final.previous_secret is None and final.secrets(now) == (final.secret,)
    with pytest.raises(RuleError, match="keep_previous"):
        hub.webhooks.rotate(rule.id, keep_previous=-1)


def test_user_events_are_recorded_only_for_what_the_user_sees_and_rules_want(hub):
    alice = Identity("alice", frozenset({"ops"}))
    mine = hub.publish({"title": "deploy?"}, to="group:ops")
    theirs = hub.publish({"title": "secret"}, to="user:bob")
    assert hub.webhooks.emit("notification.clicked", mine, alice, action="approve") is None
    hub.webhooks.create("clicks", PUBLIC, events=["notification.clicked"])
    assert hub.webhooks.emit("notification.seen", mine, alice) is None  # no rule wants it
    assert hub.webhooks.emit("notification.clicked", theirs, alice) is None  # not hers
    event = hub.webhooks.emit("notification.clicked", mine, alice, action="approve")
    stored = hub.stores.messages.get([event])[event]
    assert (stored.kind, stored.targets, stored.publisher) == ("event", (), "user:alice")
    assert stored.options == {
        "event": "notification.clicked", "notification": mine, "user": "alice",
        "action": "approve",
    }  # fmt: skip
    # no browser ever receives it: it reaches no one's targets
    assert [m.id for m in hub.replay(alice, 0)] == [mine]
    with pytest.raises(RuleError, match=r"event: 'notification\.published' is not a user event"):
        hub.webhooks.emit("notification.published", mine, alice)


def test_channel_options_are_checked():
    with pytest.raises(ValueError, match="timeout: must be a number > 0"):
        WebhookChannel(timeout=0)
    with pytest.raises(ValueError, match="workers: must be an integer >= 1"):
        WebhookConfig(workers=0)
