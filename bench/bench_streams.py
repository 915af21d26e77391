"""Many open event streams on the deployments the README recommends: does every stream
receive every notification, how fast, at what memory cost, and do the page and the Dash
callbacks still answer meanwhile?

For each deployment and each stream count N (loopback only; bounded in count and time,
stops by itself):
- the app (bench/served_app.py: the hub on SQLite or Redis, a page, a callback) is
  started as the README says to serve it, not tuned for the benchmark;
- N event streams (GET /_dash_notify/events, each an anonymous browser of its own) are
  opened by asyncio clients in separate processes (so the client is not the bottleneck),
  from many loopback source addresses (127.x.y.z, ``--per-ip`` streams each, as browsers
  behind different addresses; the hub limits streams per IP);
- ``--messages`` notifications are published over HTTP at ``--rate`` per second; each is
  timed from just before the publish request to each client reading the event;
- meanwhile, every 2 s, a page load (GET /, /_dash-layout, /_dash-dependencies on a new
  connection, as a new browser would) and a Dash callback (POST /_dash-update-component)
  are timed; the goal is an answer in under 1 s;
- server memory: the RSS of the worker processes, summed, before and after the streams
  opened, divided by N.

Prints one row per (deployment, N): streams open / refused, streams that missed any
notification, publish-to-received median / p99 / max (ms), KB per stream, page load and
callback median / max (ms), and the goals.

Run: python bench/bench_streams.py [--deployments flask-gthread,flask-gevent,fastapi]
     [--streams 200,2000] [--store sqlite|redis] [--messages 50] [--rate 2] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import profiling  # noqa: E402
from bench.common import percentile  # noqa: E402
from tests.hub.servers import RedisServer, free_port, wait_for_port  # noqa: E402

EVENTS = "/_dash_notify/events"
PUBLISH = "/_dash_notify/publish"
TITLE = b'"title":"b-'

# Where the servers' dash_notify comes from ("": this checkout; see served_app.py).
HUB_CODE = os.environ.get("BENCH_HUB_CODE", "")

# How each deployment is served: the README's commands (2 workers on this 2-core machine).
DEPLOYMENTS: dict[str, dict] = {
    "flask-gthread": {
        "backend": "flask",
        "label": "Flask, gunicorn gthread, 2 workers x 100 threads",
        "command": [
            "-m", "gunicorn", "--worker-class", "gthread", "--threads", "100",
            "--workers", "2", "--bind", "127.0.0.1:{port}", "--log-level", "warning",
            "--graceful-timeout", "2", "bench.served_app:create()",
        ],
    },
    "flask-gevent": {
        "backend": "flask",
        "label": "Flask, gunicorn gevent, 2 workers x 4000 connections, web max_streams 4000",
        # the web layer cannot tell gevent's capacity: it is told (the README's setting)
        "web": {"max_streams": 4000},
        "command": [
            "-m", "gunicorn", "--worker-class", "gevent", "--worker-connections", "4000",
            "--workers", "2", "--bind", "127.0.0.1:{port}", "--log-level", "warning",
            "--graceful-timeout", "2", "bench.served_app:create()",
        ],
    },
    "fastapi": {
        "backend": "fastapi",
        "label": "FastAPI, gunicorn with uvicorn workers, 2 workers",
        "command": [
            "-m", "gunicorn", "--worker-class", "uvicorn_worker.UvicornWorker",
            "--workers", "2", "--bind", "127.0.0.1:{port}", "--log-level", "warning",
            "--graceful-timeout", "2", "bench.served_app:create()",
        ],
    },
    # What the README advises against: uvicorn's own --workers leaves Nagle's algorithm
    # on for every connection (uvicorn issue 3149), so each keep-alive request past the
    # first waits for the client's delayed ACK (about 40 ms on Linux).
    "fastapi-uvicorn": {
        "backend": "fastapi",
        "label": "FastAPI, uvicorn --workers 2 (Nagle left on: not recommended)",
        "command": [
            "-m", "uvicorn", "--factory", "bench.served_app:create", "--workers", "2",
            "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning",
            "--timeout-graceful-shutdown", "2",
        ],
    },
    "fastapi-1": {
        "backend": "fastapi",
        "label": "FastAPI, uvicorn, 1 worker",
        "command": [
            "-m", "uvicorn", "--factory", "bench.served_app:create", "--workers", "1",
            "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning",
            "--timeout-graceful-shutdown", "2",
        ],
    },
    "quart": {
        "backend": "quart",
        "label": "Quart, hypercorn, 2 workers",
        "command": [
            "-m", "hypercorn", "--workers", "2", "--bind", "127.0.0.1:{port}",
            "--graceful-timeout", "2", "--log-level", "WARNING", "bench.served_app:create()",
        ],
    },
}  # fmt: skip
# The recommended FastAPI deployment without uvicorn's "standard" extras (httptools,
# uvloop): what `pip install uvicorn` alone gives, pure-Python h11 on asyncio's own loop.
DEPLOYMENTS["fastapi-h11"] = {
    **DEPLOYMENTS["fastapi"],
    "label": "FastAPI, gunicorn with uvicorn's h11 workers (no httptools/uvloop), 2 workers",
    "command": [
        "uvicorn_worker.UvicornH11Worker" if part == "uvicorn_worker.UvicornWorker" else part
        for part in DEPLOYMENTS["fastapi"]["command"]
    ],
}


def raise_fd_limit() -> int:
    """As many open files as allowed (servers started from here inherit it)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def load_average() -> str:
    """The machine's load (other work on it makes the figures noisier)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def code_version(directory: str) -> str:
    """The git commit of a checkout (or "not a git checkout")."""
    found = subprocess.run(
        ["git", "-C", directory, "log", "-1", "--format=%h %s"], capture_output=True, text=True
    )
    return found.stdout.strip()[:70] if found.returncode == 0 else "not a git checkout"


# -- the server --------------------------------------------------------------------------
def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        path = task / "children"
        if path.exists():
            found += [int(p) for p in path.read_text().split()]
    return found


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    name: str
    log: Path | None = None

    def errors(self) -> tuple[int, str]:
        """How many lines of the server's log say ERROR or Traceback, and the first."""
        if self.log is None or not self.log.exists():
            return 0, ""
        lines = [
            line
            for line in self.log.read_text(errors="replace").splitlines()
            if "ERROR" in line or line.startswith("Traceback")
        ]
        return len(lines), (lines[0][:160] if lines else "")

    def workers(self) -> list[int]:
        """The worker processes (the master itself when it serves alone). uvicorn's
        multiprocess supervisor also starts a resource tracker: only processes that
        listen are counted, i.e. the children of the master that are not trackers."""
        pids = [
            p
            for p in children(self.process.pid)
            if b"resource_tracker" not in _cmdline(p) and b"semaphore_tracker" not in _cmdline(p)
        ]
        return pids or [self.process.pid]

    def rss_kb(self) -> int:
        return sum(rss_kb(p) for p in self.workers())


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


@contextmanager
def serve(name: str, store: str, web: dict | None = None, log: Path | None = None, app: str = ""):
    """Serve the app as deployment ``name``; ``name@directory`` takes the hub's code from
    that directory (an A/B comparison of two versions in one run); ``app`` serves another
    app the same way (its factory, as ``module:function``)."""
    base, _, code = name.partition("@")
    deployment = DEPLOYMENTS[base]
    port = free_port()
    env = {
        **os.environ,
        "DASH_NOTIFY_STORE": store,
        "BENCH_BACKEND": deployment["backend"],
        "BENCH_WEB": json.dumps({**deployment.get("web", {}), **(web or {})}),
        "BENCH_HUB_CODE": code or HUB_CODE,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, *(part.format(port=port) for part in deployment["command"])]
    if app:
        # (gunicorn calls a factory named with "()"; uvicorn's --factory takes the name)
        command = [
            (app + "()" if part.endswith("()") else app)
            if part.startswith("bench.served_app:")
            else part
            for part in command
        ]
    errors = open(log, "w") if log else None
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=errors,
    )  # fmt: skip
    server = Server(process, port, name, log)
    try:
        wait_for_port(port, 60, process)
        want = int(deployment["command"][deployment["command"].index("--workers") + 1])
        deadline = time.monotonic() + 30
        while len(server.workers()) < want and time.monotonic() < deadline:
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(10)
        if errors:
            errors.close()


def make_token(store: str) -> str:
    from dash_notify.hub import open_stores

    stores = open_stores(store)
    try:
        _, secret = stores.tokens.add("bench", ("*",), ())
    finally:
        stores.close()
    return secret


# -- HTTP probes and the publisher (blocking, in the parent process) --------------------
class Publisher:
    """POSTs notifications over one keep-alive connection."""

    def __init__(self, port: int, secret: str):
        self.port = port
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def publish(self, index: int) -> float:
        """Publishes notification ``index``; returns wall-clock ms just before the request."""
        body = json.dumps({"to": "*", "notification": {"title": f"b-{index}", "body": "bench"}})
        for attempt in range(2):
            started = time.time() * 1000
            try:
                self.connection.request("POST", PUBLISH, body=body, headers=self.headers)
                response = self.connection.getresponse()
                response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        if response.status != 201:
            raise RuntimeError(f"publish answered {response.status}")
        return started


CALLBACK = json.dumps(
    {
        "output": "out.children",
        "outputs": {"id": "out", "property": "children"},
        "inputs": [{"id": "go", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["go.n_clicks"],
        "state": [],
    }
)


def timed_request(port: int, requests: list[tuple[str, str, str | None]]) -> float | str:
    """Runs requests on one new connection; ms for all of them, or what went wrong."""
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for method, path, body in requests:
            headers = {"Content-Type": "application/json"} if body else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                return f"HTTP {response.status}"
        connection.close()
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__
    return (time.perf_counter() - started) * 1000


PAGE = [("GET", "/", None), ("GET", "/_dash-layout", None), ("GET", "/_dash-dependencies", None)]
CALL = [("POST", "/_dash-update-component", CALLBACK)]


class Probes(threading.Thread):
    """A page load and a callback every ``every`` seconds until stopped."""

    def __init__(self, port: int, every: float = 2.0):
        super().__init__(daemon=True)
        self.port = port
        self.every = every
        self.page: list[float | str] = []
        self.callback: list[float | str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.page.append(timed_request(self.port, PAGE))
            self.callback.append(timed_request(self.port, CALL))
            self.stopping.wait(self.every)

    def stop(self) -> None:
        self.stopping.set()
        self.join(30)


# -- the stream clients (asyncio, in child processes) ------------------------------------
def source_address(index: int, per_ip: int) -> str:
    n = index // per_ip
    return f"127.{1 + n // 62500}.{(n // 250) % 250}.{n % 250 + 1}"


class Stream:
    """One event stream: the first time each notification index was read (wall ms)."""

    def __init__(self):
        self.status: int | str | None = None
        self.hello = asyncio.Event()
        self.received: dict[int, float] = {}
        self.ended = False
        self.end_reason = ""  # why the server's side ended it: "EOF" or the error
        self.bad_events = 0  # events whose title could not be read (none expected)
        self.closing = False
        self.writer: asyncio.StreamWriter | None = None

    async def run(self, port: int, source: str) -> None:
        try:
            reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(source, 0), limit=1 << 20
            )
            self.writer.write(
                f"GET {EVENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            self.status = status
            if status != 200:
                return
            buffer = b""
            while True:
                data = await reader.read(1 << 16)
                now = time.time() * 1000
                if not data:
                    self.end_reason = "EOF"
                    return
                buffer += data
                end = buffer.rfind(b"\n\n")
                if end < 0:
                    continue
                complete, buffer = buffer[: end + 2], buffer[end + 2 :]
                if not self.hello.is_set() and b"event: hello" in complete:
                    self.hello.set()
                at = complete.find(TITLE)
                while at >= 0:
                    start = at + len(TITLE)
                    stop = complete.find(b'"', start)
                    try:
                        self.received.setdefault(int(complete[start:stop]), now)
                    except ValueError:
                        self.bad_events += 1
                    at = complete.find(TITLE, start)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            if self.status is None:
                self.status = type(error).__name__
            self.end_reason = type(error).__name__
        finally:
            self.ended = True
            self.hello.set()  # nobody waits for a stream that ended
            if self.writer is not None:
                self.writer.close()

    def close(self) -> None:
        self.closing = True
        if self.writer is not None:
            self.writer.close()


async def _clients(conn, port: int, first: int, count: int, per_ip: int, open_timeout: float):
    loop = asyncio.get_running_loop()
    streams = [Stream() for _ in range(count)]
    tasks = []
    gate = asyncio.Semaphore(64)  # connections being opened at once (the listen backlog)

    async def start(index: int, stream: Stream) -> None:
        async with gate:
            tasks.append(asyncio.create_task(stream.run(port, source_address(index, per_ip))))
            try:
                await asyncio.wait_for(stream.hello.wait(), 30)
            except asyncio.TimeoutError:
                pass

    opening = asyncio.gather(*(start(first + i, s) for i, s in enumerate(streams)))
    try:
        await asyncio.wait_for(opening, open_timeout)
    except asyncio.TimeoutError:
        pass
    await asyncio.sleep(0.5)
    statuses: dict[str, int] = {}
    for stream in streams:
        if stream.hello.is_set() and not stream.ended:
            key = "open"
        elif stream.status is None:
            key = "no answer in 30 s"
        else:
            key = f"HTTP {stream.status}" if isinstance(stream.status, int) else stream.status
        statuses[key] = statuses.get(key, 0) + 1
    conn.send(("ready", statuses))
    _, expected, grace = await loop.run_in_executor(None, conn.recv)
    deadline = time.monotonic() + grace
    live = [s for s in streams if s.status == 200]
    while time.monotonic() < deadline:
        if all(len(s.received) >= expected or s.ended for s in live):
            break
        await asyncio.sleep(0.1)
    ended_early: dict[str, int] = {}
    for stream in live:
        if stream.ended:
            ended_early[stream.end_reason] = ended_early.get(stream.end_reason, 0) + 1
    if any(s.bad_events for s in live):
        ended_early["(unreadable events)"] = sum(s.bad_events for s in live)
    for stream in streams:
        stream.close()
    await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    conn.send(("result", [s.received for s in live], ended_early))


def client_process(conn, port, first, count, per_ip, open_timeout) -> None:
    raise_fd_limit()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_clients(conn, port, first, count, per_ip, open_timeout))


# -- one measurement -----------------------------------------------------------------------
@dataclass
class Result:
    deployment: str
    streams: int
    statuses: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    missed: int = 0
    ended_early: dict[str, int] = field(default_factory=dict)
    kb_per_stream: float = 0.0
    rss: tuple[int, int] = (0, 0)
    page: list[float | str] = field(default_factory=list)
    callback: list[float | str] = field(default_factory=list)
    note: str = ""
    restarted: int = 0
    log_errors: tuple[int, str] = (0, "")
    profile: list[tuple[str, float]] = field(default_factory=list)
    profile_self: list[tuple[str, float]] = field(default_factory=list)


def measure(server: Server, secret: str, n: int, args) -> Result:
    result = Result(server.name, n)
    publisher = Publisher(server.port, secret)
    # Warm up: a page, a callback and a publish, so lazy imports are not counted.
    for _ in range(2):
        timed_request(server.port, PAGE)
        timed_request(server.port, CALL)
    publisher.publish(10**6)
    time.sleep(1.0)
    before = server.rss_kb()
    workers = set(server.workers())
    parts = max(1, min(args.clients or (1 if n <= 2500 else 2), n))
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    share = -(-n // parts)
    for part in range(parts):
        count = min(share, n - part * share)
        parent, child = context.Pipe()
        process = context.Process(
            target=client_process,
            args=(child, server.port, part * share, count, args.per_ip, args.open_timeout),
            daemon=True,
        )
        process.start()
        pipes.append(parent)
        processes.append(process)
    try:
        for pipe in pipes:
            if not pipe.poll(args.open_timeout + 60):
                raise RuntimeError("a client process never reported")
            _, statuses = pipe.recv()
            for key, value in statuses.items():
                result.statuses[key] = result.statuses.get(key, 0) + value
        time.sleep(1.0)
        after = server.rss_kb()
        opened = result.statuses.get("open", 0)
        result.rss = (before, after)
        result.kb_per_stream = (after - before) / opened if opened else float("nan")
        probes = Probes(server.port)
        probes.start()
        spies = []
        if args.profile:
            spies = profiling.record(server.workers(), args.profile, args.work, False, gil=True)
        sent: dict[int, float] = {}
        gap = 1.0 / args.rate
        started = time.monotonic()
        for index in range(args.messages):
            time.sleep(max(0.0, started + index * gap - time.monotonic()))
            try:
                sent[index] = publisher.publish(index)
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                result.note = f"publish {index} failed: {error}"
                break
        for pipe in pipes:
            pipe.send(("finish", len(sent), args.grace))
        for pipe in pipes:
            if not pipe.poll(args.grace + 60):
                raise RuntimeError("a client process never reported its results")
            _, received, ended_early = pipe.recv()
            for reason, count in ended_early.items():
                result.ended_early[reason] = result.ended_early.get(reason, 0) + count
            for stream in received:
                # against every notification meant to be sent (a failed publish is missed)
                if any(i not in stream for i in range(args.messages)):
                    result.missed += 1
                result.latencies += [stream[i] - sent[i] for i in sent if i in stream]
        probes.stop()
        result.page, result.callback = probes.page, probes.callback
        if spies:
            result.profile = profiling.summarize(spies, top=30)
            result.profile_self = profiling.summarize(spies, top=20, leaves=True)
    finally:
        for process in processes:
            process.join(10)
            if process.is_alive():
                process.kill()
    result.restarted = len(workers - set(server.workers()))
    result.log_errors = server.errors()
    return result


# -- report ------------------------------------------------------------------------------
def times(values: list[float | str]) -> str:
    ok = [v for v in values if isinstance(v, float)]
    failed = [v for v in values if not isinstance(v, float)]
    text = f"{statistics.median(ok):.0f}/{max(ok):.0f}" if ok else "-"
    return text + ("!" if failed else "")


def print_table(results: list[Result], store: str, args) -> None:
    print(
        f"\nOpen event streams, {store} store: {args.messages} notifications at {args.rate}/s "
        "to every stream; publish (HTTP) -> read by the client, ms"
    )
    w = max(15, *(len(r.deployment) + 1 for r in results))
    header = (
        f"  {'deployment':<{w}}{'N':>6}{'open':>7}{'refused':>9}{'missed':>8}"
        f"{'median':>8}{'p99':>8}{'max':>8}{'KB/str':>8}  {'page med/max':<14}"
        f"{'callback med/max':<16}"
    )
    print(header)
    for r in results:
        s = sorted(r.latencies)
        opened = r.statuses.get("open", 0)
        refused = {k: v for k, v in r.statuses.items() if k != "open"}
        refused_text = str(sum(refused.values()))
        median = f"{statistics.median(s):.0f}" if s else "-"
        p99 = f"{percentile(s, 0.99):.0f}" if s else "-"
        most = f"{s[-1]:.0f}" if s else "-"
        print(
            f"  {r.deployment:<{w}}{r.streams:>6}{opened:>7}{refused_text:>9}{r.missed:>8}"
            f"{median:>8}{p99:>8}{most:>8}{r.kb_per_stream:>8.1f}  {times(r.page):<14}"
            f"{times(r.callback):<16}"
        )
        details = []
        for label, values in (("page", r.page), ("callback", r.callback)):
            failed = [v for v in values if not isinstance(v, float)]
            if failed:
                details.append(f"{label}: {len(failed)} of {len(values)} failed ({failed[0]})")
        if refused:
            details.append("not opened: " + ", ".join(f"{k} x{v}" for k, v in refused.items()))
        if r.ended_early:
            reasons = ", ".join(f"{k} x{v}" for k, v in r.ended_early.items())
            details.append(f"streams ended by the server before the end: {reasons}")
        if r.restarted:
            details.append(f"{r.restarted} worker process(es) replaced during the run")
        if r.log_errors[0]:
            details.append(f"server log: {r.log_errors[0]} error lines, first: {r.log_errors[1]}")
        details.append(f"RSS of the workers {r.rss[0] / 1024:.1f} -> {r.rss[1] / 1024:.1f} MB")
        if r.note:
            details.append(r.note)
        print("      " + "; ".join(details))
    print("  (ms; '!': some failed, see below the row)")
    print("  deployments:")
    for name in dict.fromkeys(r.deployment for r in results):
        base, _, code = name.partition("@")
        where = f" (hub code from {code})" if code else ""
        print(f"    {name:<15}{DEPLOYMENTS[base]['label']}{where}")
    print(
        "  goals: every stream gets every notification; page and callback < 1000 ms; "
        "Flask p99 < 250 ms at 2,000 streams; FastAPI p99 < 250 ms at 10,000, < 20 KB/stream"
    )
    for r in results:
        s = sorted(r.latencies)
        ok = [v for v in r.page + r.callback if isinstance(v, float)]
        answered = bool(ok) and len(ok) == len(r.page + r.callback) and max(ok) < 1000
        complete = r.statuses.get("open", 0) == r.streams and r.missed == 0 and s
        p99 = percentile(s, 0.99) if s else float("inf")
        verdict = "met" if complete and answered and p99 < 250 else "MISSED"
        if r.deployment.startswith("fastapi") and r.kb_per_stream >= 20:
            verdict = "MISSED"
        print(f"    {r.deployment:<15}{r.streams:>6} streams: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deployments", default="flask-gthread,flask-gevent,fastapi")
    parser.add_argument("--streams", default="200,2000", help="stream counts, comma-separated")
    parser.add_argument("--store", default="sqlite", choices=["sqlite", "redis"])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--rate", type=float, default=2.0, help="publishes per second")
    parser.add_argument("--per-ip", type=int, default=40, help="streams per source address")
    parser.add_argument("--clients", type=int, default=0, help="client processes (0: auto)")
    parser.add_argument("--open-timeout", type=float, default=120.0)
    parser.add_argument("--grace", type=float, default=15.0, help="s to wait after publishing")
    parser.add_argument("--web", default="{}", help="JSON of the hub's web options")
    parser.add_argument("--profile", type=float, default=0.0, help="s of py-spy on the workers")
    parser.add_argument("--quick", action="store_true", help="a short run (the smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.streams, args.messages, args.rate = "20", 6, 5.0
        args.grace, args.open_timeout = 5.0, 30.0
    limit = raise_fd_limit()
    counts = [int(n) for n in args.streams.split(",") if n]
    print(f"fd limit {limit}; client processes: {args.clients or 'auto'}; {load_average()}")
    print(f"hub code: {HUB_CODE or ROOT} ({code_version(HUB_CODE or str(ROOT))})")
    work = Path(tempfile.mkdtemp(prefix="bench-streams-"))
    args.work = work
    results: list[Result] = []
    with ExitStack() as stack:
        if args.store == "redis":
            redis = RedisServer(work / "redis").start()
            stack.callback(redis.stop)
        for name in args.deployments.split(","):
            for n in counts:
                if args.store == "redis":
                    store = f"{redis.url[:-1]}{len(results) % 16}"
                else:
                    store = f"sqlite:///{work / f'run-{len(results)}.db'}"
                secret = make_token(store)
                log = work / f"server-{len(results)}.log"
                with serve(name, store, json.loads(args.web), log) as server:
                    try:
                        results.append(measure(server, secret, n, args))
                    except RuntimeError as error:
                        results.append(Result(name, n, note=f"failed: {error}"))
                print(f"  done: {name} N={n}", file=sys.stderr, flush=True)
    print_table(results, args.store, args)
    for r in results:
        if r.profile:
            print(
                f"  profile, {r.deployment} at {r.streams} streams (py-spy --gil on the workers"
                " while publishing: samples of the thread holding the GIL, inclusive share):"
            )
            for name, share in r.profile:
                print(f"    {share:6.1%}  {name}")
            print("  self time (innermost frame):")
            for name, share in r.profile_self:
                print(f"    {share:6.1%}  {name}")
    print(f"  at the end: {load_average()}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
