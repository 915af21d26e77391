"""``dash-notify digest MODULE:HUB [--mode often|daily]``: send the email digests that
are due now, then exit (for cron, when no process of the app runs the channels).

It takes the email channel's lease like any runner (one sender at a time across every
process), queues what was published since the last run, and sends every mail whose
time has come: ``--mode daily`` at the daily time only the daily users' digests (the
others stay queued for their own run), ``--mode often`` the often users'.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from ..hub.channels.email import email_channel
from ..hub.model import StoreUnavailableError
from .worker import load_hub


def add_parser(commands: Any) -> None:
    """Add ``digest`` to the command line."""
    digest = commands.add_parser("digest", help="send the email digests that are due now")
    digest.add_argument("hub", help="MODULE:NAME of the Hub (or of a function returning it)")
    digest.add_argument("--mode", choices=("often", "daily"), help="only these users' digests")
    digest.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Send what is due; exit 2 for a hub without an email channel, 1 when the store
    is unavailable or another process holds the channel's lease."""
    try:
        hub = load_hub(args.hub)
    except ValueError as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 2
    try:
        hub.runner.stop()  # this command sends by itself, once
        channel = email_channel(hub)
        if channel is None:
            print(f"dash-notify: {args.hub} has no email channel", file=sys.stderr)
            return 2
        channel.only_mode = args.mode
        owner = hub.runner.owner
        if not hub.stores.channels.acquire(
            channel.name, owner, hub.runner.lease_seconds, time.time()
        ):
            print("dash-notify: another process is sending mail now", file=sys.stderr)
            return 1
        sent = 0
        while True:
            busy = hub.runner.step(channel)
            sent += channel.progress
            if not busy or channel.progress == 0:
                break
        print(f"dash-notify digest: {sent} deliveries settled", flush=True)
        return 0
    except StoreUnavailableError as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 1
    finally:
        hub.stop()
