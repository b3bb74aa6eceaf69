"""The command line (``scw-containers emulator``) and the shared fixtures themselves."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import httpx
import pytest

from tui.emulator import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID
from tui.emulator.seed import DEMO_NAMESPACE_ID, DEMO_READY_CONTAINER_ID
from tui.emulator.server import build_parser, run
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess

API = "/containers/v1beta1/regions/fr-par"
ORG = "33333333-4444-4555-8666-777777777777"
PROJECT = "44444444-5555-4666-8777-888888888888"


def test_cli_prints_the_url_first_then_the_identity() -> None:
    with EmulatorProcess(
        "--seed", "demo", "--organization-id", ORG, "--project-id", PROJECT, "--speed", "5"
    ) as process:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", process.url)
        assert not process.url.endswith(":0")
        assert process.process.stdout is not None
        assert process.process.stdout.readline().strip() == f"organization_id {ORG}"
        assert process.process.stdout.readline().strip() == f"project_id {PROJECT}"
        health = httpx.get(f"{process.url}/_emulator/health").json()
        assert health["seed"] == "demo" and health["speed"] == 5.0
        assert health["organization_id"] == ORG and health["auth"] == "secret_key"
        created = httpx.post(
            f"{process.url}{API}/namespaces",
            json={"name": "mine"},
            headers={"X-Auth-Token": TEST_SECRET_KEY},
        ).json()
        assert created["organization_id"] == ORG and created["project_id"] == PROJECT


def test_cli_defaults_and_errors() -> None:
    args = build_parser().parse_args([])
    assert (args.host, args.port, args.seed, args.speed) == ("127.0.0.1", 4000, "empty", 1.0)
    assert args.state is None and args.secret_key is None and args.quotas is True
    assert build_parser().parse_args(["--no-quotas"]).quotas is False
    for bad in (["--speed", "0"], ["--seed", "full"], ["--secret-key", "nope"]):
        with pytest.raises(SystemExit) as info:
            run(bad)
        assert info.value.code == 2
    result = subprocess.run(
        [sys.executable, "-m", "tui.emulator.server", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--no-quotas" in result.stdout and "--state" in result.stdout


def test_default_identity_constants_are_uuids() -> None:
    import uuid

    assert str(uuid.UUID(DEFAULT_ORGANIZATION_ID)) == DEFAULT_ORGANIZATION_ID
    assert str(uuid.UUID(DEFAULT_PROJECT_ID)) == DEFAULT_PROJECT_ID


async def test_in_process_fixtures(
    emulator_client: httpx.AsyncClient,
    empty_emulator_client: httpx.AsyncClient,
    asgi_client: Any,
    emulator_app: Any,
) -> None:
    demo = (await emulator_client.get(f"{API}/namespaces")).json()
    assert DEMO_NAMESPACE_ID in {n["id"] for n in demo["namespaces"]}
    empty = (await empty_emulator_client.get(f"{API}/namespaces")).json()
    assert empty == {"namespaces": [], "total_count": 0}
    anonymous = asgi_client(emulator_app, secret_key=None)
    assert (await anonymous.get(f"{API}/namespaces")).status_code == 401


def test_emulator_server_fixture(emulator_server: Any) -> None:
    assert emulator_server.url.startswith("http://127.0.0.1:")
    response = httpx.get(
        f"{emulator_server.url}{API}/containers/{DEMO_READY_CONTAINER_ID}",
        headers={"X-Auth-Token": emulator_server.secret_key},
    )
    assert response.status_code == 200 and response.json()["status"] == "ready"
    assert emulator_server.emulator.seed == "demo"


async def test_control_api_answers_loopback_clients_only(emulator_app: Any) -> None:
    transport = httpx.ASGITransport(app=emulator_app, client=("192.0.2.10", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as remote:
        response = await remote.post("/_emulator/reset", json={})
        assert response.status_code == 403
        assert response.json()["type"] == "permissions_denied"
        api = await remote.get(f"{API}/namespaces", headers={"X-Auth-Token": TEST_SECRET_KEY})
        assert api.status_code == 200  # the API itself is for anyone with a key
    assert emulator_app.state.emulator.counts()["namespaces"] == 3
