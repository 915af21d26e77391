"""The benchmark scripts keep working (a short run; the figures themselves are not judged here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dispatch_benchmark_runs_and_prints_its_figures():
    completed = subprocess.run(
        [sys.executable, "bench/bench_dispatch.py", "--raises", "6", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    out = completed.stdout
    for line in ("dash_notify bundle", "dash-mantine-components 2.8.1", "ratio dash_notify / dmc"):
        assert line in out, out
    rows = [line.split() for line in out.splitlines() if line.strip().startswith("dash_notify ")]
    assert rows and rows[-1][1] == "6", out


def test_the_burst_benchmark_runs_and_prints_its_figures():
    completed = subprocess.run(
        [sys.executable, "bench/bench_burst.py", "--bursts", "2", "--size", "50"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    out = completed.stdout
    for line in ("Burst of 50 notifications", "dash-mantine-components", "longest task"):
        assert line in out, out
