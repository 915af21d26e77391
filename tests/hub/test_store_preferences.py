"""The store contract of the parts added for preferences and email: preferences, mail
claims and owners, and the channel log's postpone and note; against the real SQLite
file and the real redis-server."""

from __future__ import annotations

import time

from dash_notify.hub.model import Delivery


def _delivery(message_id: int, recipient: str = "user:alice", state="queued") -> Delivery:
    key = f"email:{message_id}:{recipient}"
    return Delivery("email", message_id, recipient, key, state, updated=1.0, due=1.0)


def test_preferences_are_one_document_per_user_shared_by_every_store(open_store):
    writer, reader = open_store(), open_store()
    assert reader.preferences.get("alice") is None
    writer.preferences.put("alice", {"email": "daily", "channels": {"push": False}})
    writer.preferences.put("bob", {"email": "never"})
    assert reader.preferences.get("alice") == {"email": "daily", "channels": {"push": False}}
    writer.preferences.put("alice", {"email": "often"})
    assert reader.preferences.get("alice") == {"email": "often"}
    assert reader.preferences.get("bob") == {"email": "never"}


def test_preferences_of_many_users_are_read_in_one_call(open_store):
    writer, reader = open_store(), open_store()
    writer.preferences.put("alice", {"email": "daily"})
    writer.preferences.put("user 700", {"email": "never"})
    # more users than one query or MGET takes (500), repeats, and users with nothing
    users = ["alice", "bob", "alice", *(f"user {i}" for i in range(1200))]
    assert reader.preferences.get_many(users) == {
        "alice": {"email": "daily"},
        "user 700": {"email": "never"},
    }
    assert reader.preferences.get_many([]) == {}


def test_a_mail_claim_keeps_its_first_message_id(open_store):
    store = open_store()
    store.mail.claim("<a@x>", ["k1", "k2"], 100.0)
    store.mail.claim("<b@x>", ["k2", "k3"], 101.0)
    store.mail.accepted("<b@x>", 102.0)
    assert store.mail.claims(["k1", "k2", "k3", "k4"]) == {
        "k1": ("<a@x>", False),
        "k2": ("<a@x>", False),
        "k3": ("<b@x>", True),
    }
    assert store.mail.keys_of("<a@x>") == ["k1", "k2"]
    assert store.mail.keys_of("<b@x>") == ["k3"]
    store.mail.expire(100.5)
    assert store.mail.claims(["k1", "k2", "k3"]) == {"k3": ("<b@x>", True)}
    assert store.mail.keys_of("<a@x>") == []


def test_mail_owners_remember_the_last_notification_per_user_and_owner(open_store):
    store = open_store()
    assert store.mail.owners("alice", ["ticket:1"]) == {}
    store.mail.note_owners("alice", {"ticket:1": 5, "ticket:2": 6})
    store.mail.note_owners("alice", {"ticket:1": 9})
    assert store.mail.owners("alice", ["ticket:1", "ticket:2", "x"]) == {
        "ticket:1": 9,
        "ticket:2": 6,
    }
    assert store.mail.owners("bob", ["ticket:1"]) == {}


def test_postpone_moves_a_queued_delivery_without_counting_an_attempt(open_store):
    store = open_store()
    assert store.channels.acquire("email", "me", 30, time.time())
    first, second = _delivery(1), _delivery(2)
    assert store.channels.enqueue("email", "me", [first, second], 2)
    store.channels.postpone(first, 50.0, 2.0)
    assert [d.key for d in store.channels.due("email", 10.0, 10)] == [second.key]
    [later] = store.channels.due("email", 60.0, 10)[-1:]
    assert later.key == first.key and later.attempts == 0 and later.due == 50.0
    assert store.channels.next_due("email") == 1.0
    store.channels.record(second, "sent", error=None, due=0.0, now=3.0)
    store.channels.postpone(second, 99.0, 4.0)  # only queued ones move
    [sent] = store.channels.deliveries(message_id=2)
    assert sent.state == "sent" and sent.due == 0.0


def test_note_logs_final_deliveries_without_a_lease_once_per_key(open_store):
    store = open_store()
    held = Delivery(
        "inapp", 7, "user:bob", "inapp:7:user:bob", "skipped", error="preference: silent"
    )
    store.channels.note([held])
    store.channels.note([Delivery("inapp", 7, "user:bob", "inapp:7:user:bob", "sent")])
    [logged] = store.channels.deliveries(channel="inapp")
    assert logged.state == "skipped" and logged.error == "preference: silent"
    assert store.channels.due("inapp", 1e12, 10) == []
    store.channels.forget([7])
    assert store.channels.deliveries(channel="inapp") == []
