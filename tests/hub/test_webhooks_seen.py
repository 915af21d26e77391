"""``notification.seen`` events from ``hub.mark_seen``, on SQLite and on Redis: one per
notification newly seen, only the user's own, filters applied; a "mark all seen" one
per notification it newly marked among the user's newest ``BULK_SCAN``, with
``"all": true``; nothing recorded while no rule wants them. And their delivery to a
real receiver, filtered by category and verified with ``standardwebhooks``."""

from __future__ import annotations

import pytest

from dash_notify.hub import Hub
from dash_notify.hub.targets import Identity
from dash_notify.hub.webhooks import seen as seen_events

from .webhook_receiver import WebhookReceiver
from .webhook_sender import wait_sent, webhook_sender

PUBLIC = "https://93.184.216.34/hooks"  # an address literal: never contacted here
ALICE = Identity("alice", frozenset({"ops"}))


@pytest.fixture
def hub(store_url):
    hub = Hub(None, store_url)
    yield hub
    hub.stop()


def seen_log(hub: Hub) -> list[tuple[int, bool]]:
    """The seen events recorded: (notification id, part of a mark-all), in order."""
    return [
        (m.options["notification"], m.options.get("all", False))
        for m in hub.stores.messages.after(None, 0, 10000)
        if m.kind == "event" and m.options["event"] == "notification.seen"
    ]


def test_nothing_is_recorded_while_no_rule_wants_seen_events(hub):
    first = hub.publish({"title": "one"}, to="user:alice")
    hub.webhooks.create("clicks only", PUBLIC, events=["notification.clicked"])
    assert hub.mark_seen(ALICE, [first]).ids == (first,)
    hub.publish({"title": "two"}, to="user:alice")
    assert hub.mark_seen(ALICE, None).upto > 0
    assert seen_log(hub) == []


def test_marks_by_id_give_one_event_per_notification_newly_seen_filters_applied(hub):
    hub.webhooks.create(
        "deploys seen", PUBLIC, events=["notification.seen"], filters={"category": ["deploy"]}
    )
    deploy = hub.publish({"title": "deployed", "category": "deploy"}, to="group:ops")
    billing = hub.publish({"title": "invoice", "category": "billing"}, to="user:alice")
    other = hub.publish({"title": "deployed too", "category": "deploy"}, to="*")
    bobs = hub.publish({"title": "bob's", "category": "deploy"}, to="user:bob")
    marked = hub.mark_seen(ALICE, [deploy, billing, bobs])
    assert marked.ids == (deploy, billing)  # bob's is not hers: not marked
    assert seen_log(hub) == [(deploy, False)]  # billing: the filter says no
    assert hub.mark_seen(ALICE, [deploy]) is None  # seen already: nothing new
    hub.mark_seen(ALICE, [other, deploy])
    assert seen_log(hub) == [(deploy, False), (other, False)]
    [event] = [m for m in hub.stores.messages.after(None, 0, 100) if m.kind == "event"][:1]
    assert event.targets == () and event.publisher == "user:alice"  # no browser gets it


def test_mark_all_gives_one_event_per_notification_it_newly_marked(hub):
    hub.webhooks.create("all seen", PUBLIC, events=["notification.seen"])
    first = hub.publish({"title": "one"}, to="user:alice")
    second = hub.publish({"title": "two"}, to="group:ops")
    hub.publish({"title": "bob's"}, to="user:bob")
    hub.close("t", to="user:alice")  # not a notification: no event
    third = hub.publish({"title": "three"}, to="*")
    hub.mark_seen(ALICE, [second])
    marked = hub.mark_seen(ALICE, None)
    assert marked.upto >= third
    # second was seen before: its event came from that mark; the mark-all adds the rest
    assert seen_log(hub) == [(second, False), (first, True), (third, True)]
    hub.mark_seen(ALICE, None)  # nothing of hers is new: no events
    assert len(seen_log(hub)) == 3
    fourth = hub.publish({"title": "four"}, to="user:alice")
    hub.mark_seen(ALICE, None)
    assert seen_log(hub)[-1] == (fourth, True) and len(seen_log(hub)) == 4


def test_mark_all_looks_at_the_users_newest_notifications_only(hub, monkeypatch):
    monkeypatch.setattr(seen_events, "BULK_SCAN", 3)
    monkeypatch.setattr(seen_events, "PAGE", 2)  # two pages: the scan continues across
    hub.webhooks.create("all seen", PUBLIC, events=["notification.seen"])
    ids = [hub.publish({"title": f"n{i}"}, to="user:alice") for i in range(5)]
    hub.mark_seen(ALICE, None)
    assert sorted(seen_log(hub)) == [(i, True) for i in ids[-3:]]
    # every one is marked seen all the same
    assert all(at is not None for _, at in hub.history(ALICE, 10))


def test_seen_events_reach_a_receiver_filtered_by_category(sqlite_url):
    with WebhookReceiver() as receiver, webhook_sender(sqlite_url) as hub:
        rule = hub.webhooks.create(
            "deploys seen",
            receiver.url("/seen"),
            events=["notification.seen"],
            filters={"category": ["deploy"]},
        )
        deploy = hub.publish({"title": "deployed", "category": "deploy"}, to="user:alice")
        hub.publish({"title": "invoice", "category": "billing"}, to="user:alice")
        hub.mark_seen(ALICE, None)
        [got] = receiver.wait_for("/seen", 1)
        wait_sent(hub, 1)
    body = got.verified(rule.secret)
    assert body["type"] == "notification.seen"
    assert body["data"]["user"] == "alice" and body["data"]["all"] is True
    assert body["data"]["notification"]["id"] == deploy
    assert body["data"]["notification"]["options"]["category"] == "deploy"
    assert len(receiver.at("/seen")) == 1
