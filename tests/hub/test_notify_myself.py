"""``notify_myself`` end to end: a Dash callback (a real request, on each backend)
publishes to a group its caller is in; the message records the caller as its actor,
the caller's event stream shows it, and the email channel (a real aiosmtpd) and a
channel following the push preference reach the group but the caller, unless the
caller is named or their preference says so. A token over HTTP and code outside a
request publish with no actor."""

from __future__ import annotations

import json

import pytest
from dash import Input, Output, html

from dash_notify.hub import Channel, Hub, Sent
from dash_notify.hub.channels.email import EmailChannel
from dash_notify.hub.preferences import PreferenceConfig

from ..waiting import wait_until
from .serve import BACKENDS, new_dash
from .servers import SSEClient, serve_in_thread
from .smtp_server import SMTPServer
from .test_email import ADDRESSES, SECRET
from .web_client import Client

LEFT_OUT = "notify_myself: published by this user's own request"
USERS = ("alice", "frank")


class PushLike(Channel):
    """A channel that follows the push preference (named "push", as the Web Push
    channel is by default) and reaches each user of a group, as that channel does; it
    records the keys it is given."""

    name = "push"

    def __init__(self):
        self.given: list[str] = []

    def recipients(self, message, hub):
        return [f"user:{u}" for u in USERS if hub.identity(u).receives(message.targets)]

    def send(self, batch, hub):
        self.given += [item.key for item in batch]
        return [Sent()] * len(batch)


@pytest.fixture(params=BACKENDS)
def served(request, sqlite_url):
    """A served app whose button publishes a Critical notification to group ops (with
    ``?me`` in the button's value: to the caller too); alice and frank are in ops."""
    with SMTPServer() as smtp:
        app = new_dash(request.param)
        app.layout = html.Div([html.Button(id="go"), html.Div(id="out")])
        channel = EmailChannel(
            ADDRESSES.get, base_url="http://app.test/", secret=SECRET, host="127.0.0.1",
            port=smtp.port, sender="notify@app.test", users=lambda: ["alice", "frank"],
        )  # fmt: skip
        hub = Hub(
            app, sqlite_url, user=lambda r: r.cookies.get("user"),
            groups=lambda user: ["ops"], channels=[channel, PushLike()],
            preferences={"email": "never"},
        )  # fmt: skip

        @app.callback(Output("out", "children"), Input("go", "value"), prevent_initial_call=True)
        def go(value):
            to = ["group:ops", hub.me()] if value == "me" else "group:ops"
            return str(hub.publish({"title": f"deploy {value}", "severity": "Critical"}, to=to))

        server = serve_in_thread(app)
        wait_until(lambda: hub.stores.channels.cursor("email") is not None, what="the cursor")
        yield hub, server, smtp
        server.stop()
        hub.stop()


def click(server, user: str, value: str) -> int:
    """The button's callback as alice's (or anyone's) browser runs it."""
    client = Client(server.url)
    client.cookies["user"] = user
    answer = client.post(
        "/_dash-update-component",
        json={
            "output": "out.children",
            "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "go", "property": "value", "value": value}],
            "changedPropIds": ["go.value"],
            "state": [],
        },
    )
    assert answer.status == 200, answer.body
    return int(json.loads(answer.body)["response"]["out"]["children"])


def settled(
    hub: Hub, message_id: int, count: int, channel: str = "email"
) -> dict[str, tuple[str, str | None]]:
    """A channel's deliveries of a message once ``count`` of them are no longer queued."""

    def found():
        rows = hub.deliveries(channel=channel, message_id=message_id)
        done = {d.recipient: (d.state, d.error) for d in rows if d.state != "queued"}
        return done if len(done) == count else None

    return wait_until(found, what=f"{count} email deliveries of {message_id}")


def test_a_callback_publishing_to_its_callers_group_mails_the_others(served):
    hub, server, smtp = served
    stream = SSEClient(server.port, headers={"Cookie": "user=alice"})
    stream.wait_for("hello", 1)
    group = click(server, "alice", "group")
    assert hub.stores.messages.get([group])[group].actor == "alice"
    # in-app: alice's own page shows it (she is looking at it)
    [(event_id, data)] = stream.wait_for("notification", 1)
    assert int(event_id) == group and data["options"]["title"] == "deploy group"
    assert "actor" not in data and "alice" not in json.dumps(data)  # never told browsers
    stream.close()
    # email: frank gets it, alice is left out, and the log says why
    assert settled(hub, group, 2) == {
        "user:frank": ("sent", None),
        "user:alice": ("skipped", LEFT_OUT),
    }
    assert [m.recipients for m in smtp.inbox.wait_for(1)] == [["frank@example.com"]]
    # push: the same
    assert settled(hub, group, 2, "push") == {
        "user:frank": ("sent", None),
        "user:alice": ("skipped", LEFT_OUT),
    }
    assert hub.channels[1].given == [f"push:{group}:user:frank"]
    # named as a target too: alice asked for it
    named = click(server, "alice", "me")
    for channel in ("email", "push"):
        assert settled(hub, named, 2, channel) == {
            "user:frank": ("sent", None),
            "user:alice": ("sent", None),
        }
    # her preference says notify_myself: she gets her own group notifications
    hub.preferences("alice").update({"notify_myself": True})
    again = click(server, "alice", "again")
    assert settled(hub, again, 2)["user:alice"] == ("sent", None)
    # another user's request: alice is not its actor, she is mailed
    by_frank = click(server, "frank", "by-frank")
    assert hub.stores.messages.get([by_frank])[by_frank].actor == "frank"
    assert settled(hub, by_frank, 2)["user:frank"] == ("skipped", LEFT_OUT)
    assert len(smtp.inbox.wait_for(6)) == 6


def test_tokens_and_code_outside_a_request_publish_without_an_actor(served):
    hub, server, _ = served
    outside = hub.publish({"title": "from a job"}, to="group:ops")
    _, secret = hub.create_token("ci", ["group:ops"])
    client = Client(server.url)
    client.cookies["user"] = "alice"  # a browser's cookie does not make a token a user
    answer = client.post(
        "/_dash_notify/publish",
        json={"to": "group:ops", "notification": {"title": "from ci"}},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status == 201, answer.body
    by_token = answer.json()["id"]
    found = hub.stores.messages.get([outside, by_token])
    assert found[outside].actor is None and found[by_token].actor is None


def test_a_server_calling_an_apps_route_is_no_actor_and_gets_no_cookie(sqlite_url):
    app = new_dash("flask")
    app.layout = html.Div()
    hub = Hub(app, sqlite_url, user=lambda r: r.cookies.get("user"), run=False)

    @app.server.route("/hook", methods=["POST"])
    def hook():  # another system's call to a route of the app's own
        return {"id": hub.publish({"title": "from a hook"}, to="group:ops")}

    @app.server.route("/mine", methods=["POST"])
    def mine():  # an anonymous browser's request: hub.me() gives it its id
        return {"me": hub.me(), "id": hub.publish({"title": "mine"}, to="group:ops")}

    try:
        client = app.server.test_client()
        answer = client.post("/hook")
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers  # JSON
        hook_id = answer.json["id"]
        answer = client.post("/mine").json
        me, mine_id = answer["me"], answer["id"]
        found = hub.stores.messages.get([hook_id, mine_id])
        assert found[hook_id].actor is None
        assert me.startswith("user:browser:") and found[mine_id].actor == me[len("user:") :]
    finally:
        hub.stop()


def test_the_decision_for_each_channel_and_setting():
    config = PreferenceConfig.parse(None)
    alice = config.effective(None)
    assert alice["notify_myself"] is False
    for channel in ("email", "push"):
        assert config.myself(alice, channel, "alice", "alice", ("group:ops",)) == LEFT_OUT
        assert config.myself(alice, channel, "alice", "alice", ("*",)) == LEFT_OUT
        assert config.myself(alice, channel, "alice", "alice", ("*", "user:alice")) is None
        assert config.myself(alice, channel, "alice", "bob", ("group:ops",)) is None
        assert config.myself(alice, channel, "alice", None, ("group:ops",)) is None
    for channel in ("inapp", "webhooks", "sms"):
        assert config.myself(alice, channel, "alice", "alice", ("*",)) is None
    assert (
        config.myself({**alice, "notify_myself": True}, "email", "alice", "alice", ("*",)) is None
    )
    # the app's default, and a user who turns it off again
    app = PreferenceConfig.parse({"notify_myself": True})
    assert app.myself(app.effective(None), "push", "alice", "alice", ("*",)) is None
    mine = app.effective(app.merge({}, app.check({"notify_myself": False})))
    assert app.myself(mine, "push", "alice", "alice", ("*",)) == LEFT_OUT
