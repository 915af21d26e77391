"""Ingest: publishes per second over HTTP, the hub on SQLite and on Redis against a bare
route of the same app on the same backend, and the JupyterLab notifications extension's
own server ingest as a peer.

Each backend's app (bench/served_app.py) is served as the README recommends (see
bench_streams.DEPLOYMENTS), once on a SQLite file and once on Redis (appendfsync always,
as the hub's tests run it); no browser is subscribed. In every round each target gets
``--requests`` POSTs from ``--connections`` keep-alive connections (an asyncio client on
uvloop, in this process), in an order that alternates from round to round:
- ``bare``: POST /bench/noop of the same app (reads the body, answers 201 JSON);
- ``hub``: POST /_dash_notify/publish with a Bearer token, our format, to everyone;
- ``jupyterlab``: POST /jupyterlab-notifications-extension/ingest of
  jupyterlab-notifications-extension under ``jupyter server`` (tornado, one process,
  ``Authorization: token``), which keeps notifications in a list in memory (nothing is
  written anywhere; the first browser to poll drains it).
Prints the median requests/s of each over the rounds, and the median of the per-round
ratios hub / bare (the goal: >= 0.6 on each backend). A backend given as ``flask@DIR``
is served with the hub's code from DIR (another checkout), beside the others in the same
interleaved rounds: two versions compared like for like.

Run: python bench/bench_ingest.py [--backends flask,fastapi,quart,fastapi-uvicorn] [--rounds 5]
     [--requests 1000] [--connections 8] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import profiling  # noqa: E402
from bench.bench_streams import (  # noqa: E402
    DEPLOYMENTS,
    HUB_CODE,
    ROOT,
    code_version,
    load_average,
    make_token,
    raise_fd_limit,
    serve,
)
from bench.served_app import BARE  # noqa: E402
from tests.hub.servers import RedisServer, free_port, wait_for_port  # noqa: E402

# The deployment each backend is served with (bench_streams.DEPLOYMENTS).
# "fastapi-uvicorn" is uvicorn's own --workers, which the README advises against (it
# leaves Nagle's algorithm on: each keep-alive request waits for a delayed ACK).
SERVED = {
    "flask": "flask-gthread",
    "fastapi": "fastapi",
    "quart": "quart",
    "fastapi-uvicorn": "fastapi-uvicorn",
    "fastapi-h11": "fastapi-h11",
}
JUPYTER_PATH = "/jupyterlab-notifications-extension/ingest"


def request_bytes(path: str, body: bytes, headers: dict[str, str], port: int) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines += [f"Content-Length: {len(body)}", "", ""]
    return "\r\n".join(lines).encode() + body


async def _connection(port: int, request: bytes, count: int, statuses: dict[int, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(count):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            statuses[status] = statuses.get(status, 0) + 1
            length = 0
            chunked = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    chunked = True
            if chunked:
                while True:
                    size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await reader.readexactly(length)
            if b"connection: close" in head.lower():
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _load(port: int, request: bytes, total: int, connections: int) -> tuple[float, dict]:
    statuses: dict[int, int] = {}
    per = total // connections
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, request, per, statuses) for _ in range(connections)))
    return per * connections / (time.perf_counter() - started), statuses


def load(port: int, request: bytes, total: int, connections: int) -> tuple[float, dict]:
    """Requests per second for ``total`` POSTs over ``connections`` connections."""
    return asyncio.run(_load(port, request, total, connections))


def publish_body(tag: str) -> bytes:
    return json.dumps(
        {"to": "*", "notification": {"title": f"ingest {tag}", "body": "bench"}}
    ).encode()


@contextmanager
def jupyter_server(work: Path):
    """jupyter server with the notifications extension, on loopback, with a token."""
    port = free_port()
    token = "bench-" + os.urandom(8).hex()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / "jupyter-config")}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter_server", "--no-browser",
            f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
            "--ServerApp.jpserver_extensions={'jupyterlab_notifications_extension': True}",
            "--ServerApp.log_level=WARN", "--allow-root",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, 60, process)
        yield port, token
    finally:
        process.terminate()
        process.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="flask")
    parser.add_argument("--stores", default="sqlite,redis")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=1000, help="per target and round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-jupyter", action="store_true")
    parser.add_argument("--redis-fsync", default="always", choices=["always", "everysec"])
    parser.add_argument(
        "--profile", type=float, default=0.0, help="seconds of py-spy on each hub's workers"
    )
    parser.add_argument("--quick", action="store_true", help="a short run (the smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests, args.connections = 2, 80, 4
    raise_fd_limit()
    started_load = load_average()
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    targets: dict[str, tuple[int, bytes]] = {}
    labels: dict[str, str] = {}
    servers: dict = {}
    profiles: dict[str, list[tuple[str, float]]] = {}
    with ExitStack() as stack:
        stores = {}
        for name in args.stores.split(","):
            # (a store of its own per backend entry: a file, or a Redis database)
            if name == "sqlite":
                stores["SQLite"] = lambda index: f"sqlite:///{work / f'store-{index}.db'}"
            elif name == "redis":
                redis = stack.enter_context(_redis(work, args.redis_fsync))
                stores["Redis"] = lambda index, redis=redis: f"{redis.url[:-1]}{index}"
        for index, backend in enumerate(args.backends.split(",")):
            base, _, code = backend.partition("@")  # "flask@DIR": the hub's code from DIR
            deployment = SERVED[base] + (f"@{code}" if code else "")
            for store_name, url_of in stores.items():
                store = url_of(index)
                secret = make_token(store)
                server = stack.enter_context(serve(deployment, store))
                auth = {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}
                key = f"{backend}, {store_name}"
                targets[f"{key}: bare"] = (
                    server.port,
                    request_bytes(BARE, publish_body("bare"), auth, server.port),
                )
                targets[f"{key}: hub"] = (
                    server.port,
                    request_bytes("/_dash_notify/publish", publish_body("hub"), auth, server.port),
                )
                labels[key] = deployment
                servers[key] = server
        if not args.no_jupyter:
            port, token = stack.enter_context(jupyter_server(work))
            body = json.dumps({"message": "ingest jupyterlab", "type": "info"}).encode()
            headers = {"Content-Type": "application/json", "Authorization": f"token {token}"}
            targets["jupyterlab: ingest"] = (port, request_bytes(JUPYTER_PATH, body, headers, port))
        # Warm-up (lazy imports, connection pools), not counted.
        for port, request in targets.values():
            load(port, request, args.connections * 5, args.connections)
        rates: dict[str, list[float]] = {name: [] for name in targets}
        errors: dict[str, dict[int, int]] = {name: {} for name in targets}
        order = list(targets)
        for round_index in range(args.rounds):
            for name in order if round_index % 2 == 0 else reversed(order):
                port, request = targets[name]
                rate, statuses = load(port, request, args.requests, args.connections)
                rates[name].append(rate)
                for status, count in statuses.items():
                    if status not in (200, 201):
                        errors[name][status] = errors[name].get(status, 0) + count

        if args.profile:
            for key, server in servers.items():
                port, request = targets[f"{key}: hub"]
                profiles[key] = profile(server.workers(), port, request, args, work)

    print(
        f"Ingest on loopback: {args.requests} POSTs per target and round over "
        f"{args.connections} keep-alive connections, {args.rounds} interleaved rounds "
        "(alternating order); requests/s"
    )
    print(f"  {'target':<34}{'median':>9}{'min':>9}{'max':>9}   ratio to bare (median)")
    for name, values in rates.items():
        line = (
            f"  {name:<34}{statistics.median(values):>9.0f}{min(values):>9.0f}{max(values):>9.0f}"
        )
        if name.endswith(": hub"):
            bare = rates[name.replace(": hub", ": bare")]
            ratios = [h / b for h, b in zip(values, bare)]
            goal = "met" if statistics.median(ratios) >= 0.6 else "MISSED"
            line += f"   {statistics.median(ratios):.2f} (goal >= 0.6: {goal})"
        if errors[name]:
            line += "   non-2xx: " + ", ".join(f"{s} x{c}" for s, c in errors[name].items())
        print(line)
    print("  served as:")
    for key, deployment in labels.items():
        base, _, code = deployment.partition("@")
        where = f" (hub code from {code})" if code else ""
        print(f"    {key:<24}{DEPLOYMENTS[base]['label']}{where}")
    if "redis" in args.stores:
        print(f"    (redis-server --appendonly yes --appendfsync {args.redis_fsync})")
    if not args.no_jupyter:
        print("    jupyterlab              jupyter server (tornado, 1 process), list in memory")
    for key, rows in profiles.items():
        print(
            f"  profile of the hub's publish, {key} (py-spy --idle, both workers,"
            f" {args.profile:g} s under load): share of the samples in publish requests"
            " spent in (inclusive)"
        )
        for name, share in rows:
            print(f"    {share:6.1%}  {name}")
    print(f"  hub code: {HUB_CODE or ROOT} ({code_version(HUB_CODE or str(ROOT))})")
    print(f"  at the start: {started_load}; at the end: {load_average()}")
    shutil.rmtree(work, ignore_errors=True)


# A sample is part of a publish request when its stack has one of these functions.
REQUEST_FRAMES = ("publish", "_handle", "handle_publish", "submit")


def profile(workers: list[int], port: int, request: bytes, args, work: Path):
    """py-spy (idle time included: waits for locks and the store count) on every worker
    while publishes run; the frames with the largest share of the samples inside a
    publish request."""
    spies = profiling.record(workers, args.profile, work, idle=True)
    time.sleep(0.5)
    while profiling.running(spies):
        load(port, request, args.connections * 25, args.connections)
    return profiling.summarize(spies, inside=REQUEST_FRAMES)


@contextmanager
def _redis(work: Path, fsync: str):
    """redis-server with append-only persistence, fsync ``always`` (each write on disk
    before the reply, as the hub's tests run it) or ``everysec`` (Redis' default)."""
    import redis as client

    redis = RedisServer(work / "redis").start()
    connection = client.Redis.from_url(redis.url)
    connection.config_set("appendfsync", fsync)
    connection.close()
    try:
        yield redis
    finally:
        redis.stop()


if __name__ == "__main__":
    main()
