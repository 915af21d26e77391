"""ntfy's publish API as ntfy's server reads it: UTF-8 and RFC 2047 encoded headers,
http(s)-only click and action URLs, the JSON form taking the request's own headers
where the JSON is silent, bad input as 400s naming the field; and apprise, a widely
used ntfy client from PyPI, run as a subprocess against the real test app."""

from __future__ import annotations

import base64
import http.client
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .serve import create_app
from .servers import ThreadServer


@pytest.fixture
def hub_app(sqlite_url):
    app, hub = create_app(sqlite_url)
    yield app, hub
    hub.stores.close()


@pytest.fixture
def client(hub_app):
    return hub_app[0].server.test_client()


@pytest.fixture
def secret(hub_app):
    return hub_app[1].create_token("monitoring", ["*", "group:*"])[1]


@pytest.fixture
def live(hub_app, secret):
    server = ThreadServer(hub_app[0].server)
    yield server
    server.stop()


def bearer(secret: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **headers}


def stored(hub) -> list:
    return hub.stores.messages.after({"*", "group:deploys"}, 0, 100)


def raw_post(port: int, path: str, headers: list[tuple[str, bytes]], body: bytes = b"x"):
    """A POST whose header values go on the wire as exactly these bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path)
    for name, value in [*headers, ("Content-Length", str(len(body)).encode())]:
        connection.putheader(name, value)
    connection.endheaders(body)
    response = connection.getresponse()
    reply = response.status, json.loads(response.read())
    connection.close()
    return reply


def test_a_utf8_title_header_comes_out_right(live, hub_app, secret):
    # curl sends the header's UTF-8 bytes as they are, as ntfy's documentation shows
    result = subprocess.run(
        ["curl", "--silent", "--fail-with-body", "-u", f":{secret}",
         "-H", "Title: Größe 😀", "-H", "Tags: café,ünïcode", "-d", "body",
         f"{live.url}_dash_notify/ntfy/deploys"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["title"] == "Größe 😀"
    [message] = stored(hub_app[1])
    assert message.options["title"] == "Größe 😀"
    assert message.options["data"]["ntfy"]["tags"] == ["café", "ünïcode"]


def test_a_latin1_header_as_python_clients_send_it_is_read_as_latin1(live, hub_app, secret):
    # http.client and requests send a str header as latin-1: not UTF-8, so read as latin-1
    status, reply = raw_post(
        live.port, "/_dash_notify/ntfy/deploys",
        [("Authorization", f"Bearer {secret}".encode()), ("Title", "Größe".encode("latin-1"))],
    )  # fmt: skip
    assert status == 200 and reply["title"] == "Größe"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("header", "title"),
    [
        (f"=?UTF-8?B?{b64('Größe 😀')}?=", "Größe 😀"),
        ("=?utf-8?q?Gr=C3=B6=C3=9Fe_now?=", "Größe now"),
        ("=?utf-8?Q?a?= =?UTF-8?b?Yg==?=", "ab"),  # white space between two words goes
        ("Deploy =?ISO-8859-1?Q?f=FCr?= prod", "Deploy für prod"),
        ("=?us-ascii?q?plain?=", "plain"),
        ("=?koi8-r?B?8NLJ18XU?=", "=?koi8-r?B?8NLJ18XU?="),  # a charset ntfy lacks: as is
        ("=?utf-8?B?***?= ok", "=?utf-8?B?***?= ok"),  # a word that does not decode: as is
        ("=?utf-8?x?abc?=", "=?utf-8?x?abc?="),
        ("=?utf-8?q?", "=?utf-8?q?"),
    ],
)
def test_rfc2047_encoded_headers_are_decoded_as_ntfy_does(client, hub_app, secret, header, title):
    response = client.post("/_dash_notify/ntfy/deploys", data="x",
                           headers=bearer(secret, Title=header))  # fmt: skip
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["title"] == title


def test_every_header_field_is_decoded(client, hub_app, secret):
    headers = bearer(
        secret,
        **{
            "X-Message": "=?utf-8?b?" + b64("Nachricht\\nzwei") + "?=",
            "Tags": "=?utf-8?q?caf=C3=A9?=",
            "X-Priority": "=?utf-8?q?high?=",
            "Actions": "=?utf-8?q?view,_=C3=96ffnen,_https://x.example/?=",
        },
    )
    assert (
        client.post("/_dash_notify/ntfy/deploys", data="body", headers=headers).status_code == 200
    )
    [message] = stored(hub_app[1])
    assert message.options["body"] == "Nachricht\nzwei"  # ntfy's \n in a Message header
    assert message.options["severity"] == "High"
    assert message.options["actions"] == [{"action": "view-0", "title": "Öffnen"}]
    assert message.options["data"]["ntfy"] == {
        "topic": "deploys",
        "tags": ["café"],
        "actions": [{"action": "view", "label": "Öffnen", "url": "https://x.example/"}],
    }


@pytest.mark.parametrize(
    ("headers", "field"),
    [
        ({"Click": "javascript:alert(1)"}, "click"),
        ({"X-Click": "/relative/path"}, "click"),
        ({"Click": "https://ok.example/\tjavascript:x"}, "click"),
        ({"Icon": "data:image/png;base64,iVBO"}, "icon"),
        ({"Actions": "view, Open, javascript:alert(1)"}, "actions[0].url"),
        ({"Actions": '[{"action": "view", "label": "Open", "url": "data:text/html,x"}]'},
         "actions[0].url"),
    ],
)  # fmt: skip
def test_click_and_action_urls_must_be_http(client, hub_app, secret, headers, field):
    response = client.post(
        "/_dash_notify/ntfy/deploys", data="x", headers=bearer(secret, **headers)
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    assert response.get_json()["allowed"] == ["http", "https"]
    assert stored(hub_app[1]) == []


def test_click_and_action_urls_in_the_json_form_must_be_http(client, hub_app, secret):
    base = {"topic": "deploys", "message": "m"}
    bad_click = client.post("/_dash_notify/ntfy/", json={**base, "click": "javascript:x"},
                            headers=bearer(secret))  # fmt: skip
    assert bad_click.status_code == 400 and bad_click.get_json()["field"] == "click"
    action = {"action": "view", "label": "Open", "url": "vbscript:x"}
    bad_action = client.post("/_dash_notify/ntfy/", json={**base, "actions": [action]},
                             headers=bearer(secret))  # fmt: skip
    assert bad_action.status_code == 400 and bad_action.get_json()["field"] == "actions[0].url"
    ok = client.post("/_dash_notify/ntfy/", json={**base, "click": "HTTPS://ok.example/a?b=c"},
                     headers=bearer(secret))  # fmt: skip
    assert ok.status_code == 200


def test_a_deep_actions_header_and_a_lone_surrogate_in_it_are_400(client, hub_app, secret):
    deep = client.post("/_dash_notify/ntfy/deploys", data="x",
                       headers=bearer(secret, Actions="[" * 2000))  # fmt: skip
    assert deep.status_code == 400 and deep.get_json()["field"] == "actions"
    lone = client.post("/_dash_notify/ntfy/deploys", data="x",
                       headers=bearer(secret, Actions='[{"label": "\\ud800"}]'))  # fmt: skip
    assert lone.status_code == 400 and lone.get_json()["field"] == "actions[0].label"
    not_list = client.post("/_dash_notify/ntfy/deploys", data="x",
                           headers=bearer(secret, Actions='[1, 2, 3]'))  # fmt: skip
    assert not_list.status_code == 400
    assert stored(hub_app[1]) == []


def test_a_lone_surrogate_in_an_ntfy_body_is_400(client, hub_app, secret):
    # "\ud800" as UTF-8 would be these bytes, which are not UTF-8
    response = client.post("/_dash_notify/ntfy/deploys", data=b"\xed\xa0\x80",
                           headers=bearer(secret))  # fmt: skip
    assert response.status_code == 400 and response.get_json()["field"] == "body"


def test_the_json_form_takes_the_requests_own_headers_where_the_json_is_silent(
    client, hub_app, secret
):
    headers = bearer(
        secret,
        **{"X-Priority": "high", "X-Tags": "warning,skull", "X-Click": "https://c.example/",
           "X-Icon": "https://i.example/icon.png", "X-Actions": "view, Logs, https://l.example/"},
    )  # fmt: skip
    first = client.post("/", json={"topic": "deploys", "message": "m"}, headers=headers)
    assert first.status_code == 200, first.get_json()
    # where the JSON says it, the JSON wins (its fields are ntfy's X- headers)
    given = {"topic": "deploys", "message": "m2", "priority": 2, "tags": ["json"],
             "click": "https://json.example/", "actions": []}  # fmt: skip
    assert client.post("/_dash_notify/ntfy/", json=given, headers=headers).status_code == 200
    # the query counts too, and priority 0 is "not set"
    third = client.post("/_dash_notify/ntfy/?p=5", json={"topic": "deploys", "priority": 0},
                        headers=bearer(secret))  # fmt: skip
    assert third.status_code == 200
    one, two, three = stored(hub_app[1])
    assert one.options["severity"] == "High"
    assert one.options["icon"] == "https://i.example/icon.png"
    assert one.options["actions"] == [{"action": "view-0", "title": "Logs"}]
    assert one.options["data"]["ntfy"] == {
        "topic": "deploys",
        "tags": ["warning", "skull"],
        "click": "https://c.example/",
        "actions": [{"action": "view", "label": "Logs", "url": "https://l.example/"}],
    }
    assert two.options["severity"] == "Low"
    assert two.options["data"]["ntfy"]["tags"] == ["json"]
    assert two.options["data"]["ntfy"]["click"] == "https://json.example/"
    # "actions": [] is "not given", as in ntfy: the header's action stays
    assert two.options["data"]["ntfy"]["actions"][0]["label"] == "Logs"
    assert three.options["severity"] == "Critical" and three.options["body"] == "triggered"


def test_a_proxys_http_priority_header_is_ignored_as_ntfy_does(client, hub_app, secret):
    for value in ("u=3, i", "u=1"):
        response = client.post("/_dash_notify/ntfy/deploys", data="x",
                               headers=bearer(secret, Priority=value))  # fmt: skip
        assert response.status_code == 200
    assert {m.options["severity"] for m in stored(hub_app[1])} == {"Medium"}


def test_ntfy_bad_topics_and_fields_are_400_naming_them(client, hub_app, secret):
    bad_topic = client.post("/_dash_notify/ntfy/a.b", data="x", headers=bearer(secret))
    assert bad_topic.status_code == 400 and bad_topic.get_json()["field"] == "topic"
    long_topic = client.post("/_dash_notify/ntfy/" + "a" * 65, data="x", headers=bearer(secret))
    assert long_topic.status_code == 400 and long_topic.get_json()["field"] == "topic"
    bad_json_topic = client.post("/_dash_notify/ntfy/", json={"topic": "a b"},
                                 headers=bearer(secret))  # fmt: skip
    assert bad_json_topic.status_code == 400 and bad_json_topic.get_json()["field"] == "topic"
    for body, field in [({"topic": "t", "priority": 6}, "priority"),
                        ({"topic": "t", "priority": "high"}, "priority"),
                        ({"topic": "t", "tags": "a,b"}, "tags"),
                        ({"topic": "t", "title": 5}, "title")]:  # fmt: skip
        response = client.post("/_dash_notify/ntfy/", json=body, headers=bearer(secret))
        assert response.status_code == 400 and response.get_json()["field"] == field, body
    bad_header = client.post("/_dash_notify/ntfy/t", data="x",
                             headers=bearer(secret, Priority="9"))  # fmt: skip
    assert bad_header.status_code == 400 and bad_header.get_json()["field"] == "priority"
    assert "urgent" in bad_header.get_json()["allowed"]
    assert stored(hub_app[1]) == []


APPRISE = shutil.which("apprise", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(APPRISE is None, reason="apprise is installed with dash_notify[test]")
def test_apprise_publishes_with_its_priority_tags_and_click_in_headers(live, hub_app, secret):
    # apprise's ntfy plugin POSTs JSON (topic, title, message) to the server's root and
    # puts the priority, tags, click URL and icon in X- headers.
    url = (
        f"ntfy://127.0.0.1:{live.port}/deploys?token={secret}&priority=high"
        "&tags=warning,skull&click=https://ci.example/run/7&image=yes"
    )
    result = subprocess.run(
        [APPRISE, "-vv", "-t", "Größe: deploy failed", "-b", "Disk space is low", url],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    [message] = stored(hub_app[1])
    assert message.targets == ("group:deploys",)
    assert message.publisher == "token:monitoring"
    assert message.options["title"] == "Größe: deploy failed"
    assert message.options["body"] == "Disk space is low"
    assert message.options["severity"] == "High"
    assert message.options["icon"].startswith("https://")
    assert sorted(message.options["data"]["ntfy"]["tags"]) == ["skull", "warning"]
    assert message.options["data"]["ntfy"]["click"] == "https://ci.example/run/7"
