"""A minimal App hosting a `LogScreen`: what the log screen needs from the real app (`client`,
`settings`), and nothing else, so the screen is tested on its own against the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from tui.api import ContainersClient
from tui.app import ScwContainersApp, create_app, demo_config
from tui.config import AppPaths
from tui.config.settings import Settings
from tui.screens.logs import LogScreen


class LogHarnessApp(App[None]):
    """Pushes `screen` (a LogScreen) on mount; the client is the caller's to close."""

    def __init__(self, client: ContainersClient, screen: LogScreen, **settings: Any) -> None:
        super().__init__()
        self.client = client
        self.settings = Settings().with_changes(**settings) if settings else Settings()
        self.log_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.log_screen)


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def make_console(tmp_path: Path) -> ScwContainersApp:
    """The whole console on the demo emulator, polling fast, with 500 lines of log history."""
    settings = Settings(poll_settled_s=0.5, poll_transient_s=0.3, log_history_lines=500)
    return create_app(demo_config(settings=settings, paths=AppPaths.under(tmp_path / "app")))
