"""Log view benchmark (run on demand, prints figures):

    python tests/benchmarks/bench_logs.py [--quick] [--lines 100000] [--rate 2000]
                                          [--quiet-seconds 60]

The emulator runs in its own process (quotas off), so the figures are the console's alone.
1. Ingest: a feeder process appends `--lines` lines at `--rate` lines/s to one container while
   the log screen follows it and keys (j/k, moving the line cursor) are pressed 10-20 times a
   second. Key latency is measured inside the app: key event posted → the first frame written
   after the key was handled (frames are really rendered, though headless). Also: how far the
   tail lags the feeder, that every line arrived exactly once, and resident memory before and
   after (the buffer is bounded: 100,000 lines / 64 MB by default).
2. Filter: a regex typed over the 100,000 buffered lines — time until applied, and the longest
   time the event loop was held meanwhile.
3. Quiet: CPU used by the console while it tails a quiet container for `--quiet-seconds`
   (% of one core; the aim is < 2 %).
`--quick` shrinks everything (20,000 lines, 10 s quiet) for a smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App  # noqa: E402

from tui.api import ContainersClient  # noqa: E402
from tui.config.settings import Settings  # noqa: E402
from tui.emulator.seed import (  # noqa: E402
    DEMO_ERROR_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
)
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess  # noqa: E402
from tui.live.logbuffer import LINE  # noqa: E402
from tui.screens.logs import LogScreen  # noqa: E402
from tui.widgets.log_view import LogView  # noqa: E402

FEEDER = textwrap.dedent(
    """
    import json, sys, time
    import httpx
    url, container_id, total, rate = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    tick = 0.05
    per_tick = max(1, round(rate * tick))
    sent = 0
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=30) as http:
        while sent < total:
            lines = []
            for i in range(sent, min(total, sent + per_tick)):
                if i % 50 == 0:
                    message = json.dumps({"event": "order", "seq": i, "items": [i % 7, i % 11]})
                    lines.append({"message": message})
                elif i % 100 == 1:
                    lines.append({"message": f"{i:07d} ERROR upstream timeout after 30s",
                                  "level": "error", "stream": "stderr"})
                else:
                    trace = i * 7919 % 100003
                    lines.append({"message": f"{i:07d} GET /api/items/{i % 977} 200 in "
                                             f"{i % 113} ms user=u{i % 4111} trace=t{trace}"})
            http.post(f"/_emulator/containers/{container_id}/logs", json={"lines": lines}
                      ).raise_for_status()
            sent += len(lines)
            wait = start + sent / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
    print("DONE", sent, time.perf_counter() - start, flush=True)
    """
)


class BenchApp(App[None]):
    """Hosts a LogScreen; renders frames although headless and timestamps each write."""

    def __init__(self, client: ContainersClient, screen: LogScreen) -> None:
        super().__init__()
        self.client = client
        self.settings = Settings()
        self.log_screen = screen
        self.frames: list[float] = []

    @property
    def is_headless(self) -> bool:
        return False

    def on_mount(self) -> None:
        driver = self._driver
        assert driver is not None
        original = driver.write

        def write(data: str) -> None:
            self.frames.append(time.perf_counter())
            original(data)

        driver.write = write  # type: ignore[method-assign]
        self.push_screen(self.log_screen)


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


def cpu_s() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1)))]


async def wait_ready(screen: LogScreen, timeout: float = 20.0) -> None:
    deadline = time.perf_counter() + timeout
    while screen.tail is None or screen.tail.polls < 1:
        if time.perf_counter() > deadline:
            raise RuntimeError("the log tail did not start")
        await asyncio.sleep(0.01)


async def loop_blocks(stop: asyncio.Event, into: list[float]) -> None:
    """Records how late a 5 ms sleep wakes: how long the event loop was held."""
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(0.005)
        into.append(time.perf_counter() - began - 0.005)


async def ingest(url: str, lines: int, rate: float) -> dict[str, Any]:
    client = ContainersClient(api_url=url, secret_key=TEST_SECRET_KEY)
    container = await client.get_container(container_id=DEMO_READY_CONTAINER_ID)
    screen = LogScreen(container=container)
    app = BenchApp(client, screen)
    handled: list[float] = []
    originals = (LogView.action_cursor_up, LogView.action_cursor_down)

    def up(view: LogView) -> None:
        originals[0](view)
        handled.append(time.perf_counter())

    def down(view: LogView) -> None:
        originals[1](view)
        handled.append(time.perf_counter())

    LogView.action_cursor_up = up  # type: ignore[method-assign]
    LogView.action_cursor_down = down  # type: ignore[method-assign]
    out: dict[str, Any] = {}
    try:
        gc.collect()
        rss_start = rss_mb()
        async with app.run_test(size=(160, 48), headless=True) as pilot:
            await wait_ready(screen)
            await pilot.pause(0.3)
            view = screen.log_view
            tail = screen.tail
            assert tail is not None
            history = tail.lines_emitted
            gc.collect()
            rss_before = rss_mb()
            feeder = subprocess.Popen(
                [sys.executable, "-c", FEEDER, url, DEMO_READY_CONTAINER_ID, str(lines), str(rate)],
                stdout=subprocess.PIPE,
                text=True,
            )
            started = time.perf_counter()
            driver = app._driver
            assert driver is not None
            latencies: list[float] = []
            keys = ["k"] * 12 + ["j"] * 12
            index = 0
            import random

            rng = random.Random(6)
            while feeder.poll() is None:
                key = keys[index % len(keys)]
                index += 1
                posted = time.perf_counter()
                mark = len(handled)
                driver.send_message(events.Key(key, key))
                while True:
                    if len(handled) > mark:
                        done = handled[mark]
                        after = [at for at in app.frames[-50:] if at > done]
                        if after:
                            latencies.append(after[0] - posted)
                            break
                    if time.perf_counter() - posted > 5:
                        latencies.append(5.0)
                        break
                    await asyncio.sleep(0.0005)
                await asyncio.sleep(rng.uniform(0.04, 0.09))
            fed_s = time.perf_counter() - started
            assert feeder.stdout is not None
            done_line = feeder.stdout.read().strip()
            target = history + lines
            deadline = time.perf_counter() + 60
            while tail.lines_emitted < target and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            await pilot.pause(0.3)
            caught_up_s = time.perf_counter() - started
            held = [e for e in view.buffer.entries if e.kind == LINE]
            ids = {(e.origin, e.id) for e in held}
            gc.collect()
            rss_after = rss_mb()

            # 2. a regex over every buffered line, while the lines are still there.
            blocks: list[float] = []
            stop = asyncio.Event()
            watcher = asyncio.create_task(loop_blocks(stop, blocks))
            began = time.perf_counter()
            view.set_filter(r"items/\d*7 200", regex=True)
            while view.filter_progress is not None or view.filtered.building:
                await asyncio.sleep(0.001)
            filter_s = time.perf_counter() - began
            stop.set()
            await watcher
            matches = view.match_count or 0
            view.set_filter("")

            latencies.sort()
            out = {
                "lines_fed": lines,
                "feeder": done_line,
                "feed_seconds": round(fed_s, 2),
                "feed_rate_lines_per_s": round(lines / fed_s),
                "tail_caught_up_after_s": round(caught_up_s, 2),
                "tail_lag_at_end_s": round(caught_up_s - fed_s, 2),
                "lines_emitted_by_tail": tail.lines_emitted - history,
                "lines_held": len(held),
                "held_lines_unique": len(ids) == len(held),
                "gaps": sum(1 for e in view.buffer.entries if e.kind == 1),
                "buffer_lines_max": view.buffer.max_lines,
                "buffer_bytes_estimate_mb": round(view.buffer.nbytes / 1e6, 1),
                "polls": tail.polls,
                "key_presses": len(latencies),
                "key_latency_p50_ms": round(1000 * statistics.median(latencies), 1),
                "key_latency_p95_ms": round(1000 * percentile(latencies, 0.95), 1),
                "key_latency_max_ms": round(1000 * latencies[-1], 1),
                "rss_process_start_mb": round(rss_start, 1),
                "rss_before_ingest_mb": round(rss_before, 1),
                "rss_after_ingest_mb": round(rss_after, 1),
                "filter_100k_regex_s": round(filter_s, 3),
                "filter_matches": matches,
                "filter_longest_loop_block_ms": round(1000 * max(blocks, default=0.0), 1),
            }
    finally:
        LogView.action_cursor_up, LogView.action_cursor_down = originals  # type: ignore[method-assign]
        await client.aclose()
    return out


async def quiet(url: str, seconds: float) -> dict[str, Any]:
    client = ContainersClient(api_url=url, secret_key=TEST_SECRET_KEY)
    container = await client.get_container(container_id=DEMO_ERROR_CONTAINER_ID)
    screen = LogScreen(container=container)
    app = BenchApp(client, screen)
    out: dict[str, Any] = {}
    try:
        async with app.run_test(size=(160, 48), headless=True) as pilot:
            await wait_ready(screen)
            await pilot.pause(2.0)  # past the first polls and the history
            tail = screen.tail
            assert tail is not None
            polls_before = tail.polls
            frames_before = len(app.frames)
            cpu_before = cpu_s()
            began = time.perf_counter()
            await asyncio.sleep(seconds)
            wall = time.perf_counter() - began
            used = cpu_s() - cpu_before
            out = {
                "quiet_seconds": round(wall, 1),
                "cpu_percent_of_one_core": round(100 * used / wall, 2),
                "polls": tail.polls - polls_before,
                "poll_interval_s": tail.interval_s,
                "frames": len(app.frames) - frames_before,
            }
    finally:
        await client.aclose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter run (smoke test)")
    parser.add_argument("--lines", type=int, default=None, help="lines to ingest (100,000)")
    parser.add_argument("--rate", type=float, default=2000.0, help="lines per second (2,000)")
    parser.add_argument("--quiet-seconds", type=float, default=None, help="quiet tail (60 s)")
    args = parser.parse_args()
    lines = args.lines or (20_000 if args.quick else 100_000)
    quiet_s = args.quiet_seconds or (10.0 if args.quick else 60.0)

    emulator = EmulatorProcess("--seed", "demo", "--no-quotas", secret_key=TEST_SECRET_KEY)
    try:
        # Other processes on the machine skew every figure: say how busy it was.
        figures: dict[str, Any] = {"cpu_count": psutil.cpu_count()}
        figures["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
        figures["ingest"] = asyncio.run(ingest(emulator.url, lines, args.rate))
        figures["quiet"] = asyncio.run(quiet(emulator.url, quiet_s))
        figures["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    finally:
        emulator.stop()
    print(json.dumps(figures, indent=2))
    got = figures["ingest"]
    print(
        f"\n{lines:,} lines at {got['feed_rate_lines_per_s']:,}/s: "
        f"key latency p95 {got['key_latency_p95_ms']} ms "
        f"(p50 {got['key_latency_p50_ms']} ms, {got['key_presses']} keys); "
        f"RSS {got['rss_before_ingest_mb']} → {got['rss_after_ingest_mb']} MB; "
        f"quiet tail CPU {figures['quiet']['cpu_percent_of_one_core']} % of one core"
    )


if __name__ == "__main__":
    main()
