"""``dash-notify token create|list|revoke``: manage publishing tokens in the hub's store.

The commands open the store directly, through a Hub without an app, so that names,
targets and permissions are checked exactly as ``hub.create_token`` checks them.
``--allow`` grants a token a permission that tokens lack by default: ``interop``
(set ``clickInterop`` and actions' ``interop``, which run the app's registered
handlers when a user clicks), ``source`` (set the ``source`` a notification shows),
``admin`` (manage webhook rules over HTTP) and ``read``: a read token subscribes to the messages
addressed to what its ``--to`` reaches (``dash-notify listen``, ntfy's apps) and
publishes only when ``publish`` is allowed too.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any

from ..hub.core import Hub
from ..hub.model import TOKEN_PERMISSIONS, Token
from .store import add_store_option, run_on_store

PERMISSIONS = TOKEN_PERMISSIONS


def add_parser(commands: Any) -> None:
    """Add ``token`` and its sub-commands to the command line."""
    token = commands.add_parser("token", help="create, list and revoke publishing tokens")
    token.set_defaults(run=run)
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="create a token (its secret is shown once)")
    add_store_option(create)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--to",
        action="append",
        required=True,
        help='a target it may reach (repeatable; "*", "user:*" and "group:*" allowed)',
    )
    create.add_argument(
        "--allow",
        action="append",
        choices=PERMISSIONS,
        default=[],
        help="a permission (repeatable): interop lets it set clickInterop and actions' "
        "interop, source lets it set the source shown, admin lets it manage webhook "
        "rules; read makes it a read token (it subscribes to what --to reaches, and "
        "publishes only with publish too); all are off by default",
    )
    listing = token_commands.add_parser("list", help="list tokens")
    add_store_option(listing)
    revoke = token_commands.add_parser("revoke", help="revoke a token by id")
    add_store_option(revoke)
    revoke.add_argument("id")


def _allowed(token: Token) -> str:
    return ",".join(token.allow) if token.allow else "-"


def _create(hub: Hub, args: argparse.Namespace) -> int:
    token, secret = hub.create_token(args.name, args.to, allow=args.allow)
    print(f"id:      {token.id}\nname:    {token.name}\nmay reach: {' '.join(token.targets)}")
    print(f"allowed: {_allowed(token)}")
    print(f"secret:  {secret}\n(shown only now; keep it in DASH_NOTIFY_TOKEN)")
    return 0


def _list(hub: Hub) -> int:
    for token in hub.tokens():
        created = datetime.fromtimestamp(token.created, timezone.utc).isoformat(timespec="seconds")
        state = "revoked" if token.revoked else "active"
        print(
            f"{token.id}  {state:7}  {created}  {token.name}  {' '.join(token.targets)}"
            f"  allow={_allowed(token)}"
        )
    return 0


def _revoke(hub: Hub, token_id: str) -> int:
    if not hub.revoke_token(token_id):
        print(f"dash-notify: no token with id {token_id!r}", file=sys.stderr)
        return 1
    print(f"revoked {token_id}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run one token command. Exit 2: bad arguments or no store; 1: failed."""

    def command(hub: Hub) -> int:
        if args.token_command == "create":
            return _create(hub, args)
        if args.token_command == "list":
            return _list(hub)
        return _revoke(hub, args.id)

    return run_on_store(args, command)
