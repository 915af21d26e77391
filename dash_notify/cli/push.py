"""``dash-notify push list|remove``: the hub's Web Push subscriptions.

The commands open the store directly, through a Hub without an app (as the token
commands do): ``list`` shows each browser's subscription (never its keys), ``remove``
deletes one by id, so that the browser gets no more pushes until it subscribes again.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any

from ..hub.core import Hub
from .store import add_store_option, run_on_store


def add_parser(commands: Any) -> None:
    """Add ``push`` and its sub-commands to the command line."""
    push = commands.add_parser("push", help="list and remove Web Push subscriptions")
    push.set_defaults(run=run)
    push_commands = push.add_subparsers(dest="push_command", required=True)
    listing = push_commands.add_parser("list", help="list subscriptions (oldest first)")
    add_store_option(listing)
    listing.add_argument("--user", help="only this user's")
    remove = push_commands.add_parser("remove", help="remove a subscription by id")
    add_store_option(remove)
    remove.add_argument("id")


def _when(at: float | None) -> str:
    if at is None:
        return "never"
    return datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds")


def _list(hub: Hub, user: str | None) -> int:
    subscriptions = hub.push.list(user)
    for s in subscriptions:
        agent = s.user_agent[:60] or "-"
        print(
            f"{s.id}  user={s.user}  lang={s.lang or '-'}  created={_when(s.created)}  "
            f"last-success={_when(s.last_success)}  {s.endpoint}  {agent}"
        )
    print(f"{len(subscriptions)} subscription(s)", file=sys.stderr)
    return 0


def _remove(hub: Hub, subscription_id: str) -> int:
    if not hub.push.remove(subscription_id):
        print(f"dash-notify: no subscription with id {subscription_id!r}", file=sys.stderr)
        return 1
    print(f"removed {subscription_id}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run one push command. Exit 2: no store; 1: failed or not found."""

    def command(hub: Hub) -> int:
        if args.push_command == "list":
            return _list(hub, args.user)
        return _remove(hub, args.id)

    return run_on_store(args, command, usage_errors=())
