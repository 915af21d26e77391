"""``dash-notify listen``: print an app's notifications as they are published, one JSON
object a line (``notification`` and ``close`` events, as the subscribe API sends them),
for scripts: ``dash-notify listen http://app/ --topic deploys | jq .options.title``.

It reads the JSON-lines stream ``_dash_notify/subscribe/json`` with a read token (from
``--token`` or ``$DASH_NOTIFY_TOKEN``) and, when the stream ends (servers end streams
every few minutes, proxies cut them, the app restarts), reconnects after a pause and
resumes after the last id it printed, so nothing is printed twice or lost. ``--poll``
prints what is kept and exits. As ``send`` does, it sends the token to the origin of
the URL only: a redirect is reported, not followed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import IO, Any

from .send import RedirectRefusedError, _SameOriginRedirects

#: Seconds to wait before reconnecting, after each failure in a row (then the last).
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
TIMEOUT = 90  # longer than the server's keepalive (15 s): a silent stream is a dead one


def add_parser(commands: Any) -> None:
    """Add ``listen`` to the command line's sub-commands."""
    listen = commands.add_parser(
        "listen", help="print an app's notifications as JSON lines as they are published"
    )
    listen.add_argument("url", nargs="?", default=os.environ.get("DASH_NOTIFY_URL"))
    listen.add_argument("--token", help="a read token (default: $DASH_NOTIFY_TOKEN)")
    listen.add_argument("--topic", action="append", help="only this topic (repeatable)")
    listen.add_argument("--to", action="append", help="only this target (repeatable)")
    listen.add_argument(
        "--since", help="start: all, latest, an id, a duration (10m) or @<unix time>"
    )
    listen.add_argument("--poll", action="store_true", help="print what is kept, then exit")
    listen.set_defaults(run=run)


def stream_url(args: argparse.Namespace, since: str | None) -> str:
    """The subscribe URL for these arguments, starting after ``since``."""
    query: dict[str, str] = {}
    if args.topic:
        query["topic"] = ",".join(args.topic)
    if args.to:
        query["to"] = ",".join(args.to)
    if since:
        query["since"] = since
    if args.poll:
        query["poll"] = "1"
    base = args.url.rstrip("/") + "/_dash_notify/subscribe/json"
    return base + ("?" + urllib.parse.urlencode(query) if query else "")


def events(url: str, secret: str) -> Iterator[dict[str, Any]]:
    """The events of one stream, until it ends."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    opener = urllib.request.build_opener(_SameOriginRedirects)
    with opener.open(request, timeout=TIMEOUT) as response:
        for line in response:
            if line.strip():
                yield json.loads(line)


def _refusal(error: urllib.error.HTTPError) -> str:
    detail = error.read().decode("utf-8", "replace")
    try:
        detail = json.loads(detail)["error"]
    except (ValueError, KeyError, TypeError):
        pass
    return f"{error.code}: {detail}"


def _resumes_by_id(since: str | None) -> bool:
    """Whether a start is replaced by the stream's own position once it opens (a time
    or a duration is kept until a notification gives an id)."""
    return since is None or since in ("", "all", "none", "latest") or since.isdigit()


def listen(
    args: argparse.Namespace,
    secret: str,
    out: IO[str],
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Print events until interrupted (or, with ``--poll``, until the stream ends).
    Refusals (4xx) end it with 1; lost connections are retried with backoff."""
    since = args.since
    failures = 0
    while True:
        try:
            for event in events(stream_url(args, since), secret):
                failures = 0
                if event.get("event") in ("notification", "close"):
                    out.write(json.dumps(event, ensure_ascii=False) + "\n")
                    out.flush()
                    since = str(event["id"])
                elif event.get("event") == "open" and _resumes_by_id(since):
                    # where this stream continues after: resume there if it ends
                    since = str(event["from"])
            if args.poll:
                return 0
        except RedirectRefusedError as error:
            print(f"dash-notify: {error}; not followed with the token", file=sys.stderr)
            return 1
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                print(f"dash-notify: {_refusal(error)}", file=sys.stderr)
                return 1
            print(f"dash-notify: {_refusal(error)}; retrying", file=sys.stderr)
        except (urllib.error.URLError, OSError, ValueError) as error:
            print(f"dash-notify: stream lost ({error}); reconnecting", file=sys.stderr)
        sleep(BACKOFF[min(failures, len(BACKOFF) - 1)] if failures else 0.2)
        failures += 1


def run(args: argparse.Namespace) -> int:
    """Listen. Exit 2: bad arguments; 1: refused; 0: interrupted or polled."""
    secret = args.token or os.environ.get("DASH_NOTIFY_TOKEN")
    if not secret:
        print("dash-notify: --token (or DASH_NOTIFY_TOKEN) is required", file=sys.stderr)
        return 2
    if not args.url:
        print("dash-notify: the app's URL (or DASH_NOTIFY_URL) is required", file=sys.stderr)
        return 2
    try:
        return listen(args, secret, sys.stdout)
    except KeyboardInterrupt:
        return 0
