"""Hypothesis strategies for notification options: valid ones and arbitrary values."""

from __future__ import annotations

from hypothesis import strategies as st

from dash_notify import options_schema

SCHEMA = options_schema()
PROPERTIES = list(SCHEMA["properties"])

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
safe_urls = st.sampled_from(["/assets/icon.png", "icon.png", "https://example.test/i.png"])
interops = st.fixed_dictionaries(
    {"method": st.text(min_size=1, max_size=20)},
    optional={"arguments": json_values, "target": st.text(max_size=10)},
)
actions = st.fixed_dictionaries(
    {"action": st.text(min_size=1, max_size=20), "title": st.text(min_size=1, max_size=20)},
    optional={"icon": safe_urls, "interop": interops},
)

valid_options = st.fixed_dictionaries(
    {"title": st.text(min_size=1, max_size=50)},
    optional={
        "body": st.text(max_size=100),
        "severity": st.sampled_from(["Low", "Medium", "High", "Critical", "None"]),
        "type": st.sampled_from(["Notification", "Alert"]),
        "source": st.text(max_size=20),
        "category": st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
        "clickInterop": interops,
        "actions": st.lists(actions, max_size=2),
        "icon": safe_urls,
        "badge": safe_urls,
        "image": safe_urls,
        "data": json_values,
        "requireInteraction": st.booleans(),
        "renotify": st.just(False),
        "timestamp": st.integers(0, 2**50),
        "dir": st.sampled_from(["auto", "ltr", "rtl"]),
        "lang": st.sampled_from(["en", "en-GB", "fr"]),
        "vibrate": st.integers(0, 500) | st.lists(st.integers(0, 500), max_size=4),
        "showToast": st.booleans(),
        "inProgress": st.booleans(),
        "progress": st.floats(0, 1),
    },
)

# Near-misses: keys drawn from the real option names and some typos, values of any type.
keys = st.sampled_from([*PROPERTIES, "tittle", "Title", "severty", "action", "x"])
anything = st.dictionaries(
    keys, json_values | valid_options | st.lists(actions, max_size=3), max_size=6
)
