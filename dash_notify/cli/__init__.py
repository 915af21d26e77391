"""The ``dash-notify`` command: send notifications to a hub, listen to them, manage its
tokens and Web Push subscriptions.

    dash-notify send --url http://127.0.0.1:8050/ --to group:deploys --title "Deployed"
    dash-notify listen http://127.0.0.1:8050/ --topic deploys --since 10m
    dash-notify close --url http://127.0.0.1:8050/ --to group:deploys deploy-42
    dash-notify token create --store sqlite:///notifications.db --name ci --to group:deploys
    dash-notify token list --store sqlite:///notifications.db
    dash-notify token revoke --store sqlite:///notifications.db <id>
    dash-notify worker app:hub
    dash-notify vapid generate --out vapid_private.pem
    dash-notify push list --store sqlite:///notifications.db [--user alice]
    dash-notify push remove --store sqlite:///notifications.db <id>
    dash-notify webhook create --store sqlite:///notifications.db --name CI --url https://...
    dash-notify digest app:hub --mode daily

``send``, ``close`` and ``listen`` read their token from ``DASH_NOTIFY_TOKEN`` (as the JupyterLab
extension's script reads its own from the environment); ``token`` commands open the
hub's store directly (a Hub without an app), from ``--store`` or ``DASH_NOTIFY_STORE``;
``worker`` runs an app's hub channels and retention in a process of its own;
``webhook`` manages webhook rules in the store; ``digest`` sends the email digests that
are due (for cron).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from . import digest, listen, push, send, tokens, vapid, webhooks, worker


def parser() -> argparse.ArgumentParser:
    """The command line's parser: one sub-command per module."""
    parser = argparse.ArgumentParser(prog="dash-notify", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    send.add_parser(commands)
    listen.add_parser(commands)
    tokens.add_parser(commands)
    worker.add_parser(commands)
    vapid.add_parser(commands)
    push.add_parser(commands)
    webhooks.add_parser(commands)
    digest.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    return args.run(args)
