"""Crash safety: `--state FILE` survives `kill -9` at any moment.

Several rounds: the emulator subprocess (with `--state`) serves a stream of concurrent mutating
requests — namespace and container creates, container updates, log appends — and is killed with
SIGKILL after a random delay. After each kill the file must parse, the emulator must start again
from it, and every change whose answer reached a client must be there: each answered create is
served, each container's description is its last answered value (or the one in flight when the
process died), each answered log line is listed.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tui.emulator.testing import TEST_SECRET_KEY

from .support import FIGURES, Emulator

ROUNDS = 6
WORKERS = 6
API = "/containers/v1beta1/regions/fr-par"
SEED = random.randrange(1 << 30)


@dataclass
class Answered:
    """Every change a client got a 2xx answer for (and the update in flight per container)."""

    namespaces: dict[str, str] = field(default_factory=dict)  # id → name
    containers: dict[str, str] = field(default_factory=dict)  # id → name
    descriptions: dict[str, set[str]] = field(default_factory=dict)  # id → acceptable values
    logs: dict[str, set[str]] = field(default_factory=dict)  # container id → messages
    requests: int = 0


@dataclass
class Worker:
    index: int
    namespaces: list[str] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)
    counter: int = 0


async def _mutate(
    http: httpx.AsyncClient, worker: Worker, round_no: int, answered: Answered, rng: random.Random
) -> None:
    """One random mutation; raises `httpx.TransportError` once the emulator is gone."""
    worker.counter += 1
    tag = f"r{round_no}w{worker.index}n{worker.counter}"
    choice = rng.random()
    answered.requests += 1
    if not worker.namespaces or choice < 0.15:
        response = await http.post(f"{API}/namespaces", json={"name": f"ns-{tag}"})
        if response.status_code == 200:
            body = response.json()
            answered.namespaces[body["id"]] = body["name"]
            worker.namespaces.append(body["id"])
        return
    if not worker.containers or choice < 0.40:
        response = await http.post(
            f"{API}/containers",
            json={
                "namespace_id": rng.choice(worker.namespaces),
                "name": f"ct-{tag}",
                "registry_image": "nginx:1.27",
                "description": "v0",
            },
        )
        if response.status_code == 200:
            body = response.json()
            answered.containers[body["id"]] = body["name"]
            answered.descriptions[body["id"]] = {"v0"}
            worker.containers.append(body["id"])
        return
    container_id = rng.choice(worker.containers)
    if choice < 0.70:
        value = f"d-{tag}"
        # Until answered, the file may hold the new value or the previous one.
        before = set(answered.descriptions[container_id])
        answered.descriptions[container_id] = before | {value}
        response = await http.patch(f"{API}/containers/{container_id}", json={"description": value})
        if response.status_code == 200:
            answered.descriptions[container_id] = {value}
        elif response.status_code < 500:
            answered.descriptions[container_id] = before  # refused: nothing changed
        return
    messages = [f"line-{tag}-{i}" for i in range(rng.randint(1, 20))]
    response = await http.post(
        f"/_emulator/containers/{container_id}/logs",
        json={"lines": [{"message": m} for m in messages]},
    )
    if response.status_code == 200:
        answered.logs.setdefault(container_id, set()).update(messages)


def _answers(answered: Answered) -> int:
    return (
        len(answered.namespaces)
        + len(answered.containers)
        + sum(len(lines) for lines in answered.logs.values())
    )


async def _work_until_killed(
    url: str, worker: Worker, round_no: int, answered: Answered, rng: random.Random
) -> None:
    headers = {"X-Auth-Token": TEST_SECRET_KEY}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10.0) as http:
        while True:
            try:
                await _mutate(http, worker, round_no, answered, rng)
            except httpx.TransportError:
                return  # the emulator is gone


async def _verify(url: str, answered: Answered, round_no: int) -> None:
    """Everything answered so far is served by the emulator restarted from the file."""
    headers = {"X-Auth-Token": TEST_SECRET_KEY}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10.0) as http:
        semaphore = asyncio.Semaphore(16)

        async def get(path: str, **params: Any) -> Any:
            async with semaphore:
                response = await http.get(path, params=params)
            assert response.status_code == 200, (round_no, path, response.text)
            return response.json()

        async def namespace(ns_id: str, name: str) -> None:
            body = await get(f"{API}/namespaces/{ns_id}")
            assert body["name"] == name

        async def container(ct_id: str, name: str) -> None:
            body = await get(f"{API}/containers/{ct_id}")
            assert body["name"] == name
            allowed = answered.descriptions[ct_id]
            assert body["description"] in allowed, (round_no, ct_id, body["description"], allowed)
            # What the file holds is what was answered from now on.
            answered.descriptions[ct_id] = {body["description"]}

        async def logs(ct_id: str, messages: set[str]) -> None:
            listed: set[str] = set()
            page = 1
            while True:
                body = await get(f"{API}/containers/{ct_id}/logs", page=page, page_size=100)
                listed.update(line["message"] for line in body["logs"])
                if len(body["logs"]) < 100:
                    break
                page += 1
            missing = messages - listed
            assert not missing, f"round {round_no}: {len(missing)} answered log lines lost"

        await asyncio.gather(
            *(namespace(i, n) for i, n in answered.namespaces.items()),
            *(container(i, n) for i, n in answered.containers.items()),
            *(logs(i, m) for i, m in answered.logs.items()),
        )


async def test_state_file_survives_kill_9_at_random_moments(
    spawn: Callable[..., Emulator], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    state = tmp_path / "emulator-state.json"
    answered = Answered()
    workers = [Worker(i) for i in range(WORKERS)]
    args = ("--state", str(state), "--seed", "empty", "--speed", "50", "--no-quotas")
    kill_delays: list[float] = []
    for round_no in range(ROUNDS):
        emulator = spawn(*args)
        await _verify(emulator.url, answered, round_no)
        for worker in workers:  # each round starts from what survived
            worker.namespaces = [i for i in worker.namespaces if i in answered.namespaces]
            worker.containers = [i for i in worker.containers if i in answered.containers]
        # Random moments, from "almost at once" to "well into the stream", counted from the
        # round's first answer (a slow start on a loaded machine must not turn every round
        # into a kill before anything was answered); one round at least goes well in.
        delay = rng.choice([rng.uniform(0.0, 0.05), rng.uniform(0.05, 0.4), rng.uniform(0.4, 2.0)])
        if round_no == ROUNDS - 1 and max(kill_delays, default=0.0) < 0.4:
            delay = rng.uniform(0.4, 2.0)
        kill_delays.append(round(delay, 3))
        answers_before = _answers(answered)
        tasks = [
            asyncio.create_task(
                _work_until_killed(emulator.url, w, round_no, answered, random.Random(rng.random()))
            )
            for w in workers
        ]
        deadline = time.monotonic() + 10.0
        while _answers(answered) == answers_before and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        await asyncio.sleep(delay)
        await asyncio.to_thread(emulator.kill9)
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=30)
        assert not emulator.tracebacks(), "".join(emulator.output)
        # The file parses: never a half-written one.
        data = json.loads(state.read_text(encoding="utf-8"))
        assert isinstance(data, dict) and "namespaces" in data and "containers" in data
    final = spawn(*args)
    await _verify(final.url, answered, ROUNDS)
    final.stop()
    assert answered.containers and answered.logs, "the stream made too few changes to prove much"
    FIGURES.requests += answered.requests
    FIGURES.note(
        "crash_safety",
        f"{ROUNDS} kill -9 (seed {SEED}, after {kill_delays} s): "
        f"{len(answered.namespaces)} namespaces, {len(answered.containers)} containers, "
        f"{sum(len(m) for m in answered.logs.values())} log lines answered, all served",
    )
    leftovers = sorted(p.name for p in tmp_path.glob(".*.tmp"))
    if leftovers:
        FIGURES.note("crash_safety_tmp_files", f"{len(leftovers)} temp files left by kill -9")
