"""Fixtures of the end-to-end suite, and the summary it prints at the end of the run.

- ``spawn(*args, secret_key=TEST_SECRET_KEY)`` starts ``python -m tui.emulator.server ...`` (an
  :class:`~tests.e2e.support.Emulator`, ``kill9()`` for a crash); all are stopped afterwards.
- ``app_log`` sends the app's logging to a temporary folder (``tui.config.setup_logging``) and
  yields that folder; the test scans it for unhandled failures.

The figures (requests, faults, retries, lines lost, duplicates, peak memory) are printed by
``pytest_terminal_summary`` whatever ``-s`` says, and written to a JSON file in the temp dir.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.config import forget_secrets, setup_logging, shutdown_logging
from tui.emulator.testing import TEST_SECRET_KEY

from .support import FIGURES, Emulator

SUMMARY_FILE = Path(tempfile.gettempdir()) / "scw-containers-e2e-summary.json"


@pytest.fixture
def spawn() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def factory(*args: str, secret_key: str | None = TEST_SECRET_KEY) -> Emulator:
        emulator = Emulator(*args, secret_key=secret_key)
        started.append(emulator)
        return emulator

    yield factory
    for emulator in reversed(started):
        emulator.stop()


@pytest.fixture
def app_log(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "app-log"
    setup_logging(folder)
    try:
        yield folder
    finally:
        shutdown_logging()
        forget_secrets()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    figures = FIGURES.as_dict()
    if not FIGURES.requests and not FIGURES.kills:
        return  # no end-to-end test ran
    terminalreporter.write_sep("=", "scw-containers end-to-end summary")
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        terminalreporter.write_line(f"{key.ljust(width)}  {value}")
    try:
        SUMMARY_FILE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        terminalreporter.write_line(f"(summary not written: {error})")
    else:
        terminalreporter.write_line(f"(also written to {SUMMARY_FILE})")
