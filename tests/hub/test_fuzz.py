"""The HTTP API fuzzed on every backend, two ways.

1. schemathesis, from the API's own OpenAPI document, against the test app served as in
   production (gunicorn gthread, uvicorn, hypercorn): no 5xx, every response as
   documented, every invalid request rejected with a 4xx (settings in
   schemathesis.toml). ``/events`` is included: the app's streams end after 0.2 s, so
   each read is bounded. One worker: CPython 3.11.7 can fail with "AST constructor
   recursion depth mismatch" when two threads compile at once (schemathesis' workers
   did, in CI).
2. hypothesis, with what a schema cannot say: JSON nested hundreds deep, lone
   surrogates (``"\\ud800"``) in any string, Unicode digits (``²``: ``isdigit()`` is
   true, ``int()`` fails) in every integer query parameter, ntfy headers with nested
   brackets. Each must be a 4xx (or a 2xx), never a 5xx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dash_notify.hub import Hub

from .serve import BACKENDS, create_app
from .servers import ROOT, AppProcess, serve_in_thread
from .web_client import Client

HERE = Path(__file__).parent
SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is installed with dash_notify[test]")
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_http_api_survives_fuzzing_from_its_openapi_document(sqlite_url, tmp_path, backend):
    owner = Hub(None, sqlite_url)
    # a read token that may publish too: every route is fuzzed past its token check
    _, secret = owner.create_token("fuzz", ["*", "user:*", "group:*"], allow=["read", "publish"])
    owner.stop()
    # rate limits the fuzzer cannot reach, so that its requests test everything else
    env = {
        "DASH_NOTIFY_RATE": "1000000",
        "DASH_NOTIFY_STREAM_LIFETIME": "0.2",
        "DASH_NOTIFY_BROWSER_RATE": "1000000",
        "DASH_NOTIFY_STREAMS_PER_USER": "1000",
        "DASH_NOTIFY_STREAMS_PER_IP": "1000",
    }
    app = AppProcess(sqlite_url, backend=backend, workers=1, env=env).start()
    try:
        result = subprocess.run(
            [
                SCHEMATHESIS, "--config-file", str(HERE / "schemathesis.toml"),
                "run", f"{app.url}_dash_notify/openapi.json",
                "--header", f"Authorization: Bearer {secret}",
                "--phases", "examples,coverage,fuzzing",
                "--max-examples", "60", "--max-time", "30", "--seed", "20261122",
                "--request-timeout", "10", "--workers", "1",
                "--generation-database", "none", "--no-color",
                "--report", "junit", "--report-dir", str(tmp_path),
            ],
            capture_output=True, text=True, timeout=240, cwd=tmp_path,
            env={
                **os.environ,
                "SCHEMATHESIS_HOOKS": "tests.hub.schemathesis_hooks",
                "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
            },
        )  # fmt: skip
    finally:
        app.stop()
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "passed" in result.stdout
    report = "".join(path.read_text() for path in tmp_path.glob("*.xml"))
    assert "GET /_dash_notify/events" in report  # the stream was fuzzed too
    for path in ("subscribe/json", "subscribe/sse", "ntfy/{topics}/json", "ntfy/v1/health"):
        assert f"GET /_dash_notify/{path}" in report  # and the subscribe streams


# -- hypothesis: what a schema cannot say -------------------------------------------
@pytest.fixture(scope="module", params=BACKENDS)
def served(request, tmp_path_factory):
    """One app per backend for the module (hypothesis runs many examples on it)."""
    store = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'n.db'}"
    app, hub = create_app(store, backend=request.param)
    from dash_notify.hub.web import configure

    unlimited = (10**9, 60)
    configure(
        app,
        rate_limit=unlimited,
        browser_rates={"events": unlimited, "history": unlimited, "seen": unlimited},
        stream_lifetime=0.05,
        max_streams_per_user=10**6,
        max_streams_per_ip=10**6,
    )
    _, secret = hub.create_token("fuzz", ["*", "user:*", "group:*"])
    server = serve_in_thread(app)
    yield Client(server.url), secret
    server.stop()
    hub.stop()


FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters str.isdigit() takes that int() does not (superscripts, circled digits...)
# and digits of other scripts that int() takes (Arabic-Indic, Devanagari).
UNICODE_DIGITS = st.sampled_from("²³¹⁰⁴①⑴⒈٠١٢३४५０１")
NUMBERISH = st.text(
    st.one_of(UNICODE_DIGITS, st.sampled_from("0123456789")), min_size=1, max_size=6
)


HEADER_CHARACTERS = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")


def deep(depth: int, kind: str) -> str:
    return (
        ("[" if kind == "list" else '{"a":') * depth
        + "1"
        + ("]" if kind == "list" else "}") * depth
    )


def assert_not_5xx(reply) -> None:
    assert reply.status < 500, (reply.status, reply.body[:500])
    if reply.status >= 400:
        assert reply.body.startswith(b"{"), (reply.status, reply.body[:500])
        assert reply.json()["http"] == reply.status


@FUZZ
@given(name=st.sampled_from(["limit", "before", "lastEventId"]), value=NUMBERISH)
def test_unicode_digits_in_query_parameters_are_never_a_500(served, name, value):
    client, _ = served
    path = "history" if name != "lastEventId" else "events"
    reply = client.get(f"/_dash_notify/{path}?{name}={quote(value)}")
    assert_not_5xx(reply)
    if not value.isascii():
        assert reply.status == 400 and reply.json()["field"] in (name, "Last-Event-ID")


@FUZZ
@given(
    depth=st.integers(1, 3000),
    kind=st.sampled_from(["list", "object"]),
    path=st.sampled_from(["publish", "ingest", "ntfy/", "seen"]),
    where=st.sampled_from(["body", "title", "data"]),
)
def test_deep_json_is_never_a_500(served, depth, kind, path, where):
    client, secret = served
    nested = deep(depth, kind)
    if where == "body":
        raw = nested
    elif path == "seen":
        raw = '{"ids": ' + nested + "}"
    else:
        raw = (
            '{"to": "*", "topic": "t", "message": "m", "notification": {"title": "x", "data": '
            + nested
            + "}}"
        )
    reply = client.post(
        f"/_dash_notify/{path}",
        data=raw.encode(),
        headers={"Authorization": f"Bearer {secret}"},
        content_type="application/json",
    )
    assert_not_5xx(reply)


@FUZZ
@given(
    field=st.sampled_from(["title", "body", "tag", "source", "data", "key"]),
    surrogate=st.integers(0xD800, 0xDFFF),
    path=st.sampled_from(["publish", "ingest", "ntfy/"]),
)
def test_lone_surrogates_are_400_not_500(served, field, surrogate, path):
    client, secret = served
    bad = f"\\u{surrogate:04x}"
    if path == "publish":
        notification = (
            '{"title": "ok"'
            + (f', "{bad}": 1' if field == "key" else f', "{field}": "x{bad}y"')
            + "}"
        )
        raw = '{"to": "*", "notification": ' + notification + "}"
    elif path == "ingest":
        raw = '{"message": "m' + bad + '"}'
    else:
        raw = '{"topic": "t", "message": "x", "title": "a' + bad + '"}'
    reply = client.post(
        f"/_dash_notify/{path}",
        data=raw.encode(),
        headers={"Authorization": f"Bearer {secret}"},
        content_type="application/json",
    )
    assert_not_5xx(reply)
    if field != "source":
        assert reply.status == 400, reply.body


@FUZZ
@given(
    header=st.sampled_from(["Actions", "Title", "Tags", "Click", "Priority", "Icon"]),
    value=st.one_of(
        st.integers(1, 2000).map(lambda n: "[" * n),
        st.text(HEADER_CHARACTERS, max_size=200),
        # UTF-8 text as it arrives in a header (each byte a latin-1 character)
        st.text(max_size=50).map(lambda t: t.encode("utf-8", "replace").decode("latin-1")),
    ),
)
def test_ntfy_headers_are_never_a_500(served, header, value):
    client, secret = served
    # what HTTP allows in a field value (servers refuse the rest before the app sees it)
    value = "".join(c for c in value if c in "\t" or 0x20 <= ord(c) != 0x7F).strip()
    reply = client.post(
        "/_dash_notify/ntfy/fuzz",
        data="message",
        headers={
            "Authorization": f"Bearer {secret}",
            header: value.encode("latin-1").decode("latin-1"),
        },
    )
    assert_not_5xx(reply)
    assert reply.body.startswith(b"{"), (reply.status, reply.body[:300])
