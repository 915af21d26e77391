"""The ``url`` option: a path of the app or an http(s) URL, nothing else; the Python and
browser validators agree on it for any text."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

import dash_notify

from .test_schema_parity import assert_agree, drawn

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash

ALLOWED = [
    "/",
    "/reports",
    "/reports/42?tab=summary#top",
    "https://example.com",
    "http://localhost:8050/page",
    "HTTPS://EXAMPLE.COM/x",
]
REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:image/png;base64,AAAA",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "\n//evil.example",
    "https:/evil.example",
    "https:///evil.example",
    "http://",
    "http:\\\\evil.example",
    "ftp://example.com",
    "blob:https://example.com/1",
    "reports",
    "./reports",
    "?q=1",
    "/a b",
    "/x\n",
    "",
]


@pytest.mark.parametrize("url", ALLOWED)
def test_a_path_of_the_app_or_an_http_url_is_allowed(url):
    assert dash_notify.notification("t", url=url)["url"] == url


@pytest.mark.parametrize("url", REFUSED)
def test_anything_else_is_refused_naming_the_field(url):
    with pytest.raises(dash_notify.NotificationOptionsError) as raised:
        dash_notify.notification("t", url=url)
    assert raised.value.field == "url"
    assert "is not an allowed link" in str(raised.value)


def test_the_browser_agrees_on_the_listed_and_on_any_text():
    texts = drawn(
        st.text(max_size=30)
        | st.from_regex(r"[/\\\t ]{0,3}[a-zA-Z:/\\.\t]{0,12}", fullmatch=True)
        | st.sampled_from(["http://", "https://", "/", "//"]).flatmap(
            lambda prefix: st.text(max_size=12).map(lambda rest: prefix + rest)
        ),
        400,
    )
    expected = assert_agree([{"title": "t", "url": url} for url in ALLOWED + REFUSED + texts])
    assert not any(expected[: len(ALLOWED)])
    assert all(expected[len(ALLOWED) : len(ALLOWED) + len(REFUSED)])
