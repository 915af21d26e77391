"""The browser's Web Push routes on every Dash backend (Flask, FastAPI, Quart), served for
real in this process: the public key, subscribing (a user's and an anonymous browser's)
and unsubscribing, every refusal naming its field, the SSRF rule, limits."""

from __future__ import annotations

import pytest
from dash import html

import dash_notify
from dash_notify.hub.channels.push import PushChannel
from dash_notify.hub.push import vapid
from dash_notify.hub.web import configure

from .push_receiver import BrowserKeys, b64url
from .serve import BACKENDS, new_dash, who
from .servers import serve_in_thread
from .web_client import Client

ENDPOINT = "https://push.example.net/wpush/v2/gAAAAABk"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36"


def browser(endpoint: str = ENDPOINT, **extra) -> dict:
    """A subscription as ``PushSubscription.toJSON()`` gives it, with real keys."""
    keys = BrowserKeys()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
        **extra,
    }


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def _app(store: str, backend: str, channels: list):
    app = new_dash(backend, __name__)
    app.layout = html.Div(dash_notify.Notifications(id="n", hub=True))
    hub = dash_notify.Hub(app, store, user=who, channels=channels)
    return app, hub


@pytest.fixture
def pushing(sqlite_url, backend, tmp_path):
    """(app, hub, client): a hub with a push channel, served on ``backend``."""
    key = tmp_path / "vapid.pem"
    vapid.generate(key)
    channel = PushChannel(str(key), "mailto:ops@example.com")
    app, hub = _app(sqlite_url, backend, [channel])
    server = serve_in_thread(app)
    yield app, hub, Client(server.url)
    server.stop()
    hub.stop()
    channel.close()


def test_the_key_route_answers_the_public_key(pushing):
    _, hub, client = pushing
    reply = client.get("/_dash_notify/push/key")
    assert reply.status == 200
    assert reply.json() == {"publicKey": hub.push.public_key}
    assert len(hub.push.public_key) == 87  # 65 bytes, base64url without padding


def test_without_a_push_channel_the_push_routes_are_404_saying_how(sqlite_url, backend):
    app, hub = _app(sqlite_url, backend, [])
    server = serve_in_thread(app)
    try:
        client = Client(server.url)
        for reply in (
            client.get("/_dash_notify/push/key"),
            client.post("/_dash_notify/push/subscribe", json=browser()),
        ):
            assert reply.status == 404 and reply.json()["http"] == 404
            assert "PushChannel" in reply.json()["error"]
            assert "dash-notify vapid generate" in reply.json()["error"]
        assert hub.push.list() == []
    finally:
        server.stop()
        hub.stop()


def test_a_user_subscribes_with_lang_and_user_agent(pushing):
    _, hub, client = pushing
    client.cookies["user"] = "alice"
    reply = client.post(
        "/_dash_notify/push/subscribe",
        json=browser(lang="de-CH"),
        headers={"User-Agent": AGENT},
    )
    assert reply.status == 201
    [stored] = hub.push.list("alice")
    assert reply.json()["id"] == stored.id and reply.json()["created"] == stored.created
    assert stored.endpoint == ENDPOINT and stored.lang == "de-CH" and stored.user_agent == AGENT
    # the same browser subscribing again (new keys) replaces its subscription
    again = client.post("/_dash_notify/push/subscribe", json=browser())
    assert again.status == 201 and again.json()["id"] == stored.id
    [renewed] = hub.push.list()
    assert renewed.p256dh != stored.p256dh and renewed.user == "alice"


def test_an_anonymous_browser_subscribes_under_its_cookie_identity(pushing):
    _, hub, client = pushing
    reply = client.post("/_dash_notify/push/subscribe", json=browser())
    assert reply.status == 201
    cookie = client.cookies["dash_notify_browser"]  # minted by this request
    [stored] = hub.push.list()
    assert stored.user == f"browser:{cookie}"
    # later requests of that browser are the same user: its history and its unsubscribe
    assert client.get("/_dash_notify/history").json()["user"] == reply.json()["user"]
    gone = client.post("/_dash_notify/push/unsubscribe", json={"endpoint": ENDPOINT})
    assert gone.json() == {"removed": True} and hub.push.list() == []


def test_unsubscribe_removes_only_the_requesting_users_subscription(pushing):
    _, hub, client = pushing
    client.cookies["user"] = "alice"
    assert client.post("/_dash_notify/push/subscribe", json=browser()).status == 201
    client.cookies["user"] = "bob"
    other = client.post("/_dash_notify/push/unsubscribe", json={"endpoint": ENDPOINT})
    assert other.status == 200 and other.json() == {"removed": False}
    assert [s.user for s in hub.push.list()] == ["alice"]
    client.cookies["user"] = "alice"
    whole = client.post("/_dash_notify/push/unsubscribe", json=browser())  # toJSON() works too
    assert whole.json() == {"removed": True} and hub.push.list() == []
    assert client.post("/_dash_notify/push/unsubscribe", json=browser()).json() == {
        "removed": False
    }


def _with_keys(**keys) -> dict:
    subscription = browser()
    subscription["keys"] = {**subscription["keys"], **keys}
    return subscription


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (browser("http://push.example.net/x"), "endpoint"),
        (browser("not a url"), "endpoint"),
        (browser("https://user:pw@push.example.net/x"), "endpoint"),
        (browser("https://push.example.net/" + "x" * 2100), "endpoint"),
        ({"keys": browser()["keys"]}, "endpoint"),
        ({"endpoint": ENDPOINT}, "keys"),
        (_with_keys(p256dh=b64url(b"\x04" * 33)), "keys.p256dh"),
        (_with_keys(p256dh=b64url(b"\x04" + b"\x01" * 64)), "keys.p256dh"),  # not on P-256
        (_with_keys(auth=b64url(b"a" * 15)), "keys.auth"),
        (_with_keys(auth="not base64!"), "keys.auth"),
        (browser(lang="<script>"), "lang"),
        (browser(lang=5), "lang"),
        ([ENDPOINT], "body"),
        ("endpoint", "body"),
    ],
)
def test_an_invalid_subscription_is_400_naming_the_field_and_stores_nothing(pushing, body, field):
    _, hub, client = pushing
    reply = client.post("/_dash_notify/push/subscribe", json=body)
    assert reply.status == 400, reply.body
    assert reply.json()["field"] == field and reply.json()["http"] == 400
    assert hub.push.list() == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "10.1.2.3", "192.168.0.7", "169.254.169.254", "[::1]"]
)
def test_an_endpoint_on_a_private_address_is_refused(pushing, host):
    _, hub, client = pushing
    reply = client.post("/_dash_notify/push/subscribe", json=browser(f"https://{host}/push/1"))
    assert reply.status == 400 and reply.json()["field"] == "endpoint"
    assert "PushChannel(allow_private=True)" in reply.json()["error"]
    assert hub.push.list() == []


def test_a_private_endpoint_is_taken_when_the_app_allows_it(sqlite_url, backend, tmp_path):
    key = tmp_path / "vapid.pem"
    vapid.generate(key)
    channel = PushChannel(str(key), "mailto:ops@example.com", allow_private=True)
    app, hub = _app(sqlite_url, backend, [channel])
    server = serve_in_thread(app)
    try:
        reply = Client(server.url).post(
            "/_dash_notify/push/subscribe", json=browser("https://127.0.0.1:8443/push/1")
        )
        assert reply.status == 201
        assert [s.endpoint for s in hub.push.list()] == ["https://127.0.0.1:8443/push/1"]
    finally:
        server.stop()
        hub.stop()
        channel.close()


@pytest.mark.parametrize("body", [{}, {"endpoint": 5}, {"endpoint": ""}, ["x"]])
def test_a_bad_unsubscribe_is_400_naming_the_endpoint(pushing, body):
    reply = pushing[2].post("/_dash_notify/push/unsubscribe", json=body)
    assert reply.status == 400 and reply.json()["field"] == "endpoint"


def test_push_bodies_must_be_json_and_within_the_limit(pushing):
    _, hub, client = pushing
    for path in ("subscribe", "unsubscribe"):
        route = f"/_dash_notify/push/{path}"
        assert client.post(route, data="x", content_type="text/plain").status == 415
        malformed = client.post(route, data="{", content_type="application/json")
        assert malformed.status == 400 and malformed.json()["field"] == "body"
        big = client.post(route, json=browser(lang="x" * 9000))
        assert big.status == 413
    assert hub.push.list() == []


def test_the_push_routes_are_rate_limited_per_user(pushing):
    app, _, client = pushing
    configure(app, browser_rates={"push": (3, 60)})
    client.cookies["user"] = "bob"
    statuses = [
        client.get("/_dash_notify/push/key").status,
        client.post("/_dash_notify/push/subscribe", json=browser()).status,
        client.post("/_dash_notify/push/unsubscribe", json={"endpoint": ENDPOINT}).status,
        client.get("/_dash_notify/push/key").status,
    ]
    assert statuses == [200, 201, 200, 429]
    client.cookies["user"] = "alice"
    assert client.get("/_dash_notify/push/key").status == 200


def test_other_methods_are_405_and_the_openapi_document_has_the_push_paths(pushing):
    client = pushing[2]
    assert client.get("/_dash_notify/push/subscribe").status == 405
    assert client.post("/_dash_notify/push/key", json={}).status == 405
    document = client.get("/_dash_notify/openapi.json").json()
    paths = document["paths"]
    assert set(paths["/_dash_notify/push/key"]) == {"get"}
    assert set(paths["/_dash_notify/push/subscribe"]["post"]["responses"]) >= {"201", "400"}
    assert "/_dash_notify/push/unsubscribe" in paths
    schema = document["components"]["schemas"]["PushSubscription"]
    assert schema["required"] == ["endpoint", "keys"]
