"""The examples for issue 3's features run and do what they say."""

from __future__ import annotations

import importlib
import time

import pytest

from ..waiting import wait_until


def load(name: str):
    return importlib.reload(importlib.import_module(f"examples.{name}"))


def test_delivery_modes_example(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(load("delivery_modes").app)
    duo.driver.find_element("xpath", "//*[@id='delivery']//label[contains(., 'toast')]").click()
    duo.find_element('[id=\'{"severity":"Low"}\']').click()
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Low notification")
    duo.wait_for_contains_text("#shown", ": toast")
    duo.find_element("#quiet").click()
    duo.wait_for_contains_text("#shown", ": center")
    duo.wait_for_element(".dn-bell[aria-label='Notifications, 2 unread']")


@pytest.mark.oldest_dash
def test_progress_example_updates_one_toast_from_a_background_callback(dash_duo_blocked):
    duo = dash_duo_blocked
    duo.start_server(load("progress").app)
    duo.find_element("#export").click()
    duo.wait_for_element(".dn-toast [role=progressbar]", timeout=20)
    values = set()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        # Read in one go: the bar goes away when the job ends.
        toasts, value = duo.driver.execute_script(
            "const bar = document.querySelector('.dn-toast [role=progressbar]');"
            "return [document.querySelectorAll('.dn-toast').length,"
            " bar && bar.getAttribute('aria-valuenow')];"
        )
        assert toasts <= 1  # one toast, updated in place
        if toasts and value is None and values:
            break
        values.add(value)
        time.sleep(0.1)
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Export finished")
    duo.wait_for_text_to_equal("#result", "Export 1 done", timeout=20)
    assert len(values - {None}) >= 2, values  # it moved on as the job went


@pytest.mark.oldest_dash
def test_hub_jobs_example_delivers_a_job_s_end_and_an_outside_publish(
    dash_duo_blocked, sqlite_url, monkeypatch
):
    import json
    import urllib.request

    duo = dash_duo_blocked
    monkeypatch.setenv("DASH_NOTIFY_STORE", sqlite_url)
    example = load("hub_jobs")
    duo.start_server(example.app)
    job = duo.find_element("#job")
    wait_until(job.is_enabled, what="the job button (enabled once the page knows its user)")
    job.click()
    duo.wait_for_text_to_equal(".dn-toast .dn-title", "Job 1 finished", timeout=20)
    duo.wait_for_text_to_equal("#started", "Job 1 done", timeout=20)
    request = urllib.request.Request(
        f"{duo.server_url}/_dash_notify/publish",
        data=json.dumps({"to": "*", "notification": {"title": "From curl"}}).encode(),
        headers={"Authorization": f"Bearer {example.SECRET}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
    duo.wait_for_contains_text(".dn-region", "From curl", timeout=15)
