"""Closing a notification by its tag over HTTP (``POST _dash_notify/close``) on every
Dash backend, served for real in this process on a real store: what it stores, what a
browser's event stream receives, and every refusal."""

from __future__ import annotations

import pytest

from dash_notify.hub.targets import Identity

from .serve import BACKENDS
from .servers import SSEClient
from .test_http import TARGET_FORMS, _serve, bearer, stored
from .web_client import Client

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash

CLOSE = "/_dash_notify/close"


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url, monkeypatch):
    """(hub, client) of the test app on ``request.param``, on a fresh SQLite file."""
    _, hub, server = _serve(sqlite_url, request.param, monkeypatch)
    yield hub, Client(server.url)
    server.stop()
    hub.stop()


def test_close_is_stored_for_the_targets_and_reaches_their_streams(served):
    hub, client = served
    _, secret = hub.create_token("jobs", "user:*")
    stream = SSEClient(client.port, headers={"Cookie": "user=bob"})
    try:
        stream.wait_for("hello", 1)
        published = client.post(
            "/_dash_notify/publish",
            json={"to": "user:bob", "notification": {"title": "Exporting", "tag": "export"}},
            headers=bearer(secret),
        )
        assert published.status == 201
        response = client.post(
            CLOSE, json={"to": "user:bob", "tag": "export"}, headers=bearer(secret)
        )
        assert response.status == 201
        assert response.json() == {"id": 2, "to": ["user:bob"]}
        [(event_id, data)] = stream.wait_for("close", 1)
        assert event_id == "2" and data["tag"] == "export"
    finally:
        stream.close()
    [_, closing] = hub.replay(Identity("bob"), 0, 10)
    assert (closing.kind, closing.options, closing.publisher) == (
        "close",
        {"tag": "export"},
        "token:jobs",
    )
    assert hub.replay(Identity("alice"), 0, 10) == []  # nobody else's


@pytest.mark.parametrize(
    ("body", "field", "allowed", "says"),
    [
        ({"to": "*"}, "tag", [], "required"),
        ({"tag": "export"}, "to", [], "required"),
        ({"to": "*", "tag": ""}, "tag", [], "1 to 200 characters"),
        ({"to": "*", "tag": 7}, "tag", [], "1 to 200 characters"),
        ({"to": "*", "tag": "x" * 201}, "tag", [], "1 to 200 characters"),
        ({"to": "*", "tag": "\ud800"}, "tag", [], "lone surrogate"),
        ({"to": "everyone", "tag": "export"}, "to", TARGET_FORMS, "everyone"),
        ({"to": "*", "tag": "export", "title": "x"}, "title", ["to", "tag"], "unknown field"),
        (["*", "export"], "body", [], "JSON object"),
    ],
)  # fmt: skip
def test_bad_closes_are_400_naming_the_field_and_store_nothing(served, body, field, allowed, says):
    hub, client = served
    secret = hub.create_token("ci", "*")[1]
    response = client.post(CLOSE, json=body, headers=bearer(secret))
    assert response.status == 400, response.json()
    reply = response.json()
    assert reply["field"] == field
    assert reply.get("allowed", []) == allowed
    assert says in reply["error"], reply["error"]
    assert stored(hub) == 0


def test_a_close_needs_a_token_that_reaches_the_targets(served):
    hub, client = served
    assert client.post(CLOSE, json={"to": "*", "tag": "export"}).status == 401
    _, limited = hub.create_token("deploys only", "group:deploys")
    for to in ("*", "user:bob", ["group:deploys", "group:ops"]):
        response = client.post(CLOSE, json={"to": to, "tag": "export"}, headers=bearer(limited))
        assert response.status == 403, to
        assert response.json()["field"] == "to"
        assert response.json()["allowed"] == ["group:deploys"]
    assert stored(hub) == 0
    ok = client.post(CLOSE, json={"to": "group:deploys", "tag": "export"}, headers=bearer(limited))
    assert ok.status == 201


def test_close_only_takes_post_and_is_in_the_openapi_document(served):
    _, client = served
    assert client.get(CLOSE).status == 405
    document = client.get("/_dash_notify/openapi.json").json()
    operation = document["paths"][CLOSE]["post"]
    assert {"201", "400", "401", "403", "413", "429", "503"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    close = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert close["required"] == ["to", "tag"] and close["additionalProperties"] is False
    assert close["properties"]["tag"]["maxLength"] == 200
