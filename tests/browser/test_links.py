"""The url option in real Chromium: a click on the body of a toast, a center item or a
real desktop popup opens it; a path of the app changes page without a reload (Dash
Pages), an http(s) URL opens a new tab without a handle back; the click still arrives."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from ..waiting import wait_until
from .apps import events, raise_next, wait_for_events
from .desktop_popup import click, wait_for_popups
from .pages import mark_page, not_reloaded, pages_app


def start(duo, raises, **notifications):
    duo.start_server(pages_app(raises, **notifications))
    duo.wait_for_text_to_equal("#page-title", "Home")
    duo.wait_for_element("#permission")
    mark_page(duo.driver)
    return duo


def path(duo) -> str:
    return duo.driver.execute_script("return location.pathname")


@pytest.mark.oldest_dash
def test_a_toast_with_an_app_path_changes_page_without_a_reload(dash_duo_blocked):
    duo = start(
        dash_duo_blocked,
        [{"title": "Report ready", "url": "/page-2", "severity": "High",
          "actions": [{"action": "later", "title": "Later"}]}],
    )  # fmt: skip
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    # an action button is not the body: it does not follow the url
    toast.find_element("css selector", ".dn-actions .dn-btn").click()
    [action_click] = wait_for_events(duo, "clickData", 1)
    assert action_click["action"] == "later" and action_click["url"] == "/page-2"
    time.sleep(0.3)
    assert path(duo) == "/" and duo.find_element("#page-title").text == "Home"

    raise_next(duo)
    duo.wait_for_element(".dn-toast .dn-main").click()
    duo.wait_for_text_to_equal("#page-title", "Page 2")
    assert path(duo) == "/page-2"
    assert not_reloaded(duo.driver), "the page was reloaded"
    body_click = wait_for_events(duo, "clickData", 2)[-1]
    assert body_click["action"] is None and body_click["url"] == "/page-2"
    assert body_click["delivery"] == "toast"
    # the browser's back button returns, still without a reload
    duo.driver.back()
    duo.wait_for_text_to_equal("#page-title", "Home")
    assert not_reloaded(duo.driver)


@pytest.mark.oldest_dash
def test_a_center_item_with_an_app_path_changes_page(dash_duo_blocked):
    duo = start(
        dash_duo_blocked, [{"title": "Quiet", "url": "/page-2", "showToast": False}], center=True
    )
    raise_next(duo)
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 1 unread']").click()
    duo.wait_for_element("[role=dialog] .dn-item .dn-main").click()
    duo.wait_for_text_to_equal("#page-title", "Page 2")
    assert not_reloaded(duo.driver)
    [clicked] = wait_for_events(duo, "clickData", 1)
    assert clicked["delivery"] == "center" and clicked["url"] == "/page-2"


def test_an_http_url_opens_a_new_tab_with_no_handle_back(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(pages_app([]))  # the url needs the server's address: raise below
    duo.wait_for_text_to_equal("#page-title", "Home")
    mark_page(duo.driver)
    target = f"{duo.server_url}/page-2?opened=1"
    duo.driver.execute_script(
        "window.dash_clientside.set_props('n', {raise: arguments[0]})",
        {"title": "Docs", "url": target, "severity": "High"},
    )
    first = duo.driver.current_window_handle
    ActionChains(duo.driver).move_to_element(
        duo.wait_for_element(".dn-toast .dn-main")
    ).click().perform()
    wait_until(lambda: len(duo.driver.window_handles) == 2, what="a new tab")
    [clicked] = wait_for_events(duo, "clickData", 1)
    assert clicked["url"] == target and clicked["delivery"] == "toast"
    assert path(duo) == "/" and not_reloaded(duo.driver)  # this tab stays where it was
    duo.driver.switch_to.window(next(h for h in duo.driver.window_handles if h != first))
    wait_until(lambda: duo.driver.current_url == target, what="the new tab's address")
    assert duo.driver.execute_script("return window.opener") is None


def test_a_javascript_url_is_refused_in_the_browser_too(dash_duo_blocked):
    duo = start(dash_duo_blocked, [{"title": "Evil", "url": "javascript:alert(1)"}])
    raise_next(duo)
    [[error]] = wait_for_events(duo, "errorData", 1)
    assert error["field"] == "url" and "is not an allowed link" in error["message"]
    assert duo.find_elements(".dn-toast") == []


@pytest.mark.oldest_dash
def test_a_click_on_the_desktop_popup_follows_an_app_path_in_the_tab(dash_duo):
    duo = start(
        dash_duo,
        [{"title": "Open page 2", "body": "click me", "url": "/page-2", "severity": "High"}],
    )
    duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(duo)
    [popup] = wait_for_popups(1)
    click(popup.body)
    duo.wait_for_text_to_equal("#page-title", "Page 2")
    assert not_reloaded(duo.driver)
    [clicked] = wait_for_events(duo, "clickData", 1)
    assert clicked["delivery"] == "desktop" and clicked["url"] == "/page-2"


def test_a_click_on_the_desktop_popup_opens_an_http_url_in_a_new_window(dash_duo):
    duo = dash_duo
    duo.start_server(pages_app([]))
    duo.wait_for_text_to_equal("#page-title", "Home")
    duo.wait_for_text_to_equal("#permission", "granted")
    target = f"{duo.server_url}/page-2?from=desktop"
    duo.driver.execute_script(
        "window.dash_clientside.set_props('n', {raise: arguments[0]})",
        {"title": "External", "body": "click me", "url": target, "severity": "High"},
    )
    [popup] = wait_for_popups(1)
    click(popup.body)
    wait_until(lambda: len(duo.driver.window_handles) == 2, what="a new window")
    [clicked] = wait_for_events(duo, "clickData", 1)
    assert clicked["delivery"] == "desktop" and clicked["url"] == target
    assert path(duo) == "/"
    first = duo.driver.current_window_handle
    duo.driver.switch_to.window(next(h for h in duo.driver.window_handles if h != first))
    wait_until(lambda: duo.driver.current_url == target, what="the new window's address")
    assert events(duo, "clickData") == []  # the new window is the app too: no second click


def test_with_no_tab_open_a_desktop_click_opens_the_app_on_that_path(dash_duo):
    duo = start(
        dash_duo,
        [{"title": "Report ready", "body": "click me", "url": "/page-2", "severity": "High"}],
    )
    duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(duo)
    [popup] = wait_for_popups(1)
    duo.driver.get("about:blank")  # no tab of the app is open any more
    time.sleep(0.5)
    click(popup.body)
    wait_until(lambda: len(duo.driver.window_handles) == 2, what="a new window")
    blank = duo.driver.current_window_handle
    duo.driver.switch_to.window(next(h for h in duo.driver.window_handles if h != blank))
    duo.wait_for_text_to_equal("#page-title", "Page 2")
    assert path(duo) == "/page-2"
    [clicked] = wait_for_events(duo, "clickData", 1)  # delivered to the new tab, once
    assert clicked["url"] == "/page-2" and clicked["delivery"] == "desktop"
    time.sleep(0.6)
    assert len(events(duo, "clickData")) == 1
