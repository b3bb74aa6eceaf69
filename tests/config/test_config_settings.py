"""The app's settings file: defaults, round trip, bad values, atomic writes."""

from __future__ import annotations

import dataclasses
import os
import stat
import tomllib
from pathlib import Path

import pytest

from tui.config import atomic
from tui.config.paths import AppPaths
from tui.config.settings import (
    MIB,
    Settings,
    load_settings,
    save_settings,
    setting_names,
    settings_to_toml,
)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path / "app")


def test_missing_file_gives_defaults(paths: AppPaths) -> None:
    settings, problems = load_settings(paths.settings_file)
    assert settings == Settings()
    assert problems == []
    assert settings.log_buffer_lines == 100_000
    assert settings.log_buffer_bytes == 64 * MIB
    assert (settings.poll_transient_s, settings.poll_settled_s) == (1.0, 5.0)
    assert settings.bell_on_deploy_end is True
    assert settings.timestamp_style == "local"
    assert dict(settings.keys) == {}


def test_round_trip(paths: AppPaths) -> None:
    custom = Settings().with_changes(
        theme="nord",
        timestamp_style="relative",
        bell_on_deploy_end=False,
        log_buffer_lines=5_000,
        log_buffer_bytes=8 * MIB,
        log_history_lines=250,
        poll_transient_s=0.5,
        poll_settled_s=12.0,
        poll_background_s=45.0,
        keys={"refresh": "f5", "quit": "ctrl+q", "tree.down": "j,down"},
    )
    written = save_settings(custom, paths.settings_file)
    assert written == paths.settings_file
    loaded, problems = load_settings(paths.settings_file)
    assert problems == []
    assert loaded == custom
    assert loaded.key_for("refresh", "r") == "f5"
    assert loaded.key_for("help", "question_mark") == "question_mark"


def test_file_layout_is_documented_names(paths: AppPaths) -> None:
    save_settings(Settings(), paths.settings_file)
    data = tomllib.loads(paths.settings_file.read_text())
    assert data["theme"] == "textual-dark"
    assert data["timestamps"] == "local"
    assert data["logs"] == {
        "buffer_lines": 100_000,
        "buffer_bytes": 64 * MIB,
        "history_lines": 1_000,
    }
    assert data["poll"] == {"transient_s": 1.0, "settled_s": 5.0, "background_s": 60.0}
    assert data["keys"] == {}
    assert "logs.buffer_bytes" in setting_names()


def test_every_field_is_in_the_file() -> None:
    assert len(setting_names()) == len(dataclasses.fields(Settings))
    data = tomllib.loads(settings_to_toml(Settings()))
    written = [k for k, v in data.items() if not isinstance(v, dict)]
    written += [f"{k}.{sub}" for k, v in data.items() if isinstance(v, dict) for sub in v]
    assert sorted(written) == sorted(n for n in setting_names() if not n.startswith("keys."))


def test_settings_file_is_private(paths: AppPaths) -> None:
    save_settings(Settings(), paths.settings_file)
    assert stat.S_IMODE(paths.settings_file.stat().st_mode) == 0o600


def test_sizes_with_units(paths: AppPaths) -> None:
    for text, expected in (("64MiB", 64 * MIB), ("10 MB", 10_000_000), ("1GiB", 1024 * MIB)):
        paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
        paths.settings_file.write_text(f'[logs]\nbuffer_bytes = "{text}"\n')
        settings, problems = load_settings(paths.settings_file)
        assert problems == []
        assert settings.log_buffer_bytes == expected


BAD = [
    ("theme = 3\n", "theme", "theme"),
    ('theme = "no spaces please"\n', "theme", "theme"),
    ('timestamps = "utc+2"\n', "timestamps", "timestamp_style"),
    ('bell_on_deploy_end = "yes"\n', "bell_on_deploy_end", "bell_on_deploy_end"),
    ("[logs]\nbuffer_lines = 10\n", "logs.buffer_lines", "log_buffer_lines"),
    ('[logs]\nbuffer_lines = "many"\n', "logs.buffer_lines", "log_buffer_lines"),
    ("[logs]\nbuffer_lines = true\n", "logs.buffer_lines", "log_buffer_lines"),
    ('[logs]\nbuffer_bytes = "lots"\n', "logs.buffer_bytes", "log_buffer_bytes"),
    ('[logs]\nbuffer_bytes = "10TiB"\n', "logs.buffer_bytes", "log_buffer_bytes"),
    ("[logs]\nhistory_lines = -1\n", "logs.history_lines", "log_history_lines"),
    ("[poll]\ntransient_s = 0\n", "poll.transient_s", "poll_transient_s"),
    ("[poll]\nsettled_s = nan\n", "poll.settled_s", "poll_settled_s"),
    ('[poll]\nsettled_s = "5s"\n', "poll.settled_s", "poll_settled_s"),
    ("[poll]\ntransient_s = 10.0\nsettled_s = 2.0\n", "poll.settled_s", "poll_settled_s"),
    ("[poll]\nsettled_s = 10.0\nbackground_s = 5.0\n", "poll.background_s", "poll_background_s"),
    ('logs = "big"\n', "logs", "log_buffer_lines"),
]


@pytest.mark.parametrize(("text", "dotted", "attribute"), BAD)
def test_bad_value_is_reported_and_defaulted(
    paths: AppPaths, text: str, dotted: str, attribute: str
) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text('theme = "nord"\n' + text if "theme" not in text else text)
    settings, problems = load_settings(paths.settings_file)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{paths.settings_file}: {dotted}: ")
    assert "using the default" in problems[0]
    assert getattr(settings, attribute) == getattr(Settings(), attribute)
    if "theme" not in text:
        assert settings.theme == "nord"  # the good values are kept


def test_unknown_keys_are_reported(paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text('thme = "nord"\n[logs]\nbufer_lines = 5\n')
    settings, problems = load_settings(paths.settings_file)
    assert settings == Settings()
    assert any("unknown key 'thme'" in p for p in problems)
    assert any("unknown key logs.'bufer_lines'" in p for p in problems)


def test_key_remapping_validation(paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text(
        "[keys]\n"
        'refresh = "f5"\n'
        'help = "ctrl+h, question_mark"\n'
        'quit = "ctrl q"\n'
        "deploy = 4\n"
        '"bad id!" = "x"\n'
    )
    settings, problems = load_settings(paths.settings_file)
    assert dict(settings.keys) == {"refresh": "f5", "help": "ctrl+h,question_mark"}
    assert len(problems) == 3
    assert all(str(paths.settings_file) in p for p in problems)
    assert any("keys.quit" in p for p in problems)
    assert any("keys.deploy" in p for p in problems)


def test_broken_toml_names_the_line(paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text('theme = "nord"\n[logs\nbuffer_lines = 5\n')
    settings, problems = load_settings(paths.settings_file)
    assert settings == Settings()
    assert len(problems) == 1
    assert str(paths.settings_file) in problems[0]
    assert "line 2" in problems[0]


def test_not_utf8(paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_bytes(b'theme = "\xff"\n')
    settings, problems = load_settings(paths.settings_file)
    assert settings == Settings() and "UTF-8" in problems[0]


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.theme = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.keys["refresh"] = "f5"  # type: ignore[index]


def test_default_path_is_platformdirs_config_dir(tmp_path: Path) -> None:
    # The autouse fixture points XDG_CONFIG_HOME at a temporary folder.
    assert AppPaths.default().settings_file == (
        Path(os.environ["XDG_CONFIG_HOME"]) / "scw-containers" / "settings.toml"
    )
    assert str(AppPaths.default().state_file).startswith(os.environ["XDG_STATE_HOME"])


# -- atomic writes ---------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.txt"
    atomic.atomic_write_text(target, "one")
    atomic.atomic_write_text(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.txt"]
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700


def test_a_failed_write_keeps_the_old_file(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_settings(Settings().with_changes(theme="nord"), paths.settings_file)
    before = paths.settings_file.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_settings(Settings().with_changes(theme="gruvbox"), paths.settings_file)
    assert paths.settings_file.read_bytes() == before
    assert [p.name for p in paths.config_dir.iterdir()] == ["settings.toml"]


def test_atomic_write_syncs_before_renaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    atomic.atomic_write_text(tmp_path / "f", "data")
    assert calls[:2] == ["fsync", "replace"]


def test_background_polling_is_never_faster_than_settled(paths: AppPaths) -> None:
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text("[poll]\nsettled_s = 90.0\n")
    settings, problems = load_settings(paths.settings_file)
    assert problems == []
    assert (settings.poll_settled_s, settings.poll_background_s) == (90.0, 90.0)
