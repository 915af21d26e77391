"""Waiting for a condition in tests: poll it until it holds or a deadline passes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

TEXTS_SCRIPT = "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)"


def wait_until(condition: Callable[[], T], timeout: float = 20, what: str = "condition") -> T:
    """Call ``condition`` every 50 ms until it returns something truthy, and return that;
    raise AssertionError naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def texts(driver: Any, selector: str) -> list[str]:
    """The text of every element of the page that matches ``selector``."""
    return driver.execute_script(TEXTS_SCRIPT, selector)
