"""The ``dash-notify`` command: send notifications to a hub and manage its tokens.

    dash-notify send --url http://127.0.0.1:8050/ --to group:deploys --title "Deployed"
    dash-notify token create --store sqlite:///notifications.db --name ci --to group:deploys
    dash-notify token list --store sqlite:///notifications.db
    dash-notify token revoke --store sqlite:///notifications.db <id>

``send`` reads its token from ``DASH_NOTIFY_TOKEN`` (as the JupyterLab extension's script
reads its own from the environment); ``token`` commands open the hub's store directly
(a Hub without an app), from ``--store`` or ``DASH_NOTIFY_STORE``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timezone

from .hub.core import Hub
from .hub.model import StoreUnavailableError
from .hub.targets import TargetError, parse_targets
from .options import NotificationOptionsError, validate_options

SEVERITIES = ("Low", "Medium", "High", "Critical", "None")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dash-notify", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    send = commands.add_parser("send", help="publish a notification through an app's hub")
    send.add_argument("--url", default=os.environ.get("DASH_NOTIFY_URL"), help="the app's URL")
    send.add_argument("--to", action="append", help='a target (repeatable); default "*"')
    send.add_argument("--title", required=True)
    send.add_argument("--body")
    send.add_argument("--severity", choices=SEVERITIES)
    send.add_argument("--type", choices=("Notification", "Alert"))
    send.add_argument("--source")
    send.add_argument("--tag")
    send.add_argument("--data", help="JSON carried to clickData")
    send.add_argument(
        "--token-env", default="DASH_NOTIFY_TOKEN", help="the variable holding the token"
    )

    token = commands.add_parser("token", help="create, list and revoke publishing tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    store_help = "the hub's store URL (default: $DASH_NOTIFY_STORE)"
    create = token_commands.add_parser("create", help="create a token (its secret is shown once)")
    create.add_argument("--store", default=os.environ.get("DASH_NOTIFY_STORE"), help=store_help)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--to",
        action="append",
        required=True,
        help='a target it may reach (repeatable; "*", "user:*" and "group:*" allowed)',
    )
    listing = token_commands.add_parser("list", help="list tokens")
    listing.add_argument("--store", default=os.environ.get("DASH_NOTIFY_STORE"), help=store_help)
    revoke = token_commands.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("--store", default=os.environ.get("DASH_NOTIFY_STORE"), help=store_help)
    revoke.add_argument("id")
    return parser


def _send(args: argparse.Namespace) -> int:
    secret = os.environ.get(args.token_env)
    if not secret:
        print(f"dash-notify: set {args.token_env} to a token", file=sys.stderr)
        return 2
    if not args.url:
        print("dash-notify: --url (or DASH_NOTIFY_URL) is required", file=sys.stderr)
        return 2
    options = {"title": args.title}
    for name in ("body", "severity", "type", "source", "tag"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    try:
        if args.data is not None:
            options["data"] = json.loads(args.data)
        validate_options(options)
        targets = parse_targets(args.to or ["*"])
    except (ValueError, NotificationOptionsError, TargetError) as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 2
    url = args.url.rstrip("/") + "/_dash_notify/publish"
    body = json.dumps({"to": list(targets), "notification": options}).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            reply = json.loads(response.read())
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail)["error"]
        except (ValueError, KeyError, TypeError):
            pass
        print(f"dash-notify: {error.code}: {detail}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"dash-notify: cannot reach {url}: {error.reason}", file=sys.stderr)
        return 1
    print(reply["id"])
    return 0


def _token(args: argparse.Namespace) -> int:
    if not args.store:
        print("dash-notify: --store (or DASH_NOTIFY_STORE) is required", file=sys.stderr)
        return 2
    # The hub without an app: the same checks of names and targets as hub.create_token.
    hub = Hub(None, args.store)
    try:
        if args.token_command == "create":
            token, secret = hub.create_token(args.name, args.to)
            print(
                f"id:      {token.id}\nname:    {token.name}\nmay reach: {' '.join(token.targets)}"
            )
            print(f"secret:  {secret}\n(shown only now; keep it in DASH_NOTIFY_TOKEN)")
        elif args.token_command == "list":
            for token in hub.tokens():
                created = datetime.fromtimestamp(token.created, timezone.utc).isoformat(
                    timespec="seconds"
                )
                state = "revoked" if token.revoked else "active"
                print(f"{token.id}  {state:7}  {created}  {token.name}  {' '.join(token.targets)}")
        else:
            if not hub.revoke_token(args.id):
                print(f"dash-notify: no token with id {args.id!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.id}")
    except ValueError as error:  # a bad name or target (TargetError)
        print(f"dash-notify: {error}", file=sys.stderr)
        return 2
    except StoreUnavailableError as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 1
    finally:
        hub.stores.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return _send(args) if args.command == "send" else _token(args)


if __name__ == "__main__":
    sys.exit(main())
