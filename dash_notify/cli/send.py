"""``dash-notify send`` and ``dash-notify close``: publish one notification, or close one
by its tag, through an app's hub over HTTP.

The token goes in the ``Authorization`` header, to the origin given by ``--url`` and
nowhere else: a redirect to the same origin that keeps the request (307, 308) is
followed; any other redirect is reported (with where it pointed) and not followed, so
that a proxy or a compromised app cannot have the token sent to another host, or the
publish turned into a GET.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from ..hub.targets import TargetError, parse_targets
from ..options import NotificationOptionsError, validate_options

SEVERITIES = ("Low", "Medium", "High", "Critical", "None")
TIMEOUT = 30


def add_parser(commands: Any) -> None:
    """Add ``send`` and ``close`` to the command line's sub-commands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=os.environ.get("DASH_NOTIFY_URL"), help="the app's URL")
    common.add_argument("--to", action="append", help='a target (repeatable); default "*"')
    common.add_argument(
        "--token-env", default="DASH_NOTIFY_TOKEN", help="the variable holding the token"
    )
    send = commands.add_parser(
        "send", parents=[common], help="publish a notification through an app's hub"
    )
    send.add_argument("--title", required=True)
    send.add_argument("--body")
    send.add_argument("--severity", choices=SEVERITIES)
    send.add_argument("--type", choices=("Notification", "Alert"))
    send.add_argument("--source")
    send.add_argument("--category", help="what it is about, such as deploy (a-z, 0-9, . _ -)")
    send.add_argument(
        "--action",
        action="append",
        metavar="ID=TITLE",
        help="an action button (repeatable, at most 2): its id and its label",
    )
    send.add_argument("--tag")
    send.add_argument("--data", help="JSON carried to clickData")
    send.set_defaults(run=run)
    close = commands.add_parser(
        "close",
        parents=[common],
        help="close the notification with a tag in every browser of the targets",
    )
    close.add_argument("tag", help="the tag the notification was published with")
    close.set_defaults(run=run_close)


class RedirectRefusedError(Exception):
    """The server answered with a redirect that is not followed with the token."""

    def __init__(self, code: int, location: str):
        self.code = code
        self.location = location
        super().__init__(f"{code} redirect to {location}")


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows 307 and 308 (method and body kept) within the request's origin only."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request:
        if code in (307, 308) and _origin(newurl) == _origin(req.full_url):
            return urllib.request.Request(
                newurl,
                data=req.data,
                method=req.get_method(),
                headers=dict(req.headers),
            )
        raise RedirectRefusedError(code, newurl)


def post(url: str, payload: Any, secret: str) -> Any:
    """POST ``payload`` as JSON with the bearer token; the JSON answer."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
    )
    opener = urllib.request.build_opener(_SameOriginRedirects)
    with opener.open(request, timeout=TIMEOUT) as response:
        return json.loads(response.read())


def _action(given: str) -> dict[str, str]:
    """An action button from ``ID=TITLE``."""
    action, sep, title = given.partition("=")
    if not sep or not action.strip() or not title.strip():
        raise ValueError(f"--action: {given!r} is not ID=TITLE")
    return {"action": action.strip(), "title": title.strip()}


def _options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {"title": args.title}
    for name in ("body", "severity", "type", "source", "category", "tag"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    if args.action:
        options["actions"] = [_action(given) for given in args.action]
    if args.data is not None:
        options["data"] = json.loads(args.data)
    validate_options(options)
    return options


def run(args: argparse.Namespace) -> int:
    """Publish; prints the message id. Exit 2: bad arguments; 1: refused or unreachable."""
    return _request(args, "publish", lambda: {"notification": _options(args)})


def run_close(args: argparse.Namespace) -> int:
    """Close by tag; prints the close message's id. Exit codes as :func:`run`'s."""

    def payload() -> dict[str, Any]:
        validate_options({"title": "close", "tag": args.tag})  # the hub's rule for tags
        return {"tag": args.tag}

    return _request(args, "close", payload)


def _request(args: argparse.Namespace, path: str, payload: Callable[[], dict[str, Any]]) -> int:
    """POST ``{"to": <targets>, **payload()}`` to the hub's ``path``; prints the id."""
    secret = os.environ.get(args.token_env)
    if not secret:
        print(f"dash-notify: set {args.token_env} to a token", file=sys.stderr)
        return 2
    if not args.url:
        print("dash-notify: --url (or DASH_NOTIFY_URL) is required", file=sys.stderr)
        return 2
    try:
        body = payload()
        targets = parse_targets(args.to or ["*"])
    except (ValueError, NotificationOptionsError, TargetError) as error:
        print(f"dash-notify: {error}", file=sys.stderr)
        return 2
    url = args.url.rstrip("/") + "/_dash_notify/" + path
    try:
        reply = post(url, {"to": list(targets), **body}, secret)
    except RedirectRefusedError as error:
        print(
            f"dash-notify: {url} answered {error.code} with a redirect to {error.location}; "
            "not followed with the token: check --url",
            file=sys.stderr,
        )
        return 1
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
    except ValueError:
        print(f"dash-notify: {url} did not answer with JSON; check --url", file=sys.stderr)
        return 1
    if not isinstance(reply, dict) or "id" not in reply:
        print(f"dash-notify: {url} did not answer as a hub does; check --url", file=sys.stderr)
        return 1
    print(reply["id"])
    return 0
