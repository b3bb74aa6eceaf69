"""The installed package carries what it needs at run time, not only the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import tui
from tui.resources import styles_dir

ROOT = Path(__file__).resolve().parents[1]


def test_every_style_file_is_found_from_the_checkout() -> None:
    names = {p.name for p in styles_dir().glob("*.tcss")}
    assert names, "no .tcss files found"
    assert names == {p.name for p in (ROOT / "styles").glob("*.tcss")}


@pytest.mark.timeout(300)
def test_the_wheel_carries_the_styles_and_the_version(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
    )
    (wheel,) = tmp_path.glob("scw_containers_tui-*.whl")
    assert f"-{tui.__version__}-" in wheel.name
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for style in (ROOT / "styles").glob("*.tcss"):
        assert f"tui/styles/{style.name}" in names
    assert "tui/emulator/__init__.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert "scw-containers = tui.cli:main" in archive.read(entry_points).decode()


def test_the_text_helpers_neutralise_markup_and_controls() -> None:
    from tui.text import clean, safe_text

    text = safe_text("[bold red]x[/] \x1b[2J\x07\u202e")
    assert text.plain == "[bold red]x[/] ^[[2J^G<U+202E>"
    assert not text.spans
    assert clean("plain") == "plain"
