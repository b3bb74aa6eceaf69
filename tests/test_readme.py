"""The README tells the truth: its commands run, its key tables are the app's bindings, and
what it says about flags, environment variables, settings and screenshots matches the code.

`.ci/run` runs the README's test command verbatim in a fresh virtual environment; here the
run command runs in a real terminal (tmux) with the project already installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_journey_tmux import Tmux, clean_env, run_and_record_exit, wait_for_exit
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen

from tui.app import ScwContainersApp, create_app, demo_config
from tui.cli import build_parser
from tui.config import AppPaths, Settings
from tui.config.credentials import ENV_CONFIG_PATH, ENV_PROFILE, ENV_VARS
from tui.config.settings import parse_settings, setting_names
from tui.emulator.server import build_parser as build_emulator_parser
from tui.screens.help import entries_for

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def readme_block(marker: str) -> str | None:
    """The fenced block right after the line `<!-- marker -->` (as `.ci/run` reads it)."""
    lines = readme().splitlines()
    try:
        start = lines.index(f"<!-- {marker} -->")
    except ValueError:
        return None
    body: list[str] = []
    inside = False
    for line in lines[start + 1 :]:
        if line.startswith("```"):
            if inside:
                return "\n".join(body)
            inside = True
            continue
        if inside:
            body.append(line)
    return None


# ------------------------------------------------------------------------------ the commands


def test_the_two_commands_are_there() -> None:
    run = readme_block("run-command")
    test = readme_block("test-command")
    assert run is not None, "README.md lost its <!-- run-command --> block"
    assert test is not None, "README.md lost its <!-- test-command --> block"
    # .ci/run installs with the part before `&& .venv/bin/pytest`, then runs the whole line.
    assert test.startswith("python3 -m venv .venv && ")
    assert "&& .venv/bin/pytest" in test
    assert run.startswith("python3 -m venv .venv && ")
    assert run.split("&&")[-1].strip().startswith(".venv/bin/scw-containers")


def installed_run_command(run: str) -> str:
    """The README's run command with its venv and install steps replaced by this interpreter's
    installed project (the test does not build a virtual environment)."""
    steps = [step.strip() for step in run.split("&&")]
    assert steps[0] == "python3 -m venv .venv", steps
    assert steps[1].startswith(".venv/bin/pip install "), steps
    program, *args = shlex.split(steps[-1])
    assert program == ".venv/bin/scw-containers", steps
    script = Path(sys.executable).parent / "scw-containers"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui"]
    return shlex.join([*command, *args])


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_run_command_shows_the_tree_in_a_terminal(tmp_path: Path) -> None:
    run = readme_block("run-command")
    assert run is not None
    home = tmp_path / "home"
    home.mkdir()
    terminal = Tmux(clean_env(home))
    exit_file = tmp_path / "exit-status"
    try:
        terminal.start(run_and_record_exit(installed_run_command(run), exit_file))
        # No Scaleway credentials: the demo, as the README says.
        shown = terminal.wait_for("DEMO", "● connected", "shop", "worker", timeout=30)
        for word in ("fr-par", "nl-ams", "pl-waw", "internal-tools", "analytics", "web"):
            assert word in shown, word
        terminal.keys("q")
        assert wait_for_exit(terminal, exit_file) == 0
    finally:
        terminal.kill()


# ------------------------------------------------------------------------------ the keys


def readme_table(name: str) -> list[tuple[list[str], list[str]]]:
    """(keys, ids) per row of the table after `<!-- keys:name -->`: the backticked words of
    its first and second cells."""
    lines = readme().splitlines()
    start = lines.index(f"<!-- keys:{name} -->")
    rows: list[tuple[list[str], list[str]]] = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            if rows or line.strip():
                break
            continue
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if set(cells[0]) <= {"-", "|"} or cells[0] == "Key":
            continue
        rows.append((re.findall(r"`([^`]+)`", cells[0]), re.findall(r"`([^`]+)`", cells[1])))
    assert rows, f"no rows in the keys:{name} table"
    return rows


def readme_keys(*tables: str) -> set[str]:
    return {key for table in tables for keys, _ in readme_table(table) for key in keys}


def readme_ids(*tables: str) -> set[str]:
    return {id_ for table in tables for _, ids in readme_table(table) for id_ in ids}


def help_keys(screen: Screen[Any], app: ScwContainersApp, group: str | None = None) -> set[str]:
    """Every key the help screen lists for `screen` (optionally one group of it)."""
    return {
        key.strip()
        for entry in entries_for(screen, app)
        if group is None or entry.group == group
        for key in entry.key.split(" / ")
    }


def help_ids(screen: Screen[Any], group_node: object | None = None) -> set[str]:
    """The binding ids (remappable names) of the bindings the help screen lists."""
    ids: set[str] = set()
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if binding.system and not binding.description:
            continue
        if group_node is not None and active.node is not group_node:
            continue
        if binding.id:
            ids.add(binding.id)
    return ids


async def wait_until(pilot: Pilot[Any], predicate: Any, what: str, timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.02)):
        if predicate():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[ScwContainersApp]:
    yield create_app(demo_config(settings=Settings(), paths=AppPaths.under(tmp_path)))


def differences(shown: set[str], documented: set[str]) -> str:
    return (
        f"in the help but not in the README: {sorted(shown - documented)}; "
        f"in the README but not in the help: {sorted(documented - shown)}"
    )


async def test_the_keys_tables_are_the_help_screens(demo_app: ScwContainersApp) -> None:
    app = demo_app
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main_screen
        await wait_until(pilot, lambda: main.is_mounted and main.resource_tree.is_loaded(), "tree")
        main.jump_to("20000000-0000-4000-8000-000000000001")  # the demo's container `web`
        await wait_until(pilot, lambda: main.details.current_kind == "container", "web")

        shown = help_keys(main, app)
        documented = readme_keys("everywhere", "main", "tree")
        assert shown == documented, "main screen: " + differences(shown, documented)
        shown_ids = help_ids(main)
        documented_ids = readme_ids("everywhere", "main", "tree")
        assert shown_ids == documented_ids, "main screen ids: " + differences(
            shown_ids, documented_ids
        )

        await pilot.press("l")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "LogScreen", "log screen")
        logs = app.screen
        shown = help_keys(logs, app)
        documented = readme_keys("everywhere", "logs")
        assert shown == documented, "log screen: " + differences(shown, documented)
        shown_ids = help_ids(logs)
        documented_ids = readme_ids("everywhere", "logs")
        assert shown_ids == documented_ids, "log screen ids: " + differences(
            shown_ids, documented_ids
        )

        await pilot.press("slash")
        bar = logs.query_one("#log-filter-bar")
        await wait_until(pilot, lambda: bar.display and app.focused is not None, "filter bar")
        shown = help_keys(logs, app, group=type(bar).__name__)
        documented = readme_keys("logfilter")
        assert shown == documented, "log filter: " + differences(shown, documented)
        shown_ids = help_ids(logs, bar)
        assert shown_ids == readme_ids("logfilter"), differences(shown_ids, readme_ids("logfilter"))


# ------------------------------------------------------------------------------ the rest


def test_every_screenshot_is_shown_and_every_link_works() -> None:
    text = readme()
    linked = set(re.findall(r"\]\((screenshots/[^)]+\.svg)\)", text))
    files = {f"screenshots/{p.name}" for p in (ROOT / "screenshots").glob("*.svg")}
    assert files, "screenshots/ is empty: run `python scripts/screenshots.py`"
    assert linked == files, differences(files, linked)


def test_every_flag_and_environment_variable_is_documented() -> None:
    text = readme()
    flags = {
        option
        for parser in (build_parser(), build_emulator_parser())
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    missing = sorted(flag for flag in flags if f"`{flag}" not in text)
    assert not missing, f"flags missing from the README: {missing}"
    variables = {*ENV_VARS.values(), ENV_PROFILE, ENV_CONFIG_PATH}
    assert not sorted(v for v in variables if f"`{v}`" not in text)


def test_the_settings_example_holds_every_setting_with_its_default(tmp_path: Path) -> None:
    example = next(
        block
        for block in re.findall(r"```toml\n(.*?)```", readme(), flags=re.DOTALL)
        if "[poll]" in block
    )
    data = tomllib.loads(example)
    documented: set[str] = set()
    for section, value in data.items():
        if isinstance(value, dict):
            documented |= {f"{section}.{key}" for key in value}
        else:
            documented.add(section)
    names = set(setting_names()) - {"keys.<binding id>"}
    flat = {name for name in documented if not name.startswith("keys.")}
    assert flat == names, differences(names, flat)
    settings, problems = parse_settings(data, path=tmp_path / "settings.toml")
    assert not problems
    defaults = Settings()
    for field in Settings.__dataclass_fields__:
        if field != "keys":
            assert getattr(settings, field) == getattr(defaults, field), field
    assert dict(settings.keys), "the example shows how to remap a key"
