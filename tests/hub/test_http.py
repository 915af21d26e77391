"""The HTTP API through Flask's test client, on real stores: every status it answers."""

from __future__ import annotations

import base64

import pytest

from .serve import create_app

TARGET_FORMS = ['"*"', '"user:<id>"', '"group:<name>"']


@pytest.fixture
def hub_app(store_url, monkeypatch):
    monkeypatch.setenv("DASH_NOTIFY_RATE", "5")
    app, hub = create_app(store_url)
    yield app, hub
    hub.store.close()


@pytest.fixture
def client(hub_app):
    return hub_app[0].server.test_client()


@pytest.fixture
def secret(hub_app):
    return hub_app[1].create_token("ci", ["*", "group:deploys", "user:*"])[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def stored(hub) -> int:
    return hub.store.last_id()


def test_publish_stores_and_answers_201_with_the_id(client, hub_app, secret):
    response = client.post(
        "/_dash_notify/publish",
        json={"to": ["user:bob", "group:deploys"], "notification": {"title": "Deployed"}},
        headers=bearer(secret),
    )
    assert response.status_code == 201
    assert response.get_json() == {"id": 1, "to": ["group:deploys", "user:bob"]}
    [message] = hub_app[1].store.visible_after({"user:bob"}, 0, 10)
    assert message.options == {"title": "Deployed"} and message.publisher == "token:ci"


@pytest.mark.parametrize(
    ("body", "field", "allowed"),
    [
        ({"to": "*", "notification": {"title": "x", "severity": "Urgent"}}, "severity",
         ["Low", "Medium", "High", "Critical", "None"]),
        ({"to": "*", "notification": {}}, "title", []),
        ({"to": "*", "notification": {"title": "x", "actions": [{"action": "a"}]}},
         "actions[0].title", []),
        ({"to": "everyone", "notification": {"title": "x"}}, "to", TARGET_FORMS),
        ({"to": [], "notification": {"title": "x"}}, "to", TARGET_FORMS),
        ({"notification": {"title": "x"}}, "to", []),
        ({"to": "*", "notification": {"title": "x"}, "extra": 1}, "extra", ["to", "notification"]),
        ([1, 2], "body", []),
    ],
)  # fmt: skip
def test_invalid_payloads_are_400_naming_the_field_and_store_nothing(
    client, hub_app, secret, body, field, allowed
):
    response = client.post("/_dash_notify/publish", json=body, headers=bearer(secret))
    assert response.status_code == 400
    reply = response.get_json()
    assert reply["field"] == field and reply["http"] == 400
    assert reply.get("allowed", []) == allowed
    assert field.split("[")[0] in reply["error"]
    assert stored(hub_app[1]) == 0


@pytest.mark.parametrize("raw", [b"{", b'{"to": "*",}', b"\xff\xfe", b""])
def test_malformed_json_is_400(client, hub_app, secret, raw):
    response = client.post(
        "/_dash_notify/publish", data=raw, headers=bearer(secret), content_type="application/json"
    )
    assert response.status_code == 400
    assert (
        response.get_json()["field"] == "body" and "malformed JSON" in response.get_json()["error"]
    )
    assert stored(hub_app[1]) == 0


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
def test_without_a_valid_token_it_is_401(client, hub_app, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(
        "/_dash_notify/publish", json={"to": "*", "notification": {"title": "x"}}, headers=headers
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(hub_app[1]) == 0


def test_a_revoked_token_is_401(client, hub_app, secret):
    hub = hub_app[1]
    hub.revoke_token(hub.tokens()[0].id)
    response = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(secret),
    )
    assert response.status_code == 401


def test_a_target_the_token_may_not_reach_is_403(client, hub_app):
    _, limited = hub_app[1].create_token("deploys only", "group:deploys")
    for to in ("*", "group:ops", ["group:deploys", "user:alice"]):
        response = client.post(
            "/_dash_notify/publish",
            json={"to": to, "notification": {"title": "x"}},
            headers=bearer(limited),
        )
        assert response.status_code == 403, to
        assert response.get_json()["field"] == "to"
        assert response.get_json()["allowed"] == ["group:deploys"]
    ok = client.post(
        "/_dash_notify/publish", json={"to": "group:deploys", "notification": {"title": "x"}},
        headers=bearer(limited),
    )  # fmt: skip
    assert ok.status_code == 201
    assert stored(hub_app[1]) == 1


def test_a_body_over_the_limit_is_413(client, hub_app, secret):
    big = {"to": "*", "notification": {"title": "x", "body": "y" * 9000}}
    response = client.post("/_dash_notify/publish", json=big, headers=bearer(secret))
    assert response.status_code == 413
    assert "8192" in response.get_json()["error"]
    assert stored(hub_app[1]) == 0


def test_past_the_rate_limit_it_is_429_with_retry_after(client, hub_app, secret):
    statuses = [
        client.post(
            "/_dash_notify/publish", json={"to": "*", "notification": {"title": str(i)}},
            headers=bearer(secret),
        ).status_code
        for i in range(7)
    ]  # fmt: skip
    assert statuses == [201] * 5 + [429] * 2
    response = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(secret),
    )
    assert 1 <= int(response.headers["Retry-After"]) <= 61
    assert stored(hub_app[1]) == 5
    # the limit is per token
    _, other = hub_app[1].create_token("other", "*")
    ok = client.post(
        "/_dash_notify/publish",
        json={"to": "*", "notification": {"title": "x"}},
        headers=bearer(other),
    )
    assert ok.status_code == 201


def test_jupyterlab_ingest_payload(client, hub_app, secret):
    response = client.post(
        "/_dash_notify/ingest",
        json={
            "message": "Build failed on main branch",
            "type": "error",
            "autoClose": False,
            "actions": [
                {"label": "View Logs", "caption": "Open build logs", "displayType": "accent"}
            ],
        },
        headers={"Authorization": f"token {secret}"},
    )
    assert response.status_code == 200
    assert response.get_json() == {"success": True, "notification_id": 1}
    [message] = hub_app[1].store.visible_after({"*"}, 0, 1)
    assert message.targets == ("*",)
    assert message.options == {
        "title": "Build failed on main branch",
        "severity": "High",
        "source": "ci",
        "data": {"type": "error"},
        "requireInteraction": True,
        "actions": [{"action": "view-logs", "title": "View Logs"}],
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"type": "info"}, "message"),
        ({"message": "x", "type": "fatal"}, "type"),
        ({"message": "x", "autoClose": "soon"}, "autoClose"),
        ({"message": "x", "actions": [{"caption": "no label"}]}, "actions[0].label"),
        ({"message": "x", "actions": [{"label": "1"}, {"label": "2"}, {"label": "3"}]}, "actions"),
    ],
)
def test_bad_jupyterlab_payloads_are_400(client, hub_app, secret, payload, field):
    response = client.post("/_dash_notify/ingest", json=payload, headers=bearer(secret))
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert stored(hub_app[1]) == 0


def test_ntfy_plain_text_with_headers(client, hub_app, secret):
    response = client.put(
        "/_dash_notify/ntfy/deploys",
        data=b"Remote access to phils-laptop detected. Act right away.",
        headers={
            **bearer(secret),
            "Title": "Unauthorized access detected",
            "Priority": "urgent",
            "Tags": "warning,skull",
            "Click": "https://home.example/",
            "Actions": "view, Open portal, https://home.example/; http, Turn down, https://api.example/",
        },
    )
    assert response.status_code == 200
    reply = response.get_json()
    assert reply["event"] == "message" and reply["topic"] == "deploys" and reply["id"] == "1"
    [message] = hub_app[1].store.visible_after({"group:deploys"}, 0, 1)
    assert message.targets == ("group:deploys",)
    assert message.options["title"] == "Unauthorized access detected"
    assert message.options["severity"] == "Critical"
    assert message.options["actions"] == [
        {"action": "view-0", "title": "Open portal"},
        {"action": "http-1", "title": "Turn down"},
    ]
    assert message.options["data"]["ntfy"]["tags"] == ["warning", "skull"]
    assert message.options["data"]["ntfy"]["click"] == "https://home.example/"


def test_ntfy_json_at_the_root_with_basic_auth_as_ntfy_clients_send_it(client, hub_app, secret):
    basic = base64.b64encode(f":{secret}".encode()).decode()
    response = client.post(
        "/",
        json={
            "topic": "deploys",
            "message": "Disk full",
            "title": "Alert",
            "priority": 4,
            "tags": ["x"],
        },
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    [message] = hub_app[1].store.visible_after({"group:deploys"}, 0, 1)
    assert message.options["severity"] == "High" and message.options["body"] == "Disk full"
    # and the app's pages are still the app's
    assert client.get("/").status_code == 200


def test_ntfy_errors(client, hub_app, secret):
    bad_topic = client.post("/_dash_notify/ntfy/a.b", data="x", headers=bearer(secret))
    assert bad_topic.status_code == 400 and bad_topic.get_json()["field"] == "topic"
    bad_priority = client.post(
        "/_dash_notify/ntfy/deploys", data="x", headers={**bearer(secret), "Priority": "9"}
    )
    assert bad_priority.status_code == 400 and bad_priority.get_json()["field"] == "priority"
    no_topic = client.post("/_dash_notify/ntfy/", json={"message": "x"}, headers=bearer(secret))
    assert no_topic.status_code == 400 and no_topic.get_json()["field"] == "topic"
    _, limited = hub_app[1].create_token("only ops", "group:ops")
    forbidden = client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(limited))
    assert forbidden.status_code == 403
    assert stored(hub_app[1]) == 0


def test_ntfy_at_root_is_opt_in(store_url):
    from dash import Dash, html

    import dash_notify

    app = Dash(__name__)
    app.layout = html.Div()
    hub = dash_notify.Hub(app, store_url)
    _, secret = hub.create_token("ci", "*")
    client = app.server.test_client()
    assert client.post("/deploys", data="x", headers=bearer(secret)).status_code == 405
    assert (
        client.post("/_dash_notify/ntfy/deploys", data="x", headers=bearer(secret)).status_code
        == 200
    )
    hub.store.close()


def test_history_and_seen_are_per_user(client, hub_app):
    hub = hub_app[1]
    shared = hub.publish({"title": "all"}, to="*")
    to_bob = hub.publish({"title": "bob"}, to="user:bob")
    to_ops = hub.publish({"title": "ops"}, to="group:ops")
    client.set_cookie("user", "alice")
    alice = client.get("/_dash_notify/history").get_json()
    assert [item["id"] for item in alice["items"]] == [to_ops, shared]
    # alice cannot mark bob's notification
    marked = client.post("/_dash_notify/seen", json={"ids": [to_bob, shared]})
    assert marked.get_json() == {"seen": [shared]}
    client.set_cookie("user", "bob")
    bob = client.get("/_dash_notify/history").get_json()
    assert [(i["id"], i["seen"]) for i in bob["items"]] == [(to_bob, None), (shared, None)]
    assert bob["user"] != alice["user"]
    assert client.post("/_dash_notify/seen", json={"all": True}).get_json() == {
        "seen": [shared, to_bob]
    }


def test_an_anonymous_browser_gets_a_cookie_and_its_own_identity(client, hub_app):
    response = client.get("/_dash_notify/history")
    cookie = response.headers["Set-Cookie"]
    assert "dash_notify_browser=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    again = client.get("/_dash_notify/history")
    assert "Set-Cookie" not in again.headers
    assert again.get_json()["user"] == response.get_json()["user"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"ids": "1"}, 400),
        ({"all": False}, 400),
        ({}, 400),
        ({"ids": [True]}, 400),
        ({"ids": [1], "all": True}, 400),
    ],
)
def test_bad_seen_requests(client, body, status):
    assert client.post("/_dash_notify/seen", json=body).status_code == status


def test_seen_needs_json(client):
    assert client.post("/_dash_notify/seen", data="ids=1").status_code == 415


def test_bad_query_parameters_are_400(client):
    assert client.get("/_dash_notify/history?limit=0").status_code == 400
    assert client.get("/_dash_notify/history?before=x").status_code == 400
    assert client.get("/_dash_notify/events", headers={"Last-Event-ID": "abc"}).status_code == 400


def test_the_openapi_document_is_served(client):
    document = client.get("/_dash_notify/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert {"/_dash_notify/publish", "/_dash_notify/ingest", "/_dash_notify/ntfy/{topic}"} <= set(
        document["paths"]
    )
    options = document["components"]["schemas"]["NotificationOptions"]
    assert options["properties"]["severity"]["enum"] == [
        "Low",
        "Medium",
        "High",
        "Critical",
        "None",
    ]
    assert "$defs" not in str(document)


def test_python_publish_validates_like_raise(hub_app):
    import dash_notify

    hub = hub_app[1]
    with pytest.raises(dash_notify.NotificationOptionsError, match="severity") as error:
        hub.publish({"title": "x", "severity": "Urgent"}, to="*")
    assert error.value.field == "severity"
    with pytest.raises(dash_notify.TargetError, match="allowed"):
        hub.publish({"title": "x"}, to="alice")
    with pytest.raises(dash_notify.TargetError):
        hub.publish({"title": "x"}, to="user:*")
    assert hub.store.last_id() == 0
    assert (
        hub.publish(
            dash_notify.notification("ok"), to=[dash_notify.user("alice"), dash_notify.group("ops")]
        )
        == 1
    )


def test_users_from_flask_login(sqlite_url):
    """The identity function with flask-login: logged-in users are themselves, a visitor
    who is not logged in is an anonymous browser."""
    import flask
    import flask_login
    from dash import Dash, html

    import dash_notify

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

    hub = dash_notify.Hub(
        app,
        sqlite_url,
        user=lambda: flask_login.current_user.get_id(),
        groups=lambda user: ["ops"] if user == "carol" else [],
    )
    hub.publish({"title": "for carol"}, to="user:carol")
    hub.publish({"title": "for ops"}, to="group:ops")
    hub.publish({"title": "for dave"}, to="user:dave")
    client = app.server.test_client()
    titles = lambda: [  # noqa: E731
        item["options"]["title"] for item in client.get("/_dash_notify/history").get_json()["items"]
    ]
    assert titles() == []  # a visitor: an anonymous browser
    assert "dash_notify_browser" in client.get_cookie("dash_notify_browser").key
    client.post("/login/carol")
    assert titles() == ["for ops", "for carol"]
    with app.server.test_request_context():
        flask_login.login_user(User("dave"))
        assert hub.me() == "user:dave"
        assert flask.request.path == "/"
    hub.store.close()
