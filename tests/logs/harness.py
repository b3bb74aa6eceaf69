"""A minimal App hosting a `LogScreen`: what the log screen needs from the real app (`client`,
`settings`), and nothing else, so the screen is tested on its own against the emulator."""

from __future__ import annotations

from typing import Any

from textual.app import App

from tui.api import ContainersClient
from tui.config.settings import Settings
from tui.resources import style_path
from tui.screens.logs import LogScreen


class LogHarnessApp(App[None]):
    """Pushes `screen` (a LogScreen) on mount; the client is the caller's to close."""

    CSS_PATH = style_path("app.tcss")  # the app-wide rules the screen relies on (the keys line)

    def __init__(self, client: ContainersClient, screen: LogScreen, **settings: Any) -> None:
        super().__init__()
        self.client = client
        self.settings = Settings().with_changes(**settings) if settings else Settings()
        self.log_screen = screen

    def on_mount(self) -> None:
        self.push_screen(self.log_screen)
