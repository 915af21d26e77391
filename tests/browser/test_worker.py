"""dash_notify's service worker: served by the library itself under the app's path prefix,
and living beside a service worker of the app's own."""

from __future__ import annotations

import json

import pytest
from flask import Response

from .apps import raise_next, raising_app, wait_for_events
from .desktop_popup import click, wait_for_popups
from .helpers import wait_for_shown

REGISTRATIONS = """
const done = arguments[arguments.length - 1];
navigator.serviceWorker.getRegistrations().then(rs => done(JSON.stringify({
  scopes: rs.map(r => r.scope).sort(),
  controller: navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL,
})));
"""


def registrations(driver) -> dict:
    return json.loads(driver.execute_async_script(REGISTRATIONS))


@pytest.mark.oldest_dash
def test_the_worker_honours_requests_pathname_prefix(dash_duo):
    app = raising_app([{"title": "Prefixed"}], url_base_pathname="/trading/")
    dash_duo.start_server(app, navigate=False)
    dash_duo.wait_for_page(url=f"{dash_duo.server.url}/trading/")
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "Prefixed"
    assert shown["data"]["dashNotify"]["appRoot"].endswith("/trading/")
    [scope] = registrations(dash_duo.driver)["scopes"]
    assert scope.endswith("/trading/_dash-component-suites/dash_notify/")
    click(wait_for_popups(1)[0].body)
    wait_for_events(dash_duo, "clickData", 1)


APP_WORKER = (
    "self.addEventListener('fetch', () => {});"
    "self.addEventListener('activate', e => e.waitUntil(clients.claim()));"
)


def test_an_app_with_its_own_service_worker_keeps_it(dash_duo):
    app = raising_app([{"title": "Beside the app's worker"}])

    @app.server.route("/app-sw.js")
    def app_worker():
        return Response(
            APP_WORKER, mimetype="text/javascript", headers={"Service-Worker-Allowed": "/"}
        )

    app.index_string = app.index_string.replace(
        "</body>",
        "<script>navigator.serviceWorker.register('/app-sw.js', {scope: '/'});</script></body>",
    )
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    dash_duo.driver.refresh()  # now the app's own worker controls the page
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(dash_duo)
    wait_for_shown(dash_duo.driver, 1)
    state = registrations(dash_duo.driver)
    assert state["controller"].endswith("/app-sw.js")
    assert len(state["scopes"]) == 2
    assert state["scopes"][0].endswith("/") and state["scopes"][1].endswith("/dash_notify/")
    click(wait_for_popups(1)[0].body)
    [click_event] = wait_for_events(dash_duo, "clickData", 1)
    assert click_event["delivery"] == "desktop"
    assert registrations(dash_duo.driver)["controller"].endswith("/app-sw.js")
