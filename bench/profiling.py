"""py-spy on server processes while a benchmark loads them: which frames the samples
spend their time in (inclusive shares), to tell where the time goes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

# Frames worth listing: our code, the store clients, the web stacks.
SHOWN = (
    "dash_notify", "sqlite3", "redis", "flask", "werkzeug", "fastapi", "starlette",
    "sse_starlette", "anyio", "quart", "json", "threading", "socket", "gunicorn", "gevent",
    "uvicorn", "hypercorn", "asyncio", "selectors",
)  # fmt: skip


def record(
    pids: Iterable[int], seconds: float, directory: Path, idle: bool, gil: bool = False
) -> list:
    """Starts py-spy on each process for ``seconds``; returns (process, output) pairs.
    ``idle``: waiting threads are sampled too; ``gil``: only the thread holding the GIL
    (where the Python CPU time goes)."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    spies = []
    for pid in pids:
        output = directory / f"profile-{pid}.txt"
        command = [
            py_spy, "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
            "--duration", f"{seconds:g}", "--output", str(output), *(["--idle"] if idle else []),
            *(["--gil"] if gil else []),
        ]  # fmt: skip
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        spies.append((process, output))
    return spies


def running(spies: list) -> bool:
    return any(process.poll() is None for process, _ in spies)


def summarize(
    spies: list, inside: tuple[str, ...] = (), top: int = 25, leaves: bool = False
) -> list[tuple[str, float]]:
    """The frames with the largest inclusive share of the samples (of the samples whose
    stack has a function named in ``inside``, when given); with ``leaves``, the share
    of the samples each frame is the innermost of (self time)."""
    for process, _ in spies:
        process.wait(60)
    totals: dict[str, int] = {}
    counted = 0
    for _, output in spies:
        if not output.exists():
            continue
        for line in output.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            if inside and not any(f.split(" ")[0] in inside for f in frames):
                continue
            counted += int(count)
            for frame in frames[-1:] if leaves else dict.fromkeys(frames):
                totals[frame] = totals.get(frame, 0) + int(count)
    if not counted:
        return [("(no samples)", 0.0)]
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    wanted = [(f, n / counted) for f, n in ranked if leaves or any(key in f for key in SHOWN)]
    return [(f, share) for f, share in wanted if "_bootstrap" not in f][:top]
