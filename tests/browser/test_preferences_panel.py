"""The center's settings view in real Chromium, against a real hub: keyboard only and
with the mouse, saved and seen in a second browser of the same user, a category
switched off for in-app held back from the user's tabs, required and Critical rows
locked, a refused change rolled back with the hub's reason, a category name shown as
text, and a mail's signed link opening the app with its click in clickData."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dash_notify.hub.channels.email import EmailChannel
from dash_notify.hub.preferences import PreferenceConfig

from ..hub.serve import create_app
from ..hub.smtp_server import SMTPServer
from ..waiting import texts, wait_until
from . import test_hub
from .test_hub import log_in, logged, toast_titles

second_browser = test_hub.second_browser  # the fixture: another Chromium, a profile of its own

PREFERENCES = {"categories": ["deploy", "comment", "billing"], "required": ["billing"]}
SWITCH = "[role=switch][aria-label='{}']"


def start(duo, sqlite_url, **options):
    app, hub = create_app(sqlite_url, preferences=PREFERENCES, **options)
    duo.start_server(app)
    log_in(duo.driver, duo.server_url, "alice")
    return hub


def script(driver, text: str, *args):
    return driver.execute_script(text, *args)


def focused(driver) -> str:
    """What has the focus, by its name: aria-label, aria-labelledby, else its text."""
    return script(
        driver,
        "const e = document.activeElement; const by = e.getAttribute('aria-labelledby');"
        "return e.getAttribute('aria-label') || (by && document.getElementById(by).textContent)"
        " || e.textContent.trim()",
    )


def press(driver, *keys) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, label: str, limit: int = 40) -> None:
    """Press Tab until ``label`` has the focus (at most ``limit`` times)."""
    for _ in range(limit):
        if focused(driver) == label:
            return
        press(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached {label!r}; last: {focused(driver)!r}")


def switch_state(driver, label: str) -> str | None:
    found = driver.find_elements("css selector", SWITCH.format(label))
    return found[0].get_attribute("aria-checked") if found else None


def open_settings(driver) -> None:
    """With the mouse: the bell, then the settings button; waits for the rows."""
    if not driver.find_elements("css selector", ".dn-settings-btn"):
        driver.find_element("css selector", ".dn-bell").click()
    wait_until(lambda: driver.find_elements("css selector", ".dn-settings-btn"), what="button")
    driver.find_element("css selector", ".dn-settings-btn").click()
    wait_until(lambda: driver.find_elements("css selector", ".dn-prefs [role=switch]"), what="rows")


def saved(hub, user: str = "alice"):
    return hub.preferences(user).get()


def test_the_settings_view_with_the_keyboard_only(dash_duo, sqlite_url):
    hub = start(dash_duo, sqlite_url)
    driver = dash_duo.driver
    driver.find_element("css selector", ".dn-bell").send_keys(Keys.ENTER)
    dash_duo.wait_for_element("[role=dialog] .dn-center-head")
    tab_to(driver, "Notification settings")
    press(driver, Keys.ENTER)
    wait_until(lambda: switch_state(driver, "Email for deploy"), what="the settings rows")
    dialog = driver.find_element("css selector", ".dn-prefs")
    assert dialog.get_attribute("role") == "dialog"
    assert focused(driver) == "Notification settings"  # the dialog, by its heading
    assert texts(driver, ".dn-pref-name > span:first-child")[:2] == ["All notifications", "deploy"]
    # focus order: Back, then the switches row by row, then the email mode
    press(driver, Keys.TAB)
    assert focused(driver) == "← Back"
    press(driver, Keys.TAB)
    assert focused(driver) == "In-app for All notifications"
    tab_to(driver, "Email for deploy", limit=8)
    press(driver, Keys.SPACE)
    assert switch_state(driver, "Email for deploy") == "false"
    wait_until(lambda: saved(hub)["categories"]["deploy"]["email"] is False, what="the save")
    assert saved(hub)["categories"]["comment"]["email"] is True
    # a locked switch takes the focus, says why, and does not change
    tab_to(driver, "In-app for billing", limit=8)
    billing = driver.find_element("css selector", SWITCH.format("In-app for billing"))
    assert billing.get_attribute("aria-disabled") == "true"
    reason = driver.find_element("id", billing.get_attribute("aria-describedby"))
    assert reason.text == "Always on: required by the app."
    press(driver, Keys.SPACE)
    assert switch_state(driver, "In-app for billing") == "true"
    # the email mode: radio buttons, arrow keys
    mode = driver.find_element("css selector", ".dn-prefs input[type=radio]:checked")
    assert mode.get_attribute("value") == "often"
    for _ in range(12):
        if script(driver, "return document.activeElement.type") == "radio":
            break
        press(driver, Keys.TAB)
    press(driver, Keys.ARROW_RIGHT)
    wait_until(lambda: saved(hub)["email"] == "daily", what="the mode saved")
    assert "one digest a day" in driver.find_element("css selector", ".dn-pref-mode").text
    # Escape: back to the list, focus on the settings button; Escape again: closed
    press(driver, Keys.ESCAPE)
    wait_until(lambda: not driver.find_elements("css selector", ".dn-prefs"), what="back")
    assert focused(driver) == "Notification settings"
    assert "dn-settings-btn" in script(driver, "return document.activeElement.className")
    press(driver, Keys.ESCAPE)
    wait_until(lambda: not driver.find_elements("css selector", ".dn-center"), what="closed")
    assert focused(driver).startswith("Notifications, ")


def test_saved_with_the_mouse_and_seen_in_a_second_browser(dash_duo, second_browser, sqlite_url):
    hub = start(dash_duo, sqlite_url)
    first = dash_duo.driver
    log_in(second_browser, dash_duo.server_url, "alice")
    open_settings(first)
    # Critical: locked, with the reason
    critical = first.find_element("css selector", ".dn-pref-row[data-row=Critical]")
    assert critical.get_attribute("data-locked") == "true"
    assert "Critical notifications always reach you" in critical.text
    switches = critical.find_elements("css selector", "[role=switch]")
    assert {s.get_attribute("aria-disabled") for s in switches} == {"true"}
    first.find_element("css selector", SWITCH.format("Push for comment")).click()
    assert switch_state(first, "Push for comment") == "false"
    wait_until(lambda: saved(hub)["categories"]["comment"]["push"] is False, what="saved")
    wait_until(lambda: "Saved" in texts(first, ".dn-prefs [role=status]"), what="'Saved'")
    open_settings(second_browser)
    assert switch_state(second_browser, "Push for comment") == "false"
    assert switch_state(second_browser, "Push for deploy") == "true"
    # changed back in the second browser: the first reads it fresh when it opens again
    second_browser.find_element("css selector", SWITCH.format("Push for comment")).click()
    wait_until(lambda: saved(hub)["categories"]["comment"]["push"] is True, what="saved")
    first.find_element("css selector", ".dn-back").click()
    open_settings(first)
    assert switch_state(first, "Push for comment") == "true"


def test_a_category_switched_off_for_in_app_is_not_delivered_live(dash_duo, sqlite_url):
    hub = start(dash_duo, sqlite_url)
    driver = dash_duo.driver
    open_settings(driver)
    driver.find_element("css selector", SWITCH.format("In-app for deploy")).click()
    wait_until(lambda: saved(hub)["categories"]["deploy"]["inapp"] is False, what="saved")
    hub.publish({"title": "Deployed v2", "category": "deploy"}, to="user:alice")
    hub.publish({"title": "New comment", "category": "comment"}, to="user:alice")
    # in order on the one stream: once the second is shown, the first was held back
    wait_until(lambda: "New comment" in toast_titles(driver), what="the comment")
    assert "Deployed v2" not in toast_titles(driver)
    assert logged(driver, "shown") == ["hub:2"]
    # Critical goes through whatever the switch says
    critical = {"title": "Deploy failed", "category": "deploy", "severity": "Critical"}
    hub.publish(critical, to="user:alice")
    wait_until(lambda: "Deploy failed" in toast_titles(driver), what="the Critical one")


@pytest.mark.oldest_dash
def test_a_refused_change_is_rolled_back_with_the_reason(dash_duo, sqlite_url):
    hub = start(dash_duo, sqlite_url)
    driver = dash_duo.driver
    open_settings(driver)
    # the app dropped the category "comment" since the page loaded (a redeploy)
    hub.preference_service.config = PreferenceConfig.parse(
        {"categories": ["deploy", "billing"], "required": ["billing"]}
    )
    driver.find_element("css selector", SWITCH.format("Email for comment")).click()
    alert = wait_until(
        lambda: driver.find_elements("css selector", ".dn-prefs [role=alert]"), what="the error"
    )[0]
    assert "Could not save that change" in alert.text
    assert "categories.comment: is not a category of this app" in alert.text
    wait_until(lambda: switch_state(driver, "Email for comment") == "true", what="rolled back")


def test_a_category_name_is_shown_as_text(dash_duo, sqlite_url):
    hub = start(dash_duo, sqlite_url)
    # PreferenceConfig.parse refuses such a name; the dataclass itself does not check
    payload = '<img src=x onerror="window.__xss=1">'
    hub.preference_service.config = PreferenceConfig(categories={payload: {}})
    driver = dash_duo.driver
    open_settings(driver)
    assert payload in texts(driver, ".dn-pref-name > span:first-child")
    assert switch_state(driver, f"Email for {payload}") == "true"
    assert not driver.find_elements("css selector", ".dn-prefs img")
    assert script(driver, "return window.__xss") is None


def test_the_link_in_a_mail_opens_the_app_with_the_click(dash_duo, second_browser, sqlite_url):
    with SMTPServer() as smtp:
        channel = EmailChannel(
            lambda user: f"{user}@example.com", base_url="http://placeholder/",
            secret="a-test-secret-of-at-least-32-characters!",
            host="127.0.0.1", port=smtp.port, sender="notify@app.test",
        )  # fmt: skip
        hub = start(dash_duo, sqlite_url, channels=[channel])
        channel.base_url = dash_duo.server_url.rstrip("/") + "/"
        driver = dash_duo.driver
        wait_until(lambda: hub.stores.channels.cursor("email") is not None, what="the cursor")
        hub.publish({"title": "Disk full", "severity": "Critical"}, to="user:alice")
        [mail] = smtp.inbox.wait_for(1)
    link = mail.part("html").split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "_dash_notify/email/open?t=" in link
    # this browser had it live (a center entry); the second one opens it from the hub
    wait_until(lambda: "Disk full" in toast_titles(driver), what="the live one")
    for browser in (driver, second_browser):
        if browser is second_browser:
            log_in(second_browser, dash_duo.server_url, "alice")
        browser.get(link)
        clicked = wait_until(lambda b=browser: logged(b, "clicked"), what="clickData")
        assert [json.loads(c) for c in clicked] == [["hub:1", None, "email"]]
        assert "dash_notify_email" not in browser.current_url
        posted = script(
            browser,
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(n => n.includes('_dash_notify/clicked'))",
        )
        assert posted == []
