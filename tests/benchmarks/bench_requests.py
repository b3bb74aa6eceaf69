"""API requests during one deploy: ``python tests/benchmarks/bench_requests.py``.

The emulator runs in its own process (`_common.ServedEmulator`, speed 1: a deploy takes 8 s),
counting every request it answers. One container is deployed:
- by the console (`tui.app.create_app`, default settings, headless, in this process) through
  the forms' `deploy_flow`, exactly as the `d` key does: the count runs from the deploy call
  to the console having seen the container settle (its follow ended); every request the
  console made meanwhile counts (lists, the selected container's crons/domains/tokens...);
  in an account of 1 namespace × 10 containers, and of 100 × 10 (not with `--quick`: the
  console watches the whole account, one list per namespace per round, rounds every 1 s
  while anything moves);
- by the official SDK (`scaleway==1.8.0`): `deploy_container` + `wait_for_container` with its
  default options (exponential back-off from 1 s), 3 containers deployed at once in threads,
  each counted on its own (GET /containers/{id}); medians.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    REGION,
    SECRET_KEY,
    Figure,
    ServedEmulator,
    console_app,
    figure_from_json,
    print_table,
    wait_for,
)

SDK_PARALLEL = 3


async def _console_deploy(emulator: ServedEmulator) -> dict[str, Any]:
    from tui.screens.forms.flows import deploy_flow
    from tui.selection import Selected

    container_id = emulator.info["container_ids"][0]
    app = console_app(emulator.url, rendered=False)
    async with app.run_test(size=(160, 50), headless=True) as pilot:
        await wait_for(lambda: app.watcher is not None and app.watcher.is_loaded(), 60, "load")
        await pilot.pause(1.0)
        watcher = app.watcher
        assert watcher is not None
        found = watcher.find(container_id)
        assert found is not None
        container = found[2]
        namespace = watcher.find(container.namespace_id)
        selected = Selected(
            "container",
            REGION,
            namespace=namespace[2] if namespace else None,
            container=container,
        )
        emulator.reset_counts()
        began = time.perf_counter()
        await deploy_flow(app, selected)
        await wait_for(lambda: watcher.is_followed(container_id), 10, "the follow to start")
        await wait_for(lambda: not watcher.is_followed(container_id), 120, "the deploy to end")
        took = time.perf_counter() - began
        counts = emulator.counts()
        status = watcher.find(container_id)
    total = sum(counts.values())
    return {
        "seconds": took,
        "requests": total,
        "requests_per_minute": total * 60 / took,
        "by_kind": counts,
        "final_status": str(getattr(status[2], "status", "")) if status else None,
    }


def _sdk_deploys(emulator: ServedEmulator) -> dict[str, Any]:
    from scaleway import Client
    from scaleway.container.v1beta1 import ContainerV1Beta1API

    from tui.emulator.testing import TEST_ACCESS_KEY

    api = ContainerV1Beta1API(
        Client(
            access_key=TEST_ACCESS_KEY,
            secret_key=SECRET_KEY,
            api_url=emulator.url,
            default_region=REGION,
        )
    )
    targets = emulator.info["container_ids"][1 : 1 + SDK_PARALLEL]
    results: dict[str, dict[str, Any]] = {}

    def one(container_id: str) -> None:
        began = time.perf_counter()
        api.deploy_container(container_id=container_id)
        final = api.wait_for_container(container_id=container_id)
        results[container_id] = {
            "seconds": time.perf_counter() - began,
            "status": str(final.status),
        }

    emulator.reset_counts()
    threads = [threading.Thread(target=one, args=(c,)) for c in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    counts = emulator.counts()
    # Nothing else runs meanwhile: every request is one of theirs (a deploy POST, then GETs of
    # that one container), reported whole and per deploy.
    gets = counts.get("GET containers/{id}", 0)
    posts = counts.get("POST containers/{id}/deploy", 0)
    per = [r["seconds"] for r in results.values()]
    return {
        "parallel": len(targets),
        "seconds_each": per,
        "seconds": statistics.median(per),
        "gets_total": gets,
        "deploy_posts_total": posts,
        "requests_per_deploy": (gets + posts) / len(targets),
        "requests_per_minute_each": (gets + posts) / len(targets) * 60 / statistics.median(per),
        "statuses": [r["status"] for r in results.values()],
    }


def run(*, quick: bool) -> dict[str, Any]:
    details: dict[str, Any] = {}
    with ServedEmulator(1, 10) as emulator:
        details["console_1ns"] = asyncio.run(_console_deploy(emulator))
        details["sdk"] = _sdk_deploys(emulator)
    if not quick:
        with ServedEmulator(100, 10) as emulator:
            details["console_100ns"] = asyncio.run(_console_deploy(emulator))
    c1, sdk = details["console_1ns"], details["sdk"]
    figures = [
        Figure(
            "deploy_console_1ns_requests",
            f"one deploy, console (1 ns × 10): requests ({c1['seconds']:.0f} s)",
            c1["requests"],
            decimals=0,
        ),
        Figure(
            "deploy_sdk_requests",
            f"one deploy, SDK wait_for_container: requests ({sdk['seconds']:.0f} s)",
            sdk["requests_per_deploy"],
            decimals=1,
        ),
        Figure(
            "deploy_console_1ns_per_min",
            "while one deploy runs, console (1 ns): requests per minute",
            c1["requests_per_minute"],
            "/min",
            decimals=0,
        ),
        Figure(
            "deploy_sdk_per_min",
            "while one deploy runs, SDK: requests per minute",
            sdk["requests_per_minute_each"],
            "/min",
            decimals=0,
        ),
    ]
    if "console_100ns" in details:
        figures.insert(
            3,
            Figure(
                "deploy_console_100ns_per_min",
                "while one deploy runs, console (100 ns): requests per minute",
                details["console_100ns"]["requests_per_minute"],
                "/min",
                decimals=0,
            ),
        )
    return {"figures": [f.to_json() for f in figures], "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    result = run(quick=args.quick)
    print(json.dumps(result["details"], indent=2))
    print_table([figure_from_json(f) for f in result["figures"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
