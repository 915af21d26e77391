"""The Web Push channel against a real push service on 127.0.0.1 (tests/hub/push_receiver.py:
HTTPS, RFC 8030 answers, the VAPID JWT verified with PyJWT, the body decrypted with
http_ece and the keys the test made as a browser does), on SQLite and Redis.

Most tests drive the runner one step at a time (``hub.runner.step``, with ``now`` moved
forward for retries), so nothing waits on the clock; one runs the runner's thread."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dash_notify.hub import Hub
from dash_notify.hub.channels.base import RetryPolicy
from dash_notify.hub.channels.push import PushChannel, retry_after
from dash_notify.hub.model import Message
from dash_notify.hub.push import PushSubscriptionError
from dash_notify.hub.push.payload import MAX_PLAINTEXT, payload, topic
from dash_notify.hub.push.subscription import parse_subscription
from dash_notify.hub.push.vapid import CONTACT_ENV, PRIVATE_KEY_ENV, VapidConfigError, generate
from dash_notify.options import validate_options

from .push_receiver import PushService
from .servers import free_port

CONTACT = "mailto:ops@example.com"


@pytest.fixture
def vapid(tmp_path):
    """A key file made as ``dash-notify vapid generate`` makes it, and its public key."""
    path = tmp_path / "vapid.pem"
    return str(path), generate(path)


@pytest.fixture
def service():
    with PushService() as service:
        yield service
        assert service.errors == []  # every push passed the push service's checks


def make_channel(vapid, ca_file, **options) -> PushChannel:
    channel = PushChannel(vapid[0], CONTACT, allow_private=True, ca_bundle=ca_file, **options)
    channel.retry = RetryPolicy(delays=(1.0, 1.0), jitter=0.0)
    return channel


class Stepper:
    """A hub whose push channel the test steps by hand (``run=False``)."""

    def __init__(self, store_url, channel, groups=None):
        self.channel = channel
        self.hub = Hub(None, store_url, channels=[channel], groups=groups, run=False)
        self.step()  # the channel's cursor starts at "now"

    def step(self, later: float = 0.0) -> None:
        """Queue and send everything due ``later`` seconds from now."""
        while self.hub.runner.step(self.channel, now=time.time() + later):
            pass

    def deliveries(self, message_id):
        found = self.hub.deliveries(message_id=message_id)
        return sorted((d.recipient, d.state, d.attempts, d.error) for d in found)

    def close(self):
        self.channel.close()
        self.hub.stop()


@pytest.fixture
def stepper(store_url, vapid, service):
    made = []

    def make(groups=None, ca=None, **options) -> Stepper:
        channel = make_channel(vapid, ca or service.ca_file, **options)
        made.append(Stepper(store_url, channel, groups))
        return made[-1]

    yield make
    for one in made:
        one.close()


def test_a_notification_reaches_each_browser_of_its_user_encrypted_and_signed(
    stepper, service, vapid
):
    push = stepper()
    hub = push.hub
    alice = [service.subscribe(vapid[1]) for _ in range(2)]
    bob = service.subscribe(vapid[1])
    subs = [hub.push.subscribe("alice", s) for s in alice] + [hub.push.subscribe("bob", bob)]
    options = {"title": "Deployed", "body": "v2 is live", "severity": "Critical",
               "tag": "deploy-42", "data": {"run": 7},
               "actions": [{"action": "open", "title": "Open"}]}  # fmt: skip
    message = hub.publish(options, to="user:alice")
    started = time.time()
    push.step()
    pushes = service.wait_for(2)
    assert sorted(p.token for p in pushes) == sorted(s["endpoint"].rsplit("/", 1)[1] for s in alice)
    created = hub.stores.messages.get([message])[message].created
    for p in pushes:
        # exactly what the browser's service worker decrypts
        assert p.payload == {"v": 1, "id": message, "created": created, "publisher": "python",
                             "options": options, "trimmed": []}  # fmt: skip
        assert p.headers["ttl"] == "86400" and p.headers["urgency"] == "high"
        assert p.headers["topic"] == "deploy-42" and p.headers["content-encoding"] == "aes128gcm"
        assert p.claims["aud"] == service.origin and p.claims["sub"] == CONTACT
        assert started < p.claims["exp"] <= time.time() + 86400
        assert p.size <= 4096
    assert push.deliveries(message) == sorted(
        (f"user:alice#{s.id}", "sent", 1, None) for s in subs[:2]
    )
    listed = {s.id: s for s in hub.push.list()}
    assert all(listed[s.id].last_success >= started - 0.01 for s in subs[:2])
    assert listed[subs[2].id].last_success is None  # bob got nothing


@pytest.mark.parametrize(
    ("severity", "urgency"),
    [("Critical", "high"), ("High", "high"), ("Medium", "normal"), ("None", "normal"),
     ("Low", "low"), (None, "normal")],
)  # fmt: skip
def test_urgency_follows_the_severity(stepper, service, vapid, severity, urgency):
    push = stepper()
    push.hub.push.subscribe("alice", service.subscribe(vapid[1]))
    options = {"title": "x"} if severity is None else {"title": "x", "severity": severity}
    push.hub.publish(options, to="user:alice")
    push.step()
    [p] = service.wait_for(1)
    assert p.headers["urgency"] == urgency and "topic" not in p.headers  # no tag, no Topic


def test_the_topic_comes_from_the_tag_hashed_when_it_is_no_topic():
    assert topic("deploy-42") == "deploy-42"
    assert topic("A" * 32) == "A" * 32
    for tag in ("A" * 33, "job/42", "déploiement", "a b"):
        name = topic(tag)
        assert len(name) == 32 and name.replace("-", "").replace("_", "").isalnum()
        assert name == topic(tag) and name != topic(tag + "x")
    assert topic(None) is None and topic("") is None


def test_broadcasts_reach_every_subscription_and_groups_their_members(stepper, service, vapid):
    groups = {"alice": ["ops"], "carol": ["ops", "dev"]}
    push = stepper(groups=lambda user: groups.get(user, []))
    hub = push.hub
    subs = {
        u: hub.push.subscribe(u, service.subscribe(vapid[1])) for u in ("alice", "bob", "carol")
    }
    everyone = hub.publish({"title": "all"}, to="*")
    ops = hub.publish({"title": "ops"}, to=["group:ops", "user:bob"])
    dev = hub.publish({"title": "dev"}, to="group:dev")
    hub.close("whatever", to="*")  # close messages are not pushed
    push.step()
    service.wait_for(7)
    by = {s.id: u for u, s in subs.items()}
    received = {}
    for p in service.accepted:
        received.setdefault(p.payload["id"], set()).add(by[_sid(hub, p.token)])
    assert received == {everyone: {"alice", "bob", "carol"}, ops: {"alice", "bob", "carol"},
                        dev: {"carol"}}  # fmt: skip
    assert len(hub.deliveries(channel="push")) == 7


def _sid(hub, token):
    return next(s.id for s in hub.push.list() if s.endpoint.endswith("/" + token))


def test_410_and_404_fail_the_delivery_and_remove_the_subscription(stepper, service, vapid):
    push = stepper()
    hub = push.hub
    gone, missing, fine = (service.subscribe(vapid[1]) for _ in range(3))
    subs = [hub.push.subscribe("alice", s) for s in (gone, missing, fine)]
    service.forget(gone)  # the browser unsubscribed: 410
    service.answer(missing, 404)
    first = hub.publish({"title": "one"}, to="user:alice")
    push.step()
    states = {r: (state, error) for r, state, _, error in push.deliveries(first)}
    assert states[f"user:alice#{subs[0].id}"][0] == "failed"
    assert states[f"user:alice#{subs[0].id}"][1].startswith("HTTP 410")
    assert states[f"user:alice#{subs[1].id}"][1].startswith("HTTP 404")
    assert states[f"user:alice#{subs[2].id}"] == ("sent", None)
    assert [s.id for s in hub.push.list()] == [subs[2].id]  # gone after the first answer
    second = hub.publish({"title": "two"}, to="user:alice")
    push.step(later=3600)
    assert [r for r, *_ in push.deliveries(second)] == [f"user:alice#{subs[2].id}"]
    assert len(service.refused) == 2 and len(service.accepted) == 2


def test_redirects_and_other_refusals_fail_at_once_and_are_not_followed(stepper, service, vapid):
    push = stepper()
    hub = push.hub
    moved, refused = service.subscribe(vapid[1]), service.subscribe(vapid[1])
    subs = [hub.push.subscribe("alice", s) for s in (moved, refused)]
    elsewhere = service.subscribe(vapid[1])["endpoint"]  # a URL the service would accept
    service.answer(moved, (307, {"Location": elsewhere}))
    service.answer(refused, 403)  # say the subscription was made with another key
    message = hub.publish({"title": "x"}, to="user:alice")
    push.step()
    log = {r: (state, error) for r, state, _, error in push.deliveries(message)}
    assert log[f"user:alice#{subs[0].id}"] == (
        "failed",
        "HTTP 307: the push service redirected; redirects are not followed",
    )
    assert log[f"user:alice#{subs[1].id}"] == ("failed", "HTTP 403 from the push service: ")
    assert service.accepted == [] and len(service.refused) == 2  # the redirect was not taken
    assert len(hub.push.list()) == 2  # kept: an administrator decides (dash-notify push remove)


def test_a_huge_answer_is_not_read(stepper, service, vapid):
    """The endpoint is a URL a browser gave: its server may answer with gigabytes. The
    channel reads 64 KB of an answer and hangs up."""
    push = stepper()
    hub = push.hub
    hostile = service.subscribe(vapid[1])
    hub.push.subscribe("alice", hostile)
    service.answer(hostile, (500, {}, 200 * 2**20))  # a 200 MB error page
    message = hub.publish({"title": "x"}, to="user:alice")
    push.step()
    [(_, state, _, error)] = push.deliveries(message)
    assert (state, error) == ("queued", "HTTP 500 from the push service")
    [answer] = service.wait_for(1, finished=True)
    assert answer.status == 500 and answer.answered < 20 * 2**20  # cut well short of 200 MB


def test_429_and_5xx_are_retried_with_backoff_and_retry_after(stepper, service, vapid):
    push = stepper()
    hub = push.hub
    limited, broken = service.subscribe(vapid[1]), service.subscribe(vapid[1])
    subs = [hub.push.subscribe("alice", s) for s in (limited, broken)]
    service.answer(limited, (429, {"Retry-After": "120"}))
    service.answer(broken, 503, (500, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    message = hub.publish({"title": "later"}, to="user:alice")
    push.step()
    log = {d.recipient: d for d in hub.deliveries(message_id=message)}
    first = log[f"user:alice#{subs[0].id}"]
    assert first.state == "queued" and first.error == "HTTP 429 from the push service"
    assert first.due - first.updated >= 120  # the push service's Retry-After
    second = log[f"user:alice#{subs[1].id}"]
    assert second.state == "queued" and 1.0 <= second.due - second.updated < 5
    push.step(later=5)  # the 503 is retried: 500 with a date in the past (the policy's 1 s)
    push.step(later=10)
    assert {r: rest for r, *rest in push.deliveries(message)} == {
        f"user:alice#{subs[0].id}": ["queued", 1, "HTTP 429 from the push service"],
        f"user:alice#{subs[1].id}": ["sent", 3, None],
    }
    push.step(later=121)
    assert [state for _, state, *_ in push.deliveries(message)] == ["sent", "sent"]
    assert len(service.accepted) == 2 and len(service.refused) == 3


def test_an_unreachable_push_service_is_retried_then_fails_and_the_subscription_stays(
    stepper, service, vapid
):
    push = stepper(timeout=2.0)
    hub = push.hub
    nobody = parse_subscription(
        service.subscribe(vapid[1]) | {"endpoint": f"https://127.0.0.1:{free_port()}/push/x"},
        user="alice", allow_private=True, now=time.time(),
    )  # fmt: skip
    hub.stores.push.save(nobody, 20)
    message = hub.publish({"title": "x"}, to="user:alice")
    for later in (0, 5, 10):
        push.step(later=later)
    [(_, state, attempts, error)] = push.deliveries(message)
    assert (state, attempts) == ("failed", 3) and error.startswith("unreachable: ConnectionError")
    assert [s.id for s in hub.push.list()] == [nobody.id]


@pytest.mark.parametrize("concurrency", [16, 1])
def test_a_slow_push_service_does_not_hold_back_the_others(store_url, vapid, tmp_path, concurrency):
    """One push service answers after 5 s, with three subscriptions on it; the
    channel's timeout is 1 s: the others' pushes go out, the slow ones are retried, and
    the batch takes about one timeout, not the slow service's time, even one request
    at a time (once the slow service timed out, the rest of the batch for it waits for
    a later try instead of timing out again)."""
    with PushService(delay=5.0) as slow, PushService() as fast:
        bundle = tmp_path / "cas.pem"
        bundle.write_text(open(slow.ca_file).read() + open(fast.ca_file).read())
        channel = make_channel(vapid, str(bundle), timeout=1.0, concurrency=concurrency)
        push = Stepper(store_url, channel)
        try:
            hub = push.hub
            stuck = {hub.push.subscribe(u, slow.subscribe(vapid[1])).id for u in ("al", "ann")}
            stuck.add(hub.push.subscribe("al", slow.subscribe(vapid[1])).id)
            for user in ("bob", "carol", "dave"):
                hub.push.subscribe(user, fast.subscribe(vapid[1]))
            message = hub.publish({"title": "x"}, to="*")
            started = time.monotonic()
            push.step()
            took = time.monotonic() - started
            log = {r.rpartition("#")[2]: (st, err) for r, st, _, err in push.deliveries(message)}
        finally:
            push.close()
    assert len(fast.accepted) == 3
    slow_ones = [log.pop(sid) for sid in stuck]
    assert {state for state, _ in slow_ones} == {"queued"}  # retried later
    assert any("Timeout" in error for _, error in slow_ones)
    if concurrency == 1:  # the first timed out; the others were not tried again
        assert sum(f"push service {slow.origin} unreachable" in e for _, e in slow_ones) == 2
    assert set(log.values()) == {("sent", None)}
    assert took < 3.0


def test_what_has_not_started_when_the_batch_time_is_up_is_retried(stepper, vapid, tmp_path):
    with PushService(delay=0.5) as slowish:
        push = stepper(concurrency=1, batch_seconds=0.2, ca=slowish.ca_file)
        hub = push.hub
        for _ in range(3):
            hub.push.subscribe("alice", slowish.subscribe(vapid[1]))
        message = hub.publish({"title": "x"}, to="user:alice")
        push.step()
        states = sorted((state, error) for _, state, _, error in push.deliveries(message))
        assert states == [
            ("queued", "not sent: the batch ran out of time (batch_seconds)"),
            ("queued", "not sent: the batch ran out of time (batch_seconds)"),
            ("sent", None),
        ]
        push.step(later=5)  # the next batch starts with its own time
        push.step(later=10)
        assert len(slowish.accepted) == 3


def test_a_payload_over_4kb_is_trimmed_body_first_and_flagged(stepper, service, vapid):
    push = stepper()
    hub = push.hub
    hub.push.subscribe("alice", service.subscribe(vapid[1]))
    body = 'Línea "uno"\n' * 400  # escapes and multi-byte characters
    long_one = hub.publish({"title": "Report", "body": body, "tag": "r"}, to="user:alice")
    huge = hub.publish(
        {"title": "T" * 100, "body": "b" * 3000, "data": {"rows": ["x" * 100] * 40}},
        to="user:alice",
    )
    push.step()
    pushes = {p.payload["id"]: p for p in service.wait_for(2)}
    first = pushes[long_one].payload
    assert first["trimmed"] == ["body"] and first["options"]["title"] == "Report"
    assert first["options"]["body"].endswith("…") and body.startswith(first["options"]["body"][:-1])
    assert (
        len(json.dumps(first, ensure_ascii=False, separators=(",", ":")).encode()) <= MAX_PLAINTEXT
    )
    assert MAX_PLAINTEXT - 200 < len(json.dumps(first, ensure_ascii=False).encode())  # filled
    second = pushes[huge].payload
    assert second["trimmed"] == ["body", "data"] and "data" not in second["options"]
    assert second["options"]["title"] == "T" * 100
    assert all(p.size <= 4096 for p in pushes.values())


def test_what_the_user_saw_or_whose_browser_moved_is_not_pushed(stepper, service, vapid):
    push = stepper()
    hub = push.hub
    browser = service.subscribe(vapid[1])
    sub = hub.push.subscribe("alice", browser)
    seen = hub.publish({"title": "seen already"}, to="user:alice")
    hub.mark_seen(hub.identity("alice"), [seen])
    push.step()
    assert push.deliveries(seen) == [(f"user:alice#{sub.id}", "skipped", 1, "already seen")]
    moved = hub.publish({"title": "for alice"}, to="user:alice")
    hub.runner._queue_new(push.channel, time.time())  # queued for alice's browser ...
    hub.push.subscribe("bob", browser)  # ... which then signs in as bob
    push.step()
    assert push.deliveries(moved) == [
        (f"user:alice#{sub.id}", "skipped", 1, "the browser's subscription is now another user's")
    ]
    assert service.accepted == [] and service.refused == []


def test_private_endpoints_are_refused_when_the_channel_does_not_allow_them(
    store_url, service, vapid
):
    channel = PushChannel(vapid[0], CONTACT, ca_bundle=service.ca_file)
    push = Stepper(store_url, channel)
    try:
        hub = push.hub
        browser = service.subscribe(vapid[1])  # https://127.0.0.1:<port>/...
        with pytest.raises(PushSubscriptionError, match="loopback or private"):
            hub.push.subscribe("alice", browser)
        # one stored before (or by a name that now resolves to a loopback address)
        sneaky = browser | {"endpoint": browser["endpoint"].replace("127.0.0.1", "localhost")}
        hub.stores.push.save(
            parse_subscription(sneaky, user="alice", allow_private=True, now=time.time()), 20
        )
        message = hub.publish({"title": "x"}, to="user:alice")
        push.step()
        [(_, state, _, error)] = push.deliveries(message)
        left = hub.push.list()
    finally:
        push.close()
    assert state == "failed" and "resolves to 127.0.0.1" in error
    assert left == [] and service.accepted == service.refused == []
    allowed = make_channel(vapid, service.ca_file)
    assert allowed.allow_private and allowed.public_key == vapid[1]


def test_the_runner_sends_pushes_by_itself(store_url, service, vapid):
    hub = Hub(None, store_url, channels=[make_channel(vapid, service.ca_file)], run=True)
    try:
        deadline = time.monotonic() + 10
        while hub.stores.channels.cursor("push") is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hub.push.public_key == vapid[1]  # what the browser subscribes with
        hub.push.subscribe("alice", service.subscribe(hub.push.public_key))
        message = hub.publish({"title": "from a job"}, to="user:alice")
        [p] = service.wait_for(1)
    finally:
        hub.stop()
        hub.channels[0].close()
    assert p.payload["id"] == message and p.payload["options"] == {"title": "from a job"}


def test_no_push_channel_without_keys_and_contact(monkeypatch):
    monkeypatch.delenv(PRIVATE_KEY_ENV, raising=False)
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    with pytest.raises(VapidConfigError, match="dash-notify vapid generate"):
        PushChannel()


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("30") == 30.0 and retry_after("999999") == 3600.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1, max_size=200),
    body=st.text(max_size=5000),
    data=st.none() | st.dictionaries(st.text(max_size=20), st.text(max_size=2000), max_size=5),
    icon=st.none() | st.just("https://example.com/" + "i" * 1500),
)
def test_every_payload_fits_and_says_what_was_cut(title, body, data, icon):
    options = validate_options({"title": title, "body": body})
    if data is not None:
        options["data"] = data
    if icon is not None:
        options["icon"] = icon
    message = Message(7, options, ("user:a",), 1763820000.5, "token:ci")
    raw = payload(message)
    assert len(raw) <= MAX_PLAINTEXT
    sent = json.loads(raw)
    assert sent["id"] == 7 and sent["publisher"] == "token:ci" and sent["v"] == 1
    for field, value in options.items():
        if field in sent["trimmed"]:
            kept = sent["options"].get(field)
            assert (
                kept is None or (kept.endswith("…") and value.startswith(kept[:-1])) or kept == ""
            )
        else:
            assert sent["options"][field] == value
    if not sent["trimmed"]:
        assert sent["options"] == options
    assert sent["trimmed"][:1] in ([], ["body"])  # the body is always cut first
    # what was cut is still a notification the browser's validator (the twin of this
    # one) accepts, so the service worker can show it
    assert validate_options(sent["options"]) == sent["options"]
