"""Every benchmark, one table: ``python tests/benchmarks/run.py [--quick] [--only NAME ...]
[--json PATH]``.

Runs each benchmark headless against the emulator, each in a fresh Python process (so memory,
CPU and imports of one never leak into another, and a crash costs one line, not the table),
then prints one table (figure, value, budget, pass/FAIL) and writes every figure and detail
to a JSON file (default: tests/benchmarks/results/run-<time>.json, also copied to latest.json;
the folder is gitignored).

Benchmarks (`--only` takes these names; `--list` shows them):
  startup     start-up to the first full demo tree beside a bare Textual app (ratio, medians)
  tree-1000   1,000 containers in 100 namespaces: full tree after data, p95 key latency while
              polling, RSS
  tree-10000  10,000 containers in 100 namespaces (quotas off): the same
  logs        100,000 log lines ingested at 2,000 lines/s: p95 key latency, RSS
  idle        1,000 settled containers and a quiet log tail: CPU over 60 s; settled requests
  requests    API requests during one deploy: the console beside the official SDK's
              wait_for_container loop
  emulator    emulator throughput (paged lists, loopback)
`--quick` shortens every run (about 2 minutes in all instead of about 6); budgets still apply,
with more noise.

Exit status: 0 when every budget holds, 1 when one misses, 2 when a benchmark failed to run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_DIR,
    ROOT,
    Figure,
    figure_from_json,
    machine,
    print_table,
)

RESULTS_DIR = BENCH_DIR / "results"


# -- the benchmarks (each runs in a child process: `run.py --child NAME`) ---------------------


def bench_startup(quick: bool) -> dict[str, Any]:
    import bench_startup

    return bench_startup.run(quick=quick)


def bench_tree_1000(quick: bool) -> dict[str, Any]:
    import bench_tree

    return bench_tree.run(100, 10, quick=quick)


def bench_tree_10000(quick: bool) -> dict[str, Any]:
    import bench_tree

    return bench_tree.run(100, 100, quick=quick)


def bench_logs(quick: bool) -> dict[str, Any]:
    """The logs engineer's ingest benchmark (`bench_logs.ingest`), emulator in its process."""
    import bench_logs

    from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess

    lines, rate = (20_000 if quick else 100_000), 2000.0
    with EmulatorProcess("--seed", "demo", "--no-quotas", secret_key=TEST_SECRET_KEY) as server:
        details: dict[str, Any] = asyncio.run(bench_logs.ingest(server.url, lines, rate))
    n = f"{lines:,}"
    figures = [
        Figure(
            "logs_key_p95_ms",
            f"log ingest {n} lines at 2,000/s: p95 key latency",
            details["key_latency_p95_ms"],
            "ms",
            budget=("<", 50.0),
        ),
        Figure(
            "logs_rss_mb",
            f"log ingest {n} lines: RSS after",
            details["rss_after_ingest_mb"],
            "MB",
            decimals=0,
        ),
        Figure(
            "logs_lag_s",
            "log ingest: tail behind the feeder at the end",
            details["tail_lag_at_end_s"],
            "s",
        ),
    ]
    return {"figures": [f.to_json() for f in figures], "details": details}


def bench_idle(quick: bool) -> dict[str, Any]:
    import bench_idle

    return bench_idle.run(quick=quick)


def bench_requests(quick: bool) -> dict[str, Any]:
    import bench_requests

    return bench_requests.run(quick=quick)


def bench_emulator(quick: bool) -> dict[str, Any]:
    """The emulator engineer's loopback throughput (`bench_emulator`): paged lists of a
    namespace of 1,000 containers, a lean keep-alive client, 4 connections."""
    import bench_emulator

    from tui.emulator.testing import EmulatorProcess

    seconds, concurrency, total = (2.0 if quick else 5.0), 4, 1000
    details: dict[str, Any] = {"seconds": seconds, "concurrency": concurrency}
    with EmulatorProcess("--no-quotas") as server:
        ns = asyncio.run(bench_emulator.populate(server.url, total))
        for page_size in (20, 100):
            details[f"page_size_{page_size}_req_s"] = asyncio.run(
                bench_emulator.bench_lists_raw(
                    server.url, ns, page_size, seconds, concurrency, total
                )
            )
    figures = [
        Figure(
            f"emulator_req_s_{size}",
            f"emulator: paged lists on loopback, page_size {size}",
            details[f"page_size_{size}_req_s"],
            "req/s",
            budget=(">=", 500.0),
            decimals=0,
        )
        for size in (20, 100)
    ]
    return {"figures": [f.to_json() for f in figures], "details": details}


BENCHMARKS: dict[str, Callable[[bool], dict[str, Any]]] = {
    "startup": bench_startup,
    "tree-1000": bench_tree_1000,
    "tree-10000": bench_tree_10000,
    "logs": bench_logs,
    "idle": bench_idle,
    "requests": bench_requests,
    "emulator": bench_emulator,
}


# -- orchestration ---------------------------------------------------------------------------


def _child(name: str, quick: bool, out: Path) -> int:
    result = BENCHMARKS[name](quick)
    out.write_text(json.dumps(result, default=str))
    return 0


def _run_one(name: str, quick: bool, scratch: Path) -> dict[str, Any]:
    out = scratch / f"{name}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", name, str(out)]
    if quick:
        argv.append("--quick")
    started = time.perf_counter()
    process = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - started
    if process.returncode != 0 or not out.exists():
        return {
            "error": f"exit status {process.returncode}",
            "stderr": process.stderr[-4000:],
            "stdout": process.stdout[-2000:],
            "seconds": took,
        }
    result: dict[str, Any] = json.loads(out.read_text())
    result["seconds"] = took
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run every benchmark headless against the emulator; print one table."
    )
    parser.add_argument("--quick", action="store_true", help="shorter runs (about 2 minutes)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        choices=list(BENCHMARKS),
        help="run only these: " + ", ".join(BENCHMARKS),
    )
    parser.add_argument("--json", metavar="PATH", help="where to write the figures (JSON)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return _child(args.child[0], args.quick, Path(args.child[1]))
    if args.list:
        for name in BENCHMARKS:
            print(name)
        return 0

    import tempfile

    names = args.only or list(BENCHMARKS)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    json_path = Path(args.json) if args.json else RESULTS_DIR / f"run-{stamp}.json"
    mode = "quick" if args.quick else "full"
    print(f"scw-containers benchmarks ({mode}): {', '.join(names)}", flush=True)
    began = time.perf_counter()
    results: dict[str, Any] = {}
    figures: list[Figure] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="scw-bench-") as scratch:
        for name in names:
            print(f"  {name}…", end="", flush=True)
            result = _run_one(name, args.quick, Path(scratch))
            results[name] = result
            if "error" in result:
                failed.append(name)
                print(f" FAILED ({result['error']}, {result['seconds']:.0f} s)", flush=True)
                print(result["stderr"], file=sys.stderr)
                continue
            got = [figure_from_json(f) for f in result["figures"]]
            figures.extend(got)
            misses = sum(1 for f in got if f.passed is False)
            verdict = f"{misses} budget miss(es)" if misses else "ok"
            print(f" {result['seconds']:.0f} s, {verdict}", flush=True)
    total_s = time.perf_counter() - began

    print()
    print_table(figures)
    missed = [f for f in figures if f.passed is False]
    print(
        f"\n{len(figures)} figures, {sum(1 for f in figures if f.budget)} with a budget, "
        f"{len(missed)} missed; {len(failed)} benchmark(s) failed to run; {total_s:.0f} s"
    )
    payload = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "seconds": total_s,
        "machine": machine(),
        "figures": [f.to_json() for f in figures],
        "benchmarks": results,
    }
    from _common import write_json

    write_json(json_path, payload)
    if not args.json:
        write_json(RESULTS_DIR / "latest.json", payload)
    print(f"JSON: {json_path}")
    if failed:
        return 2
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
