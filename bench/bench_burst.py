"""A burst of 1,000 notifications in one callback response: dash_notify's toasts against
dash-mantine-components' notifications, with the same content, in the same run.

Each page is served by its own gunicorn process (gthread, as the README's deployment
guide has it) and loads only its own library. dash_notify is set up as the quick start
has it (``delivery`` "auto") with the notification center on; Chromium blocks desktop
notifications, so it shows in-page toasts, as it does for people who denied them.

For each page:
- time until the page is idle again, over 10 bursts: from the click to the first idle
  period of 45 ms or more (requestIdleCallback) after the response arrived, and the
  tasks over 50 ms the Long Tasks API saw meanwhile, and the quartiles of every
  burst's time (it is often bimodal: Chromium cuts an idle period short when one of its
  own delayed tasks is due, so a burst goes idle either soon after its last task or at
  that task's time, and a median can sit in either mode). Each burst starts 300 ms after the
  last one went idle (dash_notify spaces its event props 250 ms apart: a burst sooner
  would have its shownData held past the idle point and left out of the time);
- the main thread's CPU time for each burst, from the click to 300 ms after the idle
  point (so work put off past it counts too), from the DevTools protocol's ThreadTime:
  the wall-clock figures grow with the machine's load, this one hardly;
- the longest main-thread task of each burst by the CPU time it got (from a DevTools
  trace over the same span: a task's wall-clock time includes the time its thread
  waited for a core on a busy machine);
- JS heap (MB) after the first burst and after ten, after a forced garbage collection
  (read through the DevTools protocol: ``performance.memory`` is coarse in Chromium);
- the longest main-thread task, over 10 more bursts: the longest gap in a MessageChannel
  loop that runs for 2 s from the click (every task delays the loop by its length).

Like for like: both show at most 3 at a time (dash_notify's ``maxVisible`` default; dmc's
``limit`` set to it). What each keeps differs: dash_notify keeps the newest 100 waiting
and drops the rest (all stay in its center's history, up to ``maxHistory``); dmc queues
every one. So four pages: each library given the 1,000, and each given 103 (what
dash_notify keeps: 3 shown + 100 queued). The ratios compare dash_notify with dmc given
the same burst, and dash_notify given 1,000 with dmc given the 103 it keeps.

Each page is measured ``--repeats`` times, in a fresh browser each time, the order rotating
from repeat to repeat; each figure is the median over the repeats (of each repeat's
median, max, count or heap), and the ratios are of those medians. The load average is
printed: the machine may be shared.

Run: python bench/bench_burst.py [--bursts 10] [--size 1000] [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.burst_apps import SHOWN  # noqa: E402
from bench.common import MainThreadTasks, chromium, open_app  # noqa: E402
from tests.hub.servers import free_port, wait_for_port  # noqa: E402

KEPT = SHOWN + 100  # what dash_notify keeps of a burst: 3 shown, the newest 100 waiting
# Between bursts: past the 250 ms spacing of dash_notify's event props (events.js).
SETTLE_S = 0.3

INSTRUMENT = """
window.__responses = 0;
const realFetch = window.fetch;
window.fetch = function (...args) {
  const url = String(args[0] && args[0].url || args[0]);
  return realFetch.apply(this, args).then(response => {
    if (url.includes('_dash-update-component')) window.__responses += 1;
    return response;
  });
};
"""

# Time until idle: the click, then the first idle period of at least 45 ms
# (requestIdleCallback) after the callback's response has arrived. Nothing else runs, so
# the page is idle only when all the burst's work is done. Tasks over 50 ms are listed
# by the Long Tasks API meanwhile.
IDLE = """
const done = arguments[arguments.length - 1];
const before = window.__responses;
const long = [];
const observer = new PerformanceObserver(
  list => list.getEntries().forEach(e => long.push(e.duration)));
observer.observe({type: 'longtask'});
const started = performance.now();
document.getElementById('burst').click();
const waitIdle = () => requestIdleCallback(deadline => {
  if (window.__responses > before && deadline.timeRemaining() >= 45) {
    observer.disconnect();
    done({idle: performance.now() - started, long});
  } else if (performance.now() - started > 30000) {
    done({error: 'not idle after 30 s'});
  } else {
    waitIdle();
  }
});
setTimeout(waitIdle, 0);
"""

# The longest main-thread task: the longest gap in a MessageChannel loop that runs for
# WINDOW ms from the click (every task delays the loop by its length).
LONGEST = """
const [window_ms, done] = [arguments[0], arguments[arguments.length - 1]];
const channel = new MessageChannel();
const started = performance.now();
let last = started, longest = 0;
channel.port1.onmessage = () => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
  if (now - started > window_ms) { done({longest}); return; }
  channel.port2.postMessage(0);
};
document.getElementById('burst').click();
last = performance.now();
channel.port2.postMessage(0);
"""


@contextmanager
def page_server(library: str, size: int):
    """One page under gunicorn (one gthread worker) on 127.0.0.1; yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "BENCH_LIBRARY": library,
        "BENCH_SIZE": str(size),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--threads", "4",
            "--workers", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--graceful-timeout", "1", "bench.burst_apps:create()",
        ],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_port(port, 60, process)
        yield f"http://localhost:{port}/"
    finally:
        process.terminate()
        process.wait(15)


def heap(driver) -> int:
    """Bytes of JS heap in use after a full garbage collection."""
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    return driver.execute_cdp_cmd("Runtime.getHeapUsage", {})["usedSize"]


def thread_ms(driver) -> float:
    """CPU time the page's main thread has used so far (ms): unlike wall-clock times, not
    inflated by other processes on a busy machine."""
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime") * 1000


def run(url: str, bursts: int) -> dict:
    """One repeat of one page, in a browser of its own (a fresh renderer process and
    profile: nothing kept from another page, not even dash_notify's stored history)."""
    with chromium("block") as driver:
        open_app(driver, url, "burst")
        driver.execute_script(INSTRUMENT)
        driver.execute_cdp_cmd("Performance.enable", {})
        idle, cpu, long_tasks, longest = [], [], [], []
        first_heap = None
        tasks = MainThreadTasks(driver)
        cpu_tasks = []
        time.sleep(SETTLE_S)
        for _ in range(bursts):
            tasks.start()
            before = thread_ms(driver)
            result = driver.execute_async_script(IDLE)
            time.sleep(SETTLE_S)  # work put off past the idle point is counted too
            cpu.append(thread_ms(driver) - before)
            cpu_tasks.append(max(task_cpu for _, task_cpu in tasks.stop()))
            if "error" in result:
                raise RuntimeError(result["error"])
            idle.append(result["idle"])
            long_tasks += result["long"]
            if first_heap is None:
                first_heap = heap(driver)
        last_heap = heap(driver)
        for _ in range(bursts):
            time.sleep(SETTLE_S)
            longest.append(driver.execute_async_script(LONGEST, 2000)["longest"])
        tasks.close()
    return {
        "idle": idle,
        "cpu": cpu,
        "cpu_tasks": cpu_tasks,
        "long_tasks": long_tasks,
        "longest": longest,
        "heap": last_heap,
        "first_heap": first_heap,
    }


def repeat_summary(r: dict) -> dict[str, float]:
    return {
        "idle med": statistics.median(r["idle"]),
        "idle max": max(r["idle"]),
        "cpu med": statistics.median(r["cpu"]),
        "task med": statistics.median(r["longest"]),
        "task max": max(r["longest"]),
        ">50ms": len(r["long_tasks"]),
        "cpu task med": statistics.median(r["cpu_tasks"]),
        "cpu task max": max(r["cpu_tasks"]),
        "heap 1": r["first_heap"] / 2**20,
        "heap 10": r["heap"] / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5, help="fresh browsers, rotating order")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 bursts of 50, once")
    args = parser.parse_args()
    if args.quick:
        args.bursts, args.size, args.repeats = 2, 50, 1
    sizes = [args.size, KEPT] if args.size > KEPT else [args.size]
    pages = {
        f"{name}, {size:,} sent": (library, size)
        for size in sizes
        for name, library in (("dash_notify", "dash_notify"), ("dmc", "dmc"))
    }
    names = list(pages)
    repeats: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
    every_idle: dict[str, list[float]] = {name: [] for name in pages}
    load_before = os.getloadavg()
    with ExitStack() as stack:
        urls = {name: stack.enter_context(page_server(*page)) for name, page in pages.items()}
        for index in range(args.repeats):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                result = run(urls[name], args.bursts)
                repeats[name].append(repeat_summary(result))
                every_idle[name] += result["idle"]
    load_after = os.getloadavg()

    print(
        f"Burst of {args.size} notifications in one response, dash_notify against"
        f" dash-mantine-components (dmc), {args.bursts} bursts per page, median of"
        f" {args.repeats} repeats (fresh browser each, rotating order)"
    )
    print(
        "  load average (1, 5, 15 min): before "
        + ", ".join(f"{v:.1f}" for v in load_before)
        + "; after "
        + ", ".join(f"{v:.1f}" for v in load_after)
        + f"; {os.cpu_count()} cores"
    )
    header = (
        "idle med", "idle max", "cpu med", "task med", "task max", ">50ms", "cpu task med",
        "cpu task max", "heap 1", "heap 10",
    )  # fmt: skip
    print(f"  {'page':<24}" + "".join(f"{h:>{max(9, len(h) + 1)}}" for h in header))
    figures = {
        name: {key: statistics.median(r[key] for r in runs) for key in header}
        for name, runs in repeats.items()
    }
    for name, f in figures.items():
        print(
            f"  {name:<24}"
            + "".join(
                f"{f[key]:>{max(9, len(key) + 1)}.{0 if key == '>50ms' else 1}f}" for key in header
            )
        )
    print(
        f"  kept of each burst: dash_notify {SHOWN} shown + the newest {KEPT - SHOWN} waiting "
        f"(the rest dropped); dmc (limit={SHOWN}) {SHOWN} shown + all the rest queued"
    )
    # The time to idle is often bimodal: Chromium ends an idle period early when one of
    # its own delayed tasks is due, so a burst goes idle either soon after its last task
    # or at that task's time. Quartiles of every burst show which mode a median sits in.
    for name, values in every_idle.items():
        q25, q50, q75 = statistics.quantiles(values, n=4, method="inclusive")
        print(
            f"  idle of every burst, {name} ({len(values)}):"
            f" quartiles {q25:.1f}, {q50:.1f}, {q75:.1f} ms"
        )
    pairs = [(names[0], names[1])]
    if len(sizes) > 1:
        pairs += [(names[0], names[3]), (names[2], names[3])]
    for mine, peer in pairs:
        a, b = figures[mine], figures[peer]
        ratios = ", ".join(f"{key} {a[key] / b[key]:.2f}" for key in header if b[key])
        print(f"  ratio {mine} / {peer} (below 1: dash_notify better): {ratios}")
    wall = max(r["task max"] for r in repeats[names[0]])
    cpu = max(r["cpu task max"] for r in repeats[names[0]])
    print(
        f"  goal: longest task < 50 ms (every repeat): wall-clock"
        f" {'met' if wall < 50 else 'MISSED'} ({wall:.0f} ms),"
        f" by CPU time {'met' if cpu < 50 else 'MISSED'} ({cpu:.0f} ms)"
    )


if __name__ == "__main__":
    main()
