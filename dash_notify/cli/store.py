"""The ``--store`` option of the commands that open the hub's store directly (through a
Hub without an app), and running one such command with the same exit codes everywhere:
2 for a missing or bad store URL or bad arguments, 1 when the store is unavailable or
the command failed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from ..hub.core import Hub
from ..hub.model import StoreUnavailableError

STORE_HELP = "the hub's store URL (default: $DASH_NOTIFY_STORE)"


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` the ``--store`` option (default: ``$DASH_NOTIFY_STORE``)."""
    parser.add_argument("--store", default=os.environ.get("DASH_NOTIFY_STORE"), help=STORE_HELP)


def fail(error: BaseException | str, code: int) -> int:
    """Print ``error`` as the command's error and return the exit ``code``."""
    text = error.args[0] if isinstance(error, BaseException) and error.args else error
    print(f"dash-notify: {text}", file=sys.stderr)
    return code


def run_on_store(
    args: argparse.Namespace,
    command: Callable[[Hub], int],
    *,
    usage_errors: tuple[type[Exception], ...] = (ValueError,),
    failures: tuple[type[Exception], ...] = (),
) -> int:
    """Open the hub on ``args.store``, run ``command(hub)`` and stop the hub. Errors of
    ``usage_errors`` (bad arguments) exit 2; StoreUnavailableError and ``failures``
    exit 1."""
    if not args.store:
        return fail("--store (or DASH_NOTIFY_STORE) is required", 2)
    try:
        hub = Hub(None, args.store)
    except (ValueError, StoreUnavailableError) as error:
        return fail(error, 2)
    try:
        return command(hub)
    except usage_errors as error:
        return fail(error, 2)
    except (StoreUnavailableError, *failures) as error:
        return fail(error, 1)
    finally:
        hub.stop()
