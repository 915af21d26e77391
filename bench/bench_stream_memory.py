"""Memory per open event stream on FastAPI: the hub's stream against the least an event
stream can be on the same stack, side by side.

The three apps, each served the same way (the README's gunicorn with 2 uvicorn workers,
the command of bench_streams.py's ``fastapi`` deployment, only the app differs):
- dash_notify: bench/served_app.py (Dash, the hub on SQLite), streams on
  ``GET /_dash_notify/events``, each an anonymous browser of its own;
- the peers (bench/sse_peer_app.py: one FastAPI route, nothing else), streams on
  ``GET /events``: ``lean-peer`` answers with the hub's own ASGI stream response (the
  floor for the hub's stream), ``sse-starlette`` with sse-starlette's.

For each repeat, the apps in a rotating order: start the server, open and close a few
streams (first-request set-up), note the RSS of the worker processes (summed), open N
streams from a separate process (from many loopback addresses, ``--per-ip`` each: the
hub limits streams per address), wait for every one to answer 200, let memory settle,
note the RSS again. KB per stream = the growth / N. Prints each run, then the medians
and the ratios dash_notify / each peer. Loopback only; bounded in count and time.

Run: python bench/bench_stream_memory.py [--streams 2000] [--repeats 3] [--settle 2]
     [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_streams import (  # noqa: E402
    Server,
    load_average,
    raise_fd_limit,
    serve,
    source_address,
)

APPS = {
    "dash_notify": ("bench.served_app:create", "/_dash_notify/events"),
    "lean-peer": ("bench.sse_peer_app:create_lean", "/events"),
    "sse-starlette": ("bench.sse_peer_app:create", "/events"),
}


def hold_streams(conn, port: int, path: str, count: int, per_ip: int) -> None:
    """(In a child process.) Open ``count`` streams, report how many answered 200, hold
    them until told, then close them."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    sockets: list[socket.socket] = []
    opened = 0
    try:
        for index in range(count):
            sock = socket.socket()
            sock.bind((source_address(index, per_ip), 0))
            sock.settimeout(30)
            sock.connect(("127.0.0.1", port))
            sock.sendall(request.encode())
            sockets.append(sock)
        for sock in sockets:
            head = sock.recv(4096).split(b"\r\n", 1)[0]
            opened += head.startswith(b"HTTP/1.1 200")
    except OSError as error:  # refused, timed out: the parent reports it
        conn.send(f"{opened} streams answered 200, then: {error!r}")
        return
    else:
        conn.send(opened)
    try:
        conn.recv()  # hold until the parent has measured
    finally:
        for sock in sockets:
            sock.close()


def measure(server: Server, app: str, n: int, per_ip: int, settle: float) -> tuple[int, float]:
    """Streams that opened, and KB of worker RSS per stream (``settle``: seconds for
    memory to settle before each reading)."""
    path = APPS[app][1]

    def streams(count: int) -> tuple[int, object, multiprocessing.Process]:
        mine, theirs = multiprocessing.Pipe()
        child = multiprocessing.Process(
            target=hold_streams, args=(theirs, server.port, path, count, per_ip)
        )
        child.start()
        answer = mine.recv() if mine.poll(120) else "no answer in 120 s"
        if isinstance(answer, str):
            child.kill()
            sys.exit(f"{app}: opening {count} streams failed: {answer}")
        return answer, mine, child

    # first-request set-up (imports, thread pools) is not a stream's cost
    _, conn, child = streams(10)
    conn.send("close")
    child.join(30)
    time.sleep(settle)
    before = server.rss_kb()
    opened, conn, child = streams(n)
    time.sleep(settle)
    after = server.rss_kb()
    conn.send("close")
    child.join(30)
    return opened, (after - before) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-ip", type=int, default=40)
    parser.add_argument("--settle", type=float, default=2.0, help="seconds before a reading")
    parser.add_argument("--quick", action="store_true", help="40 streams, one repeat")
    args = parser.parse_args()
    if args.quick:
        args.streams, args.repeats, args.settle = 40, 1, 0.2
    limit = raise_fd_limit()
    if args.streams + 100 > limit:
        parser.error(f"--streams: at most {limit - 100} on this machine (open files)")
    print(f"Memory per open event stream, FastAPI, gunicorn, 2 uvicorn workers; {load_average()}")
    print(f"{args.streams} streams, {args.repeats} repeats, apps in alternating order")
    figures: dict[str, list[float]] = {app: [] for app in APPS}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            order = list(APPS)[repeat % len(APPS) :] + list(APPS)[: repeat % len(APPS)]
            for app in order:
                store = f"sqlite:///{tmp}/hub-{repeat}.db"
                with serve("fastapi", store, app=APPS[app][0]) as server:
                    opened, kb = measure(server, app, args.streams, args.per_ip, args.settle)
                if opened != args.streams:
                    sys.exit(f"{app}: only {opened} of {args.streams} streams opened")
                figures[app].append(kb)
                print(f"  run {repeat + 1}  {app:<12} {opened:>6} open  {kb:6.1f} KB/stream")
    medians = {app: statistics.median(values) for app, values in figures.items()}
    for app, value in medians.items():
        print(f"median {app:<12} {value:6.1f} KB/stream")
    for peer in ("lean-peer", "sse-starlette"):
        if medians[peer] > 0:
            print(f"ratio dash_notify / {peer} {medians['dash_notify'] / medians[peer]:.2f}")
        else:  # (a short run's growth can be lost in the noise)
            print(f"ratio dash_notify / {peer}: n/a, the peer's memory did not measurably grow")


if __name__ == "__main__":
    main()
