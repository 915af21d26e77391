"""Bad JSON never crashes the ingest: lone surrogates, deep nesting and non-JSON
constants are 400s naming the field, on every publishing route (and /seen), against
the test app on real stores; and parse_json itself."""

from __future__ import annotations

import json

import pytest

from dash_notify.hub.ingest import FORMATS, PayloadError, parse_json

from .serve import create_app


@pytest.fixture
def hub_app(store_url):
    app, hub = create_app(store_url)
    yield app, hub
    hub.stores.close()


@pytest.fixture
def client(hub_app):
    return hub_app[0].server.test_client()


@pytest.fixture
def auth(hub_app):
    return {"Authorization": f"Bearer {hub_app[1].create_token('ci', ['*', 'group:*'])[1]}"}


def post(client, path: str, raw: bytes, auth: dict):
    return client.post(path, data=raw, headers=auth, content_type="application/json")


# The escape \ud800 is valid JSON text that decodes to a lone surrogate, which no
# UTF-8 can carry: storing it fails later (a 500 today).
LONE = '"x\\ud800"'


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        ("/_dash_notify/publish", f'{{"to": "*", "notification": {{"title": {LONE}}}}}',
         "notification.title"),
        ("/_dash_notify/publish",
         f'{{"to": "*", "notification": {{"title": "t", "data": {{"k": [1, {LONE}]}}}}}}',
         "notification.data.k[1]"),
        ("/_dash_notify/ingest", f'{{"message": {LONE}}}', "message"),
        ("/_dash_notify/jupyter/jupyterlab-notifications-extension/ingest",
         f'{{"message": "m", "actions": [{{"label": {LONE}}}]}}', "actions[0].label"),
        ("/_dash_notify/ntfy/", f'{{"topic": "deploys", "title": {LONE}}}', "title"),
        ("/", f'{{"topic": "deploys", "message": {LONE}}}', "message"),
    ],
)  # fmt: skip
def test_a_lone_surrogate_is_400_naming_the_field(client, hub_app, auth, path, raw, field):
    response = post(client, path, raw.encode(), auth)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["field"] == field
    assert "surrogate" in response.get_json()["error"]
    assert hub_app[1].position().last == 0


def test_a_lone_surrogate_in_a_key_is_400(client, hub_app, auth):
    raw = f'{{"to": "*", "notification": {{"title": "t", "data": {{{LONE}: 1}}}}}}'
    response = post(client, "/_dash_notify/publish", raw.encode(), auth)
    assert response.status_code == 400
    assert response.get_json()["field"] == "notification.data"


@pytest.mark.parametrize("path", [route for route in FORMATS if "<" not in route.path])
def test_json_nested_990_deep_in_8_kb_is_400_on_every_json_route(client, hub_app, auth, path):
    raw = b"[" * 990 + b"]" * 990
    assert len(raw) < 8192
    response = post(client, f"/_dash_notify/{path.path}", raw, auth)
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"
    assert "deeper than 32" in response.get_json()["error"]


def test_deep_json_inside_an_object_and_on_seen_is_400(client, hub_app, auth):
    deep = '{"to": "*", "notification": {"title": "t", "data": ' + "[" * 900 + "]" * 900 + "}}"
    assert post(client, "/_dash_notify/publish", deep.encode(), auth).status_code == 400
    seen = client.post("/_dash_notify/seen", data=b"[" * 990 + b"]" * 990,
                       content_type="application/json")  # fmt: skip
    assert seen.status_code == 400 and seen.get_json()["field"] == "body"


def test_nan_is_not_json(client, hub_app, auth):
    raw = b'{"to": "*", "notification": {"title": "t", "data": NaN}}'
    response = post(client, "/_dash_notify/publish", raw, auth)
    assert response.status_code == 400 and "NaN is not JSON" in response.get_json()["error"]


def test_parse_json_bounds_depth_not_content():
    assert parse_json(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}') == {"a": "[" * 41}
    assert parse_json(b"[" * 32 + b"]" * 32) == json.loads("[" * 32 + "]" * 32)
    with pytest.raises(PayloadError) as deep:
        parse_json(b"[" * 33 + b"]" * 33, field="actions")
    assert deep.value.field == "actions"
    assert parse_json(b'"\\ud83d\\ude00"') == "\U0001f600"  # a pair is fine
    for bad in (b"{", b"\xff", b'"\\ud83d"', b"Infinity", b"[" * 100_000):
        with pytest.raises(PayloadError):
            parse_json(bad)
