"""A big account in the console: ``python tests/benchmarks/bench_tree.py [--namespaces 100]
[--containers 10] [--seconds 12]``.

The emulator runs in its own process (`_common.ServedEmulator`, quotas off, every container
ready), so the figures are the console's alone; the console runs in this process, headless but
rendering its frames, on the client over loopback:
- time to the full tree after data: the first list answers handed to the app (the watcher's
  `NamespacesLoaded` batch) → the first frame written after the tree was built from them;
- p95 key latency while polling: `j`/`k` on the tree at random 30–120 ms gaps, each measured
  from the key event posted to the first frame written after the cursor moved; the settled
  poll interval is cut to 1 s so a round (one list per namespace) is always near;
- resident memory (RSS) of the process with the console showing the account.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Figure,
    FrameMeter,
    ServedEmulator,
    console_app,
    hook_actions,
    key_latencies,
    median,
    percentile,
    print_table,
    rss_mb,
    wait_for,
)

KEYS = ["j"] * 10 + ["k"] * 10
POLL_WHILE_TYPING_S = 1.0


async def measure(
    url: str, seconds: float, poll_s: float = POLL_WHILE_TYPING_S, profile: str | None = None
) -> dict[str, Any]:
    from tui.config import Settings
    from tui.live.events import NamespacesLoaded

    gc.collect()
    rss_before = rss_mb()
    settings = Settings(poll_settled_s=poll_s, poll_transient_s=1.0)
    app = console_app(url, settings=settings)
    meter = FrameMeter()
    data_at: list[float] = []
    applied_at: list[float] = []
    screen = app.main_screen
    original = screen.apply_live_events

    # Messages are dispatched to class methods, so the hook is the screen method the app's
    # handler calls (an instance attribute wins there).
    def spy(events: Any) -> None:
        loaded = not data_at and any(isinstance(e, NamespacesLoaded) for e in events)
        if loaded:
            data_at.append(time.perf_counter())
        original(events)
        if loaded:
            applied_at.append(time.perf_counter())

    screen.apply_live_events = spy
    started = time.perf_counter()
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 50), headless=True) as pilot:
        meter.install(app)
        await wait_for(lambda: bool(applied_at), 120, "the first list answers")
        await wait_for(lambda: meter.first_after(applied_at[0]) is not None, 60, "a frame")
        painted = meter.first_after(applied_at[0])
        assert painted is not None
        tree = app.main_screen.resource_tree
        out["data_in_s"] = data_at[0] - started
        out["tree_built_ms"] = 1000 * (applied_at[0] - data_at[0])
        out["tree_after_data_ms"] = 1000 * (painted - data_at[0])
        out["namespaces_shown"] = tree.total_namespaces()
        out["containers_known"] = tree.total_containers()
        out["tree_lines"] = tree.last_line + 1  # collapsed namespaces show no containers
        await pilot.pause(0.5)

        handled = hook_actions(tree, ["cursor_down", "cursor_up"])
        watcher = app.watcher
        assert watcher is not None
        rounds = watcher.rounds
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="disabled")
            profiler.start()
        latencies = await key_latencies(app, meter, handled, keys=KEYS, seconds=seconds)
        if profiler is not None and profile:
            profiler.stop()
            Path(profile).write_text(profiler.output_text(unicode=True, show_all=True))
        out["poll_rounds_while_typing"] = watcher.rounds - rounds
        out["key_presses"] = len(latencies)
        out["key_latency_p50_ms"] = 1000 * median(latencies)
        out["key_latency_p95_ms"] = 1000 * percentile(latencies, 0.95)
        out["key_latency_max_ms"] = 1000 * max(latencies)
        gc.collect()
        out["rss_before_app_mb"] = rss_before
        out["rss_mb"] = rss_mb()
    return out


def run(
    namespaces: int,
    containers: int,
    *,
    quick: bool,
    poll_s: float = POLL_WHILE_TYPING_S,
    profile: str | None = None,
) -> dict[str, Any]:
    seconds = 6.0 if quick else 12.0
    with ServedEmulator(namespaces, containers) as emulator:
        details = asyncio.run(measure(emulator.url, seconds, poll_s, profile))
    total = namespaces * containers
    tag = f"{total:,}"
    details.update(namespaces=namespaces, containers_per_namespace=containers)
    # Beyond LARGE_ACCOUNT containers the tree starts with its namespaces collapsed.
    shape = "" if details["tree_lines"] > total else ", namespaces collapsed"
    figures = [
        Figure(
            f"tree_{total}_after_data_ms",
            f"{tag} containers ({namespaces} ns{shape}): {'' if shape else 'full '}tree after data",
            details["tree_after_data_ms"],
            "ms",
            budget=("<", 1000.0) if total <= 1000 else None,
            decimals=0,
        ),
        Figure(
            f"tree_{total}_key_p95_ms",
            f"{tag} containers: p95 key latency while polling",
            details["key_latency_p95_ms"],
            "ms",
            budget=("<", 50.0),
        ),
        Figure(
            f"tree_{total}_rss_mb", f"{tag} containers: RSS", details["rss_mb"], "MB", decimals=0
        ),
    ]
    return {"figures": [f.to_json() for f in figures], "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--namespaces", type=int, default=100)
    parser.add_argument("--containers", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--poll", type=float, default=POLL_WHILE_TYPING_S, help="settled poll, s")
    parser.add_argument("--profile", metavar="FILE", help="pyinstrument text report of the keys")
    args = parser.parse_args()
    result = run(
        args.namespaces, args.containers, quick=args.quick, poll_s=args.poll, profile=args.profile
    )
    print(json.dumps(result["details"], indent=2))
    from _common import figure_from_json

    print_table([figure_from_json(f) for f in result["figures"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
