"""Shared pieces of the benchmarks: serving a Dash app on loopback and a real Chromium."""

from __future__ import annotations

import gzip
import logging
import os
import statistics
import threading
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from dash_notify.testing import notification_chrome_options


@contextmanager
def serve(app):
    """Serve a Dash app on 127.0.0.1 in a thread, for the length of the block, on a free
    port (each app its own origin; nothing else running on this machine is in the way)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}/"
    finally:
        server.shutdown()


@contextmanager
def chromium(permission: str = "allow"):
    """Chromium with notifications allowed (or as asked): headed when there is a DISPLAY,
    else headless; ``window.gc()`` is available for heap figures."""
    options = notification_chrome_options(permission)
    options.add_argument("--no-sandbox")
    options.add_argument("--js-flags=--expose-gc")
    options.add_argument("--disable-dev-shm-usage")
    if not os.environ.get("DISPLAY"):
        options.add_argument("--headless")
    driver = webdriver.Chrome(options=options)
    driver.set_script_timeout(600)
    try:
        yield driver
    finally:
        driver.quit()


def open_app(driver, url: str, element_id: str, timeout: float = 30) -> None:
    """Load a Dash page and wait until its layout has rendered ``element_id``."""
    driver.get(url)
    WebDriverWait(driver, timeout).until(lambda d: d.find_elements("id", element_id))


def sizes(path: Path) -> tuple[int, int]:
    """Bytes of a file as served (minified) and gzipped at level 9."""
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=9))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
        "max": max(values),
    }
