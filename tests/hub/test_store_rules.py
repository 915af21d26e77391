"""The store contract for webhook rules (``stores.rules``), against the real SQLite
file and the real redis-server."""

from __future__ import annotations

import concurrent.futures

from dash_notify.hub.webhooks.rule import Attempt, Rule


def rule(rule_id: str, name: str, created: float, **fields) -> Rule:
    return Rule(
        id=rule_id, name=name, url="https://hooks.example/x", created=created, secret="whsec_a",
        **fields,
    )  # fmt: skip


def attempt(rule_id, key, at, status=200, error=None):
    return Attempt(rule_id, key, "notification.published", at, status, 0.25, error)


def test_a_rule_is_kept_whole_and_read_by_another_process(open_store):
    writer, reader = open_store(), open_store()
    original = rule(
        "wh_1",
        "Deploys é",
        10.0,
        method="GET",
        events=("notification.published", "notification.clicked"),
        filters={"severity": ("High", "Critical"), "topic": ("group:deploys",)},
        previous_secret="whsec_b",
        previous_until=99.5,
    )
    writer.rules.add(original)
    assert reader.rules.get("wh_1") == original
    assert reader.rules.get("wh_nope") is None


def test_list_searches_names_ignoring_case_pages_and_counts(open_store):
    store = open_store()
    names = ["CI deploys", "ci builds", "Pager", "Décor CI", "other"]
    for index, name in enumerate(names):
        store.rules.add(rule(f"wh_{index}", name, 100.0 + index))
    every, total = store.rules.list(None, 10, 0)
    assert [r.name for r in every] == names and total == 5
    found, total = store.rules.list("ci", 2, 0)
    assert [r.name for r in found] == ["CI deploys", "ci builds"] and total == 3
    rest, total = store.rules.list("ci", 2, 2)
    assert [r.name for r in rest] == ["Décor CI"] and total == 3
    assert store.rules.list("DÉCOR", 10, 0)[1] == 1
    assert store.rules.list("nothing", 10, 0) == ([], 0)
    assert store.rules.list(None, 10, 5) == ([], 5)
    # equal creation times are ordered by id in both stores
    store.rules.add(rule("wh_b", "same", 1.0))
    store.rules.add(rule("wh_a", "same", 1.0))
    assert [r.id for r in store.rules.list("same", 10, 0)[0]] == ["wh_a", "wh_b"]


def test_update_is_partial_and_active_lists_only_active_rules(open_store):
    store = open_store()
    store.rules.add(rule("wh_1", "one", 1.0))
    store.rules.add(rule("wh_2", "two", 2.0))
    changed = store.rules.update(
        "wh_1",
        {"active": False, "disabled_reason": "HTTP 410", "filters": {"action": ("approve",)}},
    )
    assert changed == rule(
        "wh_1", "one", 1.0, active=False, disabled_reason="HTTP 410",
        filters={"action": ("approve",)},
    )  # fmt: skip
    assert store.rules.get("wh_1") == changed
    assert [r.id for r in store.rules.active()] == ["wh_2"]
    assert store.rules.update("wh_nope", {"active": True}) is None


def test_failing_keeps_the_first_failure_time(open_store):
    store = open_store()
    store.rules.add(rule("wh_1", "one", 1.0))
    assert store.rules.failing("wh_1", 50.0).failing_since == 50.0
    assert store.rules.failing("wh_1", 80.0).failing_since == 50.0
    assert store.rules.update("wh_1", {"failing_since": None}).failing_since is None
    assert store.rules.failing("wh_1", 90.0).failing_since == 90.0
    assert store.rules.failing("wh_nope", 1.0) is None


CHANGES = {
    "name": "renamed",
    "url": "https://hooks.example/new",
    "method": "GET",
    "active": False,
    "events": ("notification.seen",),
    "filters": {"type": ("Alert",)},
    "disabled_reason": "by hand",
    "secret": "whsec_new",
}


def test_concurrent_updates_of_different_fields_all_stay(open_store):
    """Two processes changing different fields of the same rules at once: no change is
    lost (each update reads and writes the rule in one step)."""
    first, second = open_store(), open_store()
    for n in range(5):
        first.rules.add(rule(f"wh_{n}", "one", float(n)))
    jobs = [(n, field) for n in range(5) for field in CHANGES]

    def change(job):
        n, field = job
        store = first if list(CHANGES).index(field) % 2 else second
        store.rules.update(f"wh_{n}", {field: CHANGES[field]})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(change, jobs))
    for n in range(5):
        expected = {**CHANGES, "id": f"wh_{n}", "created": float(n)}
        assert second.rules.get(f"wh_{n}") == Rule(**expected)


def test_delete_removes_the_rule_and_its_attempts(open_store):
    store = open_store()
    store.rules.add(rule("wh_1", "one", 1.0))
    store.rules.log([attempt("wh_1", "webhooks:1:wh_1", 5.0)], 10)
    assert store.rules.delete("wh_1") is True
    assert store.rules.get("wh_1") is None and store.rules.attempts("wh_1", 10) == []
    assert store.rules.delete("wh_1") is False


def test_attempts_are_kept_newest_first_up_to_keep(open_store):
    store = open_store()
    store.rules.log([attempt("wh_1", f"k{n}", float(n), 500) for n in range(3)], keep=5)
    store.rules.log([], keep=5)
    # one write with attempts of two rules, more than keep of one
    store.rules.log(
        [attempt("wh_1", f"k{n}", float(n), None, "timed out") for n in range(3, 7)]
        + [attempt("wh_2", "other", 1.0)],
        keep=5,
    )
    kept = store.rules.attempts("wh_1", 10)
    assert [a.webhook_id for a in kept] == ["k6", "k5", "k4", "k3", "k2"]
    assert kept[0] == attempt("wh_1", "k6", 6.0, None, "timed out")
    assert kept[-1] == attempt("wh_1", "k2", 2.0, 500)
    assert [a.webhook_id for a in store.rules.attempts("wh_1", 2)] == ["k6", "k5"]
    assert store.rules.attempts("wh_2", 10) == [attempt("wh_2", "other", 1.0)]
