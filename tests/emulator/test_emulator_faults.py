"""Injected faults: before (nothing changes), after (made but the answer is lost), 429, latency."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tui.emulator.testing import EmulatorControl

API = "/containers/v1beta1/regions/fr-par"


async def names(client: httpx.AsyncClient) -> list[str]:
    response = await client.get(f"{API}/namespaces")
    return [n["name"] for n in response.json()["namespaces"]]


async def test_mode_before_changes_nothing(
    empty_emulator_client: httpx.AsyncClient, empty_emulator_app: Any
) -> None:
    client = empty_emulator_client
    async with EmulatorControl.for_app(empty_emulator_app) as control:
        await control.faults(error_rate=1.0, mode="before", statuses=[503])
        response = await client.post(f"{API}/namespaces", json={"name": "lost"})
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/json"
        assert response.json()["type"] == "service_unavailable"
        assert (await control.health())["counts"]["namespaces"] == 0  # control API: no faults
        await control.clear_faults()
    assert await names(client) == []


async def test_mode_after_makes_the_change_but_answers_an_error(
    empty_emulator_client: httpx.AsyncClient, empty_emulator_app: Any
) -> None:
    client = empty_emulator_client
    async with EmulatorControl.for_app(empty_emulator_app) as control:
        await control.faults(error_rate=1.0, mode="after")
        response = await client.post(f"{API}/namespaces", json={"name": "made"})
        assert response.status_code in (500, 502, 503, 504)
        assert "message" in response.json()
        assert await control.call("GET", "faults") == {
            "error_rate": 1.0,
            "statuses": [500, 502, 503, 504],
            "mode": "after",
            "latency_ms": 0.0,
            "jitter_ms": 0.0,
            "rate_limit_per_s": 0.0,
        }
        await control.faults()
    assert await names(client) == ["made"]


async def test_429_carries_retry_after(
    emulator_app: Any, emulator_control: EmulatorControl, asgi_client: Any
) -> None:
    client = asgi_client(emulator_app)
    await emulator_control.faults(error_rate=1.0, statuses=[429])
    response = await client.get(f"{API}/namespaces")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    body = response.json()
    assert body["type"] == "too_many_requests"
    assert {"help_message", "limit", "reset_seconds"} <= set(body)
    await emulator_control.faults(rate_limit_per_s=5)
    statuses = [(await client.get(f"{API}/namespaces")).status_code for _ in range(12)]
    assert statuses.count(200) >= 5 and 429 in statuses
    limited = await client.get(f"{API}/namespaces")
    if limited.status_code == 429:
        assert int(limited.headers["retry-after"]) >= 1
    await emulator_control.clear_faults()
    assert (await client.get(f"{API}/namespaces")).status_code == 200


async def test_latency_and_jitter(
    emulator_client: httpx.AsyncClient, emulator_control: Any
) -> None:
    await emulator_control.faults(latency_ms=150, jitter_ms=50)
    started = time.perf_counter()
    response = await emulator_client.get(f"{API}/namespaces")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert 0.15 <= elapsed < 1.0
    started = time.perf_counter()
    await emulator_control.health()
    assert time.perf_counter() - started < 0.15  # never applied to /_emulator/


async def test_fault_settings_are_validated(emulator_control: EmulatorControl) -> None:
    for bad in (
        {"error_rate": 2},
        {"statuses": [404]},
        {"mode": "during"},
        {"latency_ms": -1},
    ):
        response = await emulator_control.client.post("/_emulator/faults", json=bad)
        assert response.status_code == 400
        assert response.json()["details"][0]["argument_name"] == next(iter(bad))
