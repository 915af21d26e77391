"""Web Push subscriptions: the store concern on the real SQLite file and the real
redis-server, ``hub.push`` (subscribe, unsubscribe, list, remove) with every check a
browser's subscription must pass, and ``dash-notify push list|remove``."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dash_notify.cli import main
from dash_notify.hub import Hub
from dash_notify.hub.push import PushSubscriptionError, Subscription
from dash_notify.hub.push.subscription import parse_subscription, subscription_id

from .push_receiver import BrowserKeys, b64url
from .servers import ROOT


def browser(endpoint: str = "https://push.example.net/wpush/v2/abc") -> dict:
    """A subscription as ``PushSubscription.toJSON()`` gives it, with real keys."""
    keys = BrowserKeys()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": b64url(keys.auth)},
    }


def stored(user: str, endpoint: str, created: float) -> Subscription:
    return parse_subscription(browser(endpoint), user=user, lang="en", now=created)


@pytest.fixture
def hub(store_url):
    hub = Hub(None, store_url)
    yield hub
    hub.stop()


@pytest.fixture
def checking_hub(sqlite_url):
    """A hub for the checks made before anything is stored (one store is enough)."""
    hub = Hub(None, sqlite_url)
    yield hub
    hub.stop()


# -- the store ----------------------------------------------------------------------
def test_subscriptions_are_kept_per_user_and_browser(open_store):
    store, other = open_store(), open_store()
    a1 = store.push.save(stored("alice", "https://push.example.net/a1", 100.0), keep=20)
    a2 = store.push.save(stored("alice", "https://push.example.net/a2", 200.0), keep=20)
    b1 = store.push.save(stored("bob", "https://push.example.net/b1", 150.0), keep=20)
    assert a1.id == subscription_id("https://push.example.net/a1") and a1.last_success is None
    assert other.push.of_users(["alice"]) == [a1, a2]  # another process sees them
    assert other.push.of_users(["alice", "bob", "carol"]) == [a1, b1, a2]
    assert other.push.users() == ["alice", "bob"]
    assert other.push.list(None, 10) == [a1, b1, a2] and other.push.list("bob", 10) == [b1]
    assert other.push.list(None, 2) == [a1, b1]
    assert other.push.get([a2.id, "nope"]) == {a2.id: a2}
    store.push.succeeded([a1.id, "nope"], 300.5)
    assert other.push.get([a1.id])[a1.id].last_success == 300.5
    assert store.push.remove([a1.id, b1.id, "nope"]) == 2
    assert other.push.users() == ["alice"] and other.push.list(None, 10) == [a2]
    assert store.push.remove([a1.id]) == 0


def test_the_same_browser_subscribing_again_replaces_its_subscription(open_store):
    store = open_store()
    endpoint = "https://push.example.net/same"
    first = store.push.save(stored("alice", endpoint, 100.0), keep=20)
    store.push.succeeded([first.id], 150.0)
    renewed = store.push.save(stored("alice", endpoint, 200.0), keep=20)  # new keys
    assert renewed.id == first.id and renewed.p256dh != first.p256dh
    assert (renewed.created, renewed.last_success) == (100.0, 150.0)  # same user: kept
    moved = store.push.save(stored("bob", endpoint, 300.0), keep=20)  # signed in as bob
    assert (moved.user, moved.created, moved.last_success) == ("bob", 300.0, None)
    assert store.push.of_users(["alice"]) == [] and store.push.users() == ["bob"]
    assert store.push.list(None, 10) == [moved]


def test_times_are_kept_exactly_and_order_subscriptions_made_microseconds_apart(open_store):
    # (Redis' cjson once wrote times with 14 digits: 0.1 ms, so these two tied and were
    # listed by id, and the times read back were rounded.)
    store, other = open_store(), open_store()
    start = 1795385270.123456
    ids = [
        store.push.save(
            stored("alice", f"https://push.example.net/{i}", start + i * 2e-5), keep=20
        ).id
        for i in (0, 1, 2)
    ]
    listed = other.push.list("alice", 10)
    assert [s.id for s in listed] == ids == [s.id for s in other.push.list(None, 10)]
    assert [s.created for s in listed] == [start, start + 2e-5, start + 4e-5]
    store.push.succeeded(ids[:1], start + 1.000001)
    again = store.push.save(stored("alice", "https://push.example.net/0", start + 9), keep=20)
    assert (again.created, again.last_success) == (start, start + 1.000001)
    assert other.push.get(ids[:1])[ids[0]].last_success == start + 1.000001


def test_a_user_keeps_at_most_keep_subscriptions_the_oldest_go(open_store):
    store = open_store()
    subs = [
        store.push.save(stored("alice", f"https://push.example.net/{i}", 100.0 + i), keep=3)
        for i in range(5)
    ]
    assert store.push.of_users(["alice"]) == subs[2:]
    store.push.save(stored("bob", "https://push.example.net/bob", 50.0), keep=3)
    assert len(store.push.list(None, 10)) == 4


# -- hub.push and the checks -----------------------------------------------------------
def test_hub_push_subscribes_lists_unsubscribes_and_removes(hub):
    before = time.time()
    alice = browser("https://push.example.net/alice")
    made = hub.push.subscribe("alice", alice, lang="de-CH", user_agent="Firefox/140\x00\n")
    assert made.user == "alice" and made.lang == "de-CH" and made.user_agent == "Firefox/140"
    assert made.endpoint == alice["endpoint"] and made.auth == alice["keys"]["auth"]
    assert before - 0.01 <= made.created <= time.time()
    bob = hub.push.subscribe("bob", browser("https://push.example.net/bob"))
    assert hub.push.list() == [made, bob] and hub.push.list("bob") == [bob]
    assert "p256dh" not in made.public() and made.public()["userAgent"] == "Firefox/140"
    # a browser unsubscribes only its own user's subscription
    assert not hub.push.unsubscribe("bob", alice["endpoint"])
    assert hub.push.unsubscribe("alice", alice["endpoint"])
    assert not hub.push.unsubscribe("alice", alice["endpoint"])
    assert hub.push.list() == [bob]
    assert hub.push.remove(bob.id) and not hub.push.remove(bob.id)
    assert hub.push.list() == []
    with pytest.raises(RuntimeError, match="no push channel"):
        _ = hub.push.public_key


def _with(path: str, value):
    data = browser()
    if path == "keys":
        data["keys"] = value
    elif path.startswith("keys."):
        data["keys"][path[5:]] = value
    elif value is KeyError:
        del data[path]
    else:
        data[path] = value
    return data


def _b64(size: int, first: int = 4) -> str:
    return base64.urlsafe_b64encode(bytes([first]) + os.urandom(size - 1)).decode().rstrip("=")


BAD = [
    ("endpoint", _with("endpoint", KeyError), "must be the push service's https URL"),
    ("endpoint", _with("endpoint", 42), "must be the push service's https URL"),
    ("endpoint", _with("endpoint", "http://push.example.net/x"), "must be https"),
    ("endpoint", _with("endpoint", "ftp://push.example.net/x"), "must be https"),
    ("endpoint", _with("endpoint", "push.example.net/x"), "must be https"),
    ("endpoint", _with("endpoint", "https:///nohost"), "has no host"),
    ("endpoint", _with("endpoint", "https://u:p@push.example.net/x"), "credentials"),
    ("endpoint", _with("endpoint", "https://push.example.net/a b"), "without spaces"),
    ("endpoint", _with("endpoint", "https://push.example.net/é"), "ASCII"),
    ("endpoint", _with("endpoint", "https://push.example.net/x#f"), "fragment"),
    ("endpoint", _with("endpoint", "https://push.example.net:99999/x"), "not a URL"),
    ("endpoint", _with("endpoint", "https://push.example.net/" + "x" * 2100), "longer than"),
    ("keys", _with("keys", None), "must be an object"),
    ("keys.p256dh", _with("keys.p256dh", None), "base64url string"),
    ("keys.p256dh", _with("keys.p256dh", _b64(64)), "65 bytes, got 64"),
    ("keys.p256dh", _with("keys.p256dh", _b64(66)), "65 bytes, got 66"),
    ("keys.p256dh", _with("keys.p256dh", _b64(65, first=2)), "uncompressed P-256 point"),
    ("keys.p256dh", _with("keys.p256dh", "B" + "A" * 86), "not a point on P-256"),
    ("keys.p256dh", _with("keys.p256dh", "not base64!"), "base64url"),
    ("keys.auth", _with("keys.auth", _b64(15)), "16 bytes, got 15"),
    ("keys.auth", _with("keys.auth", _b64(17)), "16 bytes, got 17"),
    ("keys.auth", _with("keys.auth", "x" * 500), "base64url string"),
    ("subscription", ["https://push.example.net/x"], "must be an object"),
]


@pytest.mark.parametrize(("field", "data", "words"), BAD, ids=[f"{f}-{w}" for f, _, w in BAD])
def test_a_subscription_that_is_not_a_push_subscription_is_refused_naming_the_field(
    checking_hub, field, data, words
):
    hub = checking_hub
    with pytest.raises(PushSubscriptionError) as raised:
        hub.push.subscribe("alice", data)
    assert raised.value.field == field and words in str(raised.value)
    assert str(raised.value).startswith(f"{field}: ")
    assert hub.push.list() == []


def test_lang_user_and_user_agent_are_bounded(hub):
    with pytest.raises(PushSubscriptionError, match=r"^lang: "):
        hub.push.subscribe("alice", browser(), lang="en; DROP TABLE")
    with pytest.raises(PushSubscriptionError, match=r"^lang: "):
        hub.push.subscribe("alice", browser(), lang="x" * 40)
    with pytest.raises(PushSubscriptionError, match=r"^userAgent: "):
        hub.push.subscribe("alice", browser(), user_agent=["Firefox"])
    with pytest.raises(PushSubscriptionError, match=r"^user: "):
        hub.push.subscribe("", browser())
    made = hub.push.subscribe("alice", browser(), user_agent="A" * 5000)
    assert len(made.user_agent) == 512


PRIVATE = [
    "https://127.0.0.1/x",
    "https://127.8.9.10:8443/x",
    "https://10.1.2.3/x",
    "https://172.16.0.1/x",
    "https://192.168.1.1/x",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata
    "https://100.64.0.1/x",  # carrier-grade NAT
    "https://0.0.0.0/x",
    "https://[::1]/x",
    "https://[fd00::1]/x",
    "https://[fe80::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://224.0.0.1/x",
    "https://localhost/x",
    "https://LOCALHOST./x",
    "https://app.localhost/x",
]


@pytest.mark.parametrize("endpoint", PRIVATE)
def test_an_endpoint_on_a_loopback_or_private_address_is_refused_unless_allowed(
    checking_hub, endpoint
):
    hub = checking_hub
    with pytest.raises(PushSubscriptionError) as raised:
        hub.push.subscribe("alice", browser(endpoint))
    assert raised.value.field == "endpoint" and "loopback or private" in str(raised.value)
    assert "allow_private=True" in str(raised.value)
    assert hub.push.list() == []
    allowed = parse_subscription(browser(endpoint), user="alice", allow_private=True)
    assert allowed.endpoint == endpoint


def test_public_endpoints_of_the_real_push_services_are_accepted(hub):
    for endpoint in (
        "https://fcm.googleapis.com/fcm/send/dXJ0:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAAB",
        "https://web.push.apple.com/QGz0mRbqvS4r",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
        "https://8.8.8.8/x",
    ):
        assert hub.push.subscribe("alice", browser(endpoint)).endpoint == endpoint
    assert len(hub.push.list("alice")) == 5


def test_subscriptions_made_within_a_millisecond_are_listed_in_the_order_made(
    store_url, monkeypatch
):
    # Times were kept to the millisecond: two subscriptions made within one tied and were
    # listed by id (a hash of the endpoint: b's before a's), as CI once saw.
    hub = Hub(None, store_url)
    times = [1_000_000.0001, 1_000_000.0004]
    real = time.time
    monkeypatch.setattr(
        "dash_notify.hub.push.service.time.time", lambda: times.pop(0) if times else real()
    )
    try:
        alice = hub.push.subscribe("alice", browser("https://push.example.net/a"))
        bob = hub.push.subscribe("bob", browser("https://push.example.net/b"))
        assert alice.id > bob.id  # so that a tie would list bob first
        assert [s.id for s in hub.push.list()] == [alice.id, bob.id]
    finally:
        hub.stop()


# -- the command line ------------------------------------------------------------------
def test_dash_notify_push_list_and_remove(store_url, capsys):
    hub = Hub(None, store_url)
    alice = hub.push.subscribe("alice", browser("https://push.example.net/a"), user_agent="Fx")
    bob = hub.push.subscribe("bob", browser("https://push.example.net/b"))
    hub.stop()

    def cli(*args):
        status = main(["push", *args, "--store", store_url])
        out = capsys.readouterr()
        return status, out.out, out.err

    status, out, err = cli("list")
    assert status == 0 and err == "2 subscription(s)\n"
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [alice.id, bob.id]
    assert "user=alice" in lines[0] and "last-success=never" in lines[0]
    assert alice.endpoint in lines[0] and alice.p256dh not in out and alice.auth not in out
    assert cli("list", "--user", "bob")[1].split()[0] == bob.id
    assert cli("remove", alice.id)[:2] == (0, f"removed {alice.id}\n")
    status, _, err = cli("remove", alice.id)
    assert status == 1 and "no subscription" in err
    assert [line.split()[0] for line in cli("list")[1].splitlines()] == [bob.id]


def test_dash_notify_push_runs_as_a_command(sqlite_url):
    done = subprocess.run(
        [sys.executable, "-m", "dash_notify.cli", "push", "list"],
        capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DASH_NOTIFY_STORE": sqlite_url},
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "0 subscription(s)\n"


# -- anything a browser may send ---------------------------------------------------------
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "endpoint": JSONISH | st.sampled_from(["https://push.example.net/x", "https://10.0.0.1/"]),
        "keys": JSONISH | st.fixed_dictionaries({}, optional={"p256dh": JSONISH, "auth": JSONISH}),
    },
)


@settings(max_examples=300, deadline=None)
@given(data=FIELDS | JSONISH, lang=JSONISH, agent=JSONISH)
def test_anything_is_a_subscription_or_an_error_naming_the_field(data, lang, agent):
    fields = {"subscription", "endpoint", "keys", "keys.p256dh", "keys.auth", "lang", "userAgent"}
    try:
        made = parse_subscription(data, user="alice", lang=lang, user_agent=agent)
    except PushSubscriptionError as error:
        assert error.field in fields and str(error).startswith(f"{error.field}: ")
    else:
        assert made.endpoint == data["endpoint"] and len(made.user_agent) <= 512


def test_a_user_id_must_be_one_a_target_can_name(checking_hub):
    for bad in ("", "a b", "x" * 201, "alice#2", None, 7):
        with pytest.raises(PushSubscriptionError, match=r"^user: "):
            checking_hub.push.subscribe(bad, browser())
    anonymous = "3f9a" * 8  # an anonymous browser's cookie id
    assert checking_hub.push.subscribe(anonymous, browser()).user == anonymous
