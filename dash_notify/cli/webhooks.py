"""``dash-notify webhook create|list|get|update|delete|rotate|test|attempts``: manage
webhook rules in the hub's store.

The commands open the store directly, through a Hub without an app, so that every
field is checked exactly as ``hub.webhooks`` checks it. Destination URLs must be
http(s) on public addresses; ``--allow-private`` accepts loopback and private ones,
which only an app whose ``WebhookChannel(allow_private=True)`` allows will send to.

    dash-notify webhook create --store sqlite:///n.db --name CI --url https://ci.example/hook \\
        --event notification.clicked --filter action=approve
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Any

from ..hub.core import Hub
from ..hub.webhooks import EVENTS, FILTERS, METHODS, Rule, RuleError, RuleNotFoundError
from .store import add_store_option, run_on_store


def add_parser(commands: Any) -> None:
    """Add ``webhook`` and its sub-commands to the command line."""
    webhook = commands.add_parser("webhook", help="manage webhook rules")
    webhook.set_defaults(run=run)
    sub = webhook.add_subparsers(dest="webhook_command", required=True)

    def command(name: str, summary: str, *, rule_id: bool = True) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=summary)
        add_store_option(parser)
        if rule_id:
            parser.add_argument("id", help="the rule's id (wh_...)")
        return parser

    def fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
        parser.add_argument("--name", required=required)
        parser.add_argument("--url", required=required, help="where events are sent (http(s))")
        parser.add_argument(
            "--method", choices=METHODS, help="POST (JSON body, the default) or GET"
        )
        parser.add_argument(
            "--event",
            action="append",
            choices=EVENTS,
            help="an event the rule wants (repeatable; default: notification.published)",
        )
        parser.add_argument(
            "--filter",
            action="append",
            metavar="NAME=VALUE",
            help=f"accept only events whose NAME ({', '.join(FILTERS)}) is VALUE "
            "(repeatable; several values of one name: any of them)",
        )
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="accept a URL on a loopback or private address",
        )
        state = parser.add_mutually_exclusive_group()
        state.add_argument("--active", dest="active", action="store_true", default=None)
        state.add_argument("--inactive", dest="active", action="store_false")

    fields(command("create", "create a rule (its secret is shown)", rule_id=False), required=True)
    listing = command("list", "list rules", rule_id=False)
    listing.add_argument("--q", help="only rules whose name contains this (ignoring case)")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--json", action="store_true", help="one JSON document")
    get = command("get", "show a rule")
    get.add_argument("--json", action="store_true", help="one JSON document")
    get.add_argument("--show-secret", action="store_true", help="include the signing secret")
    fields(command("update", "change some fields of a rule"), required=False)
    command("delete", "delete a rule")
    rotate = command("rotate", "give a rule a new secret (shown)")
    rotate.add_argument(
        "--keep-previous",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long the previous secret keeps signing too (default: one day)",
    )
    test = command("test", "send a test event to the rule's URL now")
    test.add_argument("--allow-private", action="store_true", help="send to a private address")
    attempts = command("attempts", "the rule's recent requests")
    attempts.add_argument("--limit", type=int, default=20)
    attempts.add_argument("--json", action="store_true", help="one JSON document")


def _filters(given: list[str] | None) -> dict[str, list[str]] | None:
    if not given:
        return None
    filters: dict[str, list[str]] = {}
    for item in given:
        name, sep, value = item.partition("=")
        if not sep:
            raise RuleError("filters", f"{item!r} is not NAME=VALUE", FILTERS)
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


def _show(rule: Rule, *, secret: bool = False) -> None:
    state = "active" if rule.active else f"disabled ({rule.disabled_reason or 'by hand'})"
    print(f"id:      {rule.id}\nname:    {rule.name}\nurl:     {rule.url}")
    print(f"method:  {rule.method}\nstate:   {state}\nevents:  {' '.join(rule.events)}")
    filters = " ".join(f"{k}={v}" for k, values in rule.filters.items() for v in values)
    print(f"filters: {filters or '-'}")
    print(f"failing since: {_when(rule.failing_since)}")
    if secret:
        print(f"secret:  {rule.secret}")
        if rule.previous_secret:
            print(f"previous secret: {rule.previous_secret} (until {_when(rule.previous_until)})")


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("name", "url", "method", "active")
        if getattr(args, name) is not None
    }
    if args.event:
        changes["events"] = args.event
    filters = _filters(args.filter)
    if filters is not None:
        changes["filters"] = filters
    return changes


def _run(hub: Hub, args: argparse.Namespace) -> int:
    command = args.webhook_command
    if getattr(args, "allow_private", False):
        hub.webhooks.config = replace(hub.webhooks.config, allow_private=True)
    if command == "create":
        changes = _changes(args)
        rule = hub.webhooks.create(changes.pop("name"), changes.pop("url"), **changes)
        _show(rule, secret=True)
        print("(receivers verify requests with this secret: see the README)")
    elif command == "list":
        rules, total = hub.webhooks.list(args.q, args.limit, args.offset)
        if args.json:
            print(json.dumps({"rules": [r.public() for r in rules], "total": total}))
        else:
            for rule in rules:
                state = "active" if rule.active else "disabled"
                print(f"{rule.id}  {state:8}  {rule.method:4}  {rule.name}  {rule.url}")
            print(f"{len(rules)} of {total}")
    elif command == "get":
        rule = hub.webhooks.get(args.id)
        if args.json:
            shown = rule.public()
            if args.show_secret:
                shown["secret"] = rule.secret
            print(json.dumps(shown))
        else:
            _show(rule, secret=args.show_secret)
    elif command == "update":
        changes = _changes(args)
        if not changes:
            raise RuleError("update", "give at least one field to change")
        _show(hub.webhooks.update(args.id, **changes))
    elif command == "delete":
        hub.webhooks.delete(args.id)
        print(f"deleted {args.id}")
    elif command == "rotate":
        rule = hub.webhooks.rotate(args.id, keep_previous=args.keep_previous)
        print(f"secret:  {rule.secret}")
        if rule.previous_secret:
            print(f"the previous secret signs too until {_when(rule.previous_until)}")
    elif command == "test":
        attempt = hub.webhooks.test(args.id)
        status = attempt.status if attempt.status is not None else "no answer"
        print(f"{attempt.webhook_id}: {status} in {attempt.latency * 1000:.0f} ms")
        if attempt.error:
            print(f"dash-notify: {attempt.error}", file=sys.stderr)
            return 1
    else:
        found = hub.webhooks.attempts(args.id, args.limit)
        if args.json:
            print(json.dumps([asdict(a) for a in found]))
        for a in [] if args.json else found:
            status = a.status if a.status is not None else "-"
            print(
                f"{_when(a.at)}  {status}  {a.latency * 1000:.0f} ms  {a.event}  "
                f"{a.webhook_id}  {a.error or ''}".rstrip()
            )
    return 0


def run(args: argparse.Namespace) -> int:
    """Run one webhook command. Exit 2: bad arguments or no store; 1: failed (no such
    rule, store unavailable, a test the receiver did not accept)."""
    return run_on_store(
        args, lambda hub: _run(hub, args), usage_errors=(RuleError,), failures=(RuleNotFoundError,)
    )
