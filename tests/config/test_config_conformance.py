"""Our resolution agrees with Scaleway's own SDK, and a resolved connection reaches a server.

The official Python SDK (scaleway==1.8.0) loads a profile from the same file and variables; for
every case it supports (it does not read `active_profile`, which the scw CLI does), the values
in effect must be the same as ours.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from scaleway_core.profile import Profile
from scwcfg_data import ACCESS, ORG, OTHER_PROJECT, OTHER_SECRET, PROJECT, SECRET, WriteConfig

from tui.config.credentials import Flags, resolve

FILE = f"""\
access_key: {ACCESS}
secret_key: {SECRET}
default_organization_id: {ORG}
default_project_id: {PROJECT}
default_region: fr-par
default_zone: fr-par-1
profiles:
  prod:
    secret_key: {OTHER_SECRET}
    default_region: nl-ams
    default_zone: nl-ams-1
  local:
    api_url: http://127.0.0.1:4000
    default_project_id: {OTHER_PROJECT}
"""

CASES: list[tuple[str, dict[str, str], str]] = [
    ("top level", {}, "home"),
    ("profile from SCW_PROFILE", {"SCW_PROFILE": "prod"}, "home"),
    ("api_url in a profile", {"SCW_PROFILE": "local"}, "home"),
    (
        "environment over profile",
        {"SCW_PROFILE": "prod", "SCW_DEFAULT_REGION": "pl-waw", "SCW_ACCESS_KEY": ACCESS},
        "home",
    ),
    ("environment over file", {"SCW_SECRET_KEY": OTHER_SECRET}, "home"),
    ("XDG_CONFIG_HOME", {}, "xdg"),
    ("SCW_CONFIG_PATH", {"SCW_PROFILE": "prod"}, "custom"),
    ("environment only", {"SCW_SECRET_KEY": SECRET, "SCW_DEFAULT_ZONE": "pl-waw-2"}, "none"),
]


def ours(env: dict[str, str]) -> dict[str, Any]:
    conn = resolve(None, env)
    return {
        "access_key": conn.access_key,
        "secret_key": conn.secret_key_value(),
        "api_url": conn.api_url,
        "default_organization_id": conn.organization_id,
        "default_project_id": conn.project_id,
        "default_region": conn.regions[0] if len(conn.regions) == 1 else None,
        "default_zone": conn.zone,
    }


def theirs(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    profile = Profile.from_config_file_and_env(profile_name=env.get("SCW_PROFILE", "default"))
    return {key: getattr(profile, key) for key in ours(env)}


@pytest.mark.parametrize(("case", "variables", "where"), CASES, ids=[c[0] for c in CASES])
def test_same_values_as_the_official_sdk(
    case: str,
    variables: dict[str, str],
    where: str,
    env: dict[str, str],
    home: Path,
    tmp_path: Path,
    write_config: WriteConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env.update(variables)
    if where == "home":
        write_config(FILE)
    elif where == "xdg":
        write_config(FILE, tmp_path / "xdg" / "scw" / "config.yaml")
        env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    elif where == "custom":
        write_config(FILE, tmp_path / "custom.yaml")
        env["SCW_CONFIG_PATH"] = str(tmp_path / "custom.yaml")
    assert ours(env) == theirs(env, monkeypatch)


async def test_api_url_from_the_environment_reaches_the_emulator(
    env: dict[str, str], emulator_server: Any
) -> None:
    """SCW_API_URL=http://127.0.0.1:PORT as the SDK targets a local server; key or no key."""
    env["SCW_API_URL"] = emulator_server.url.rstrip("/")
    keyless = resolve(Flags(region="fr-par"), env)
    assert keyless.mode == "remote" and keyless.secret_key is None
    env["SCW_SECRET_KEY"] = emulator_server.secret_key
    keyed = resolve(Flags(region="fr-par"), env)
    assert keyed.api_url is not None
    path = f"/containers/v1beta1/regions/{keyed.region}/namespaces"
    async with httpx.AsyncClient(base_url=keyed.api_url) as http:
        denied = await http.get(path)
        assert denied.status_code == 401  # what the app shows with how to set a key
        token = keyed.secret_key_value()
        assert token is not None
        listed = await http.get(path, headers={"X-Auth-Token": token})
        assert listed.status_code == 200
        assert listed.json()["total_count"] >= 1
