"""Takes the README's screenshots from real Chromium windows.

- docs/notification.png: a desktop notification raised by usage.py (Chromium's own
  popup on the X screen);
- docs/toasts-light.png, docs/toasts-dark.png: in-page toasts of several severities;
- docs/center.png: the notification center's panel in the demo, after the hub panel's
  job and commands ran;
- docs/stacked.png: stacked toasts;
- docs/demo.png: the demo (usage.py) with a toast and its click in the log;
- docs/hub.png: the demo's hub panel, its job's progress notification and the
  commands; a notification published by running the panel's curl command;
- docs/preferences.png: the center's settings view (a hub with categories, one of
  them required), after two changes;

Run on an X display: xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python
scripts/readme_screenshots.py
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dash import Dash, Input, Output, html
from PIL import Image, ImageGrab
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dash_notify  # noqa: E402
from bench.common import chromium, open_app, serve  # noqa: E402
from tests.browser.desktop_popup import wait_for_popups  # noqa: E402
from usage import app as usage_app  # noqa: E402

DOCS = ROOT / "docs"

SAMPLES = [
    {"title": "Build passed", "body": "main · 2m 14s", "severity": "Low", "source": "CI"},
    {
        "title": "Exporting report.csv",
        "body": "Step 3 of 5",
        "severity": "Medium",
        "tag": "export",
        "inProgress": True,
        "progress": 0.6,
    },
    {
        "title": "New Trade",
        "body": "VOD.L: 23 shares sold @ $212.03",
        "severity": "High",
        "source": "Trading",
        "actions": [
            {"action": "callClient", "title": "Call Client"},
            {"action": "openClientPortfolio", "title": "Open Portfolio"},
        ],
    },
    {
        "title": "Disk almost full",
        "body": "db-2: 97% used",
        "severity": "Critical",
        "type": "Alert",
    },
]


def toasts_app(theme: str, stacked: bool = False) -> Dash:
    app = Dash(__name__)
    background = "#1c2128" if theme == "dark" else "#f6f8fa"
    app.layout = html.Div(
        [
            dash_notify.Notifications(
                id="n", delivery="toast", theme=theme, center=True, maxVisible=4, stacked=stacked
            ),
            html.Button("Raise", id="go", style={"marginLeft": "1rem"}),
        ],
        style={
            "background": background,
            "height": "100vh",
            "padding": "1rem",
            "boxSizing": "border-box",
        },
    )

    @app.callback(Output("n", "raise"), Input("go", "n_clicks"), prevent_initial_call=True)
    def go(_):
        return SAMPLES

    return app


def desktop_shot() -> None:
    with serve(usage_app) as url, chromium() as driver:
        open_app(driver, url, "raise-notification")
        driver.find_element("id", "raise-notification").click()
        [popup] = wait_for_popups(1)
        margin = 16
        box = (
            popup.x - margin,
            popup.y - margin,
            popup.x + popup.width + 8,
            popup.y + popup.height + 8,
        )
        image = ImageGrab.grab(bbox=box, xdisplay=os.environ["DISPLAY"])
        image.save(DOCS / "notification.png")


def page_shot(driver, crop: tuple[int, int, int, int], out: Path) -> None:
    image = Image.open(io.BytesIO(driver.get_screenshot_as_png()))
    image.crop(crop).save(out)


def toast_shots() -> None:
    for theme in ("light", "dark"):
        with serve(toasts_app(theme)) as url, chromium("block") as driver:
            driver.set_window_size(900, 700)
            open_app(driver, url, "go")
            driver.find_element("id", "go").click()
            time.sleep(1.5)
            width, height = driver.execute_script("return [innerWidth, innerHeight]")
            corner = (width - 400, height - 470, width, height)
            page_shot(driver, corner, DOCS / f"toasts-{theme}.png")


def stacked_shot() -> None:
    with serve(toasts_app("light", stacked=True)) as url, chromium("block") as driver:
        driver.set_window_size(900, 700)
        open_app(driver, url, "go")
        driver.find_element("id", "go").click()
        time.sleep(1.5)
        width, height = driver.execute_script("return [innerWidth, innerHeight]")
        page_shot(driver, (width - 400, height - 220, width, height), DOCS / "stacked.png")


def demo_shot() -> None:
    with serve(usage_app) as url, chromium("block") as driver:
        driver.set_window_size(1280, 900)
        open_app(driver, url, "raise-notification")
        driver.find_element("id", "raise-notification").click()
        time.sleep(1)
        driver.find_element("css selector", ".dn-toast .dn-main").click()
        driver.find_element("id", "raise-notification").click()
        driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
        time.sleep(1.5)
        width, height = driver.execute_script("return [innerWidth, innerHeight]")
        page_shot(driver, (0, 0, width, height), DOCS / "demo.png")


def hub_shot() -> None:
    with serve(usage_app) as url, chromium("block") as driver:
        driver.set_window_size(1280, 900)
        open_app(driver, url, "run-job")
        WebDriverWait(driver, 30).until(
            lambda d: d.find_element("id", "hub-status").text == "connected"
        )
        driver.find_element("id", "run-job").click()
        WebDriverWait(driver, 30).until(lambda d: "Step 2 of 5" in toast_text(d))
        run_shown(driver, "cmd-curl", "Deployed v1.4")
        driver.execute_script(
            "document.activeElement.blur();"
            "document.getElementById('hub-panel').scrollIntoView({block: 'end'})"
        )
        time.sleep(0.5)
        width, height = driver.execute_script("return [innerWidth, innerHeight]")
        page_shot(driver, (0, 0, width, height), DOCS / "hub.png")
        # the center, with what came through the hub
        run_shown(driver, "cmd-ntfy", "Disk almost full")
        WebDriverWait(driver, 30).until(lambda d: "Export finished" in toast_text(d))
        driver.execute_script(
            "document.querySelectorAll('.dn-toast .dn-close').forEach(b => b.click());"
            "window.scrollTo(0, 0)"
        )
        WebDriverWait(driver, 30).until(lambda d: not d.find_elements("css selector", ".dn-toast"))
        driver.find_element("css selector", ".dn-bell").click()
        time.sleep(0.8)
        left, top, right, bottom = driver.execute_script(
            "const r = document.querySelector('[role=dialog]').getBoundingClientRect();"
            "return [r.left, r.top, r.right, r.bottom].map(Math.round)"
        )
        page_shot(driver, (left - 16, top - 64, right + 16, bottom + 16), DOCS / "center.png")


def preferences_shot() -> None:
    app = Dash(__name__)
    app.layout = html.Div(
        dash_notify.Notifications(id="n", center=True, hub=True, preferences=True),
        style={"padding": "16px 16px 560px 16px", "fontFamily": "system-ui"},
    )
    with tempfile.TemporaryDirectory() as folder:
        hub = dash_notify.Hub(
            app,
            f"sqlite:///{folder}/shot.db",
            user=lambda request: "alice",
            preferences={"categories": ["deploy", "comment", "billing"], "required": ["billing"]},
        )
        with serve(app) as url, chromium("block") as driver:
            driver.set_window_size(900, 1000)
            open_app(driver, url, "n")
            driver.find_element("css selector", ".dn-bell").click()
            WebDriverWait(driver, 30).until(
                lambda d: d.find_elements("css selector", ".dn-settings-btn")
            )
            driver.find_element("css selector", ".dn-settings-btn").click()
            switch = "[role=switch][aria-label='{}']"
            WebDriverWait(driver, 30).until(
                lambda d: d.find_elements("css selector", switch.format("Push for comment"))
            )
            driver.find_element("css selector", switch.format("Push for comment")).click()
            driver.find_element("css selector", switch.format("Email for deploy")).click()
            driver.find_element("css selector", ".dn-prefs input[value=daily]").click()
            WebDriverWait(driver, 30).until(
                lambda d: hub.preferences("alice").get()["email"] == "daily"
            )
            driver.execute_script("document.activeElement.blur()")
            time.sleep(0.5)
            left, top, right, bottom = driver.execute_script(
                "const r = document.querySelector('.dn-prefs').getBoundingClientRect();"
                "return [r.left, r.top, r.right, r.bottom].map(Math.round)"
            )
            page_shot(
                driver, (left - 16, top - 64, right + 16, bottom + 16), DOCS / "preferences.png"
            )
        hub.stop()


def run_shown(driver, component_id: str, title: str) -> None:
    """Run a command the hub panel shows; wait for the toast it publishes."""
    command = driver.find_element("id", component_id).text
    subprocess.run(["bash", "-c", command], check=True, capture_output=True, timeout=30)
    WebDriverWait(driver, 30).until(lambda d: title in toast_text(d))


def toast_text(driver) -> str:
    return " ".join(e.text for e in driver.find_elements("css selector", ".dn-toast"))


if __name__ == "__main__":
    desktop_shot()
    toast_shots()
    stacked_shot()
    demo_shot()
    hub_shot()
    preferences_shot()
    print("saved", *sorted(p.name for p in DOCS.glob("*.png")))
