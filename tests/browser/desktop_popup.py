"""Finding and clicking Chromium's own desktop notification popups on an Xvfb screen.

With no notification daemon, Chromium draws each notification as an unnamed X window,
360 px wide, at the bottom-right of the screen, with the action buttons in a row at
its bottom (BROWSER-TESTING.md). These helpers find that window with ``xwininfo``,
find the buttons by their dark label pixels in a real screenshot, and click with
``xdotool``: the path a person's mouse takes.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass

from PIL import ImageGrab

POPUP_WIDTH = 360
_GEOMETRY = re.compile(r"^\s*0x[0-9a-f]+ \(has no name\): \(\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)")


@dataclass(frozen=True)
class Popup:
    x: int
    y: int
    width: int
    height: int

    @property
    def body(self) -> tuple[int, int]:
        """A point on the title and body text, away from the buttons and the close icon."""
        return self.x + 90, self.y + 50

    def action_buttons(self) -> list[tuple[int, int]]:
        """Centres of the action buttons' labels, left to right, from a screenshot."""
        band_top = self.y + self.height - 34
        image = ImageGrab.grab(
            bbox=(self.x, band_top, self.x + self.width, self.y + self.height - 4),
            xdisplay=os.environ["DISPLAY"],
        ).convert("L")
        width, height = image.size
        pixels = image.load()
        dark_columns = [
            any(pixels[column, row] < 120 for row in range(height)) for column in range(width)
        ]
        runs: list[list[int]] = []
        for column, dark in enumerate(dark_columns):
            if not dark:
                continue
            if runs and column - runs[-1][1] <= 12:
                runs[-1][1] = column
            else:
                runs.append([column, column])
        return [(self.x + (start + end) // 2, band_top + height // 2) for start, end in runs]


def popups() -> list[Popup]:
    """Chromium's notification popups on the screen, top to bottom."""
    for _ in range(5):
        # xwininfo fails when a window disappears while it walks the tree: ask again.
        listing = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True)
        if listing.returncode == 0:
            break
        time.sleep(0.05)
    listing.check_returncode()
    tree = listing.stdout
    found = []
    for line in tree.splitlines():
        match = _GEOMETRY.match(line)
        if match and int(match.group(1)) == POPUP_WIDTH and int(match.group(2)) > 40:
            width, height, x, y = map(int, match.groups())
            found.append(Popup(x, y, width, height))
    return sorted(found, key=lambda popup: popup.y)


def wait_for_popups(count: int, timeout: float = 10) -> list[Popup]:
    """Wait until ``count`` popups are on the screen, and their drawing has settled."""
    deadline = time.monotonic() + timeout
    found: list[Popup] = []
    while time.monotonic() < deadline:
        found = popups()
        if len(found) == count:
            time.sleep(0.5)  # the popup slides in; let it come to rest before clicking
            return popups()
        time.sleep(0.1)
    raise AssertionError(f"expected {count} notification popups, saw {len(found)}")


def click(point: tuple[int, int]) -> None:
    """A real mouse click at a point of the screen."""
    x, y = point
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True)
