"""The benchmark scripts keep working (short runs; the figures themselves are not judged here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout


def test_the_dispatch_benchmark_runs_and_prints_its_figures():
    out = run_bench("bench/bench_dispatch.py", "--raises", "6", "--rounds", "1")
    for line in ("dash_notify bundle", "dash-mantine-components 2.8.1", "ratio dash_notify / dmc"):
        assert line in out, out
    for name in ("dash_notify (toast)", "dash-mantine-components", "dash_notify (desktop)"):
        rows = [line.split() for line in out.splitlines() if line.strip().startswith(name + " ")]
        # the latency row: the name, then n (the bundle and note lines have no count)
        counts = [row[len(name.split())] for row in rows if row[len(name.split())].isdigit()]
        assert counts == ["6"], out


def test_the_burst_benchmark_runs_and_prints_its_figures():
    out = run_bench("bench/bench_burst.py", "--bursts", "2", "--size", "50", "--repeats", "1")
    for line in ("Burst of 50 notifications", "dash-mantine-components", "longest task"):
        assert line in out, out
    rows = [line.split()[:3] for line in out.splitlines() if line.startswith("  dash_notify, ")]
    assert rows == [["dash_notify,", "50", "sent"]], out
    assert "ratio dash_notify, 50 sent / dmc, 50 sent" in out, out
    assert "idle of every burst, dash_notify, 50 sent (2): quartiles " in out, out


def test_the_hub_benchmark_runs_and_prints_its_figures():
    out = run_bench(
        "bench/bench_hub.py", "--messages", "4", "--subscribers", "5", "--intervals", "1",
        "--poll-messages", "2", "--ingest", "40",
    )  # fmt: skip
    for line in ("hub, SQLite, 5 subscribers: streams", "dcc.Interval polling every 1 s",
                 "ratio hub", "publish, SQLite store", "memory per event stream"):  # fmt: skip
        assert line in out, out


def test_the_streams_benchmark_runs_and_prints_its_figures():
    out = run_bench(
        "bench/bench_streams.py", "--quick", "--deployments", "flask-gthread,flask-gevent"
    )
    rows = [line.split() for line in out.splitlines() if line.startswith("  flask-")]
    # deployment, N, open, refused, missed, ...: every stream opened and missed nothing
    assert [row[:5] for row in rows] == [
        ["flask-gthread", "20", "20", "0", "0"],
        ["flask-gevent", "20", "20", "0", "0"],
    ], out
    assert "KB/str" in out and "goals:" in out, out


def test_the_ingest_benchmark_runs_and_prints_its_figures():
    out = run_bench("bench/bench_ingest.py", "--quick")
    for line in ("flask, SQLite: bare", "flask, SQLite: hub", "flask, Redis: hub",
                 "jupyterlab: ingest", "ratio to bare"):  # fmt: skip
        assert line in out, out
    assert "non-2xx" not in out, out


def test_the_stream_memory_benchmark_runs_and_prints_its_figures():
    out = run_bench("bench/bench_stream_memory.py", "--quick")
    rows = [line.split()[2:5] for line in out.splitlines() if line.startswith("  run 1 ")]
    # the three apps, every stream opened, a figure per stream
    assert sorted(row[:2] for row in rows) == [
        ["dash_notify", "40"], ["lean-peer", "40"], ["sse-starlette", "40"]
    ], out  # fmt: skip
    assert all(row[2] == "open" for row in rows), out
    assert "median dash_notify" in out and "ratio dash_notify / lean-peer" in out, out
