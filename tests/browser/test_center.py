"""The notification center: history with read state, its controls, what Dash callbacks
can read and write, reload and tabs, and a burst of 1,000 notifications."""

from __future__ import annotations

import time

import pytest
from dash import Input, Output, html
from selenium.webdriver.common.action_chains import ActionChains

from .apps import raise_next, raising_app, wait_for_events


def center_app(raises, controls=(), **notifications):
    buttons = [
        html.Button("Mark all read", id="mark-all"),
        html.Button("Clear", id="clear"),
        html.Div(id="counts"),
        *controls,
    ]
    app = raising_app(raises, notifications={"center": True, **notifications}, controls=buttons)

    @app.callback(
        Output("n", "markAllRead"), Input("mark-all", "n_clicks"), prevent_initial_call=True
    )
    def mark_all(_):
        return True

    @app.callback(Output("n", "clearAll"), Input("clear", "n_clicks"), prevent_initial_call=True)
    def clear(_):
        return True

    @app.callback(Output("counts", "children"), Input("n", "count"), Input("n", "unreadCount"))
    def counts(count, unread):
        return f"{count}/{unread}"

    return app


def bell_label(duo) -> str:
    return duo.find_element(".dn-bell").get_attribute("aria-label")


def open_center(duo):
    duo.find_element(".dn-bell").click()
    return duo.wait_for_element("[role=dialog]")


def panel_button(duo, text: str):
    return duo.driver.find_element("xpath", f"//div[@role='dialog']//button[text()='{text}']")


def choose(duo, group: str, text: str) -> None:
    """Clicks a segment of one of the panel's segmented filters ("Show", "Severity")."""
    duo.driver.find_element(
        "xpath",
        f"//div[@role='dialog']//fieldset[legend='{group}']//label[normalize-space()='{text}']",
    ).click()


def item_menu(duo, item, entry: str) -> None:
    """Opens an item's menu (the "⋯" button shown on hover) and chooses an entry."""
    ActionChains(duo.driver).move_to_element(item).perform()
    item.find_element("css selector", ".dn-menu-btn").click()
    item.find_element("xpath", f".//*[@role='menuitem'][normalize-space()='{entry}']").click()


def titles(duo) -> list[str]:
    return [e.text for e in duo.find_elements("[role=dialog] .dn-item .dn-title")]


@pytest.mark.oldest_dash
def test_the_center_lists_everything_newest_first_with_read_state(dash_duo_blocked):
    duo = dash_duo_blocked
    raises = [[{"title": f"N{i}", "severity": s} for i, s in enumerate(["Low", "High", "Low"])]]
    duo.start_server(center_app(raises))
    duo.wait_for_text_to_equal("#counts", "0/0")
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "3/3")
    assert bell_label(duo) == "Notifications, 3 unread"
    assert duo.find_element(".dn-badge").text == "3"
    open_center(duo)
    assert titles(duo) == ["N2", "N1", "N0"]

    # Mark one read, filter unread, filter by severity, dismiss one.
    item_menu(duo, duo.find_elements("[role=dialog] .dn-item")[0], "Mark as read")
    duo.wait_for_text_to_equal("#counts", "3/2")
    choose(duo, "Show", "Unread")
    assert titles(duo) == ["N1", "N0"]
    choose(duo, "Show", "All")
    choose(duo, "Severity", "High")
    assert titles(duo) == ["N1"]
    item_menu(duo, duo.find_elements("[role=dialog] .dn-item")[0], "Dismiss")
    duo.wait_for_text_to_equal("#counts", "2/1")

    # A click on an item is a click like any other, and marks it read.
    choose(duo, "Severity", "All")
    duo.find_elements("[role=dialog] .dn-item .dn-main")[1].click()
    [click] = wait_for_events(duo, "clickData", 1)
    assert click["delivery"] == "center"
    duo.wait_for_text_to_equal("#counts", "2/0")


@pytest.mark.oldest_dash
def test_mark_all_read_and_clear_from_callbacks_and_from_the_panel(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app([[{"title": f"N{i}"} for i in range(12)]]))
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "12/12")
    assert duo.find_element(".dn-badge").text == "9+"
    duo.find_element("#mark-all").click()
    duo.wait_for_text_to_equal("#counts", "12/0")
    assert duo.find_elements(".dn-badge") == []
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "24/12")
    open_center(duo)
    panel_button(duo, "Mark all read").click()
    duo.wait_for_text_to_equal("#counts", "24/0")
    # A press outside the panel (far right of the page) closes it.
    body = duo.find_element("body")
    ActionChains(duo.driver).move_to_element(body).move_by_offset(420, 0).click().perform()
    duo.wait_for_no_elements("[role=dialog]")
    duo.find_element("#clear").click()
    duo.wait_for_text_to_equal("#counts", "0/0")
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "12/12")
    open_center(duo)
    panel_button(duo, "Clear all").click()
    duo.wait_for_text_to_equal("#counts", "0/0")


def test_the_panel_is_usable_from_the_keyboard(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app([{"title": "One"}]))
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "1/1")
    bell = duo.find_element(".dn-bell")
    assert bell.get_attribute("aria-expanded") == "false"
    bell.send_keys("\n")
    panel = duo.wait_for_element("[role=dialog]")
    assert duo.driver.switch_to.active_element == panel
    assert bell.get_attribute("aria-expanded") == "true"
    panel.send_keys("\ue00c")  # Escape
    duo.wait_for_no_elements("[role=dialog]")
    assert duo.driver.switch_to.active_element == bell


def test_history_survives_a_reload_and_is_bounded(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app([[{"title": f"N{i}"} for i in range(5)]], maxHistory=8))
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "5/5")
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "8/8")
    duo.driver.refresh()
    duo.wait_for_text_to_equal("#counts", "8/8")
    open_center(duo)
    assert titles(duo)[:2] == ["N4", "N3"]


def test_two_tabs_stay_in_sync(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(center_app([{"title": "Shared"}]))
    driver = duo.driver
    first = driver.current_window_handle
    driver.execute_script("window.open(arguments[0], '_blank')", duo.server_url)
    second = next(h for h in driver.window_handles if h != first)
    driver.switch_to.window(second)
    duo.wait_for_text_to_equal("#counts", "0/0")
    driver.switch_to.window(first)
    raise_next(duo)
    duo.wait_for_text_to_equal("#counts", "1/1")
    driver.switch_to.window(second)
    duo.wait_for_text_to_equal("#counts", "1/1")
    duo.find_element("#mark-all").click()
    duo.wait_for_text_to_equal("#counts", "1/0")
    driver.switch_to.window(first)
    duo.wait_for_text_to_equal("#counts", "1/0")


def test_a_burst_of_a_thousand_lands_whole_and_the_page_stays_responsive(dash_duo_blocked):
    duo = dash_duo_blocked
    burst = [{"title": f"Burst {i}", "severity": "Low"} for i in range(1000)]
    ping = [html.Button("Ping", id="ping"), html.Div("0", id="pong")]
    app = center_app([burst], ping, maxHistory=5000, maxVisible=3)

    @app.callback(Output("pong", "children"), Input("ping", "n_clicks"), prevent_initial_call=True)
    def pong(n):
        return str(n)

    duo.start_server(app)
    for round_ in range(1, 4):
        raise_next(duo)
        duo.wait_for_text_to_equal("#counts", f"{1000 * round_}/{1000 * round_}", timeout=20)
        [batch] = wait_for_events(duo, "shownData", round_)[-1:]
        assert len(batch) == 1000 and all(entry["delivery"] == "toast" for entry in batch)
        assert len(duo.find_elements(".dn-toast")) == 3
        started = time.monotonic()
        duo.find_element("#ping").click()
        duo.wait_for_text_to_equal("#pong", str(round_))
        assert time.monotonic() - started < 5
