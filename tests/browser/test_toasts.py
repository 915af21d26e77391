"""In-page toasts, in a real Chromium whose desktop permission is blocked (pref value 2)
unless a test says otherwise: content, clicks, keyboard, queue, tags, progress, timing."""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from ..seed_options import SEED_TRADE
from .apps import events, raise_next, raising_app, wait_for_events
from .desktop_popup import popups
from .helpers import wait_for_shown

TRADE = {**SEED_TRADE, "type": "Alert", "source": "Trading", "data": {"trade": 1}}


def start(duo, raises, **notifications):
    duo.start_server(raising_app(raises, notifications=notifications))
    duo.wait_for_element("#permission")
    return duo


def toast_texts(duo) -> list[str]:
    return [
        e.find_element("css selector", ".dn-title").text for e in duo.find_elements(".dn-toast")
    ]


@pytest.mark.oldest_dash
def test_a_toast_shows_everything_and_a_real_click_on_an_action_reaches_the_callback(
    dash_duo_blocked,
):
    duo = start(dash_duo_blocked, [TRADE])
    duo.wait_for_text_to_equal("#permission", "denied")
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    assert toast.get_attribute("data-severity") == "High"
    assert toast.find_element("css selector", ".dn-title").text == "New Trade"
    assert toast.find_element("css selector", ".dn-body").text == "VOD.L: 23 shares sold @ $212.03"
    meta = toast.find_element("css selector", ".dn-meta").text
    assert meta.startswith("High · Alert · Trading · ")  # severity as text, never colour alone
    assert toast.find_element("css selector", "time").get_attribute("datetime")
    assert toast.find_element("css selector", ".dn-icon").text == "!"
    close = toast.find_element("css selector", ".dn-close")
    assert close.get_attribute("aria-label") == "Dismiss notification: New Trade"
    buttons = toast.find_elements("css selector", ".dn-actions .dn-btn")
    assert [b.text for b in buttons] == ["Call Client", "Open Portfolio"]
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["delivery"] == "toast"

    ActionChains(duo.driver).move_to_element(buttons[1]).click().perform()
    [click] = wait_for_events(duo, "clickData", 1)
    assert click["delivery"] == "toast" and click["action"] == "openClientPortfolio"
    assert click["interop"] == {"method": "OpenPortfolio", "arguments": {"id": "1"}}
    assert click["id"] == shown["id"] and click["type"] == "Alert" and click["data"] == {"trade": 1}
    [[closed]] = wait_for_events(duo, "closedData", 1)
    assert closed["reason"] == "clicked" and closed["delivery"] == "toast"
    duo.wait_for_no_elements(".dn-toast")


def test_keyboard_only(dash_duo_blocked):
    duo = start(dash_duo_blocked, [TRADE])
    go = duo.find_element("#go")
    go.send_keys(Keys.ENTER)  # raise from the keyboard
    duo.wait_for_element(".dn-toast")
    ActionChains(duo.driver).key_down(Keys.ALT).send_keys("t").key_up(Keys.ALT).perform()
    active = duo.driver.switch_to.active_element
    assert "dn-main" in active.get_attribute("class")
    active.send_keys(Keys.TAB)  # to the first action button
    active = duo.driver.switch_to.active_element
    assert active.text == "Call Client"
    active.send_keys(Keys.ESCAPE)  # back where the focus was
    assert duo.driver.switch_to.active_element.get_attribute("id") == "go"
    ActionChains(duo.driver).key_down(Keys.ALT).send_keys("t").key_up(Keys.ALT).perform()
    duo.driver.switch_to.active_element.send_keys(Keys.TAB)
    duo.driver.switch_to.active_element.send_keys(Keys.ENTER)
    [click] = wait_for_events(duo, "clickData", 1)
    assert click["action"] == "callClient" and click["delivery"] == "toast"


def test_the_visible_limit_and_the_queue_with_critical_first(dash_duo_blocked):
    batch = [{"title": f"Job {i}", "severity": "High"} for i in range(4)]
    duo = start(dash_duo_blocked, [batch, {"title": "Fire", "severity": "Critical"}], maxVisible=2)
    raise_next(duo)
    duo.wait_for_text_to_equal("#n .dn-toast:nth-child(2) .dn-title", "Job 1")
    assert toast_texts(duo) == ["Job 0", "Job 1"]
    raise_next(duo)  # Critical, while Job 2 and Job 3 wait
    wait_for_events(duo, "shownData", 2)
    time.sleep(0.3)
    assert toast_texts(duo) == ["Job 0", "Job 1"]
    duo.find_elements(".dn-close")[0].click()
    duo.wait_for_text_to_equal("#n .dn-toast:nth-child(2) .dn-title", "Fire")
    duo.find_elements(".dn-close")[0].click()
    duo.wait_for_text_to_equal("#n .dn-toast:nth-child(2) .dn-title", "Job 2")
    assert events(duo, "closedData")[0][0]["reason"] == "dismissed"


def test_a_tag_updates_a_toast_in_place_with_progress(dash_duo_blocked):
    job = {"title": "Export", "tag": "export", "severity": "Low", "inProgress": True}
    duo = start(
        dash_duo_blocked,
        [
            {**job, "body": "Starting"},
            {**job, "body": "Halfway", "progress": 0.5},
            {"title": "Export", "tag": "export", "severity": "Low", "body": "Done"},
        ],
        durations={"Low": 2500},
    )
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    bar = toast.find_element("css selector", "[role=progressbar]")
    assert bar.get_attribute("aria-valuenow") is None  # no value yet: indeterminate
    time.sleep(3)  # in progress: it does not close by itself, though Low
    raise_next(duo)
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "Halfway")
    assert (
        toast.find_element("css selector", "[role=progressbar]").get_attribute("aria-valuenow")
        == "50"
    )
    assert len(duo.find_elements(".dn-toast")) == 1  # the same element, updated in place
    raise_next(duo)
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "Done")
    assert toast.find_elements("css selector", "[role=progressbar]") == []
    duo.wait_for_no_elements(".dn-toast", timeout=8)  # Low closes by itself once done
    assert events(duo, "closedData")[-1][0]["reason"] == "expired"


def test_auto_close_pauses_while_the_pointer_is_on_the_toasts(dash_duo_blocked):
    duo = start(
        dash_duo_blocked, [{"title": "Brief", "severity": "Medium"}], durations={"Medium": 1000}
    )
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    ActionChains(duo.driver).move_to_element(toast).perform()
    time.sleep(2)
    assert len(duo.find_elements(".dn-toast")) == 1, "hovered: it must stay"
    ActionChains(duo.driver).move_to_element(duo.find_element("#go")).perform()
    duo.wait_for_no_elements(".dn-toast", timeout=5)


def test_high_and_critical_stay_until_dismissed(dash_duo_blocked):
    duo = start(
        dash_duo_blocked,
        [[{"title": "High", "severity": "High"}, {"title": "Critical", "severity": "Critical"}]],
        durations={"Low": 100, "Medium": 100, "None": 100},
    )
    raise_next(duo)
    duo.wait_for_text_to_equal("#n .dn-toast:nth-child(2) .dn-title", "Critical")
    time.sleep(1.5)
    assert toast_texts(duo) == ["High", "Critical"]


def test_live_regions_announce_politely_or_assertively(dash_duo_blocked):
    duo = start(
        dash_duo_blocked,
        [{"title": "Saved", "severity": "Low"}, {"title": "Disk full", "severity": "Critical"}],
    )
    polite = duo.find_element("[aria-live=polite]")
    loud = duo.find_element("[aria-live=assertive]")
    assert polite.text == "" and loud.text == ""  # mounted before anything is raised
    raise_next(duo)
    duo.wait_for_text_to_equal("[aria-live=polite]", "Low: Saved")
    raise_next(duo)
    duo.wait_for_text_to_equal("[aria-live=assertive]", "Critical: Disk full")


def test_text_is_text(dash_duo_blocked):
    evil = "<img src=x onerror=alert(1)>"
    duo = start(
        dash_duo_blocked, [{"title": evil, "body": "<b>not bold</b>", "source": "<i>s</i>"}]
    )
    raise_next(duo)
    duo.wait_for_text_to_equal(".dn-toast .dn-title", evil)
    assert duo.find_element(".dn-toast .dn-body").text == "<b>not bold</b>"
    assert (
        duo.driver.execute_script("return document.querySelectorAll('img[src=x], b, i').length")
        == 0
    )
    time.sleep(0.5)
    try:
        duo.driver.switch_to.alert.dismiss()
        raise AssertionError("an alert ran")
    except NoAlertPresentException:
        pass


def test_center_only_notifications_show_no_toast(dash_duo_blocked):
    duo = start(dash_duo_blocked, [{"title": "Quiet", "showToast": False}], center=True)
    raise_next(duo)
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["delivery"] == "center"
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 1 unread']")
    assert duo.find_elements(".dn-toast") == []


def test_both_delivers_on_the_desktop_and_in_the_page(dash_duo):
    duo = start(dash_duo, [{"title": "Twice"}], delivery="both")
    duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(duo)
    [[shown]] = wait_for_events(duo, "shownData", 1)
    assert shown["delivery"] == "both"
    wait_for_shown(duo.driver, 1)
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Twice")


def test_toast_mode_never_uses_the_desktop(dash_duo):
    duo = start(dash_duo, [{"title": "Only here"}], delivery="toast")
    duo.wait_for_text_to_equal("#permission", "granted")
    raise_next(duo)
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Only here")
    time.sleep(0.8)
    assert popups() == []


def test_reduced_motion_turns_animation_off(dash_duo_blocked):
    duo = start(dash_duo_blocked, [{"title": "Still"}])
    duo.driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    assert toast.value_of_css_property("animation-name") == "none"
    duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    assert toast.value_of_css_property("animation-name") == "dn-in"


def test_right_to_left_text_and_themes(dash_duo_blocked):
    duo = start(dash_duo_blocked, [{"title": "مرحبا", "dir": "rtl", "lang": "ar"}], theme="dark")
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    assert toast.get_attribute("dir") == "rtl" and toast.get_attribute("lang") == "ar"
    assert duo.find_element("#n").get_attribute("data-theme") == "dark"
    assert toast.value_of_css_property("background-color") == "rgba(34, 39, 46, 1)"


def test_auto_close_pauses_while_the_keyboard_focus_is_on_the_toasts(dash_duo_blocked):
    duo = start(
        dash_duo_blocked, [{"title": "Read me", "severity": "Low"}], durations={"Low": 1000}
    )
    raise_next(duo)
    duo.wait_for_element(".dn-toast")
    ActionChains(duo.driver).key_down(Keys.ALT).send_keys("t").key_up(Keys.ALT).perform()
    time.sleep(2)
    assert len(duo.find_elements(".dn-toast")) == 1, "focused: it must stay"
    duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    duo.wait_for_no_elements(".dn-toast", timeout=5)


def test_auto_close_pauses_while_the_tab_is_hidden(dash_duo_blocked):
    duo = start(
        dash_duo_blocked, [{"title": "Later", "severity": "Medium"}], durations={"Medium": 1500}
    )
    driver = duo.driver
    first = driver.current_window_handle
    raise_next(duo)
    duo.wait_for_element(".dn-toast")
    driver.execute_script("window.open('about:blank', '_blank')")
    driver.switch_to.window(next(h for h in driver.window_handles if h != first))
    time.sleep(3)  # twice the duration, with the app's tab hidden
    driver.close()
    driver.switch_to.window(first)
    assert len(duo.find_elements(".dn-toast")) == 1, "hidden: it must have waited"
    duo.wait_for_no_elements(".dn-toast", timeout=5)


@pytest.mark.parametrize(
    "position",
    ["top-left", "top-center", "top-right", "bottom-left", "bottom-center", "bottom-right"],
)
def test_the_six_positions(dash_duo_blocked, position):
    duo = start(dash_duo_blocked, [{"title": "Here"}], position=position)
    width, height = duo.driver.execute_script("return [innerWidth, innerHeight]")
    raise_next(duo)
    duo.wait_for_element(".dn-toast")
    left, top, right, bottom = box = duo.driver.execute_script(
        "const r = document.querySelector('.dn-toast').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];"
    )
    vertical, horizontal = position.split("-")
    assert (top < 40) if vertical == "top" else (height - bottom < 40), box
    if horizontal == "left":
        assert left < 40, box
    elif horizontal == "right":
        assert width - right < 40, box
    else:
        assert abs((left + right) / 2 - width / 2) < 20, box
