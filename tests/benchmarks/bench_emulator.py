"""Emulator benchmarks (not collected by pytest): ``python tests/benchmarks/bench_emulator.py``.

Prints:
- the demo seed's time (aim < 100 ms);
- requests per second for paged lists of a namespace holding 1,000 containers, served by
  ``python -m tui.emulator.server`` over loopback (aim >= 500 req/s), at page sizes 20 and 100.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.emulator import create_app
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess, control_sync

API = "/containers/v1beta1/regions/fr-par"
HEADERS = {"X-Auth-Token": TEST_SECRET_KEY}


def bench_seed(runs: int = 30) -> tuple[float, float]:
    create_app(seed="demo")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        create_app(seed="demo")
        times.append(time.perf_counter() - started)
    return min(times) * 1000, statistics.median(times) * 1000


async def populate(url: str, containers: int) -> str:
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, timeout=30) as client:
        ns = (await client.post(f"{API}/namespaces", json={"name": "bench"})).json()["id"]
        control_sync(url, "POST", f"status/{ns}", {"status": "ready"})
        semaphore = asyncio.Semaphore(32)

        async def create(i: int) -> None:
            async with semaphore:
                response = await client.post(
                    f"{API}/containers", json={"namespace_id": ns, "name": f"c{i:04d}"}
                )
                response.raise_for_status()

        await asyncio.gather(*(create(i) for i in range(containers)))
        return str(ns)


async def bench_lists_raw(
    url: str, ns: str, page_size: int, seconds: float, concurrency: int, total: int
) -> float:
    """Keep-alive HTTP/1.1 over plain sockets: a lean client, so the server is what's measured."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    pages = -(-total // page_size)
    done = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, int(port))
        page = offset
        try:
            while time.perf_counter() < deadline:
                target = (
                    f"{API}/containers?namespace_id={ns}&page={page % pages + 1}"
                    f"&page_size={page_size}"
                )
                writer.write(
                    f"GET {target} HTTP/1.1\r\nHost: {host}\r\n"
                    f"X-Auth-Token: {TEST_SECRET_KEY}\r\n\r\n".encode()
                )
                head = await reader.readuntil(b"\r\n\r\n")
                assert head.startswith(b"HTTP/1.1 200"), head
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                body = await reader.readexactly(length)
                if done % 50 == 0:
                    assert json.loads(body)["total_count"] == total
                done += 1
                page += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return done / (time.perf_counter() - started)


async def bench_lists(
    url: str, ns: str, page_size: int, seconds: float, concurrency: int, total: int
) -> float:
    """The same through httpx (what the console uses); the client's own cost is included."""
    pages = -(-total // page_size)
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient, offset: int) -> None:
        nonlocal done
        page = offset
        while time.perf_counter() < deadline:
            params = {"namespace_id": ns, "page": page % pages + 1, "page_size": page_size}
            response = await client.get(f"{API}/containers", params=params)
            assert response.status_code == 200
            assert response.json()["total_count"] == total
            done += 1
            page += 1

    async with httpx.AsyncClient(
        base_url=url, headers=HEADERS, limits=limits, timeout=30
    ) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client, i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
    return done / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--containers", type=int, default=1000)
    args = parser.parse_args()

    best, median = bench_seed()
    print(f"demo seed: best {best:.1f} ms, median {median:.1f} ms (aim < 100 ms)")

    with EmulatorProcess("--no-quotas") as server:
        started = time.perf_counter()
        ns = asyncio.run(populate(server.url, args.containers))
        print(
            f"created {args.containers} containers in {time.perf_counter() - started:.2f} s "
            f"({server.url})"
        )
        for page_size in (20, 100):
            rate = asyncio.run(
                bench_lists_raw(
                    server.url, ns, page_size, args.seconds, args.concurrency, args.containers
                )
            )
            verdict = "ok" if rate >= 500 else "BELOW AIM"
            print(
                f"paged list of {args.containers} containers, page_size {page_size}: "
                f"{rate:.0f} req/s over loopback (aim >= 500) {verdict}"
            )
            rate = asyncio.run(
                bench_lists(
                    server.url, ns, page_size, args.seconds, args.concurrency, args.containers
                )
            )
            print(f"  same with an httpx.AsyncClient (client cost included): {rate:.0f} req/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
