"""``--state FILE``: atomic writes before each answer, survives kill -9, wins over --seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tui.emulator import create_app
from tui.emulator.seed import DEMO_NAMESPACE_ID
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorControl, asgi_client

API = "/containers/v1beta1/regions/fr-par"
HEADERS = {"X-Auth-Token": TEST_SECRET_KEY}


async def test_state_written_before_the_answer_and_wins_over_seed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = create_app(seed="empty", state_file=str(state))
    assert json.loads(state.read_text())["namespaces"] == []
    async with asgi_client(app) as client:
        created = (await client.post(f"{API}/namespaces", json={"name": "kept"})).json()
        # On disk as soon as the answer is out.
        saved = json.loads(state.read_text())
        assert [n["id"] for n in saved["namespaces"]] == [created["id"]]
        assert saved["namespaces"][0]["status"] == "pending"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temp file left

    again = create_app(seed="demo", state_file=str(state), speed=1000)  # the file wins
    async with asgi_client(again) as client:
        listed = (await client.get(f"{API}/namespaces")).json()["namespaces"]
        assert [n["id"] for n in listed] == [created["id"]]
        assert DEMO_NAMESPACE_ID not in {n["id"] for n in listed}
        # Scheduled transitions survive too: the namespace becomes ready.
        async with EmulatorControl.for_app(again) as control:
            await control.advance(3)
        got = (await client.get(f"{API}/namespaces/{created['id']}")).json()
        assert got["status"] == "ready"


def test_a_new_state_file_takes_the_seed(tmp_path: Path) -> None:
    state = tmp_path / "fresh.json"
    create_app(seed="demo", state_file=str(state))
    assert DEMO_NAMESPACE_ID in {n["id"] for n in json.loads(state.read_text())["namespaces"]}


def test_temp_files_left_by_a_kill_during_a_save_are_removed_at_start(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    create_app(seed="demo", state_file=str(state))
    # What a kill -9 between writing the temp file and renaming it leaves behind.
    (tmp_path / ".state.json.4242.tmp").write_text('{"half": ')
    (tmp_path / ".state.json.4343.tmp").write_text("")
    create_app(state_file=str(state))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_broken_state_file_is_an_error(tmp_path: Path) -> None:
    state = tmp_path / "broken.json"
    state.write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        create_app(state_file=str(state))


def test_kill_9_right_after_a_create_loses_nothing(
    tmp_path: Path, emulator_server_factory: Any
) -> None:
    state = tmp_path / "state.json"
    first = emulator_server_factory(state_file=str(state), subprocess=True)
    response = httpx.post(f"{first.url}{API}/namespaces", json={"name": "durable"}, headers=HEADERS)
    assert response.status_code == 200
    namespace_id = response.json()["id"]
    first.kill()

    second = emulator_server_factory(state_file=str(state), subprocess=True, seed="demo")
    got = httpx.get(f"{second.url}{API}/namespaces/{namespace_id}", headers=HEADERS)
    assert got.status_code == 200
    assert got.json()["name"] == "durable"
    listed = httpx.get(f"{second.url}{API}/namespaces", headers=HEADERS).json()
    assert listed["total_count"] == 1
