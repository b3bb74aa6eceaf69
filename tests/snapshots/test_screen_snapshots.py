"""Snapshots of the console's screens at 80×24 and 120×40 (pytest-textual-snapshot).

The same scenarios as the README's screenshots (`screen_scenarios.py`): the real app on the
demo emulator, clock frozen. After an intended change of a screen, look at the report and
accept the new pictures with `pytest tests/snapshots --snapshot-update`, then regenerate the
README's screenshots with `python scripts/screenshots.py`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from screen_scenarios import BY_NAME, SCENARIOS, SNAPSHOT_SIZES, staged

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", [scenario.name for scenario in SCENARIOS])
def test_screen(snap_compare: Any, name: str, size: tuple[int, int], tmp_path: Path) -> None:
    with staged(BY_NAME[name], tmp_path) as stage:
        assert snap_compare(stage.app, terminal_size=size, run_before=stage.run_before)


def test_readme_screenshot_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    """One README picture, made by the script, equals the committed file to the byte (all of
    them: `python scripts/screenshots.py --check`, about 15 s)."""
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    status = script.main(["--check", "main-80x24"])
    assert status == 0, (
        f"{capsys.readouterr().out}\nRun `python scripts/screenshots.py` and commit screenshots/."
    )
