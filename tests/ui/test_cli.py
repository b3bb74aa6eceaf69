"""The command line of DESIGN.md, and what the header shows for each way of connecting."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui import __version__
from tui.app import create_app
from tui.cli import build_parser, main
from tui.config import AppPaths, Flags, load_app_config
from tui.screens.connect_error import ConnectErrorScreen

from .helpers import screen_lines, screen_text, wait_until


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for option in (
        "--demo",
        "--api-url",
        "--profile",
        "--region",
        "--project-id",
        "--read-only",
        "--debug",
        "--version",
        "emulator",
    ):
        assert option in text, option


def test_region_choices_and_bad_values_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["--region", "all", "--read-only", "--demo"])
    assert args.region == "all" and args.read_only and args.demo
    for bad in (["--region", "eu-west"], ["--project-id", "nope"]):
        with pytest.raises(SystemExit) as exit_info:
            main(bad)
        assert exit_info.value.code == 2


def test_emulator_subcommand_is_routed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0
    assert "--no-quotas" in result.stdout and "--seed" in result.stdout


def _config(tmp_path: Path, **flags: Any) -> Any:
    return load_app_config(
        Flags(**flags), env={}, home=tmp_path, paths=AppPaths.under(tmp_path / "app")
    )


async def test_no_secret_key_means_demo_and_the_header_says_so(tmp_path: Path) -> None:
    config = _config(tmp_path)
    assert config.connection.is_emulator
    app = create_app(config)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(pilot, lambda: "web" in screen_text(app))
        assert "DEMO" in screen_lines(app)[0]


async def test_api_url_shows_its_host_and_an_unreachable_api_gets_a_screen(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path, api_url="http://127.0.0.1:9")
    assert not config.connection.is_emulator
    app = create_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectErrorScreen), timeout=8)
        await wait_until(pilot, lambda: "Cannot reach" in screen_text(app))
        text = screen_text(app)
        assert "Cannot reach" in text and "127.0.0.1:9" in text and "Retrying in" in text
        assert "Traceback" not in text
        assert app.is_running
        await pilot.press("escape")  # no way out by accident; q quits, d opens the demo
        await pilot.press("d")
        await wait_until(pilot, lambda: "web" in screen_text(app), timeout=8)
        assert "DEMO" in screen_lines(app)[0]


async def test_api_url_without_key_shows_the_servers_401(
    tmp_path: Path, emulator_server: Any
) -> None:
    config = _config(tmp_path, api_url=emulator_server.url)
    app = create_app(config)
    host = emulator_server.url.split("://", 1)[1]
    async with app.run_test(size=(100, 30)) as pilot:
        # Not `"401" in the screen`: the emulator's random port can hold those digits.
        await wait_until(pilot, lambda: isinstance(app.screen, ConnectErrorScreen), timeout=8)
        await wait_until(pilot, lambda: "SCW_SECRET_KEY" in screen_text(app), timeout=8)
        body = "\n".join(screen_lines(app)[1:])
        assert "401" in body.replace(host, "")
        assert host in screen_lines(app)[0] or host in screen_text(app)


async def test_the_command_line_pauses_the_collector_until_the_tree_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.cli import build_console
    from tui.config import shutdown_logging

    for name in [n for n in os.environ if n.startswith("SCW_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    try:
        app = build_console(build_parser().parse_args(["--demo"]))
        assert not gc.isenabled()  # paused for the start-up...
        async with app.run_test(size=(100, 24)) as pilot:
            await wait_until(pilot, lambda: "web" in screen_text(app))
            # ...and back once the tree is shown, with the start-up objects frozen.
            await wait_until(pilot, gc.isenabled, timeout=3)
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
        shutdown_logging()


async def test_a_client_that_cannot_be_built_is_reported_not_left_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.app

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("no transport for you")

    monkeypatch.setattr(tui.app, "_make_client", broken)
    app = create_app(_config(tmp_path))
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_until(
            pilot, lambda: any("no transport for you" in r.message for r in app.notification_log)
        )
        await pilot.pause(0.4)  # the second attempt (timer) does not report it again
        reports = [r for r in app.notification_log if "API client" in r.message]
        assert len(reports) == 1 and reports[0].severity == "error"
