"""``dash-notify worker MODULE:HUB``: run a hub's channels and retention in a process
of its own, until SIGTERM or SIGINT.

``MODULE:HUB`` names the Hub object (``app:hub``), or a function returning one, as
gunicorn names an app; the module is imported from the current folder. The app's own
processes may then skip that work with ``Hub(app, ..., run=False)``; both may run it
too: a lease in the store lets one process at a time send on each channel.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from typing import Any

from ..hub.core import Hub


def add_parser(commands: Any) -> None:
    """Add ``worker`` to the command line."""
    worker = commands.add_parser(
        "worker", help="run a hub's channels and retention in a process of its own"
    )
    worker.add_argument("hub", help="MODULE:NAME of the Hub (or of a function returning it)")
    worker.set_defaults(run=run)


def load_hub(spec: str) -> Hub:
    """The Hub that ``MODULE:NAME`` names; ValueError saying what is wrong otherwise."""
    module_name, _, name = spec.partition(":")
    if not module_name or not name:
        raise ValueError(f"{spec!r}: expected MODULE:NAME, say app:hub")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"cannot import {module_name!r}: {error}") from error
    found = getattr(module, name, None)
    if callable(found) and not isinstance(found, Hub):
        found = found()
    if not isinstance(found, Hub):
        raise ValueError(f"{spec!r} is not a dash_notify Hub (found {type(found).__name__})")
    return found


def run(args: argparse.Namespace) -> int:
    """Start the runner and wait for a signal to stop."""
    try:
        hub = load_hub(args.hub)
    except ValueError as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 2
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    hub.runner.start()
    names = ", ".join(channel.name for channel in hub.channels) or "no channels"
    print(f"dash-notify worker: running {names} and the retention", flush=True)
    stopping.wait()
    hub.stop()
    return 0
