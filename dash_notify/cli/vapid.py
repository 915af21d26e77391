"""``dash-notify vapid generate``: make the VAPID key pair Web Push needs.

The private key goes to a file readable by its owner only (never printed); the public
key is printed in the form the browser's ``pushManager.subscribe`` takes as its
``applicationServerKey`` (the hub serves it to the browser itself).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_parser(commands: Any) -> None:
    """Add ``vapid`` and its sub-command to the command line."""
    vapid = commands.add_parser("vapid", help="make the VAPID key pair for Web Push")
    vapid.set_defaults(run=run)
    vapid_commands = vapid.add_subparsers(dest="vapid_command", required=True)
    make = vapid_commands.add_parser(
        "generate", help="write a new private key (mode 600) and print the public key"
    )
    make.add_argument(
        "--out",
        default="vapid_private.pem",
        help="the private key file to create (default: vapid_private.pem; never overwritten)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the key pair. Exit 1 when the file exists or cannot be written, 2 when
    the ``push`` extra is not installed."""
    try:
        from ..hub.push.vapid import CONTACT_ENV, PRIVATE_KEY_ENV, generate
    except ImportError as error:
        print(f"dash-notify: {error}; pip install 'dash_notify[push]'", file=sys.stderr)
        return 2
    try:
        public = generate(args.out)
    except FileExistsError:
        print(f"dash-notify: {args.out} exists; not overwritten", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"dash-notify: cannot write {args.out}: {error}", file=sys.stderr)
        return 1
    print(f"private key: {args.out} (readable by you only; keep it secret)")
    print(f"public key:  {public}")
    print(
        f"use it with: {PRIVATE_KEY_ENV}={args.out} "
        f"{CONTACT_ENV}=mailto:you@example.com (or an https URL)"
    )
    return 0
