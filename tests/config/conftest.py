"""Fixtures for the configuration tests: a temporary HOME and explicit environments.

Nothing here may touch the real home: the process environment is pointed at temporary
folders too, for any code path that falls back to `os.environ` or platformdirs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tui.config import applog


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = tmp_path / "process-home"
    real.mkdir()
    monkeypatch.setenv("HOME", str(real))
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(real / name.lower()))
    for name in list(os.environ):
        if name.startswith("SCW_"):
            monkeypatch.delenv(name)
    yield
    applog.shutdown_logging()
    applog.forget_secrets()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    """An explicit environment with only HOME set (add SCW_* per test)."""
    return {"HOME": str(home)}


@pytest.fixture
def write_config(home: Path) -> Callable[..., Path]:
    """write_config(text, path=None, mode=0o600) -> Path; default ~/.config/scw/config.yaml."""

    def write(text: str, path: Path | None = None, mode: int = 0o600) -> Path:
        target = path or home / ".config" / "scw" / "config.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        target.chmod(mode)
        return target

    return write
