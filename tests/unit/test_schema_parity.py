"""The browser's validator and Python's agree: same verdict, same fields, same messages.

Both run on the same values: hand-written cases covering every rule, plus a corpus drawn
by hypothesis (with a fixed seed, so that a failure can be reproduced). The browser's
validator runs in Node, exactly as webpack bundles it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from dash_notify import option_errors

from .strategies import anything, json_values, valid_options

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash

ROOT = Path(__file__).resolve().parents[2]
ACTION = {"action": "a", "title": "A"}

OWNERS = [
    *("invoice:42", "Ticket/7#comment-3", "a.b_c-d:e/f#g", "", ":42", "invoice 42"),
    *("invoice:42\n", "facture:é", "<b>x</b>", "a" * 129, 42),
]
CASES = [
    {"title": "t"},
    {"body": "b"},
    {"title": ""},
    {"title": 5},
    {"title": True},
    {"title": None},
    {"title": "t", "severity": "Urgent"},
    {"title": "t", "severity": "low"},
    {"title": "t", "type": 1},
    {"title": "t", "actions": [ACTION, ACTION, ACTION]},
    {"title": "t", "actions": [{"action": "a"}]},
    {"title": "t", "actions": [{**ACTION, "interop": {"arguments": 1}}]},
    {"title": "t", "actions": [{**ACTION, "icon": "javascript:x"}]},
    {"title": "t", "actions": [{**ACTION, "extra": 1}]},
    {"title": "t", "clickInterop": {"method": ""}},
    {"title": "t", "clickInterop": {"method": "m", "target": 5}},
    {"title": "t", "severty": "Low", "tittle": "x", "": 1, "odd key": 2, "ü": 3},
    {"title": "t", "category": "deploy"},
    {"title": "t", "category": "ci.deploy_v2-eu"},
    {"title": "t", "category": ""},
    {"title": "t", "category": "Deploy"},
    {"title": "t", "category": "-deploy"},
    {"title": "t", "category": "deploy\n"},
    {"title": "t", "category": "dé"},
    {"title": "t", "category": "<img src=x onerror=alert(1)>"},
    {"title": "t", "category": "a" * 65},
    {"title": "t", "category": 5},
    *({"title": "t", "owner": owner} for owner in OWNERS),
    {"title": "t", "icon": "javascript:alert(1)"},
    {"title": "t", "icon": "java\tscript:alert(1)"},
    {"title": "t", "icon": "\u0001 javascript:alert(1)"},
    {"title": "t", "image": "data:image/svg+xml,<svg/>"},
    {"title": "t", "badge": "data:image/png;base64,AAAA"},
    {"title": "t", "renotify": True},
    {"title": "t", "renotify": True, "tag": ""},
    {"title": "t", "renotify": True, "tag": "x"},
    {"title": "t", "silent": True, "vibrate": 10},
    {"title": "t", "vibrate": [1, -1, 20000]},
    {"title": "t", "vibrate": "buzz"},
    {"title": "t", "timestamp": -5},
    {"title": "t", "dir": "up", "lang": "x" * 40},
    {"title": "x" * 501, "body": "y" * 5001},
    {"title": "😀" * 300},
    "not an object",
    ["a", "list"],
    None,
    12,
]


def browser_errors(values: list) -> list[list[dict]]:
    if shutil.which("node") is None:
        pytest.fail("node is needed to run the browser's validator")
    completed = subprocess.run(
        ["node", str(ROOT / "tests/js/validate_stdin.mjs")],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout)


def python_errors(values: list) -> list[list[dict]]:
    return [[error.as_dict() for error in option_errors(value)] for value in values]


def test_hand_written_cases_agree_to_the_letter():
    assert browser_errors(CASES) == python_errors(CASES)


def drawn(strategy, count: int) -> list:
    """``count`` values drawn by hypothesis with a fixed seed, as JSON gives them back."""
    corpus: list = []

    @seed(20261122)
    @settings(max_examples=count, suppress_health_check=list(HealthCheck), database=None)
    @given(strategy)
    def collect(value):
        corpus.append(value)

    collect()
    return json.loads(json.dumps(corpus))


def assert_agree(values: list) -> list[list[dict]]:
    expected = python_errors(values)
    actual = browser_errors(values)
    disagreements = [
        (value, want, got) for value, want, got in zip(values, expected, actual) if want != got
    ]
    assert not disagreements, disagreements[:3]
    return expected


def test_a_drawn_corpus_agrees():
    expected = assert_agree(drawn(anything | valid_options | json_values, 600))
    assert any(expected) and not all(expected), "the corpus should hold valid and invalid values"


def test_url_checks_agree_on_any_text():
    urls = drawn(st.text(max_size=30) | st.from_regex(r"\s*[a-zA-Z\t]{0,12}:.{0,10}"), 400)
    assert_agree([{"title": "t", "icon": url} for url in urls])


def test_category_checks_agree_on_any_text():
    texts = drawn(st.text(max_size=70) | st.from_regex(r"[a-zA-Z0-9._\-\n ]{0,70}"), 400)
    assert_agree([{"title": "t", "category": text} for text in texts])


def test_owner_checks_agree_on_any_text():
    texts = drawn(st.text(max_size=140) | st.from_regex(r"[a-zA-Z0-9._:/#\-\n @]{0,140}"), 400)
    assert_agree([{"title": "t", "owner": text} for text in texts])
