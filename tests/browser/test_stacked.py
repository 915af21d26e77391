"""Stacked toasts (collapsed behind the newest, spread out on hover and focus) and the
default offset that keeps toasts clear of Dash's dev tools bar in debug mode."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from ..waiting import wait_until
from .apps import raise_next, raising_app

BATCH = [{"title": f"Job {i}", "body": f"step {i}", "severity": "High"} for i in range(3)]
# The oldest is taller than the front one, until the stack sizes it to the front's height.
BATCH[0]["body"] = "a body long enough to wrap over several lines of the toast " * 3


def boxes(duo) -> list[dict]:
    """Each toast's title, box (as drawn), layout height and whether its text can be seen,
    oldest first."""
    return duo.driver.execute_script(
        """return [...document.querySelectorAll('.dn-toast')].map(t => {
            const r = t.getBoundingClientRect();
            return {title: t.querySelector('.dn-title').textContent, top: r.top, bottom: r.bottom,
                    height: t.offsetHeight,
                    seen: getComputedStyle(t.querySelector('.dn-main')).visibility === 'visible'};
        })"""
    )


def region_state(duo) -> str:
    return duo.find_element(".dn-region").get_attribute("data-stacked")


def test_stacked_toasts_collapse_and_spread_out_on_hover_and_focus(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(raising_app([BATCH], notifications={"stacked": True}))
    duo.find_element("#go").click()
    wait_until(lambda: len(duo.find_elements(".dn-toast")) == 3, what="three toasts")
    ActionChains(duo.driver).move_to_element(duo.find_element("#go")).perform()
    wait_until(lambda: region_state(duo) == "collapsed", what="the stack")
    time.sleep(0.3)  # the transition
    stack = boxes(duo)
    assert [b["seen"] for b in stack] == [False, False, True]  # only the newest is readable
    front = stack[-1]
    assert front["title"] == "Job 2"
    # the older ones peek out above it (bottom-right), each a little higher
    assert stack[1]["top"] < front["top"] and stack[0]["top"] < stack[1]["top"]
    assert front["top"] - stack[0]["top"] < 40
    assert len({b["height"] for b in stack}) == 1, stack  # sized to the front one (untransformed)
    # the pointer spreads them out as a list
    ActionChains(duo.driver).move_to_element(duo.find_elements(".dn-toast")[-1]).perform()
    wait_until(lambda: region_state(duo) == "expanded", what="the list")
    time.sleep(0.3)
    spread = boxes(duo)
    assert all(b["seen"] for b in spread)
    assert spread[0]["height"] > front["height"] + 20, spread  # its own height again
    assert (
        spread[0]["top"] >= spread[1]["bottom"] - 1 and spread[1]["top"] >= spread[2]["bottom"] - 1
    )
    # so does the keyboard (the hotkey), and Escape returns
    ActionChains(duo.driver).move_to_element(duo.find_element("#go")).perform()
    wait_until(lambda: region_state(duo) == "collapsed", what="the stack again")
    duo.find_element("#go").send_keys(Keys.SHIFT)  # focus on the page's button
    ActionChains(duo.driver).key_down(Keys.ALT).send_keys("t").key_up(Keys.ALT).perform()
    wait_until(lambda: region_state(duo) == "expanded", what="the list from the keyboard")
    duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_until(lambda: region_state(duo) == "collapsed", what="collapsed after Escape")


def test_without_stacked_the_toasts_are_a_list(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(raising_app([BATCH]))
    raise_next(duo)
    wait_until(lambda: len(duo.find_elements(".dn-toast")) == 3, what="three toasts")
    assert duo.find_element(".dn-region").get_attribute("data-stacked") is None
    assert all(b["seen"] for b in boxes(duo))


@pytest.mark.oldest_dash
def test_toasts_keep_clear_of_the_dev_tools_bar_in_debug_mode(dash_duo_blocked):
    duo = dash_duo_blocked
    app = raising_app([{"title": "Above the bar", "severity": "High"}])
    duo.start_server(app, debug=True, use_reloader=False, dev_tools_hot_reload=False)
    bar = duo.wait_for_element(".dash-debug-menu__outer")
    raise_next(duo)
    toast = duo.wait_for_element(".dn-toast")
    settled = "return arguments[0].getAnimations().every(a => a.playState === 'finished')"
    wait_until(lambda: duo.driver.execute_script(settled, toast), what="the entry animation")
    bar_top = bar.rect["y"]
    toast_bottom = toast.rect["y"] + toast.rect["height"]
    assert toast_bottom <= bar_top - 8, (toast.rect, bar.rect)
    height = duo.driver.execute_script("return innerHeight")
    assert height - toast_bottom < 120  # still at the bottom of the window
