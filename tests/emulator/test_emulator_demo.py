"""The demo seed: deterministic, fast, and covering every status the console shows."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from tui.emulator import create_app
from tui.emulator import seed as demo
from tui.emulator.testing import EmulatorControl, asgi_client

API = "/containers/v1beta1/regions/{region}"


def fixed_clock() -> float:
    return demo.DEMO_EPOCH + 86400.0


def test_seed_is_deterministic() -> None:
    first = create_app(seed="demo", clock=fixed_clock).state.emulator.to_json()
    second = create_app(seed="demo", clock=fixed_clock).state.emulator.to_json()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_seed_takes_under_100_ms() -> None:
    create_app(seed="demo")  # imports warm
    best = min(_timed(lambda: create_app(seed="demo")) for _ in range(5))
    assert best < 0.1, f"demo seed took {best * 1000:.1f} ms"


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


async def get(client: httpx.AsyncClient, path: str, region: str = "fr-par") -> Any:
    response = await client.get(API.format(region=region) + path)
    assert response.status_code == 200, response.text
    return response.json()


async def test_demo_resources(emulator_client: httpx.AsyncClient) -> None:
    c = emulator_client
    par = await get(c, "/namespaces")
    ams = await get(c, "/namespaces", region="nl-ams")
    assert [n["name"] for n in par["namespaces"]] == [
        demo.DEMO_NAMESPACE_NAME,
        demo.DEMO_TOOLS_NAMESPACE_NAME,
    ]
    assert [n["id"] for n in ams["namespaces"]] == [demo.DEMO_AMS_NAMESPACE_ID]
    statuses = {
        demo.DEMO_READY_CONTAINER_ID: "ready",
        demo.DEMO_PRIVATE_CONTAINER_ID: "ready",
        demo.DEMO_ERROR_CONTAINER_ID: "error",
        demo.DEMO_CREATED_CONTAINER_ID: "created",
        demo.DEMO_LOCKED_CONTAINER_ID: "locked",
        demo.DEMO_PENDING_CONTAINER_ID: "pending",
    }
    for cid, status in statuses.items():
        assert (await get(c, f"/containers/{cid}"))["status"] == status
    error = await get(c, f"/containers/{demo.DEMO_ERROR_CONTAINER_ID}")
    assert error["error_message"] == demo.DEMO_ERROR_MESSAGE
    ready = await get(c, f"/containers/{demo.DEMO_READY_CONTAINER_ID}")
    assert ready["name"] == demo.DEMO_READY_CONTAINER_NAME
    private = await get(c, f"/containers/{demo.DEMO_PRIVATE_CONTAINER_ID}")
    assert private["privacy"] == "private"
    crons = await get(c, f"/crons?container_id={demo.DEMO_READY_CONTAINER_ID}")
    assert [x["id"] for x in crons["crons"]] == [demo.DEMO_CRON_ID]
    domains = await get(c, f"/domains?container_id={demo.DEMO_READY_CONTAINER_ID}")
    assert [(d["hostname"], d["status"]) for d in domains["domains"]] == [
        (demo.DEMO_DOMAIN_HOSTNAME, "ready"),
        (demo.DEMO_ERROR_DOMAIN_HOSTNAME, "error"),
    ]
    tokens = await get(c, f"/tokens?namespace_id={demo.DEMO_NAMESPACE_ID}")
    assert [t["id"] for t in tokens["tokens"]] == [demo.DEMO_NAMESPACE_TOKEN_ID]
    logs = await get(c, f"/containers/{demo.DEMO_READY_CONTAINER_ID}/logs?page_size=100")
    assert logs["total_count"] > 50
    levels = {x["level"] for x in logs["logs"]}
    assert {"info", "error", "warning"} <= levels
    ams_ct = await get(c, f"/containers/{demo.DEMO_AMS_CONTAINER_ID}", region="nl-ams")
    assert ams_ct["name"] == demo.DEMO_AMS_CONTAINER_NAME


async def test_pending_container_stays_pending_for_a_minute(
    emulator_client: httpx.AsyncClient, emulator_control: EmulatorControl
) -> None:
    await emulator_control.freeze()
    await emulator_control.advance(58)
    path = f"/containers/{demo.DEMO_PENDING_CONTAINER_ID}"
    assert (await get(emulator_client, path))["status"] == "pending"
    await emulator_control.advance(3)
    assert (await get(emulator_client, path))["status"] == "ready"


async def test_demo_token_opens_the_private_container(emulator_control: EmulatorControl) -> None:
    cid = demo.DEMO_PRIVATE_CONTAINER_ID
    assert (await emulator_control.invoke(cid)).status_code == 403
    assert (await emulator_control.invoke(cid, token=demo.DEMO_TOKEN_SECRET)).status_code == 200
    namespace_token = demo.DEMO_NAMESPACE_TOKEN_SECRET
    assert (await emulator_control.invoke(cid, token=namespace_token)).status_code == 200


async def test_heartbeat_cron_fires_every_minute() -> None:
    app = create_app(seed="demo")
    async with asgi_client(app) as client, EmulatorControl.for_app(app) as control:
        await control.freeze()
        await control.advance(180)
        logs = await get(client, f"/containers/{demo.DEMO_TOOLS_CONTAINER_ID}/logs")
        fired = [x for x in logs["logs"] if demo.DEMO_HEARTBEAT_CRON_NAME in x["message"]]
        assert len(fired) >= 3 * 2 - 1  # each firing logs the trigger and the request
