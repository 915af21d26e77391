"""A Dash Pages app with Notifications in its shell: toasts, their queue, the center and
the hub's event stream all survive page changes; a hub notification published while
the app changes page is shown once."""

from __future__ import annotations

import threading
import time

import flask
import pytest

import dash_notify

from ..waiting import wait_until
from .apps import events, raise_next, wait_for_events
from .pages import mark_page, not_reloaded, pages_app


def toast_titles(duo) -> list[str]:
    script = "return [...document.querySelectorAll('.dn-toast .dn-title')].map(e => e.textContent)"
    return duo.driver.execute_script(script)


def go_to(duo, link: str, title: str) -> None:
    duo.find_element(link).click()
    duo.wait_for_text_to_equal("#page-title", title)


@pytest.mark.oldest_dash
def test_toasts_queue_and_center_survive_page_changes(dash_duo_blocked):
    duo = dash_duo_blocked
    batch = [{"title": f"Job {i}", "severity": "High"} for i in range(3)]
    duo.start_server(pages_app([batch], maxVisible=2, center=True))
    duo.wait_for_text_to_equal("#page-title", "Home")
    mark_page(duo.driver)
    raise_next(duo)
    wait_until(lambda: toast_titles(duo) == ["Job 0", "Job 1"], what="two toasts")
    first_toast = duo.find_element(".dn-toast")
    go_to(duo, "#to-2", "Page 2")
    go_to(duo, "#to-home", "Home")
    go_to(duo, "#to-2", "Page 2")
    assert not_reloaded(duo.driver)
    # the same elements, not new ones: the component was never re-mounted
    assert first_toast.find_element("css selector", ".dn-title").text == "Job 0"
    assert toast_titles(duo) == ["Job 0", "Job 1"]
    # the queue goes on: dismissing one brings the third
    duo.find_elements(".dn-close")[0].click()
    wait_until(lambda: toast_titles(duo) == ["Job 1", "Job 2"], what="the queued toast")
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 2 unread']")
    assert len(wait_for_events(duo, "shownData", 1)[0]) == 3  # shown once, not per page


@pytest.mark.oldest_dash
def test_the_hub_stream_survives_page_changes_and_shows_a_notification_once(
    dash_duo_blocked, sqlite_url
):
    duo = dash_duo_blocked
    app = pages_app([{"title": "unused"}], hub=True, delivery="toast", maxVisible=5)
    hub = dash_notify.Hub(app, sqlite_url)
    streams = []

    @app.server.before_request
    def count_streams():
        if flask.request.path.endswith("/_dash_notify/events"):
            streams.append(flask.request.full_path)

    duo.start_server(app)
    duo.wait_for_text_to_equal("#status", "connected")
    mark_page(duo.driver)
    hub.publish({"title": "before", "severity": "High"}, to="*")
    wait_until(lambda: toast_titles(duo) == ["before"], what="the first")

    # published from another thread while the pages change back and forth
    publisher = threading.Thread(
        target=lambda: [
            hub.publish({"title": f"during {i}", "severity": "High"}, to="*") or time.sleep(0.15)
            for i in range(3)
        ]
    )
    publisher.start()
    for _ in range(3):
        go_to(duo, "#to-2", "Page 2")
        go_to(duo, "#to-home", "Home")
    publisher.join()
    expected = ["before", "during 0", "during 1", "during 2"]
    wait_until(lambda: toast_titles(duo) == expected, what="all four toasts")
    time.sleep(0.6)  # longer than the event props' spacing: nothing more arrives
    assert toast_titles(duo) == expected
    shown = [entry["id"] for batch in events(duo, "shownData") for entry in batch]
    assert shown == ["hub:1", "hub:2", "hub:3", "hub:4"]
    assert not_reloaded(duo.driver)
    assert duo.find_element("#status").text == "connected"
    assert len(streams) == 1, streams  # one event stream for the whole visit
