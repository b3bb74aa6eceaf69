"""Idle: ``python tests/benchmarks/bench_idle.py [--seconds 60]``.

The emulator runs in its own process (`_common.ServedEmulator`: 100 namespaces × 10 ready
containers, every request counted). The console runs in another process, headless but
rendering its frames, with default settings (settled polling every 5 s), on the client over
loopback; once the tree is loaded it opens the log screen of a quiet container. After 3 s to
settle, over `--seconds`:
- CPU time of the console's process (psutil, user + system) as a % of one core;
- requests the emulator answered, by kind: settled polling must stay ≤ 1 list request per
  namespace per 5 s (the namespace list itself is one more per region and round), counted over
  whole rounds.
Knobs for finding what costs what (environment): BENCH_NS / BENCH_CT (namespaces, containers
per namespace), BENCH_POLL_S (settled interval), BENCH_NO_LOGS=1 (no log screen).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def _child(url: str, container_id: str, profile: str | None = None, seconds: float = 0) -> None:
    """The console on `url`; writes READY to fd 1 when the log screen tails, then idles
    (with `profile`: profiles `seconds` of idling into that file, then quits)."""
    import asyncio

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _common import console_app

    from tui.config import Settings
    from tui.screens.logs import LogScreen

    # Knobs for experiments (what costs what): BENCH_POLL_S, BENCH_NO_LOGS.
    poll_s = float(os.environ.get("BENCH_POLL_S", "5.0"))
    app = console_app(url, settings=Settings(poll_settled_s=poll_s))

    async def open_logs() -> None:
        while app.watcher is None or not app.watcher.is_loaded():
            await asyncio.sleep(0.05)
        found = app.watcher.find(container_id)
        assert found is not None, "the quiet container is not in the tree"
        if not os.environ.get("BENCH_NO_LOGS"):
            screen = LogScreen(container=found[2])
            await app.push_screen(screen)
            while screen.tail is None or screen.tail.polls < 1:
                await asyncio.sleep(0.05)
        await asyncio.sleep(3.0)
        os.write(1, f"READY {app.watcher.rounds}\n".encode())
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled")
            profiler.start()
            await asyncio.sleep(seconds)
            profiler.stop()
            with open(profile, "w") as out:
                out.write(profiler.output_text(unicode=True, show_all=True))
            app.exit()

    app.call_later(lambda: app.run_worker(open_logs(), group="bench"))
    app.run(headless=True, size=(160, 50))


if __name__ == "__main__" and len(sys.argv) >= 4 and sys.argv[1] == "--child":
    profile_into = sys.argv[4] if len(sys.argv) > 4 else None
    _child(sys.argv[2], sys.argv[3], profile_into, float(sys.argv[5]) if profile_into else 0.0)
    raise SystemExit(0)


import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    ROOT,
    Figure,
    ServedEmulator,
    cpu_seconds,
    figure_from_json,
    print_table,
    rss_mb,
)

NAMESPACES = int(os.environ.get("BENCH_NS", "100"))
CONTAINERS = int(os.environ.get("BENCH_CT", "10"))


def _read_ready(process: subprocess.Popen[str], timeout: float = 120.0) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text_line = process.stdout.readline()
        if not text_line:
            break
        if text_line.startswith("READY"):
            return text_line.strip()
    process.kill()
    raise RuntimeError(
        "the console did not get ready: " + (process.stderr.read() if process.stderr else "")
    )


def profile(seconds: float, into: str) -> None:
    """Profile the idle console (pyinstrument, every frame shown) into a text file."""
    with ServedEmulator(NAMESPACES, CONTAINERS) as emulator:
        quiet = emulator.info["container_ids"][0]
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT)
        argv = [sys.executable, __file__, "--child", emulator.url, quiet, into, str(seconds)]
        subprocess.run(argv, env=env, timeout=seconds + 120, capture_output=True, check=True)


def settled_rate(log: list[tuple[float, str]]) -> tuple[float, float]:
    """(container lists per namespace per 5 s, seconds between rounds), counted over whole
    rounds: from the first round's namespace list to the last one's (a window cut at random
    times would hold one round more or less)."""
    starts = [t for t, kind in log if kind == "GET namespaces"]
    if len(starts) < 2:
        return float("nan"), float("nan")
    first, last = starts[0], starts[-1]
    lists = sum(1 for t, kind in log if kind == "GET containers" and first <= t < last)
    rounds = len(starts) - 1
    interval = (last - first) / rounds
    return lists / rounds / NAMESPACES * 5.0 / interval, interval


def run(*, quick: bool, seconds: float | None = None) -> dict[str, Any]:
    seconds = seconds or (15.0 if quick else 60.0)
    with ServedEmulator(NAMESPACES, CONTAINERS) as emulator:
        quiet = emulator.info["container_ids"][0]
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT)
        console = subprocess.Popen(
            [sys.executable, __file__, "--child", emulator.url, quiet],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        try:
            ready = _read_ready(console)
            emulator.reset_counts()
            cpu_before = cpu_seconds(console.pid)
            began = time.perf_counter()
            time.sleep(seconds)
            used = cpu_seconds(console.pid) - cpu_before
            wall = time.perf_counter() - began
            counts = emulator.counts()
            log = emulator.request_log()
            rss = rss_mb(console.pid)
        finally:
            console.terminate()
            try:
                console.wait(timeout=10)
            except subprocess.TimeoutExpired:
                console.kill()
                console.wait()
    per_minute = {kind: n * 60 / wall for kind, n in sorted(counts.items())}
    per_ns_per_5s, interval = settled_rate(log)
    total_per_min = sum(counts.values()) * 60 / wall
    details = {
        "seconds": wall,
        "ready": ready,
        "cpu_seconds": used,
        "cpu_percent_of_one_core": 100 * used / wall,
        "rss_mb": rss,
        "requests": counts,
        "requests_per_minute": per_minute,
        "requests_per_minute_total": total_per_min,
        "round_interval_s": interval,
        "container_lists_per_namespace_per_5s": per_ns_per_5s,
    }
    figures = [
        Figure(
            "idle_cpu_percent",
            f"idle CPU, {NAMESPACES * CONTAINERS:,} settled + quiet log tail ({wall:.0f} s)",
            100 * used / wall,
            "% of a core",
            budget=("<", 2.0),
            decimals=2,
        ),
        Figure(
            "settled_lists_per_ns_per_5s",
            "settled polling: list requests per namespace per 5 s",
            per_ns_per_5s,
            "",
            budget=("<=", 1.0),
            decimals=2,
        ),
        Figure(
            "settled_requests_per_min",
            f"settled: API requests per minute ({NAMESPACES} ns, log tail open)",
            total_per_min,
            "/min",
            decimals=0,
        ),
    ]
    return {"figures": [f.to_json() for f in figures], "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", metavar="FILE", help="pyinstrument text report instead")
    args = parser.parse_args()
    if args.profile:
        profile(args.seconds or 20.0, args.profile)
        return 0
    result = run(quick=args.quick, seconds=args.seconds)
    print(json.dumps(result["details"], indent=2))
    print_table([figure_from_json(f) for f in result["figures"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
