"""Remembered state: drafts, selection, panes; secrets stripped; atomic and private."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from scwcfg_data import PROJECT, SECRET

from tui.config import applog
from tui.config.paths import AppPaths
from tui.config.state import MAX_DRAFTS, StateStore, strip_secrets


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    return AppPaths.under(tmp_path / "app").state_file


def test_drafts_survive_a_restart(state_file: Path) -> None:
    store = StateStore(state_file)
    assert store.load_drafts() == {}
    removed = store.save_draft(
        "container:create:ns-1",
        {"name": "web", "memory_limit": 512, "environment_variables": {"MODE": "prod"}},
    )
    assert removed == []
    store.save_draft("namespace:create:fr-par", {"name": "apps"})

    again = StateStore(state_file)
    assert again.load_drafts() == {
        "container:create:ns-1": {
            "name": "web",
            "memory_limit": 512,
            "environment_variables": {"MODE": "prod"},
        },
        "namespace:create:fr-par": {"name": "apps"},
    }
    again.clear_draft("container:create:ns-1")
    assert list(StateStore(state_file).load_drafts()) == ["namespace:create:fr-par"]
    assert StateStore(state_file).load_draft("namespace:create:fr-par") == {"name": "apps"}
    again.clear_draft("never-saved")  # no error


def test_secret_keys_are_stripped_from_drafts(state_file: Path) -> None:
    store = StateStore(state_file)
    removed = store.save_draft(
        "container:edit:c-1",
        {
            "name": "web",
            "secret_environment_variables": [{"key": "DB", "value": "hunter2-long"}],
            "environment_variables": {"DB_PASSWORD": "pw-12345", "LEVEL": "debug"},
            "nested": {"api_key": "k-12345", "auth_token": "t-12345", "ok": [1, 2]},
            "typed": SecretStr("sealed-value"),
        },
    )
    assert sorted(removed) == [
        "environment_variables.DB_PASSWORD",
        "nested.api_key",
        "nested.auth_token",
        "secret_environment_variables",
        "typed",
    ]
    text = state_file.read_text()
    for secret in ("hunter2-long", "pw-12345", "k-12345", "t-12345", "sealed-value"):
        assert secret not in text
    assert store.load_draft("container:edit:c-1") == {
        "name": "web",
        "environment_variables": {"LEVEL": "debug"},
        "nested": {"ok": [1, 2]},
    }


def test_registered_secret_values_are_stripped_wherever_they_hide(state_file: Path) -> None:
    applog.register_secret(SECRET)
    store = StateStore(state_file)
    removed = store.save_draft(
        "token:create:c-1",
        {"description": f"key {SECRET} pasted by mistake", "list": ["a", SECRET], "n": 1},
    )
    assert sorted(removed) == ["description", "list[1]"]
    assert SECRET not in state_file.read_text()
    assert store.load_draft("token:create:c-1") == {"list": ["a"], "n": 1}


def test_strip_secrets_keeps_ids_and_converts_plain_objects() -> None:
    when = datetime(2030, 1, 1, tzinfo=UTC)
    cleaned, removed = strip_secrets(
        {"project_id": PROJECT, "at": when, "path": Path("/x"), "t": (1, None, True)}
    )
    assert removed == []
    assert cleaned == {
        "project_id": PROJECT,
        "at": "2030-01-01 00:00:00+00:00",
        "path": "/x",
        "t": [1, None, True],
    }


def test_selection_panes_and_values(state_file: Path) -> None:
    store = StateStore(state_file)
    selection = {"kind": "container", "region": "fr-par", "container_id": PROJECT}
    store.set_last_selection(selection)
    store.set_open_panes(["details", "timeline"])
    store.remember("last_profile", "prod")
    again = StateStore(state_file)
    assert again.last_selection() == selection
    assert again.open_panes() == ["details", "timeline"]
    assert again.recall("last_profile") == "prod"
    assert again.recall("missing", 3) == 3
    again.set_last_selection(None)
    assert StateStore(state_file).last_selection() is None
    assert again.remember("login", {"password": "pw-12345"}) == ["login.password"]
    assert "pw-12345" not in state_file.read_text()


def test_state_file_is_private_json(state_file: Path) -> None:
    StateStore(state_file).save_draft("f", {"a": 1})
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    assert json.loads(state_file.read_text())["version"] == 1
    assert [p.name for p in state_file.parent.iterdir()] == ["state.json"]  # no temp left


def test_corrupt_state_is_moved_aside(state_file: Path) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_text('{"version": 1, "drafts": {')
    store = StateStore(state_file)
    assert store.load_drafts() == {}
    assert store.problems and "not valid JSON" in store.problems[0]
    assert state_file.with_name("state.json.corrupt").exists()
    store.save_draft("f", {"a": 1})
    assert StateStore(state_file).load_drafts() == {"f": {"a": 1}}


def test_unknown_format_starts_afresh(state_file: Path) -> None:
    state_file.parent.mkdir(parents=True)
    state_file.write_text('["not", "a", "state"]')
    store = StateStore(state_file)
    assert store.load_drafts() == {} and store.problems


def test_old_drafts_are_dropped_beyond_the_limit(state_file: Path) -> None:
    store = StateStore(state_file)
    for number in range(MAX_DRAFTS + 5):
        store.save_draft(f"form-{number:03d}", {"n": number})
    drafts = StateStore(state_file).load_drafts()
    assert len(drafts) == MAX_DRAFTS
    assert "form-000" not in drafts and f"form-{MAX_DRAFTS + 4:03d}" in drafts
