"""The webhook benchmark keeps working (a short run; the figures are not judged here)."""

from __future__ import annotations

import subprocess
import sys

from .servers import ROOT


def test_the_webhook_benchmark_runs_and_prints_its_figures():
    completed = subprocess.run(
        [sys.executable, "bench/bench_webhooks.py", "--messages", "5", "--rules", "1,3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = {line.split()[0]: line.split() for line in completed.stdout.splitlines()[2:]}
    assert set(rows) == {"none", "1", "3"}, completed.stdout
    assert rows["none"][1] == "-" and float(rows["3"][1]) > 0
