"""The webhook rules' HTTP API below the web layer (``webhooks/rest.py``): every route
and status code, paging and search, refusals naming the field, and any body or query
answered with a 2xx, 400 or 404, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dash_notify.hub import Hub
from dash_notify.hub.channels.webhooks import WebhookChannel
from dash_notify.hub.webhooks import WebhookConfig
from dash_notify.hub.webhooks.rest import PATHS, ROUTES, SCHEMAS, RulesRequest

from .test_webhooks_fuzz import no_names
from .webhook_receiver import WebhookReceiver

PUBLIC = "https://93.184.216.34/hook"  # an address literal: never contacted here


def call(hub, method, path, body=None, query=None, rule_id=None):
    [route] = [r for r in ROUTES if (r.method, r.path) == (method, path)]
    raw = body if isinstance(body, bytes) else (json.dumps(body).encode() if body else b"")
    params = {"id": rule_id} if rule_id is not None else {}
    return route.answer(hub, RulesRequest(raw, query or {}, params))


@pytest.fixture
def hub(store_url):
    hub = Hub(None, store_url)
    yield hub
    hub.stop()


def test_every_route_and_its_statuses(hub):
    status, made = call(hub, "POST", "/webhooks", {"name": "CI", "url": PUBLIC})
    assert status == 201 and made["secret"].startswith("whsec_") and made["method"] == "POST"
    rule_id = made["id"]
    for n in range(4):
        assert call(hub, "POST", "/webhooks", {"name": f"other {n}", "url": PUBLIC})[0] == 201

    status, page = call(hub, "GET", "/webhooks", query={"limit": "2", "offset": "1"})
    assert status == 200 and (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    assert [r["name"] for r in page["rules"]] == ["other 0", "other 1"]
    assert all("secret" not in r for r in page["rules"])
    assert call(hub, "GET", "/webhooks", query={"q": "ci"})[1]["total"] == 1

    status, shown = call(hub, "GET", "/webhooks/{id}", rule_id=rule_id)
    assert status == 200 and shown["name"] == "CI" and "secret" not in shown
    status, changed = call(
        hub, "PATCH", "/webhooks/{id}", {"filters": {"severity": ["High"]}}, rule_id=rule_id
    )
    assert status == 200 and changed["filters"] == {"severity": ["High"]}
    assert changed["name"] == "CI" and changed["url"] == PUBLIC

    status, rotated = call(
        hub, "POST", "/webhooks/{id}/rotate", {"keep_previous": 60}, rule_id=rule_id
    )
    assert status == 200 and rotated["secret"] != made["secret"] and rotated["previous_until"]
    assert call(hub, "POST", "/webhooks/{id}/rotate", rule_id=rule_id)[0] == 200  # no body

    status, attempts = call(hub, "GET", "/webhooks/{id}/attempts", rule_id=rule_id)
    assert (status, attempts) == (200, {"attempts": []})
    assert call(hub, "DELETE", "/webhooks/{id}", rule_id=rule_id) == (204, None)

    for method, path in [(r.method, r.path) for r in ROUTES if "{id}" in r.path]:
        body = {"name": "x"} if method == "PATCH" else None
        status, refused = call(hub, method, path, body, rule_id=rule_id)
        assert status == 404 and refused["field"] == "id" and refused["http"] == 404


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        (b"{", "body", "malformed JSON"),
        (b"[1]", "body", "must be a JSON object"),
        (b"[" * 40 + b"]" * 40, "body", "nested deeper"),
        (b'{"name": "\\ud800", "url": "https://93.184.216.34/"}', "name", "surrogate"),
        ({"url": PUBLIC}, "name", "is required"),
        ({"name": "x"}, "url", "is required"),
        ({"name": "x", "url": PUBLIC, "secret": "whsec_mine"}, "secret", "not a rule field"),
        ({"name": "x", "url": PUBLIC, "rule_id": "y"}, "rule_id", "not a rule field"),
        ({"name": "x", "url": "http://10.0.0.1/"}, "url", "private address"),
        ({"name": "x", "url": PUBLIC, "method": "PUT"}, "method", "not a method"),
        ({"name": "x", "url": PUBLIC, "events": "everything"}, "events", "not an event"),
    ],
)
def test_bad_bodies_are_400_naming_the_field(tmp_path, body, field, fragment):
    hub = Hub(None, f"sqlite:///{tmp_path}/hub.db")
    try:
        status, refused = call(hub, "POST", "/webhooks", body)
        assert status == 400 and refused["field"] == field and fragment in refused["error"]
        assert call(hub, "GET", "/webhooks")[1]["total"] == 0
    finally:
        hub.stop()


def test_bad_queries_and_patches_are_400(tmp_path):
    hub = Hub(None, f"sqlite:///{tmp_path}/hub.db")
    try:
        rule_id = call(hub, "POST", "/webhooks", {"name": "x", "url": PUBLIC})[1]["id"]
        for query in ({"limit": "0"}, {"limit": "501"}, {"limit": "²"}, {"offset": "-1"}):
            status, refused = call(hub, "GET", "/webhooks", query=query)
            assert status == 400 and refused["field"] == next(iter(query))
        assert call(hub, "GET", "/webhooks", query={"q": "x" * 101})[0] == 400
        for body, field in (({}, "body"), ({"id": "wh_other"}, "id"), ({"active": 1}, "active")):
            status, refused = call(hub, "PATCH", "/webhooks/{id}", body, rule_id=rule_id)
            assert status == 400 and refused["field"] == field
        status, refused = call(
            hub, "PATCH", "/webhooks/{id}", {"events": ["nope"]}, rule_id=rule_id
        )
        assert refused["allowed"][0] == "notification.published"
        for body, field in (({"keep_previous": -1}, "keep_previous"), ({"x": 1}, "x")):
            status, refused = call(hub, "POST", "/webhooks/{id}/rotate", body, rule_id=rule_id)
            assert status == 400 and refused["field"] == field
    finally:
        hub.stop()


def test_a_test_event_through_the_api(tmp_path):
    with WebhookReceiver() as receiver:
        hub = Hub(
            None, f"sqlite:///{tmp_path}/hub.db", channels=[WebhookChannel(allow_private=True)]
        )
        try:
            made = call(hub, "POST", "/webhooks", {"name": "x", "url": receiver.url("/t")})[1]
            status, attempt = call(hub, "POST", "/webhooks/{id}/test", rule_id=made["id"])
            listed = call(hub, "GET", "/webhooks/{id}/attempts", rule_id=made["id"])[1]
        finally:
            hub.stop()
    assert status == 200 and attempt["status"] == 200 and attempt["error"] is None
    assert listed["attempts"] == [attempt]
    [got] = receiver.at("/t")
    assert got.verified(made["secret"])["type"] == "webhook.test"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD_NAMES = st.sampled_from(["name", "url", "method", "active", "events", "filters", "x"])
BODIES = st.one_of(
    st.binary(max_size=64),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(FIELD_NAMES, JSON, max_size=6).map(lambda v: json.dumps(v).encode()),
)
QUERIES = st.dictionaries(st.sampled_from(["q", "limit", "offset", "x"]), st.text(max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(route=st.sampled_from(ROUTES), body=BODIES, query=QUERIES, exists=st.booleans())
def test_any_input_is_answered_never_raised(fuzz_hub, route, body, query, exists):
    rule_id = fuzz_hub["rule"] if exists else "wh_missing"
    if route.operation in ("deleteWebhookRule", "testWebhookRule"):
        rule_id = "wh_missing"  # keep the rule; never send anywhere
    status, answer = route.answer(fuzz_hub["hub"], RulesRequest(body, query, {"id": rule_id}))
    assert status in (200, 201, 204, 400, 404)
    if status >= 400:
        assert answer["http"] == status and isinstance(answer["error"], str)
    json.dumps(answer)  # every answer is JSON


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory):
    hub = Hub(None, f"sqlite:///{tmp_path_factory.mktemp('fuzz')}/hub.db")
    hub.webhooks.config = WebhookConfig(resolve=no_names)  # no DNS query leaves
    rule = hub.webhooks.create("fuzzed", PUBLIC)
    yield {"hub": hub, "rule": rule.id}
    hub.stop()


def test_the_openapi_part_documents_every_route():
    documented = {
        (method.upper(), path, item[method]["operationId"])
        for path, item in PATHS.items()
        for method in item
        if method != "parameters"
    }
    assert documented == {(r.method, r.path, r.operation) for r in ROUTES}
    refs = json.dumps(PATHS).count('"#/components/schemas/')
    assert refs > 0 and all(name.startswith("Webhook") for name in SCHEMAS)
