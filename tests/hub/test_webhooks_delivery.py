"""The webhook channel against a real receiver on 127.0.0.1 that verifies signatures
with the ``standardwebhooks`` package: events to matching rules, POST and GET, secret
rotation, the retry schedule and the answers that change a rule (under a simulated
clock: ``Runner.step(channel, now=...)``), send-time address checks, users' events,
and a receiver that hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from dash_notify.hub import Hub
from dash_notify.hub.channels.webhooks import WebhookChannel
from dash_notify.hub.targets import Identity
from dash_notify.hub.webhooks import SCHEDULE
from dash_notify.hub.webhooks.signing import signature

from ..waiting import wait_until
from .servers import ROOT, free_port, wait_for_port
from .webhook_receiver import Answer, WebhookReceiver

APPROVE = {"action": "approve", "title": "Approve"}


def settled(hub, count):
    """Wait until ``count`` webhook deliveries exist and none is queued."""
    return wait_until(
        lambda: (
            found
            if len(found := hub.deliveries(channel="webhooks", limit=1000)) == count
            and all(d.state != "queued" for d in found)
            else None
        ),
        what=f"{count} deliveries settled",
    )


def test_events_reach_every_matching_rule_signed(store_url):
    with WebhookReceiver() as receiver:
        hub = Hub(None, store_url, channels=[WebhookChannel(allow_private=True)], run=True)
        try:
            wait_until(lambda: hub.stores.channels.cursor("webhooks") is not None, what="cursor")
            create = hub.webhooks.create
            every = create("every", receiver.url("/every"))
            high = create(
                "high ops",
                receiver.url("/high"),
                filters={"severity": ["High", "Critical"], "topic": ["group:ops"]},
            )
            get = create(
                "get", receiver.url("/get?token=abc"), method="GET", filters={"action": "approve"}
            )
            create("clicks only", receiver.url("/clicks"), events=["notification.clicked"])
            create("off", receiver.url("/off"), active=False)
            low = hub.publish({"title": "low", "severity": "Low"}, to="group:ops")
            urgent = hub.publish(
                {"title": "urgent", "severity": "High", "actions": [APPROVE]},
                to=["group:ops", "user:carol"],
            )
            hub.publish({"title": "dev", "severity": "High"}, to="group:dev")
            deliveries = settled(hub, 5)
        finally:
            hub.stop()
    assert {d.state for d in deliveries} == {"sent"}
    assert receiver.at("/clicks") == [] and receiver.at("/off") == []

    # ordering is not promised: compare by notification id
    got = sorted(
        receiver.at("/every"),
        key=lambda g: g.verified(every.secret)["data"]["notification"]["id"],
    )
    assert len(got) == 3
    body = got[1].verified(every.secret)
    assert body["type"] == "notification.published" and body["timestamp"].endswith("+00:00")
    assert body["data"]["notification"] | {"created": None} == {
        "id": urgent,
        "created": None,
        "targets": ["group:ops", "user:carol"],
        "publisher": "python",
        "options": {"title": "urgent", "severity": "High", "actions": [APPROVE]},
    }
    assert got[1].webhook_id == f"webhooks:{urgent}:{every.id}"
    assert got[1].headers["content-type"] == "application/json"
    assert got[0].verified(every.secret)["data"]["notification"]["id"] == low
    with pytest.raises(WebhookVerificationError):
        got[1].verified(high.secret)  # another rule's secret does not verify it

    [to_high] = receiver.at("/high")
    assert to_high.verified(high.secret)["data"]["notification"]["id"] == urgent

    [to_get] = receiver.at("/get")
    assert to_get.method == "GET" and to_get.body == b""
    assert to_get.query.startswith("token=abc&type=notification.published&")
    params = to_get.verified(get.secret)  # the query string as sent is what is signed
    assert params["type"] == "notification.published" and params["token"] == "abc"
    assert params["data"]["notification"]["id"] == urgent


def test_rotation_signs_with_both_secrets_and_test_events_are_logged(sqlite_url):
    with WebhookReceiver() as receiver:
        hub = Hub(None, sqlite_url, channels=[WebhookChannel(allow_private=True)])
        try:
            rule = hub.webhooks.create("rotating", receiver.url("/hook"))
            rotated = hub.webhooks.rotate(rule.id, keep_previous=600)
            attempt = hub.webhooks.test(rule.id)
            receiver.answers["/hook"] = Answer(503)
            failed = hub.webhooks.test(rule.id)
            attempts = hub.webhooks.attempts(rule.id)
            unchanged = hub.webhooks.get(rule.id)
        finally:
            hub.stop()
    first, _ = receiver.at("/hook")
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    for secret in (rule.secret, rotated.secret):  # a receiver with either verifies it
        body = first.verified(secret)
    assert body["type"] == "webhook.test" and body["data"]["rule"] == {
        "id": rule.id, "name": "rotating",
    }  # fmt: skip
    assert attempt.status == 200 and attempt.error is None and attempt.latency > 0
    assert first.webhook_id == attempt.webhook_id and attempt.webhook_id.startswith("test:")
    assert (failed.status, failed.error) == (503, "HTTP 503")
    assert attempts == [failed, attempt]
    assert unchanged == rotated  # a test's failure does not mark the rule failing


def test_the_retry_schedule_is_svix_s_with_the_same_webhook_id(store_url):
    """A receiver answering 500: tries at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h
    and 10 h later (each up to 10 % more), then the delivery fails."""
    with WebhookReceiver() as receiver:
        channel = WebhookChannel(allow_private=True)
        hub = Hub(None, store_url, channels=[channel])  # run=False: the test drives it
        try:
            now = time.time()
            hub.runner.step(channel, now)  # places the channel's cursor
            rule = hub.webhooks.create("down", receiver.url("/down"))
            receiver.answers["/down"] = Answer(500)
            message = hub.publish({"title": "x"}, to="*")
            hub.runner.step(channel, now)
            for tries, delay in enumerate(SCHEDULE, start=1):
                [delivery] = hub.deliveries(message_id=message)
                assert (delivery.state, delivery.attempts, delivery.error) == (
                    "queued", tries, "HTTP 500",
                )  # fmt: skip
                waited = delivery.due - delivery.updated
                assert delay <= waited <= delay * 1.1 + 0.001
                hub.runner.step(channel, delivery.due - 1)  # not yet
                assert len(receiver.at("/down")) == tries
                hub.runner.step(channel, delivery.due + 0.001)
                assert len(receiver.at("/down")) == tries + 1
            [delivery] = hub.deliveries(message_id=message)
            failing = hub.webhooks.get(rule.id)
        finally:
            hub.stop()
    assert (delivery.state, delivery.attempts) == ("failed", 8)
    assert {got.webhook_id for got in receiver.at("/down")} == {f"webhooks:{message}:{rule.id}"}
    assert failing.active and failing.failing_since is not None  # 8 tries take < 5 days


def test_answers_that_retry_fail_or_disable_a_rule(sqlite_url):
    with WebhookReceiver() as receiver:
        channel = WebhookChannel(allow_private=True, disable_after_days=5)
        hub = Hub(None, sqlite_url, channels=[channel])
        try:
            now = time.time()
            hub.runner.step(channel, now)
            rules = {
                name: hub.webhooks.create(name, receiver.url(f"/{name}"))
                for name in ("r429", "r408", "r410", "r400", "r302", "days")
            }
            receiver.answers.update(
                {
                    "/r429": [Answer(429, {"Retry-After": "120"}), Answer(200)],
                    "/r408": [Answer(408), Answer(200)],
                    "/r410": Answer(410),
                    "/r400": Answer(400),
                    "/r302": Answer(302, {"Location": receiver.url("/elsewhere")}),
                    "/days": Answer(503),
                }
            )
            hub.stores.rules.failing(rules["days"].id, now - 6 * 86400)
            first = hub.publish({"title": "one"}, to="*")
            hub.runner.step(channel, now)
            states = {d.recipient: d for d in hub.deliveries(message_id=first)}
            after_first = {name: hub.webhooks.get(rule.id) for name, rule in rules.items()}

            hub.runner.step(channel, now + 200)  # 429's Retry-After and 408's 5 s have passed
            second = hub.publish({"title": "two"}, to="*")
            hub.runner.step(channel, now + 200)
            later = {d.recipient: d for d in hub.deliveries(message_id=first)}
            again = {d.recipient for d in hub.deliveries(message_id=second)}
            final = {name: hub.webhooks.get(rule.id) for name, rule in rules.items()}
            attempts = hub.webhooks.attempts(rules["r429"].id)
        finally:
            hub.stop()

    def state(name, deliveries=states):
        d = deliveries[rules[name].id]
        return d.state, d.error

    assert state("r429") == ("queued", "HTTP 429")
    d429 = states[rules["r429"].id]
    assert 120 <= d429.due - d429.updated <= 132  # Retry-After 120 beats the 5 s step
    assert state("r408") == ("queued", "HTTP 408")
    assert state("r410") == ("failed", "HTTP 410 Gone: the rule is disabled")
    assert state("r400") == ("failed", "HTTP 400")
    assert state("r302")[0] == "failed" and "redirect to" in state("r302")[1]
    assert "not followed" in state("r302")[1] and receiver.at("/elsewhere") == []
    assert state("days") == ("queued", "HTTP 503")

    assert after_first["r429"].failing_since is not None
    assert not after_first["r410"].active
    assert after_first["r410"].disabled_reason.startswith("the receiver answered 410 Gone at")
    assert not after_first["days"].active
    assert after_first["days"].disabled_reason.startswith("failing since ")
    assert "(6.0 days); last error: HTTP 503" in after_first["days"].disabled_reason
    assert after_first["r400"].active and after_first["r302"].active  # one failure: not yet

    assert state("r429", later) == ("sent", None) and state("r408", later) == ("sent", None)
    assert final["r429"].failing_since is None  # a success clears the failing mark
    assert state("days", later)[0] == "skipped" and "rule disabled" in state("days", later)[1]
    assert len(receiver.at("/days")) == 1
    # disabled rules get no deliveries of new events
    assert again == {rules[n].id for n in ("r429", "r408", "r400", "r302")}
    # newest first: the second message, the first's retry, the first's first try
    assert [(a.status, a.error) for a in attempts] == [(200, None), (200, None), (429, "HTTP 429")]


def test_destinations_are_checked_again_at_send_time(sqlite_url):
    """Rules saved while private addresses were allowed (or whose host now resolves to
    one) are refused by a channel that does not allow them: nothing is sent."""
    with WebhookReceiver() as receiver:
        saving = Hub(None, sqlite_url, channels=[WebhookChannel(allow_private=True)])
        by_address = saving.webhooks.create("address", receiver.url("/hook"))
        port = receiver.base.rsplit(":", 1)[1]
        by_name = saving.webhooks.create("name", f"http://localhost:{port}/hook")
        saving.stop()
        channel = WebhookChannel()
        hub = Hub(None, sqlite_url, channels=[channel])
        try:
            now = time.time()
            hub.runner.step(channel, now)
            message = hub.publish({"title": "x"}, to="*")
            hub.runner.step(channel, now)
            deliveries = {d.recipient: d for d in hub.deliveries(message_id=message)}
            test = hub.webhooks.test(by_address.id)
            marked = hub.webhooks.get(by_name.id)
        finally:
            hub.stop()
    assert receiver.got == []
    for rule, why in ((by_address, "127.0.0.1 is a loopback"), (by_name, "'localhost'")):
        delivery = deliveries[rule.id]
        assert delivery.state == "failed" and delivery.error.startswith("refused: url: host")
        assert why in delivery.error
    assert test.status is None and "refused" in test.error
    assert marked.failing_since is not None


def test_users_clicks_and_the_app_s_closes_become_events(sqlite_url):
    with WebhookReceiver() as receiver:
        channel = WebhookChannel(allow_private=True)
        hub = Hub(None, sqlite_url, channels=[channel])
        try:
            now = time.time()
            hub.runner.step(channel, now)
            clicks = hub.webhooks.create(
                "approvals",
                receiver.url("/clicks"),
                events=["notification.clicked"],
                filters={"action": "approve"},
            )
            closes = hub.webhooks.create(
                "closes",
                receiver.url("/closes"),
                events=["notification.closed", "notification.seen"],
            )
            alice = Identity("alice", frozenset({"ops"}))
            deploy = hub.publish({"title": "Deploy?", "actions": [APPROVE]}, to="group:ops")
            hub.webhooks.emit("notification.clicked", deploy, alice, action="reject")
            hub.webhooks.emit("notification.clicked", deploy, alice, action="approve")
            hub.webhooks.emit("notification.seen", deploy, alice)
            hub.close("deploy", to="group:ops")
            hub.runner.step(channel, now)
        finally:
            hub.stop()
    [click] = receiver.at("/clicks")
    body = click.verified(clicks.secret)
    assert body["type"] == "notification.clicked"
    assert body["data"]["user"] == "alice" and body["data"]["action"] == "approve"
    assert body["data"]["notification"]["id"] == deploy
    assert body["data"]["notification"]["options"]["title"] == "Deploy?"
    closed, seen = sorted(
        (g.verified(closes.secret) for g in receiver.at("/closes")), key=lambda b: b["type"]
    )
    assert closed["type"] == "notification.closed"
    assert closed["data"] == {"tag": "deploy", "targets": ["group:ops"]}
    assert seen["type"] == "notification.seen" and seen["data"]["user"] == "alice"


def test_a_hanging_receiver_delays_no_other_rule(sqlite_url):
    """One rule's receiver hangs: the other's requests still arrive at once, no second
    request goes to the hanging one meanwhile, and once it answers its deliveries are
    recorded as sent."""
    with WebhookReceiver() as receiver:
        channel = WebhookChannel(allow_private=True, timeout=3, wait=0.3)
        hub = Hub(None, sqlite_url, channels=[channel], run=True)
        try:
            wait_until(lambda: hub.stores.channels.cursor("webhooks") is not None, what="cursor")
            slow = hub.webhooks.create("slow", receiver.url("/slow"))
            fast = hub.webhooks.create("fast", receiver.url("/fast"))
            receiver.answers["/slow"] = Answer(hang=True)
            started = time.monotonic()
            first = hub.publish({"title": "one"}, to="*")
            receiver.wait_for("/fast", 1)
            receiver.wait_for("/slow", 1)
            second = hub.publish({"title": "two"}, to="*")
            receiver.wait_for("/fast", 2)
            fast_done = time.monotonic() - started
            assert len(receiver.at("/slow")) == 1  # still hanging: nothing more sent to it
            receiver.release.set()
            deliveries = settled(hub, 4)
        finally:
            hub.stop()
    assert fast_done < 2.5  # before the hanging request's 3 s timeout
    assert {d.state for d in deliveries} == {"sent"}
    assert {g.webhook_id for g in receiver.at("/slow")} == {
        f"webhooks:{m}:{slow.id}" for m in (first, second)
    }
    assert [g.webhook_id for g in receiver.at("/fast")] == [
        f"webhooks:{m}:{fast.id}" for m in (first, second)
    ]


def test_signatures_match_the_specification_s_example():
    """The example of the Standard Webhooks specification (and Svix's documentation)."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    payload = '{"test": 2432232314}'
    assert signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, payload) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )
    from datetime import datetime, timezone

    when = datetime.fromtimestamp(1614265330, timezone.utc)
    assert Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", when, payload) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


class Gunicorn:
    """An app under gunicorn (two gthread workers), killable."""

    def __init__(self, store: str, app: str):
        self.port = free_port()
        env = {**os.environ, "DASH_NOTIFY_STORE": store}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--workers", "2",
                "--worker-class", "gthread", "--threads", "4",
                "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "1", app,
            ],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


def _lease_owner_pid(hub, store_url) -> int | None:
    """The pid of the process holding the webhook channel's lease (read from the store
    itself: the owner is ``host:pid:random``)."""
    if store_url.startswith("sqlite"):
        rows = hub.stores.channels.db.read(
            "SELECT owner, expires FROM channel_leases WHERE channel = 'webhooks'"
        )
        owner = rows[0]["owner"] if rows and rows[0]["expires"] > time.time() else None
    else:
        conn = hub.stores.channels.conn
        owner = conn.client.get(conn.key("lease", "webhooks"))
    return int(owner.split(":")[1]) if owner else None


def test_kill_9_of_the_sender_each_webhook_id_once_after_dedup(store_url):
    """Two gunicorn servers (two workers each) run the webhook channel on one store;
    the process sending is killed with SIGKILL mid-batch; another takes over when its
    lease expires. Every event arrives, correctly signed, and a receiver that drops
    repeated webhook-ids handles each exactly once."""
    count = 30
    with WebhookReceiver() as receiver:
        receiver.answers["/hook"] = Answer(delay=0.04)
        servers = [Gunicorn(store_url, "tests.hub.webhook_app:server()") for _ in range(2)]
        try:
            # a process that only publishes and manages rules (run=False: it sends nothing)
            publisher = Hub(None, store_url, channels=[WebhookChannel(allow_private=True)])
            wait_until(
                lambda: publisher.stores.channels.cursor("webhooks") is not None, what="cursor"
            )
            rule = publisher.webhooks.create("ci", receiver.url("/hook"))
            ids = [publisher.publish({"title": str(i)}, to="group:ci") for i in range(count)]
            receiver.wait_for("/hook", 5)
            sender = wait_until(lambda: _lease_owner_pid(publisher, store_url), what="a sender")
            os.kill(sender, signal.SIGKILL)
            wait_until(
                lambda: len({g.webhook_id for g in receiver.at("/hook")}) == count,
                timeout=30,
                what="every event at the receiver",
            )
            wait_until(
                lambda: len(publisher.deliveries(state="sent", limit=count)) == count,
                what="every delivery recorded as sent",
            )
            took_over = _lease_owner_pid(publisher, store_url)
            publisher.stop()
        finally:
            for server in servers:
                server.stop()
    got = receiver.at("/hook")
    handled = {}
    for request in got:  # the receiver: verify, then drop ids it has handled
        body = request.verified(rule.secret)
        handled.setdefault(request.webhook_id, body["data"]["notification"]["id"])
    assert handled == {f"webhooks:{i}:{rule.id}": i for i in ids}
    repeats = len(got) - len(handled)
    assert 1 <= repeats <= WebhookChannel.batch_size  # killed mid-batch: only those resent
    assert took_over != sender
