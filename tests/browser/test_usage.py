"""The demo the README's first command starts: it raises, and its interop handler runs."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from ..waiting import texts, wait_until
from .desktop_popup import click, wait_for_popups
from .helpers import wait_for_shown


def fresh_usage():
    """usage.py imported anew: an app and a hub of its own for each test (dash.testing
    ends every thread a test's server started, the hub's fan-out thread included)."""
    return importlib.reload(importlib.import_module("usage"))


@pytest.mark.oldest_dash
def test_the_demo_raises_and_handles_a_click(dash_duo):
    usage = fresh_usage()
    dash_duo.start_server(usage.app)
    dash_duo.wait_for_text_to_equal("#permission", "granted")
    dash_duo.find_element("#raise-notification").click()
    [shown] = wait_for_shown(dash_duo.driver, 1)
    assert shown["title"] == "New Trade" and shown["requireInteraction"] is True  # High
    [popup] = wait_for_popups(1)
    click(popup.action_buttons()[1])
    dash_duo.wait_for_text_to_equal("#last-call", "Opening portfolio 1")
    dash_duo.wait_for_contains_text("#last-click", "action=openClientPortfolio")


@pytest.mark.oldest_dash
def test_the_playground_builds_the_python_it_shows_and_a_job_runs_and_closes(dash_duo_blocked):
    usage = fresh_usage()
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
    # stacked toasts, and everything in the center
    duo.find_element("#stacked input").click()
    duo.find_element("#raise-notification").click()
    duo.wait_for_element(".dn-region[data-stacked]")
    duo.find_element(".dn-bell").click()
    titles = [e.text for e in duo.find_elements("[role=dialog] .dn-title")]
    assert titles == ["<b>Disk</b> almost full", "<b>Disk</b> almost full"]


# Every body the job's toast shows, and the most such toasts on the page at once.
WATCH_PROGRESS = """
window.progressSeen = []; window.progressMost = 0;
new MutationObserver(() => {
  const toasts = [...document.querySelectorAll('.dn-toast')].filter(
    t => t.querySelector('.dn-title')?.textContent === 'Exporting report.csv');
  window.progressMost = Math.max(window.progressMost, toasts.length);
  for (const toast of toasts) {
    const body = toast.querySelector('.dn-body')?.textContent;
    if (body && window.progressSeen.at(-1) !== body) window.progressSeen.push(body);
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


def toast_titles(duo) -> list[str]:
    return texts(duo.driver, ".dn-toast .dn-title")


def run_shown(duo, component_id: str) -> None:
    """Run the command the hub panel shows, as a person would paste it in a shell."""
    shown = duo.find_element(f"#{component_id}").text
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "-c", shown], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, shown + "\n" + result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_hub_panel_job_reports_progress_and_the_shown_commands_publish(dash_duo_blocked):
    usage = fresh_usage()
    duo = dash_duo_blocked
    duo.start_server(usage.app)
    duo.wait_for_text_to_equal("#permission", "denied")
    duo.wait_for_text_to_equal("#hub-status", "connected")
    # the job: one toast updated in place, then closed and followed by its result
    duo.driver.execute_script(WATCH_PROGRESS)
    duo.find_element("#run-job").click()
    wait_until(lambda: toast_titles(duo) == ["Export finished"], what="the job's result")
    steps, most = duo.driver.execute_script("return [window.progressSeen, window.progressMost]")
    # in order, in one toast (a loaded machine may deliver two steps in one render)
    all_steps = [f"Step {n} of 5" for n in range(1, 6)]
    assert len(steps) >= 3 and steps == sorted(steps) and set(steps) <= set(all_steps), steps
    assert most == 1
    duo.find_element(".dn-bell").click()
    titles = [e.text for e in duo.find_elements("[role=dialog] .dn-title")]
    assert titles == ["Export finished", "Exporting report.csv"]  # closed, not replaced
    duo.find_element(".dn-bell").click()
    # the commands, with the app's real URL and the demo's token, run for real
    curl = duo.find_element("#cmd-curl").text
    assert f"{duo.server_url.rstrip('/')}/_dash_notify/publish" in curl
    assert f"Bearer {usage.TOKEN}" in curl
    for component_id, title in (
        ("cmd-curl", "Deployed v1.4"),
        ("cmd-send", "Backup finished"),
        ("cmd-ntfy", "Disk almost full"),
    ):
        run_shown(duo, component_id)
        wait_until(lambda t=title: t in toast_titles(duo), what=f"the toast {title!r}")
