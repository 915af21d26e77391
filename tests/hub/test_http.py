"""The HTTP API on every Dash backend (Flask, FastAPI, Quart), served for real in this
process (Werkzeug, uvicorn, hypercorn) on real stores: every status it answers."""

from __future__ import annotations

import base64

import pytest
from dash import Dash, html

import dash_notify
from dash_notify.hub.targets import Identity
from dash_notify.hub.web import configure

from .serve import BACKENDS, create_app, new_dash
from .servers import serve_in_thread
from .web_client import Client

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash

TARGET_FORMS = ['"*"', '"user:<id>"', '"group:<name>"']
EVERYONE = Identity("someone", frozenset({"deploys", "ops"}))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def _serve(store: str, backend: str, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_RATE", "5")
    app, hub = create_app(store, backend=backend)
    server = serve_in_thread(app)
    return app, hub, server


@pytest.fixture
def served(sqlite_url, backend, monkeypatch):
    """(app, hub, client) on a fresh SQLite file."""
    app, hub, server = _serve(sqlite_url, backend, monkeypatch)
    yield app, hub, Client(server.url)
    server.stop()
    hub.stop()


@pytest.fixture
def served_any_store(store_url, backend, monkeypatch):
    """(app, hub, client) on SQLite and on Redis."""
    app, hub, server = _serve(store_url, backend, monkeypatch)
    yield app, hub, Client(server.url)
    server.stop()
    hub.stop()


@pytest.fixture
def client(served) -> Client:
    return served[2]


@pytest.fixture
def hub(served):
    return served[1]


@pytest.fixture
def secret(hub) -> str:
    return hub.create_token("ci", ["*", "group:deploys", "user:*"])[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def stored(hub) -> int:
    return hub.position().last


def test_publish_stores_and_answers_201_with_the_id(served_any_store):
    _, hub, client = served_any_store
    _, secret = hub.create_token("ci", "*")
    response = client.post(
        "/_dash_notify/publish",
        json={"to": ["user:bob", "group:deploys"], "notification": {"title": "Deployed"}},
        headers=bearer(secret),
    )
    assert response.status == 201
    assert response.json() == {"id": 1, "to": ["group:deploys", "user:bob"]}
    [message] = hub.replay(Identity("bob"), 0, 10)
    assert message.options == {"title": "Deployed"} and message.publisher == "token:ci"


@pytest.mark.parametrize(
    ("body", "field", "allowed"),
    [
        ({"to": "*", "notification": {"title": "x", "severity": "Urgent"}}, "severity",
         ["Low", "Medium", "High", "Critical", "None"]),
        ({"to": "*", "notification": {}}, "title", []),
        ({"to": "*", "notification": {"title": "x", "category": "<b>Deploy</b>"}}, "category",
         ["a-z", "0-9", ".", "_", "-"]),
        ({"to": "*", "notification": {"title": "x", "category": "d" * 65}}, "category", []),
        ({"to": "*", "notification": {"title": "x", "owner": "invoice 42"}}, "owner",
         ["A-Z", "a-z", "0-9", ".", "_", "-", ":", "/", "#"]),
        ({"to": "*", "notification": {"title": "x", "owner": "o" * 129}}, "owner", []),
        ({"to": "everyone", "notification": {"title": "x"}}, "to", TARGET_FORMS),
        ({"notification": {"title": "x"}}, "to", []),
        ([1, 2], "body", []),
    ],
)  # fmt: skip
def test_invalid_payloads_are_400_naming_the_field_and_store_nothing(
    client, hub, secret, body, field, allowed
):
    response = client.post("/_dash_notify/publish", json=body, headers=bearer(secret))
    assert response.status == 400
    reply = response.json()
    assert reply["field"] == field and reply["http"] == 400
    assert reply.get("allowed", []) == allowed
    assert stored(hub) == 0


@pytest.mark.parametrize("raw", [b"{", b'{"to": "*",}', b"\xff\xfe", b"", b"[" * 990 + b"]" * 990])
def test_malformed_json_is_400(client, hub, secret, raw):
    response = client.post(
        "/_dash_notify/publish", data=raw, headers=bearer(secret), content_type="application/json"
    )
    assert response.status == 400
    assert response.json()["field"] == "body"
    assert stored(hub) == 0


def test_a_lone_surrogate_is_400_not_500(client, hub, secret):
    raw = b'{"to": "*", "notification": {"title": "\\ud800"}}'
    response = client.post(
        "/_dash_notify/publish", data=raw, headers=bearer(secret), content_type="application/json"
    )
    assert response.status == 400 and "title" in response.json()["field"]
    assert stored(hub) == 0


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer",
        "Bearer dn_wrong",
        "Basic !!!",
        "Digest abc",
        "Basic " + base64.b64encode(b"u:").decode(),
    ],
)
def test_without_a_valid_token_it_is_401(client, hub, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(
        "/_dash_notify/publish", json={"to": "*", "notification": {"title": "x"}}, headers=headers
    )
    assert response.status == 401
    assert response.header("WWW-Authenticate").startswith("Bearer")
    assert stored(hub) == 0


def test_a_revoked_token_is_401(client, hub, secret):
    hub.revoke_token(hub.tokens()[0].id)
    response = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(secret),
    )
    assert response.status == 401


def test_a_target_the_token_may_not_reach_is_403(client, hub):
    _, limited = hub.create_token("deploys only", "group:deploys")
    for to in ("*", "group:ops", ["group:deploys", "user:alice"]):
        response = client.post(
            "/_dash_notify/publish",
            json={"to": to, "notification": {"title": "x"}},
            headers=bearer(limited),
        )
        assert response.status == 403, to
        assert response.json()["field"] == "to"
        assert response.json()["allowed"] == ["group:deploys"]
    ok = client.post(
        "/_dash_notify/publish", json={"to": "group:deploys", "notification": {"title": "x"}},
        headers=bearer(limited),
    )  # fmt: skip
    assert ok.status == 201
    assert stored(hub) == 1


def test_an_option_the_token_may_not_set_is_403_naming_it(client, hub, secret):
    response = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x", "clickInterop": {"method": "transfer"}}},
        headers=bearer(secret),
    )
    assert response.status == 403 and response.json()["field"] == "clickInterop"
    assert stored(hub) == 0


def test_a_body_over_the_limit_is_413(client, hub, secret):
    big = {"to": "*", "notification": {"title": "x", "body": "y" * 9000}}
    response = client.post("/_dash_notify/publish", json=big, headers=bearer(secret))
    assert response.status == 413
    assert "8192" in response.json()["error"]
    assert stored(hub) == 0


def test_past_the_rate_limit_it_is_429_with_retry_after(served_any_store):
    _, hub, client = served_any_store
    _, secret = hub.create_token("ci", "*")
    statuses = [
        client.post(
            "/_dash_notify/publish", json={"to": "*", "notification": {"title": str(i)}},
            headers=bearer(secret),
        ).status
        for i in range(7)
    ]  # fmt: skip
    assert statuses == [201] * 5 + [429] * 2
    response = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(secret),
    )
    assert 1 <= int(response.header("Retry-After")) <= 61
    assert response.json()["http"] == 429
    assert stored(hub) == 5
    # the limit is per token
    _, other = hub.create_token("other", "*")
    ok = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(other),
    )
    assert ok.status == 201


def test_jupyterlab_ingest_payload(client, hub, secret):
    response = client.post(
        "/_dash_notify/ingest",
        json={"message": "Build failed on main branch", "type": "error", "autoClose": False},
        headers={"Authorization": f"token {secret}"},
    )
    assert response.status == 200
    assert response.json()["success"] is True and response.json()["notification_id"] == 1
    [message] = hub.replay(EVERYONE, 0, 1)
    assert message.targets == ("*",) and message.options["title"] == "Build failed on main branch"


def test_ntfy_plain_text_with_headers_and_at_the_root(client, hub, secret):
    response = client.put(
        "/_dash_notify/ntfy/deploys",
        data=b"Remote access detected.",
        headers={**bearer(secret), "Title": "Unauthorized access", "Priority": "urgent"},
    )
    assert response.status == 200
    reply = response.json()
    assert reply["event"] == "message" and reply["topic"] == "deploys" and reply["id"] == "1"
    basic = base64.b64encode(f":{secret}".encode()).decode()
    response = client.post(
        "/",
        json={"topic": "deploys", "message": "Disk full", "title": "Alert", "priority": 4},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status == 200
    assert client.post("/deploys", data="x", headers=bearer(secret)).status == 200
    messages = hub.replay(EVERYONE, 0, 10)
    assert [m.options["title"] for m in messages] == ["Unauthorized access", "Alert", "deploys"]
    assert messages[0].options["severity"] == "Critical"
    # and the app's pages are still the app's
    assert client.get("/").status == 200 and b"<html" in client.get("/").body.lower()


def test_ntfy_errors(client, hub, secret):
    bad_topic = client.post("/_dash_notify/ntfy/a.b", data="x", headers=bearer(secret))
    assert bad_topic.status == 400 and bad_topic.json()["field"] == "topic"
    bad_priority = client.post(
        "/_dash_notify/ntfy/deploys", data="x", headers={**bearer(secret), "Priority": "9"}
    )
    assert bad_priority.status == 400 and bad_priority.json()["field"] == "priority"
    no_topic = client.post("/_dash_notify/ntfy/", json={"message": "x"}, headers=bearer(secret))
    assert no_topic.status == 400 and no_topic.json()["field"] == "topic"
    _, limited = hub.create_token("only ops", "group:ops")
    forbidden = client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(limited))
    assert forbidden.status == 403
    assert stored(hub) == 0


def test_ntfy_at_root_is_opt_in(sqlite_url, backend):
    app = new_dash(backend, __name__)
    app.layout = html.Div()
    hub = dash_notify.Hub(app, sqlite_url)
    server = serve_in_thread(app)
    try:
        _, secret = hub.create_token("ci", "*")
        client = Client(server.url)
        assert client.post("/deploys", data="x", headers=bearer(secret)).status in (404, 405)
        assert (
            client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(secret)).status
            == 200
        )
    finally:
        server.stop()
        hub.stop()


def test_an_app_without_a_hub_answers_404_json_on_the_hub_paths(backend):
    app = new_dash(backend, __name__)  # created after dash_notify was imported
    app.layout = html.Div()
    server = serve_in_thread(app)
    try:
        response = Client(server.url).get("/_dash_notify/history")
        assert response.status == 404 and response.json()["http"] == 404
        assert "hub" in response.json()["error"]
    finally:
        server.stop()


def test_other_methods_are_405_with_allow_and_options_lists_them(client):
    for method, path in (("DELETE", "history"), ("GET", "seen"), ("PUT", "events")):
        response = client.request(method, f"/_dash_notify/{path}")
        assert response.status == 405, (method, path)
        assert response.json()["http"] == 405
        assert "OPTIONS" in response.header("Allow")
    options = client.request("OPTIONS", "/_dash_notify/publish")
    assert options.status == 204 and options.header("Allow") == "POST, OPTIONS"


def test_history_and_seen_are_per_user(served_any_store):
    _, hub, client = served_any_store
    shared = hub.publish({"title": "all"}, to="*")
    to_bob = hub.publish({"title": "bob"}, to="user:bob")
    to_ops = hub.publish({"title": "ops"}, to="group:ops")
    client.cookies["user"] = "alice"
    alice = client.get("/_dash_notify/history").json()
    assert [item["id"] for item in alice["items"]] == [to_ops, shared]
    assert alice["items"][0]["publisher"] == "python"
    # alice cannot mark bob's notification
    marked = client.post("/_dash_notify/seen", json={"ids": [to_bob, shared]})
    assert marked.json() == {"seen": [shared], "upto": 0}
    client.cookies["user"] = "bob"
    bob = client.get("/_dash_notify/history").json()
    assert [(i["id"], i["seen"]) for i in bob["items"]] == [(to_bob, None), (shared, None)]
    assert bob["user"] != alice["user"]
    everything = client.post("/_dash_notify/seen", json={"all": True})
    assert everything.json() == {"seen": [], "upto": to_ops}
    bob = client.get("/_dash_notify/history").json()
    assert all(item["seen"] is not None for item in bob["items"])


def test_an_anonymous_browser_gets_its_cookie_from_the_page_itself(client):
    page = client.get("/")
    [cookie] = [c for c in page.cookies_set() if c.startswith("dash_notify_browser=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    first = client.get("/_dash_notify/history")
    assert first.cookies_set() == []  # the page gave it already
    again = client.get("/_dash_notify/history")
    assert again.json()["user"] == first.json()["user"]
    # another browser is another user
    assert (
        Client(f"http://{client.host}:{client.port}/").get("/_dash_notify/history").json()["user"]
        != first.json()["user"]
    )


def test_an_anonymous_request_without_the_page_gets_the_cookie_of_the_id_it_used(client):
    first = client.get("/_dash_notify/history")
    [cookie] = first.cookies_set()
    assert client.get("/_dash_notify/history").json()["user"] == first.json()["user"]
    assert cookie.split(";")[0].split("=")[1] == client.cookies["dash_notify_browser"]


def test_the_cookie_is_secure_behind_a_tls_proxy_only_when_trusted(served):
    app, _, client = served
    proxied = {"X-Forwarded-Proto": "https"}

    def cookies(headers=None) -> list[str]:
        page = Client(f"http://{client.host}:{client.port}/").get("/", headers=headers)
        found = page.cookies_set()
        assert {c.split("=")[0] for c in found} == {"dash_notify_browser", "dash_notify_since"}
        return found

    assert not any("Secure" in c for c in cookies(proxied))
    configure(app, trust_forwarded_proto=True)
    assert all("Secure" in c for c in cookies(proxied))
    assert not any("Secure" in c for c in cookies())


@pytest.mark.parametrize(
    "body",
    [{"ids": "1"}, {"all": False}, {}, {"ids": [True]}, {"ids": [1], "all": True}, {"ids": [0]}],
)
def test_bad_seen_requests_are_400(client, body):
    response = client.post("/_dash_notify/seen", json=body)
    assert response.status == 400 and response.json()["field"] in ("ids", "all", "body")


def test_seen_needs_json(client):
    response = client.post("/_dash_notify/seen", data="ids=1", content_type="text/plain")
    assert response.status == 415


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("history?limit=0", "limit"),
        ("history?before=x", "before"),
        ("history?limit=%C2%B2", "limit"),  # "²".isdigit() is true, int("²") fails
        ("history?before=%C2%B2", "before"),
        ("events?lastEventId=%C2%B2", "Last-Event-ID"),
        ("events?lastEventId=abc", "Last-Event-ID"),
        ("events?epoch=%F0%9F%92%A5", "epoch"),
    ],
)
def test_bad_query_parameters_are_400_naming_them(client, path, field):
    response = client.get(f"/_dash_notify/{path}")
    assert response.status == 400 and response.json()["field"] == field


def test_a_bad_last_event_id_header_is_400(client):
    response = client.get("/_dash_notify/events", headers={"Last-Event-ID": "²"})
    assert response.status == 400 and response.json()["field"] == "Last-Event-ID"


def test_browser_routes_are_rate_limited_per_user(served):
    app, _, client = served
    configure(
        app,
        browser_rates={"history": (3, 60), "seen": (2, 60), "events": (2, 60), "clicked": (2, 60)},
    )
    client.cookies["user"] = "bob"
    statuses = [client.get("/_dash_notify/history").status for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/_dash_notify/history")
    assert limited.json()["http"] == 429 and int(limited.header("Retry-After")) >= 1
    seen = [client.post("/_dash_notify/seen", json={"all": True}).status for _ in range(3)]
    assert seen == [200, 200, 429]
    heads = [client.request("HEAD", "/_dash_notify/events").status for _ in range(3)]
    assert heads == [200, 200, 429]
    mine = served[1].publish({"title": "for bob"}, to="user:bob")
    clicks = [client.post("/_dash_notify/clicked", json={"id": mine}).status for _ in range(3)]
    assert clicks == [204, 204, 429]
    # another user is not held back by bob
    client.cookies["user"] = "alice"
    assert client.get("/_dash_notify/history").status == 200


def test_the_openapi_document_is_served(client):
    document = client.get("/_dash_notify/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert {
        "/_dash_notify/publish",
        "/_dash_notify/ingest",
        "/_dash_notify/ntfy/{topic}",
        "/_dash_notify/events",
        "/_dash_notify/history",
        "/_dash_notify/seen",
    } <= set(document["paths"])
    options = document["components"]["schemas"]["NotificationOptions"]
    assert options["properties"]["severity"]["enum"] == [
        "Low",
        "Medium",
        "High",
        "Critical",
        "None",
    ]
    # the category's characters, as a pattern OpenAPI tools know
    assert options["properties"]["category"]["pattern"] == "^[a-z0-9][a-z0-9._-]*$"
    assert options["properties"]["owner"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._:/#-]*$"
    assert "404" in document["paths"]["/_dash_notify/clicked"]["post"]["responses"]
    assert "$defs" not in str(document)
    assert "8192 bytes" in document["info"]["description"]
    assert "5 requests per 60 s" in document["info"]["description"]


def test_users_from_flask_login():
    """flask-login as the identity (a no-argument user function, called in Flask's
    request context): a logged-in user reads their own notifications, a visitor is an
    anonymous browser, and after logging out the user's notifications are gone."""
    import flask_login

    app = Dash(__name__)
    app.layout = html.Div()
    app.server.secret_key = "test"
    login = flask_login.LoginManager(app.server)

    class User(flask_login.UserMixin):
        def __init__(self, user_id: str):
            self.id = user_id

    login.user_loader(User)

    @app.server.post("/login/<name>")
    def log_in(name):
        flask_login.login_user(User(name))
        return "ok"

    @app.server.post("/logout")
    def log_out():
        flask_login.logout_user()
        return "ok"

    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        hub = dash_notify.Hub(
            app,
            f"sqlite:///{directory}/n.db",
            user=lambda: flask_login.current_user.get_id(),
            groups=lambda user: ["ops"] if user == "carol" else [],
        )
        server = serve_in_thread(app)
        try:
            hub.publish({"title": "for carol"}, to="user:carol")
            hub.publish({"title": "for ops"}, to="group:ops")
            hub.publish({"title": "for dave"}, to="user:dave")
            client = Client(server.url)

            def titles() -> list[str]:
                items = client.get("/_dash_notify/history").json()["items"]
                return [item["options"]["title"] for item in items]

            assert titles() == []  # a visitor: an anonymous browser
            visitor = client.get("/_dash_notify/history").json()["user"]
            assert client.post("/login/carol").status == 200
            assert titles() == ["for ops", "for carol"]
            assert client.get("/_dash_notify/history").json()["user"] != visitor
            assert client.post("/login/dave").status == 200
            assert titles() == ["for dave"]
            assert client.post("/logout").status == 200
            assert titles() == []
            assert client.get("/_dash_notify/history").json()["user"] == visitor
        finally:
            server.stop()
            hub.stop()


@pytest.mark.skipif(len(BACKENDS) == 1, reason="Dash's request adapter is Dash >= 4.2's")
def test_a_no_argument_user_function_works_on_every_backend(sqlite_url, backend):
    """The same no-argument function on each backend: it reads the request through
    Dash's own request adapter, which the hub's views make available."""
    app = new_dash(backend, __name__)
    app.layout = html.Div()
    hub = dash_notify.Hub(
        app, sqlite_url, user=lambda: app.backend.request_adapter().cookies.get("user")
    )
    server = serve_in_thread(app)
    try:
        hub.publish({"title": "for erin"}, to="user:erin")
        client = Client(server.url)
        assert client.get("/_dash_notify/history").json()["items"] == []
        client.cookies["user"] = "erin"
        items = client.get("/_dash_notify/history").json()["items"]
        assert [item["options"]["title"] for item in items] == ["for erin"]
    finally:
        server.stop()
        hub.stop()


def test_store_write_refusals_are_json_503_with_retry_after(tmp_path, backend, monkeypatch):
    """Redis refusing writes (out of memory under noeviction): every route that writes
    answers the documented JSON 503 with Retry-After, nothing is acknowledged, and the
    routes that only read keep working."""
    import redis

    from .servers import RedisServer

    server = RedisServer(tmp_path / "redis").start()
    _, hub, http_server = _serve(server.url, backend, monkeypatch)
    try:
        _, secret = hub.create_token("ci", "*")
        client = Client(http_server.url)
        client.cookies["user"] = "bob"
        first = hub.publish({"title": "stored"}, to="*")
        control = redis.Redis(port=server.port)
        control.config_set("maxmemory-policy", "noeviction")
        control.config_set("maxmemory", 1)
        refused = [
            client.post(
                "/_dash_notify/publish",
                json={"to": "*", "notification": {"title": "x"}},
                headers=bearer(secret),
            ),
            client.post("/_dash_notify/seen", json={"ids": [first]}),
            client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(secret)),
        ]
        for reply in refused:
            assert reply.status == 503, reply.body
            assert reply.json()["http"] == 503 and reply.header("Retry-After") == "1"
        control.config_set("maxmemory", 0)
        assert hub.position().last == first  # nothing was acknowledged that is not stored
        history = client.get("/_dash_notify/history")
        assert history.status == 200 and [i["id"] for i in history.json()["items"]] == [first]
    finally:
        http_server.stop()
        hub.stop()
        server.stop()


def test_per_ip_limits_count_the_proxied_client_only_when_trusted(served):
    """Behind a reverse proxy every request comes from the proxy's address: trusted,
    X-Forwarded-For's last address (the one the proxy added) is the client's."""
    app, _, client = served
    configure(app, browser_rates={"history": (1, 60), "seen": (1, 60), "events": (1, 60)})

    def history(user: str, forwarded: str) -> int:
        headers = {"Cookie": f"user={user}", "X-Forwarded-For": forwarded}
        return client.get("/_dash_notify/history", headers=headers).status

    # untrusted: the header is ignored, every user shares 127.0.0.1's IP budget (10)
    assert [history(f"u{i}", f"10.0.0.{i}") for i in range(11)] == [200] * 10 + [429]
    configure(app, trust_forwarded_for=True)
    assert [history(f"v{i}", "10.0.1.1") for i in range(11)] == [200] * 10 + [429]
    assert history("w", "spoofed, 10.0.1.2") == 200  # another client of the proxy
