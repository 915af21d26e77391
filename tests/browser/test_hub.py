"""The hub in real Chromium: a published notification shown on the desktop and its click
back in a callback, two users in two browsers, seen state shared by a user's browsers,
and a killed and restarted app that the page reconnects to by itself."""

from __future__ import annotations

import json
import time

import pytest
from selenium import webdriver

from dash_notify.hub import Hub
from dash_notify.testing import notification_chrome_options

from ..hub.serve import create_app
from ..hub.servers import AppProcess
from ..waiting import texts, wait_until
from .desktop_popup import click, wait_for_popups
from .helpers import wait_for_shown


def logged(driver, element_id: str) -> list[str]:
    return texts(driver, f"#{element_id} .event")


def wait_connected(driver, timeout: float = 15) -> None:
    wait_until(
        lambda: texts(driver, "#status") == ["connected"],
        timeout, "the hub connection",
    )  # fmt: skip


def toast_titles(driver) -> list[str]:
    return texts(driver, ".dn-toast .dn-title")


def log_in(driver, url: str, user: str) -> None:
    driver.get(url)
    driver.add_cookie({"name": "user", "value": user, "path": "/"})
    driver.get(url)
    wait_connected(driver)


@pytest.fixture
def second_browser():
    """Another Chromium, with a profile of its own (cookies and storage apart). Made by
    selenium directly: dash.testing 3.0.4 gives every Chrome the same fixed remote
    debugging port, so a second one of its Browsers would drive the first browser."""
    options = notification_chrome_options("allow")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()


@pytest.mark.oldest_dash
def test_a_published_notification_is_shown_on_the_desktop_and_its_click_comes_back(
    dash_duo, sqlite_url
):
    app, hub = create_app(sqlite_url, delivery="auto")
    dash_duo.start_server(app)
    wait_connected(dash_duo.driver)
    hub.publish(
        {"title": "Build 412 passed", "body": "main is green", "severity": "High",
         "actions": [{"action": "open", "title": "Open"}]},
        to="*",
    )  # fmt: skip
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "Build 412 passed" and shown["body"] == "main is green"
    assert shown["tag"] == "hub:1"
    assert wait_until(lambda: logged(dash_duo.driver, "shown"), what="shownData") == ["hub:1"]
    [popup] = wait_for_popups(1)
    click(popup.action_buttons()[0])
    clicked = wait_until(lambda: logged(dash_duo.driver, "clicked"), what="clickData")
    assert [json.loads(c) for c in clicked] == [["hub:1", "open", "desktop"]]
    # clicked is read, in the browser and on the server
    dash_duo.wait_for_text_to_equal("#unread", "0")
    [(message, seen)] = hub.history(hub.identity(hub_user(dash_duo.driver, hub)), 10)
    assert message.id == 1 and seen is not None


def hub_user(driver, hub) -> str:
    """The anonymous user id of this browser (from its cookie)."""
    return "browser:" + driver.get_cookie("dash_notify_browser")["value"]


@pytest.mark.oldest_dash
def test_two_users_in_two_browsers_receive_and_list_only_their_own(
    dash_duo, second_browser, sqlite_url
):
    app, hub = create_app(sqlite_url)
    dash_duo.start_server(app, navigate=False)
    alice, bob = dash_duo.driver, second_browser
    log_in(alice, dash_duo.server.url, "alice")
    log_in(bob, dash_duo.server.url, "bob")
    hub.publish({"title": "for alice"}, to="user:alice")
    hub.publish({"title": "for ops"}, to="group:ops")
    hub.publish({"title": "for bob"}, to="user:bob")
    hub.publish({"title": "for everyone"}, to="*")
    wait_until(lambda: len(logged(alice, "shown")) == 3, what="alice.s three")
    wait_until(lambda: len(logged(bob, "shown")) == 2, what="bob's two")
    time.sleep(0.5)
    assert logged(alice, "shown") == ["hub:1", "hub:2", "hub:4"]
    assert logged(bob, "shown") == ["hub:3", "hub:4"]
    assert toast_titles(alice) == ["for alice", "for ops", "for everyone"]
    assert toast_titles(bob) == ["for bob", "for everyone"]
    # a reload lists the history from the server: still only their own
    bob.refresh()
    wait_connected(bob)
    bob.find_element("css selector", ".dn-bell").click()
    items = wait_until(
        lambda: texts(bob, ".dn-item .dn-title"),
        what="bob's center",
    )
    assert items == ["for everyone", "for bob"]
    # bob cannot mark alice's notification as seen
    marked = bob.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch('/_dash_notify/seen', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({ids: [1, 2, 3]})}).then(r => r.json()).then(done);"""
    )
    assert marked == {"seen": [3], "upto": 0}


def test_read_in_one_browser_is_read_in_the_others(dash_duo, second_browser, sqlite_url):
    app, hub = create_app(sqlite_url)
    dash_duo.start_server(app, navigate=False)
    first, second = dash_duo.driver, second_browser
    log_in(first, dash_duo.server.url, "alice")
    log_in(second, dash_duo.server.url, "alice")
    hub.publish({"title": "one", "severity": "High"}, to="user:alice")
    hub.publish({"title": "two", "severity": "High"}, to="group:ops")
    for driver in (first, second):
        wait_until(lambda d=driver: texts(d, "#unread") == ["2"], what="two unread")
    first.find_element("css selector", ".dn-bell").click()
    first.find_element("xpath", "//button[normalize-space()='Mark all read']").click()
    wait_until(
        lambda: texts(second, "#unread") == ["0"],
        what="the second browser to see them read",
    )
    assert [at is not None for _, at in hub.history(hub.identity("alice"), 10)] == [True, True]


@pytest.mark.oldest_dash
def test_the_page_reconnects_to_a_restarted_app_and_misses_nothing(dash_br, sqlite_url):
    app = AppProcess(sqlite_url, env={"DASH_NOTIFY_KEEPALIVE": "1"}).start()
    writer = Hub(None, sqlite_url)  # another process's publisher
    try:
        dash_br.driver.get(app.url)
        wait_connected(dash_br.driver)
        writer.publish({"title": "before", "severity": "High"}, to="*")
        wait_until(lambda: logged(dash_br.driver, "shown") == ["hub:1"], what="the first")
        app.kill()
        wait_until(
            lambda: texts(dash_br.driver, "#status") == ["reconnecting"],
            what="the page to notice",
        )
        # published by another process while the app is down
        writer.publish({"title": "while down 1", "severity": "High"}, to="*")
        writer.publish({"title": "while down 2", "severity": "High"}, to="*")
        app.start()
        wait_connected(dash_br.driver, timeout=30)
        writer.publish({"title": "after", "severity": "High"}, to="*")
        wait_until(lambda: len(logged(dash_br.driver, "shown")) >= 4, what="all four")
        time.sleep(1.5)
        assert logged(dash_br.driver, "shown") == ["hub:1", "hub:2", "hub:3", "hub:4"]
        assert toast_titles(dash_br.driver) == ["before", "while down 1", "while down 2"]
    finally:
        writer.stop()
        app.stop()


def test_the_tabs_of_a_browser_share_one_stream_and_hand_it_over(dash_duo, sqlite_url):
    app, hub = create_app(sqlite_url)
    dash_duo.start_server(app)
    driver = dash_duo.driver
    wait_connected(driver)
    first = driver.current_window_handle
    for _ in range(2):
        driver.switch_to.new_window("tab")
        driver.get(dash_duo.server_url)
        wait_connected(driver)
    tabs = driver.window_handles
    assert len(tabs) == 3
    # three tabs, one event stream: the browser's six connections per host stay free
    assert hub.live.subscriber_count == 1
    hub.publish({"title": "one", "severity": "High"}, to="*")
    for tab in tabs:
        driver.switch_to.window(tab)
        wait_until(lambda: logged(driver, "shown") == ["hub:1"], what="hub:1 in every tab")
    # the leading tab closes: another takes the stream over, missing nothing
    driver.switch_to.window(first)
    driver.close()
    hub.publish({"title": "two", "severity": "High"}, to="*")
    for tab in tabs[1:]:
        driver.switch_to.window(tab)
        wait_until(lambda: len(logged(driver, "shown")) >= 2, what="hub:2 in the other tabs")
    time.sleep(1)
    for tab in tabs[1:]:
        driver.switch_to.window(tab)
        assert logged(driver, "shown") == ["hub:1", "hub:2"]
        assert toast_titles(driver) == ["one", "two"]


def test_a_store_that_starts_over_keeps_delivering(dash_duo, tmp_path):
    """Issue 9 #6: Redis restarted without its data while a page is open. Before epochs,
    new publishes got their 201 and never arrived (the page and the server waited for
    ids above the old ones). Now the page is told the log started over and shows them."""
    from ..hub.servers import RedisServer

    redis = RedisServer(tmp_path / "redis").start()
    try:
        app, hub = create_app(f"{redis.url}?prefix=epoch")
        dash_duo.start_server(app)
        wait_connected(dash_duo.driver)
        for title in ("one", "two", "three"):
            hub.publish({"title": title, "severity": "High"}, to="*")
        wait_until(lambda: len(logged(dash_duo.driver, "shown")) == 3, what="three shown")
        import redis as redis_client

        admin = redis_client.Redis.from_url(redis.url)
        admin.flushall()  # what a restart without persistence leaves
        admin.close()
        assert hub.publish({"title": "after the restart", "severity": "High"}, to="*") == 1
        wait_until(
            lambda: "after the restart" in toast_titles(dash_duo.driver),
            timeout=20, what="the notification published after the restart",
        )  # fmt: skip
        assert logged(dash_duo.driver, "shown") == ["hub:1", "hub:2", "hub:3", "hub:1"]
        assert toast_titles(dash_duo.driver).count("after the restart") == 1
    finally:
        redis.stop()
