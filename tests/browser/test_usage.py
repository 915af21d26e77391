"""The demo the README's first command starts: it raises, and its interop handler runs."""

from __future__ import annotations

import importlib

from selenium.webdriver.common.keys import Keys

from .desktop_popup import click, wait_for_popups
from .helpers import wait_for_shown


def test_the_demo_raises_and_handles_a_click(dash_duo):
    usage = importlib.import_module("usage")
    dash_duo.start_server(usage.app)
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    dash_duo.find_element("#raise-notification").click()
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "New Trade" and shown["requireInteraction"] is True  # High
    [popup] = wait_for_popups(1)
    click(popup.action_buttons()[1])
    dash_duo.wait_for_text_to_equal("#last-call", "Opening portfolio 1")
    dash_duo.wait_for_contains_text("#last-click", "action=openClientPortfolio")


def test_the_playground_builds_the_python_it_shows_and_a_job_runs_and_closes(dash_duo_blocked):
    usage = importlib.import_module("usage")
    duo = dash_duo_blocked
    duo.start_server(usage.app)
    duo.wait_for_text_to_equal("#permission", "denied")
    code = duo.find_element("#code")
    assert 'dash_notify.notification(\n    "New Trade",' in code.text
    assert "severity='High'" in code.text and "dash_notify.action('callClient'" in code.text
    # change the controls: the code follows, and the toast is what the code says
    title = duo.find_element("#title")
    title.send_keys(Keys.CONTROL, "a")
    title.send_keys("<b>Disk</b> almost full")
    duo.find_element("#severity label:nth-child(4)").click()  # Critical
    # no buttons (by its label: Dash 3.0.4's checklist inputs carry no value attribute)
    duo.driver.find_element(
        "xpath", "//*[@id='extras']//label[contains(., 'Two action buttons')]"
    ).click()
    duo.wait_for_contains_text("#code", "severity='Critical'")
    assert '"<b>Disk</b> almost full"' in code.text and "actions" not in code.text
    duo.find_element("#raise-notification").click()
    toast = duo.wait_for_element(".dn-toast")
    assert toast.get_attribute("data-severity") == "Critical"
    assert toast.find_element("css selector", ".dn-title").text == "<b>Disk</b> almost full"
    assert toast.find_elements("css selector", ".dn-actions") == []
    toast.find_element("css selector", ".dn-main").click()
    duo.wait_for_contains_text("#last-click", "delivery=toast")
    assert len(duo.find_elements("#click-log li")) == 1
    # the job: one toast updated in place, then closed and followed by its result
    duo.find_element("#stacked input").click()
    duo.find_element("#run-job").click()
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "Step 1 of 5")
    duo.wait_for_text_to_equal(".dn-toast .dn-body", "Step 3 of 5", timeout=10)
    assert len(duo.find_elements(".dn-toast")) == 1
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Export finished", timeout=15)
    assert duo.find_element(".dn-region").get_attribute("data-stacked") is not None
    # everything is in the center
    duo.find_element(".dn-bell").click()
    titles = [e.text for e in duo.find_elements("[role=dialog] .dn-title")]
    assert titles == ["Export finished", "Exporting report.csv", "<b>Disk</b> almost full"]
