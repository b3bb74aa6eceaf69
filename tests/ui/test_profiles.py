"""Issue 7 in the real app: switching scw profiles in place, and a broken config file.

Two emulators served on loopback, each with its own secret key, stand for two accounts; a
temporary scw config.yaml (found through SCW_CONFIG_PATH in a patched environment, with HOME
and XDG dirs pointed at temporary folders) holds one profile per emulator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.api import ContainersClient
from tui.app import LiveEvents, create_app
from tui.config import AppPaths, Flags, applog, load_app_config
from tui.emulator.seed import DEMO_NAMESPACE_NAME, DEMO_READY_CONTAINER_NAME
from tui.live.events import NamespacesLoaded
from tui.screens.config_error import ConfigErrorScreen
from tui.screens.main import MainScreen

from .helpers import FAST, loaded, screen_lines, screen_text, wait_until

KEY_A = "11111111-aaaa-4aaa-8aaa-111111111111"
KEY_B = "22222222-bbbb-4bbb-8bbb-222222222222"
PROJECT_B = "33333333-cccc-4ccc-8ccc-333333333333"


@pytest.fixture
def scw_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A patched environment: temporary HOME and XDG dirs, no SCW_* but SCW_CONFIG_PATH."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    for name in list(os.environ):
        if name.startswith("SCW_"):
            monkeypatch.delenv(name)
    config_path = tmp_path / "scw" / "config.yaml"
    config_path.parent.mkdir()
    monkeypatch.setenv("SCW_CONFIG_PATH", str(config_path))
    yield dict(os.environ)
    applog.forget_secrets()


def write_scw_config(env: dict[str, str], text: str) -> Path:
    path = Path(env["SCW_CONFIG_PATH"])
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def app_for(env: dict[str, str], tmp_path: Path, flags: Flags | None = None) -> Any:
    config = load_app_config(
        flags or Flags(), env=env, home=Path(env["HOME"]), paths=AppPaths.under(tmp_path / "app")
    )
    return create_app(config, settings=FAST)


async def test_switching_profile_reconnects_and_reloads_the_tree(
    scw_env: dict[str, str], tmp_path: Path, emulator_server_factory: Callable[..., Any]
) -> None:
    server_a = emulator_server_factory(seed="demo", secret_key=KEY_A)
    server_b = emulator_server_factory(seed="empty", secret_key=KEY_B, project_id=PROJECT_B)
    async with ContainersClient(api_url=server_b.url, secret_key=KEY_B, region="nl-ams") as b:
        await b.create_namespace(name="bravo-only")
        created = await b.create_namespace(name="bravo-second")
        await b.create_container(
            namespace_id=created.id, name="bravo-box", registry_image="nginx:latest"
        )
    write_scw_config(
        scw_env,
        f"secret_key: {KEY_A}\n"
        f"api_url: {server_a.url}\n"
        "profiles:\n"
        "  bravo:\n"
        f"    secret_key: {KEY_B}\n"
        f"    api_url: {server_b.url}\n"
        "    default_region: nl-ams\n",
    )
    app = app_for(scw_env, tmp_path)
    host_a = server_a.url.split("//", 1)[1]
    host_b = server_b.url.split("//", 1)[1]
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        header = screen_lines(app)[0]
        assert "profile default" in header and host_a in header and "DEMO" not in header
        assert DEMO_NAMESPACE_NAME in screen_text(app)

        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Switch profile: bravo")
        await pilot.pause(0.4)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(pilot, lambda: app.connection.profile == "bravo")
        await loaded(pilot)
        await wait_until(pilot, lambda: "bravo-box" in screen_text(app), timeout=5)
        text = screen_text(app)
        assert "bravo-only" in text and "bravo-second" in text
        assert DEMO_NAMESPACE_NAME not in text and DEMO_READY_CONTAINER_NAME not in text
        header = screen_lines(app)[0]
        assert "profile bravo" in header and host_b in header and "nl-ams" in header
        assert "fr-par" not in header
        assert app.connection_state.state == "connected"
        assert app.client.api_url.rstrip("/") == server_b.url.rstrip("/")
        # A batch the previous watcher posted just before the switch changes nothing.
        async with ContainersClient(api_url=server_a.url, secret_key=KEY_A, region="nl-ams") as a:
            old_namespaces = tuple(await a.list_namespaces_all())
        stale = NamespacesLoaded("nl-ams", old_namespaces, {}, datetime.now(UTC))
        app.post_message(LiveEvents([stale], generation=0))
        await pilot.pause(0.2)
        assert old_namespaces and old_namespaces[0].name not in screen_text(app)
        assert "bravo-only" in screen_text(app)
        # At 80 columns the header still says which profile and host this is.
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.2)
        header = screen_lines(app)[0]
        assert "profile bravo" in header and host_b in header and "connected" in header


async def test_a_broken_yaml_file_shows_an_error_screen_and_d_goes_on_the_demo(
    scw_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_scw_config(scw_env, f"secret_key: {KEY_A}\nprofiles: [\n  bad: {{\n")
    app = app_for(scw_env, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConfigErrorScreen))
        text = screen_text(app)
        assert "cannot be used" in text and str(path) in text and "invalid YAML" in text
        assert "Traceback" not in text and KEY_A not in text
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await loaded(pilot)
        await wait_until(pilot, lambda: DEMO_READY_CONTAINER_NAME in screen_text(app))
        assert "DEMO" in screen_lines(app)[0]
        assert app.is_running
