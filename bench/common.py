"""Shared pieces of the benchmarks: serving a Dash app on loopback and a real Chromium."""

from __future__ import annotations

import gzip
import json
import logging
import os
import statistics
import threading
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import websocket
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


class MainThreadTasks:
    """The tasks of a page's main thread between ``start()`` and ``stop()``, from a
    DevTools trace (``toplevel`` category) over the page's own DevTools connection: each
    task's wall-clock time and the CPU time its thread got. On a busy machine a task's
    wall-clock time includes the time the thread waited for a core; its CPU time does not.
    """

    def __init__(self, driver):
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        with urllib.request.urlopen(f"http://{address}/json") as response:
            targets = json.load(response)
        page = next(t for t in targets if t["type"] == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], suppress_origin=True
        )
        self.calls = 0

    def _call(self, method: str, params: dict | None = None) -> None:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params or {}}))

    def start(self) -> None:
        self._call("Tracing.start", {"categories": "toplevel", "transferMode": "ReportEvents"})
        while json.loads(self.socket.recv()).get("id") != self.calls:
            pass

    def stop(self) -> list[tuple[float, float]]:
        """(wall-clock ms, CPU ms) of each main-thread task since ``start()``."""
        self._call("Tracing.end")
        events: list[dict] = []
        while True:
            message = json.loads(self.socket.recv())
            if message.get("method") == "Tracing.dataCollected":
                events += message["params"]["value"]
            elif message.get("method") == "Tracing.tracingComplete":
                break
        main = {
            (e["pid"], e["tid"])
            for e in events
            if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"
        }
        return [
            (e.get("dur", 0) / 1000, e.get("tdur", 0) / 1000)
            for e in events
            if e.get("name") == "ThreadControllerImpl::RunTask" and (e["pid"], e["tid"]) in main
        ]

    def close(self) -> None:
        self.socket.close()
