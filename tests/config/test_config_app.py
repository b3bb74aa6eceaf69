"""AppConfig: loading for the CLI, switching profile/region in place, and a secrets audit."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scwcfg_data import OTHER_PROJECT, OTHER_SECRET, PROJECT, SECRET, WriteConfig

import tui.config as config
from tui.config import AppPaths, ConfigError, Flags, Settings, StateStore, load_app_config

PROFILES = f"""\
secret_key: {SECRET}
default_project_id: {PROJECT}
profiles:
  prod:
    secret_key: {OTHER_SECRET}
    default_region: nl-ams
  staging:
    default_region: pl-waw
    default_project_id: {OTHER_PROJECT}
"""


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "app")


def test_public_names() -> None:
    for name in config.__all__:
        assert hasattr(config, name), name


def test_load_with_a_good_config(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    write_config(PROFILES)
    app_config = load_app_config(Flags(), env=env, paths=paths, read_only=True, debug=True)
    assert app_config.config_error is None
    assert app_config.connection.secret_key_value() == SECRET
    assert app_config.settings == Settings()
    assert app_config.read_only and app_config.debug
    assert SECRET in config.applog.secret_values()  # registered for redaction
    assert SECRET not in repr(app_config)


def test_load_with_a_broken_config_falls_back_to_the_demo(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    path = write_config("secret_key: [\n")
    app_config = load_app_config(Flags(), env=env, paths=paths)
    assert app_config.connection.is_emulator and app_config.connection.demo
    assert app_config.config_error is not None
    assert app_config.config_error.path == path


def test_settings_problems_are_collected(env: dict[str, str], paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text("[poll]\nsettled_s = -1\n")
    env["SCW_API_URL"] = "http://127.0.0.1:9"
    flags = Flags(demo=True, api_url="http://127.0.0.1:9")
    app_config = load_app_config(flags, env=env, paths=paths)
    assert len(app_config.settings_problems) == 1
    assert app_config.problems[-1] == app_config.settings_problems[0]
    assert any("--api-url" in p for p in app_config.problems)


def test_switch_profile_and_region_in_place(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    write_config(PROFILES)
    start = load_app_config(Flags(), env=env, paths=paths)
    assert start.connection.profile == "default"
    assert [p.name for p in start.profiles()] == ["default", "prod", "staging"]

    prod = start.switch(profile="prod")
    assert prod.connection.profile == "prod"
    assert prod.connection.secret_key_value() == OTHER_SECRET
    assert prod.connection.regions == ("nl-ams",)
    assert OTHER_SECRET in config.applog.secret_values()

    everywhere = prod.switch(region="all")
    assert everywhere.connection.all_regions
    assert everywhere.connection.profile == "prod"

    with pytest.raises(ConfigError, match="'nope'"):
        start.switch(profile="nope")
    assert start.connection.profile == "default"  # unchanged


def test_switch_from_the_demo_to_a_profile(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    write_config(PROFILES)
    demo = load_app_config(Flags(demo=True), env=env, paths=paths)
    assert demo.connection.is_emulator
    assert demo.switch(region="pl-waw").connection.is_emulator
    assert demo.switch(region="pl-waw").connection.regions == ("pl-waw",)
    staging = demo.switch(profile="staging")
    assert staging.connection.mode == "remote"
    assert staging.connection.project_id == OTHER_PROJECT


def test_on_demo_clears_the_error(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    write_config("secret_key: [\n")
    broken = load_app_config(Flags(region="nl-ams"), env=env, paths=paths)
    demo = broken.on_demo()
    assert demo.config_error is None
    assert demo.connection.is_emulator and demo.connection.regions == ("nl-ams",)


def test_a_session_writes_the_key_nowhere(
    env: dict[str, str], write_config: WriteConfig, paths: AppPaths
) -> None:
    """The issue's audit, at the configuration level: everything this package writes."""
    token = "tok_5b0d0e1f2a3b4c5d6e7f8091a2b3c4d5"
    secret_env = "s3cr3t-env-value"
    container_id = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    write_config(PROFILES)
    app_config = load_app_config(Flags(), env=env, paths=paths)
    config.setup_logging(paths.log_dir, debug=True)
    config.register_secrets([token, secret_env])

    log = logging.getLogger("tui.session")
    log.info("connected: %r", app_config.connection)
    log.info("config: %r", app_config)
    log.debug("headers %s", {"X-Auth-Token": app_config.connection.secret_key_value()})
    log.info("deployed container %s with token %s", container_id, token)
    try:
        raise PermissionError(f"401 for key {SECRET} env {secret_env}")
    except PermissionError:
        log.exception("request failed for %s", container_id)

    config.save_settings(app_config.settings.with_changes(theme="nord"), paths.settings_file)
    state = StateStore(paths.state_file)
    state.save_draft(
        f"container:edit:{container_id}",
        {"name": "web", "secret_environment_variables": [{"key": "K", "value": secret_env}]},
    )
    state.save_draft("token:create", {"description": f"for {container_id}", "token": token})
    state.remember("connection", {"profile": "default", "key": SECRET})
    prod = app_config.switch(profile="prod")
    log.info("switched: %r", prod.connection)
    for handler in logging.getLogger().handlers:
        handler.flush()

    written = [p for d in paths.all_dirs() for p in d.rglob("*") if p.is_file()]
    assert {p.parent for p in written} == set(paths.all_dirs())
    everything = "".join(p.read_text(encoding="utf-8") for p in written)
    for secret in (SECRET, OTHER_SECRET, token, secret_env):
        assert secret not in everything, secret
    assert container_id in everything
