"""API client benchmarks (not collected by pytest): ``python tests/benchmarks/bench_client.py``.

Prints:
- parse time of 10,000 containers from list pages (100 pages of 100, as the emulator renders a
  container with every field set): JSON decoding alone, decoding + our pydantic models (the
  client's path), and the official SDK's unmarshalling for reference;
- the client's overhead over raw httpx for 1,000 sequential GETs of one container on loopback
  (emulator in a subprocess, so it does not share our interpreter): aim <= 1.5x.
Medians of several interleaved runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.api import ContainersClient, models
from tui.emulator import create_app
from tui.emulator import seed as demo
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess

API = "/containers/v1beta1/regions/fr-par"


async def _sample_container() -> dict[str, Any]:
    """One container as the emulator renders it, with secrets, env and every option set."""
    app = create_app(seed="demo")
    async with ContainersClient.for_emulator(app) as client:
        created = await client.create_container(
            namespace_id=demo.DEMO_NAMESPACE_ID,
            name="bench",
            registry_image="rg.fr-par.scw.cloud/shop/bench:1.2.3",
            environment_variables={f"VAR_{i}": f"value-{i}" for i in range(8)},
            secret_environment_variables={f"SECRET_{i}": f"s-{i}" for i in range(3)},
            description="a container for the benchmark",
            min_scale=1,
            max_scale=10,
            memory_limit=1024,
            timeout=120,
            privacy="private",
        )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://emulator",
        headers={"X-Auth-Token": TEST_SECRET_KEY},
    ) as raw:
        response = await raw.get(f"{API}/containers/{created.id}")
        sample: dict[str, Any] = response.json()
    return sample


def _pages(sample: dict[str, Any], total: int, page_size: int) -> list[bytes]:
    pages = []
    for start in range(0, total, page_size):
        items = []
        for i in range(start, min(total, start + page_size)):
            item = dict(sample)
            item["id"] = f"20000000-0000-4000-8000-{i:012d}"
            item["name"] = f"c{i:05d}"
            items.append(item)
        pages.append(json.dumps({"containers": items, "total_count": total}).encode())
    return pages


def bench_parse(total: int = 10_000, page_size: int = 100, runs: int = 5) -> dict[str, float]:
    from scaleway.container.v1beta1.marshalling import unmarshal_ListContainersResponse

    sample = asyncio.run(_sample_container())
    pages = _pages(sample, total, page_size)

    def json_only() -> int:
        return sum(len(json.loads(p)["containers"]) for p in pages)

    def ours() -> int:
        count = 0
        for page in pages:
            count += len(models.ListContainersResponse.model_validate(json.loads(page)).containers)
        return count

    def sdk() -> int:
        return sum(len(unmarshal_ListContainersResponse(json.loads(p)).containers) for p in pages)

    results: dict[str, list[float]] = {"json": [], "ours": [], "sdk": []}
    for _ in range(runs):
        for name, fn in (("json", json_only), ("ours", ours), ("sdk", sdk)):
            started = time.perf_counter()
            assert fn() == total
            results[name].append(time.perf_counter() - started)
    out = {name: statistics.median(times) * 1000 for name, times in results.items()}
    out.update({f"{name}_min": min(times) * 1000 for name, times in results.items()})
    return out


async def _timed(calls: int, one: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await one()
    return time.perf_counter() - started


async def bench_overhead(url: str, calls: int, rounds: int) -> tuple[float, float]:
    path = f"{API}/containers/{demo.DEMO_READY_CONTAINER_ID}"
    raw = httpx.AsyncClient(base_url=url, headers={"X-Auth-Token": TEST_SECRET_KEY}, timeout=10)
    client = ContainersClient(api_url=url, secret_key=TEST_SECRET_KEY)

    async def raw_get() -> Any:
        response = await raw.get(path)
        response.raise_for_status()
        return response.json()

    async def client_get() -> Any:
        return await client.get_container(container_id=demo.DEMO_READY_CONTAINER_ID)

    raw_times, client_times = [], []
    async with raw, client:
        await _timed(50, raw_get)  # warm up connections and code paths
        await _timed(50, client_get)
        for _ in range(rounds):
            raw_times.append(await _timed(calls, raw_get))
            client_times.append(await _timed(calls, client_get))
    return statistics.median(raw_times), statistics.median(client_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--containers", type=int, default=10_000)
    parser.add_argument("--gets", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    parse = bench_parse(total=args.containers, runs=args.rounds)
    n = args.containers
    print(f"parse {n:,} containers from list pages of 100 (median of {args.rounds}):")
    print(f"  json.loads only           {parse['json']:8.1f} ms   (min {parse['json_min']:.1f})")
    print(
        f"  json + pydantic (client)  {parse['ours']:8.1f} ms   (min {parse['ours_min']:.1f};"
        f" {parse['ours'] * 1000 / n:.1f} µs per container)"
    )
    print(
        f"  json + official SDK       {parse['sdk']:8.1f} ms   (min {parse['sdk_min']:.1f};"
        " reference: it validates nothing)"
    )

    with EmulatorProcess("--seed", "demo") as server:
        raw, ours = asyncio.run(bench_overhead(server.url, args.gets, args.rounds))
    ratio = ours / raw
    print(f"{args.gets:,} sequential GET /containers/{{id}} on loopback (median of {args.rounds}):")
    print(
        f"  raw httpx                 {raw * 1000:8.1f} ms   ({raw * 1e6 / args.gets:.0f} µs/GET)"
    )
    print(
        f"  ContainersClient          {ours * 1000:8.1f} ms   ({ours * 1e6 / args.gets:.0f} µs/GET)"
    )
    verdict = "ok" if ratio <= 1.5 else "OVER the 1.5x aim"
    print(f"  overhead ratio            {ratio:8.2f}x  ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
