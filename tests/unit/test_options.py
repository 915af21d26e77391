"""The Python helper and the options schema: valid options pass, bad ones say why."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dash_notify
from dash_notify import (
    NotificationOptionsError,
    NotificationOptionsTypeError,
    action,
    interop,
    notification,
    validate_options,
)
from dash_notify.schema_validator import SUPPORTED_KEYWORDS

from ..seed_options import SEED_TRADE
from .strategies import SCHEMA, anything, json_values, valid_options

# Runs again on Dash 3.0.4, the oldest supported (scripts/test.sh).
pytestmark = pytest.mark.oldest_dash

ACTION = {"action": "a", "title": "A"}


def test_seed_example_builds_with_the_helpers():
    options = notification(
        "New Trade",
        "VOD.L: 23 shares sold @ $212.03",
        severity="High",
        clickInterop=interop("HandleNotificationClick", {"id": "1"}),
        actions=[
            action(
                "callClient",
                "Call Client",
                interop=interop("CallClient", {"name": "Vernon Mullen"}),
            ),
            action(
                "openClientPortfolio",
                "Open Portfolio",
                interop=interop("OpenPortfolio", {"id": "1"}),
            ),
        ],
    )
    assert options == SEED_TRADE


def test_none_keywords_are_left_out_and_tuples_become_lists():
    assert notification("t", vibrate=(1, 2)) == {"title": "t", "vibrate": [1, 2]}


@pytest.mark.parametrize(
    ("options", "error_class", "field", "words"),
    [
        ({"body": "no title"}, NotificationOptionsError, "title", ["is required"]),
        ({"title": ""}, NotificationOptionsError, "title", ["must not be empty"]),
        (
            {"title": "t", "severity": "Urgent"},
            NotificationOptionsError,
            "severity",
            ['"Urgent"', '"Low", "Medium", "High", "Critical", "None"'],
        ),
        (
            {"title": "t", "type": "Warning"},
            NotificationOptionsError,
            "type",
            ['"Notification", "Alert"'],
        ),
        (
            {"title": "t", "actions": [ACTION] * 3},
            NotificationOptionsError,
            "actions",
            ["at most 2"],
        ),
        (
            {"title": "t", "severty": "Low"},
            NotificationOptionsError,
            "severty",
            ['did you mean "severity"'],
        ),
        ({"tittle": "t"}, NotificationOptionsError, "tittle", ['did you mean "title"']),
        ({"title": 42}, NotificationOptionsTypeError, "title", ["expected string, got integer"]),
        (
            {"title": "t", "silent": "yes"},
            NotificationOptionsTypeError,
            "silent",
            ["expected boolean"],
        ),
        (
            {"title": "t", "actions": {"action": "a"}},
            NotificationOptionsTypeError,
            "actions",
            ["expected array"],
        ),
        (
            {"title": "t", "actions": [{"action": "a"}]},
            NotificationOptionsError,
            "actions[0].title",
            ["is required"],
        ),
        (
            {"title": "t", "clickInterop": {"arguments": 1}},
            NotificationOptionsError,
            "clickInterop.method",
            ["is required"],
        ),
        (
            {"title": "t", "icon": "javascript:alert(1)"},
            NotificationOptionsError,
            "icon",
            ["not an allowed URL"],
        ),
        (
            {"title": "t", "image": " JAVA\nSCRIPT:alert(1)"},
            NotificationOptionsError,
            "image",
            ["not an allowed URL"],
        ),
        (
            {"title": "t", "actions": [{**ACTION, "icon": "javascript:x"}]},
            NotificationOptionsError,
            "actions[0].icon",
            ["URL"],
        ),
        (
            {"title": "t", "renotify": True},
            NotificationOptionsError,
            "tag",
            ["required when renotify is true"],
        ),
        (
            {"title": "t", "silent": True, "vibrate": [1]},
            NotificationOptionsError,
            "vibrate",
            ["not allowed when silent"],
        ),
        ({"title": "t", "timestamp": -1}, NotificationOptionsError, "timestamp", ["at least 0"]),
        (
            {"title": "t", "timestamp": math.inf},
            NotificationOptionsTypeError,
            "timestamp",
            ["JSON value"],
        ),
        (
            {"title": "t", "data": {"when": {1, 2}}},
            NotificationOptionsTypeError,
            "data.when",
            ["got set"],
        ),
        (
            {"title": "t", "data": {1: "x"}},
            NotificationOptionsTypeError,
            "data",
            ["keys must be strings"],
        ),
        ("just a string", NotificationOptionsTypeError, "options", ["expected object, got string"]),
        (None, NotificationOptionsTypeError, "options", ["expected object, got null"]),
    ],
)
def test_bad_options_name_the_field(options, error_class, field, words):
    with pytest.raises(error_class) as raised:
        validate_options(options)
    assert type(raised.value) is error_class
    assert raised.value.field == field
    for word in words:
        assert word in str(raised.value)


def test_type_errors_are_type_errors_and_value_errors_are_value_errors():
    with pytest.raises(TypeError):
        notification(5)
    with pytest.raises(ValueError):
        notification("t", severity="Urgent")
    with pytest.raises(ValueError) as raised:
        notification("t", severity="Urgent")
    assert raised.value.allowed == ("Low", "Medium", "High", "Critical", "None")


def test_every_problem_is_listed():
    with pytest.raises(NotificationOptionsError) as raised:
        validate_options({"severity": "x", "dir": "up"})
    fields = [error.field for error in raised.value.errors]
    assert fields == ["title", "severity", "dir"]
    assert "(and 2 more:" in str(raised.value)


def test_the_schema_uses_only_keywords_both_validators_implement():
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in (
                    "properties",
                    "$defs",
                    "x-requires-when-true",
                    "x-excludes-when-true",
                ):
                    assert key in SUPPORTED_KEYWORDS, key
                if key in ("properties", "$defs"):
                    for child in value.values():
                        walk(child)
                elif key == "items":
                    walk(value)

    walk(SCHEMA)


@given(valid_options)
def test_valid_options_come_back_unchanged(options):
    assert validate_options(options) == json.loads(json.dumps(options))


@given(anything | json_values)
@settings(max_examples=400)
def test_any_input_gives_a_valid_dict_or_a_clear_error(value):
    try:
        result = validate_options(value)
    except NotificationOptionsError as error:
        assert error.errors and str(error).startswith("invalid notification options: ")
        assert error.field and all(
            e.field and e.message.startswith(e.field + ": ") for e in error.errors
        )
        return
    # Accepted: a JSON-ready dict that has a title and that validates again unchanged.
    assert isinstance(result, dict) and isinstance(result["title"], str) and result["title"]
    assert set(result) <= set(SCHEMA["properties"])
    assert validate_options(result) == result


@given(valid_options, st.sampled_from(["severity", "type", "dir"]), st.text(max_size=10))
def test_an_enum_outside_the_list_is_always_refused(options, field, value):
    allowed = SCHEMA["properties"][field]["enum"]
    if value in allowed:
        return
    with pytest.raises(NotificationOptionsError) as raised:
        validate_options({**options, field: value})
    assert raised.value.field == field and raised.value.allowed == tuple(allowed)


def test_package_exports_and_version():
    package_json = json.loads(open("package.json", encoding="utf-8").read())
    assert dash_notify.__version__ == package_json["version"]
    for name in ("Notifications", "PermissionButton", "notification", "notify", "Interop"):
        assert hasattr(dash_notify, name)


@pytest.mark.parametrize("category", ["deploy", "comment", "ci.deploy_v2-eu", "9", "a" * 64])
def test_a_category_is_a_short_safe_name(category):
    assert notification("t", category=category) == {"title": "t", "category": category}


CATEGORY_CHARACTERS = ("a-z", "0-9", ".", "_", "-")
OWNER_CHARACTERS = ("A-Z", "a-z", "0-9", ".", "_", "-", ":", "/", "#")


@pytest.mark.parametrize(
    ("field", "value", "code", "allowed"),
    [
        *(
            ("category", value, code, CATEGORY_CHARACTERS)
            for value, code in [
                ("", "minLength"),
                ("a" * 65, "maxLength"),
                ("Deploy", "format"),
                ("-deploy", "format"),
                ("deploy\n", "format"),
                ("dé", "format"),
                ("a b", "format"),
                ('<img src=x onerror="alert(1)">', "format"),
            ]
        ),
        *(
            ("owner", value, code, OWNER_CHARACTERS)
            for value, code in [
                ("", "minLength"),
                ("a" * 129, "maxLength"),
                (":42", "format"),
                ("invoice 42", "format"),
                ("invoice:42\n", "format"),
                ("facture:é", "format"),
                ("a?b=c", "format"),
                ('<img src=x onerror="alert(1)">', "format"),
            ]
        ),
    ],
)
def test_a_bad_category_or_owner_is_refused_naming_the_field(field, value, code, allowed):
    with pytest.raises(NotificationOptionsError) as raised:
        notification("t", **{field: value})
    assert raised.value.field == field
    assert raised.value.errors[0].code == code
    if code == "format":
        assert raised.value.allowed == allowed
        assert f"is not a{'n' if field == 'owner' else ''} {field}" in str(raised.value)


def test_a_category_that_is_not_a_string_is_a_type_error():
    with pytest.raises(NotificationOptionsTypeError) as raised:
        validate_options({"title": "t", "category": 5})
    assert raised.value.field == "category"


@pytest.mark.parametrize(
    "owner", ["invoice:42", "Ticket/7#comment-3", "a.b_c-d:e/f#g", "9", "A" * 128]
)
def test_an_owner_is_a_short_id_that_keeps_its_case(owner):
    assert notification("t", owner=owner) == {"title": "t", "owner": owner}


def test_an_owner_that_is_not_a_string_is_a_type_error():
    with pytest.raises(NotificationOptionsTypeError) as raised:
        validate_options({"title": "t", "owner": 42})
    assert raised.value.field == "owner"
