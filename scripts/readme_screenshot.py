"""Takes the README's screenshot of a real desktop notification raised by usage.py.

Run on an X display (for example: xvfb-run -a -s "-screen 0 1280x900x24" python
scripts/readme_screenshot.py). It starts the demo, opens Chromium with notifications
allowed, presses "Raise" and captures the screen with the popup Chromium draws.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from PIL import ImageGrab
from selenium import webdriver
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dash_notify.testing import notification_chrome_options  # noqa: E402
from tests.browser.desktop_popup import wait_for_popups  # noqa: E402
from usage import app  # noqa: E402


def main(out: Path = ROOT / "docs" / "notification.png") -> None:
    server = make_server("127.0.0.1", 8765, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = notification_chrome_options("allow")
    options.add_argument("--no-sandbox")
    driver = webdriver.Chrome(options=options)
    try:
        driver.get("http://localhost:8765/")
        time.sleep(2)
        driver.find_element("id", "raise-notification").click()
        [popup] = wait_for_popups(1)
        time.sleep(0.5)
        margin = 16
        image = ImageGrab.grab(
            bbox=(
                popup.x - margin,
                popup.y - margin,
                popup.x + popup.width + margin // 2,
                popup.y + popup.height + margin // 2,
            ),
            xdisplay=os.environ["DISPLAY"],
        )
        image.save(out)
        print(f"saved {out}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
