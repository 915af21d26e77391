"""Web Push in real Chromium, offline. Chromium cannot make a push subscription without
its vendor's push service (``pushManager.subscribe`` never settles here), but the
DevTools Protocol delivers a push message to the service worker as the push service
would: the payload is built by the server's own code (``push/payload.py``, what the
push channel encrypts and sends). Popups are clicked for real under Xvfb (xdotool).

What these tests cannot do here: a real subscription (subscribe never settles), and so
neither the encrypted round trip through a push service to this browser (the server
half is tested against a real RFC 8030 receiver in tests/hub/test_push_channel.py)."""

from __future__ import annotations

import json
import subprocess

import pytest
from dash import Dash, Input, Output, html

import dash_notify
from dash_notify.hub.channels.push import PushChannel
from dash_notify.hub.push import vapid
from dash_notify.hub.push.payload import payload

from ..waiting import wait_until
from .apps import events, log_event, wait_for_events
from .cdp import CDP, worker_registration
from .desktop_popup import click, wait_for_popups
from .helpers import shown_notifications

SCOPE = "/_dash-component-suites/dash_notify/"
LOGGED = ("clickData", "shownData", "pushState", "hubStatus")


def _push_app(store: str, key: str, delivery: str = "auto") -> tuple[Dash, dash_notify.Hub]:
    """A hub app with Web Push on; every event prop and pushState logged on the page,
    and a button that turns push off."""
    app = Dash(__name__)
    app.layout = html.Div(
        [
            dash_notify.Notifications(id="n", hub=True, push=True, delivery=delivery),
            html.Button("Push off", id="off"),
            *[html.Div(id=f"{prop}-log", children=[]) for prop in LOGGED],
        ]
    )
    for prop in LOGGED:
        log_event(app, prop)

    @app.callback(Output("n", "push"), Input("off", "n_clicks"), prevent_initial_call=True)
    def push_off(_):
        return False

    hub = dash_notify.Hub(app, store, channels=[PushChannel(key, "mailto:ops@example.com")])
    return app, hub


@pytest.fixture
def vapid_key(tmp_path) -> str:
    path = tmp_path / "vapid.pem"
    vapid.generate(path)
    return str(path)


@pytest.fixture
def push_app():
    """Makes push apps (see _push_app); stops their hubs at the end of the test."""
    hubs = []

    def make(*args, **kwargs) -> tuple[Dash, dash_notify.Hub]:
        app, hub = _push_app(*args, **kwargs)
        hubs.append(hub)
        return app, hub

    yield make
    for hub in hubs:
        hub.stop()


# The worker's notifications, as it lists them (no page of the app is open to ask).
LISTED = """self.registration.getNotifications().then(list => list.map(n => ({
  title: n.title, body: n.body, tag: n.tag, data: n.data,
  requireInteraction: n.requireInteraction,
  actions: n.actions.map(a => ({action: a.action, title: a.title}))})))"""


def push_states(dash_duo) -> list[str]:
    return events(dash_duo, "pushState")


def browser_user(driver) -> str:
    """This browser's hub identity: its anonymous cookie."""
    return "browser:" + driver.get_cookie("dash_notify_browser")["value"]


def deliver_push(cdp: CDP, session: str, origin: str, registration: str, hub, user, mid):
    """Deliver hub message ``mid`` to the worker as the push channel would send it."""
    [message] = [m for m, _ in hub.history(hub.identity(user), 100) if m.id == mid]
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": registration, "data": payload(message).decode()},
        session=session,
    )


def open_devtools(dash_duo) -> tuple[CDP, str, str]:
    """(cdp, page session, worker registration id) once the app's worker is registered."""
    origin = dash_duo.server.url
    cdp = CDP(dash_duo.driver)
    cdp.send("Browser.grantPermissions", {"permissions": ["notifications"], "origin": origin})
    session = cdp.attach(origin)
    return cdp, session, worker_registration(cdp, session, SCOPE)


@pytest.mark.oldest_dash
def test_a_push_with_no_tab_open_shows_and_its_click_opens_the_app_and_marks_it_seen(
    dash_duo, sqlite_url, vapid_key, push_app
):
    app, hub = push_app(sqlite_url, vapid_key)
    dash_duo.start_server(app)
    wait_until(lambda: "subscribing" in push_states(dash_duo), what="pushState subscribing")
    cdp, session, registration = open_devtools(dash_duo)
    try:
        driver = dash_duo.driver
        user = browser_user(driver)
        driver.get("about:blank")  # no tab of the app is open now
        mid = hub.publish(
            {"title": "Build 7 failed", "body": "on main", "severity": "High", "tag": "build-7",
             "data": {"build": 7}, "actions": [{"action": "retry", "title": "Retry"}]},
            to=f"user:{user}",
        )  # fmt: skip
        deliver_push(cdp, session, dash_duo.server.url, registration, hub, user, mid)
        [popup] = wait_for_popups(1)
        [shown] = cdp.in_worker(SCOPE + "sw.js", LISTED)
        assert shown["title"] == "Build 7 failed" and shown["body"] == "on main"
        assert shown["tag"] == "build-7" and shown["requireInteraction"] is True
        assert shown["actions"] == [{"action": "retry", "title": "Retry"}]
        envelope = shown["data"]["dashNotify"]
        assert envelope["id"] == f"hub:{mid}" and envelope["componentId"] is None
        assert envelope["appRoot"] == dash_duo.server.url + "/"
        blank = driver.current_window_handle
        click(popup.body)
        # the worker opens the app; the click arrives there once the component mounts
        opened = wait_until(
            lambda: [h for h in driver.window_handles if h != blank], what="the app's tab"
        )
        driver.switch_to.window(opened[0])
        [clicked] = wait_for_events(dash_duo, "clickData", 1, timeout=20)
        assert clicked["id"] == f"hub:{mid}" and clicked["action"] is None
        assert clicked["delivery"] == "desktop" and clicked["data"] == {"build": 7}
        assert clicked["severity"] == "High" and clicked["tag"] == "build-7"
        assert clicked["publisher"] == "python"
        wait_for_popups(0)
        # seen on the server (the worker posted it with this browser's cookie)
        wait_until(lambda: hub.history(hub.identity(user), 10)[0][1] is not None, what="seen")
    finally:
        cdp.close()


def test_no_second_popup_for_a_message_an_open_tab_showed_and_clicks_reach_that_tab(
    dash_duo, sqlite_url, vapid_key, push_app
):
    # toasts for the live ones: any desktop popup on screen can only come from a push
    app, hub = push_app(sqlite_url, vapid_key, delivery="toast")
    dash_duo.start_server(app)
    wait_until(lambda: "connected" in events(dash_duo, "hubStatus"), what="the hub stream")
    cdp, session, registration = open_devtools(dash_duo)
    try:
        driver = dash_duo.driver
        user = browser_user(driver)
        live = hub.publish({"title": "Seen live"}, to="*")
        [[shown]] = wait_for_events(dash_duo, "shownData", 1)
        assert shown["id"] == f"hub:{live}" and shown["delivery"] == "toast"
        # a message this browser's tab never received (another user's), pushed here
        other = hub.publish({"title": "Only pushed"}, to="user:someone-else")
        deliver_push(cdp, session, dash_duo.server.url, registration, hub, user, live)
        deliver_push(cdp, session, dash_duo.server.url, registration, hub, "someone-else", other)
        [popup] = wait_for_popups(1)
        [listed] = shown_notifications(driver)
        assert listed["title"] == "Only pushed"
        assert listed["data"]["dashNotify"]["id"] == f"hub:{other}"
        click(popup.body)
        [clicked] = wait_for_events(dash_duo, "clickData", 1)
        assert clicked["id"] == f"hub:{other}" and clicked["delivery"] == "desktop"
        assert len(driver.window_handles) == 1  # taken by the open tab, none opened
    finally:
        cdp.close()


SUBSCRIBE_LIKE_A_BROWSER = """
const done = arguments[arguments.length - 1];
const b64url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
(async () => {
  const pair = await crypto.subtle.generateKey({name: 'ECDH', namedCurve: 'P-256'}, true,
                                               ['deriveBits']);
  const token = b64url(crypto.getRandomValues(new Uint8Array(24)));
  const subscription = {
    endpoint: 'https://push.example.net/wpush/v2/' + token,
    expirationTime: null,
    keys: {p256dh: b64url(await crypto.subtle.exportKey('raw', pair.publicKey)),
           auth: b64url(crypto.getRandomValues(new Uint8Array(16)))},
  };
  const key = await fetch('/_dash_notify/push/key', {credentials: 'include'});
  const reply = await fetch('/_dash_notify/push/subscribe', {
    method: 'POST', credentials: 'include', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({...subscription, lang: navigator.language}),
  });
  done(JSON.stringify({key: await key.json(), status: reply.status, body: await reply.json(),
                       endpoint: subscription.endpoint}));
})().catch(e => done(JSON.stringify({error: String(e)})));
"""


def test_push_state_and_the_routes_from_the_page(dash_duo, sqlite_url, vapid_key, push_app):
    """What can be tested of subscribing offline: the component asks the browser to
    subscribe (pushManager.subscribe never settles here: "subscribing", then "error"
    after 15 s; never "subscribed"), the key and subscribe routes answer this page's
    fetches under its cookie identity, and push=False turns it off."""
    app, hub = push_app(sqlite_url, vapid_key)
    dash_duo.start_server(app)
    wait_until(lambda: "subscribing" in push_states(dash_duo), what="pushState subscribing")
    driver = dash_duo.driver
    result = json.loads(driver.execute_async_script(SUBSCRIBE_LIKE_A_BROWSER))
    assert result["key"] == {"publicKey": hub.push.public_key}
    assert result["status"] == 201, result
    [stored] = hub.push.list(browser_user(driver))
    assert stored.endpoint == result["endpoint"] and "Chrome" in stored.user_agent
    wait_until(lambda: push_states(dash_duo)[-1] == "error", timeout=25, what="error")
    assert "subscribed" not in push_states(dash_duo)
    dash_duo.find_element("#off").click()
    wait_until(lambda: push_states(dash_duo)[-1] == "off", what="off")
    assert hub.push.list()  # no browser subscription to remove: the hub's copy stays


@pytest.mark.parametrize(
    ("duo", "state"), [("dash_duo_blocked", "denied"), ("dash_duo_asking", "waiting")]
)
@pytest.mark.oldest_dash
def test_push_state_follows_the_permission(request, sqlite_url, vapid_key, push_app, duo, state):
    duo = request.getfixturevalue(duo)
    app, _ = push_app(sqlite_url, vapid_key)
    duo.start_server(app)
    wait_until(lambda: push_states(duo)[-1:] == [state], what=state)
    assert "subscribing" not in push_states(duo)


# A pushsubscriptionchange as Firefox fires it when its push service renews a
# subscription. Chromium cannot make the new subscription offline, so the event is
# dispatched with a new subscription made of WebCrypto keys (what the worker then
# posts); the worker's own fetches, with this browser's cookies, are the real ones.
CHANGE_SUBSCRIPTION = """(async () => {
  const b64url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const pair = await crypto.subtle.generateKey({name: 'ECDH', namedCurve: 'P-256'}, true,
                                               ['deriveBits']);
  const json = {endpoint: NEW, expirationTime: null,
                keys: {p256dh: b64url(await crypto.subtle.exportKey('raw', pair.publicKey)),
                       auth: b64url(crypto.getRandomValues(new Uint8Array(16)))}};
  const event = new ExtendableEvent('pushsubscriptionchange');
  Object.defineProperties(event, {
    oldSubscription: {value: {endpoint: OLD, options: {applicationServerKey: null}}},
    newSubscription: {value: {endpoint: NEW, toJSON: () => json}},
  });
  try { self.dispatchEvent(event); } catch (e) {}  // waitUntil refuses untrusted events
  return true;
})()"""


def test_pushsubscriptionchange_moves_the_hubs_copy_to_the_new_subscription(
    dash_duo, sqlite_url, vapid_key, push_app
):
    app, hub = push_app(sqlite_url, vapid_key)
    dash_duo.start_server(app)
    wait_until(lambda: "subscribing" in push_states(dash_duo), what="pushState subscribing")
    driver = dash_duo.driver
    user = browser_user(driver)
    old = json.loads(driver.execute_async_script(SUBSCRIBE_LIKE_A_BROWSER))["endpoint"]
    assert [s.endpoint for s in hub.push.list(user)] == [old]
    new = "https://push.example.net/wpush/v2/renewed"
    cdp = CDP(driver)
    try:
        script = CHANGE_SUBSCRIPTION.replace("NEW", json.dumps(new)).replace("OLD", json.dumps(old))
        assert cdp.in_worker(SCOPE + "sw.js", script) is True
        wait_until(
            lambda: [s.endpoint for s in hub.push.list(user)] == [new], what="the new subscription"
        )
        [stored] = hub.push.list(user)
        assert "Chrome" in stored.user_agent
    finally:
        cdp.close()


def _lan_address() -> str | None:
    """An IPv4 address of this machine other than loopback (None: it has none)."""
    found = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return next((a for a in found if "." in a and not a.startswith("127.")), None)


def test_push_state_is_unsupported_where_the_page_is_not_a_secure_context(
    dash_duo, sqlite_url, vapid_key, push_app
):
    address = _lan_address()
    if address is None:
        pytest.skip("this machine has no address but loopback (which is a secure context)")
    app, _ = push_app(sqlite_url, vapid_key)
    dash_duo.start_server(app, navigate=False, host="0.0.0.0")
    # plain http on an address other than localhost: no service workers, no Push API
    dash_duo.driver.get(f"http://{address}:{dash_duo.server.port}/")
    wait_until(lambda: push_states(dash_duo)[-1:] == ["unsupported"], what="unsupported")
    assert dash_duo.driver.execute_script("return window.isSecureContext") is False
    assert dash_duo.get_logs() == []  # and nothing failed
