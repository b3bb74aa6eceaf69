"""Fixtures of the console's Pilot tests (helpers live in `helpers.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tui.app import ScwContainersApp

from .helpers import make_app_factory


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., ScwContainersApp]:
    """`make_app(emulator=None, settings=FAST, read_only=False, regions=None, client=None)`."""
    return make_app_factory(tmp_path)
