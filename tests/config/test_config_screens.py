"""The setup screen and the configuration error screen, driven by keyboard in a tiny app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from scwcfg_data import ACCESS, OTHER_SECRET, SECRET, WriteConfig
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from tui.config.credentials import (
    SAMPLE_CONFIG_YAML,
    ConfigError,
    Flags,
    emulator_connection,
    resolve,
)
from tui.screens.config_error import ConfigErrorScreen
from tui.screens.setup import SetupScreen

PROFILES = f"""\
access_key: {ACCESS}
secret_key: {SECRET}
default_region: fr-par
active_profile: prod
profiles:
  prod:
    secret_key: {OTHER_SECRET}
    default_region: nl-ams
"""


class Harness(App[None]):
    """Pushes one screen on mount and records what it was dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.screen_under_test = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, callback=self.results.append)


def shown_text(screen: Screen[Any]) -> str:
    """The text of every Static on the screen, rendered as the terminal would lay it out."""
    console = Console(width=140, record=True, color_system=None, legacy_windows=False)
    for widget in screen.query(Static):
        console.print(widget.content)
    return console.export_text()


def fixed_error() -> ConfigError:
    """A broken-YAML error with fixed paths, for snapshots."""
    return ConfigError(
        "invalid YAML: mapping values are not allowed here",
        path=Path("/home/ada/.config/scw/config.yaml"),
        line=4,
        column=17,
        hint="Fix the file (YAML: 'key: value', two-space indents under 'profiles:'), "
        "or move it away to start without it.",
        excerpt=(
            (2, "secret_key: ********"),
            (3, "profiles:"),
            (4, "  prod: region: nl-ams"),
            (5, "    default_project_id: x"),
        ),
    )


# -- setup screen ----------------------------------------------------------------------------


async def test_setup_shows_this_machines_paths_and_masks_the_secret(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    path = write_config(PROFILES)
    connection = resolve(None, env)
    app = Harness(SetupScreen(connection, env=env))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        text = shown_text(screen)
        assert str(path) in text and "found" in text
        assert "~/.config/scw/config.yaml" in text
        assert "$XDG_CONFIG_HOME/scw/config.yaml   not set" in text
        assert "********…" + OTHER_SECRET[-4:] in text
        assert "profile 'prod'" in text  # where the key came from
        assert "● prod" in text  # the active profile in the list
        assert "SCW_SECRET_KEY" in text and "--profile" in text
        assert "active_profile" in text
        for secret in (SECRET, OTHER_SECRET):
            assert secret not in text
            assert secret not in app.export_screenshot()


async def test_setup_lists_set_variables_without_the_secret(env: dict[str, str]) -> None:
    env.update(SCW_SECRET_KEY=SECRET, SCW_DEFAULT_REGION="pl-waw", XDG_CONFIG_HOME="/x/conf")
    app = Harness(SetupScreen(resolve(None, env), env=env))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        text = shown_text(app.screen)
        assert "set (hidden)" in text
        assert "= pl-waw" in text
        assert "/x/conf/scw/config.yaml" in text
        assert "No config file here" in text
        assert SECRET not in text


async def test_setup_is_keyboard_driven(env: dict[str, str]) -> None:
    app = Harness(SetupScreen(emulator_connection(), env=env))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        body = app.screen.query_one("#setup-body")
        assert app.focused is body
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("c")
        assert app.clipboard == SAMPLE_CONFIG_YAML
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SetupScreen)
        assert app.results == [None]


async def test_setup_q_goes_back(env: dict[str, str]) -> None:
    app = Harness(SetupScreen(None, env=env))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "No connection resolved yet." in shown_text(app.screen)
        await pilot.press("q")
        await pilot.pause()
        assert app.results == [None]


async def test_setup_with_an_unreadable_config_file(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config("profiles: [\n")
    app = Harness(SetupScreen(emulator_connection(), env=env))
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        assert "The config file cannot be read" in shown_text(app.screen)


# -- config error screen ---------------------------------------------------------------------


@pytest.mark.parametrize(("key", "choice"), [("q", "quit"), ("d", "demo"), ("r", "retry")])
async def test_config_error_keys(
    env: dict[str, str], write_config: WriteConfig, key: str, choice: str
) -> None:
    path = write_config(f"secret_key: {SECRET}\nprofiles:\n  prod: x: y\n")
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    app = Harness(ConfigErrorScreen(caught.value, env=env))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = shown_text(app.screen)
        assert str(path) in text
        assert f"line    {caught.value.line}" in text
        assert "invalid YAML" in text
        assert "press r to read it again" in text
        assert SECRET not in text and SECRET not in app.export_screenshot()
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [choice]


async def test_config_error_opens_the_setup_screen_and_comes_back(env: dict[str, str]) -> None:
    app = Harness(ConfigErrorScreen(fixed_error(), env=env))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfigErrorScreen)
        assert app.results == []


async def test_config_error_for_a_flag_and_a_variable(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(Flags(region="mars"), env)
    app = Harness(ConfigErrorScreen(caught.value, env=env))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = shown_text(app.screen)
        assert "flag" in text and "--region" in text
        assert "Start again with a correct --region" in text

    env["SCW_DEFAULT_PROJECT_ID"] = "nope"
    env["SCW_SECRET_KEY"] = SECRET
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    app = Harness(ConfigErrorScreen(caught.value, env=env))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "unset SCW_DEFAULT_PROJECT_ID" in shown_text(app.screen)


async def test_hostile_text_is_shown_literally(env: dict[str, str]) -> None:
    error = ConfigError(
        "bad [bold red]x[/] value\x07",
        path=Path("/tmp/evil\x1b[2J[link=x]dir/config.yaml"),
        line=1,
        excerpt=((1, "name: \x1b[31m[bold]boom[/bold]\u202e"),),
        hint="[i]hint[/i]",
    )
    app = Harness(ConfigErrorScreen(error, env=env))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = shown_text(app.screen)
        assert "/tmp/evil^[[2J[link=x]dir/config.yaml" in text
        assert "bad [bold red]x[/] value^G" in text
        assert "name: ^[[31m[bold]boom[/bold]<U+202E>" in text
        assert "[i]hint[/i]" in text
        assert "\x1b" not in text and "\x07" not in text


# -- snapshots -------------------------------------------------------------------------------

SNAPSHOT_ENV = {"HOME": "/nonexistent/home/ada"}


def test_snapshot_setup_screen_demo(snap_compare: Any) -> None:
    app = Harness(SetupScreen(emulator_connection(), env=SNAPSHOT_ENV))
    assert snap_compare(app, terminal_size=(100, 40))


def test_snapshot_setup_screen_remote(snap_compare: Any) -> None:
    env = {**SNAPSHOT_ENV, "SCW_SECRET_KEY": SECRET, "SCW_DEFAULT_REGION": "nl-ams"}
    app = Harness(SetupScreen(resolve(None, env), env=env))
    assert snap_compare(app, terminal_size=(80, 24))


def test_snapshot_config_error_screen(snap_compare: Any) -> None:
    app = Harness(ConfigErrorScreen(fixed_error(), env=SNAPSHOT_ENV))
    assert snap_compare(app, terminal_size=(80, 24))
