"""The API cannot be used at start (unreachable, or 401): the error, what to do, and a retry.

It never shows a traceback. The watcher keeps retrying behind it; the screen closes by itself
as soon as a poll succeeds. For a 401 it says how to set a key and opens the setup screen.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, cast

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.live.events import ConnectionState
from tui.text import clean, safe_text, truncate
from tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from tui.app import ScwContainersApp


class ConnectErrorScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "retry", "Retry now", id="connect_error.retry"),
        Binding("s", "setup", "How to set a key", id="connect_error.setup"),
        Binding("d", "demo", "Use the demo emulator", id="connect_error.demo"),
        Binding("q", "quit", "Quit", id="connect_error.quit"),
    ]

    def __init__(self, state: ConnectionState, *, host: str) -> None:
        super().__init__(id="connect-error")
        self.state = state
        self.host = host
        self.state_at = time.monotonic()
        self.resolved = False  # the API answered while another screen was on top

    def on_screen_resume(self) -> None:
        if self.resolved:
            self.dismiss(None)

    def compose(self) -> ComposeResult:
        yield Static("", id="connect-error-body", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._paint)
        self._paint()

    def update_state(self, state: ConnectionState) -> None:
        self.state = state
        self.state_at = time.monotonic()
        if self.is_mounted:  # else on_mount paints it
            self._paint()

    def _paint(self) -> None:
        state = self.state
        unauthorized = state.state == "unauthorized" or state.status_code == 401
        title = (
            "The API refused the secret key (401 denied_authentication)"
            if unauthorized
            else "Cannot reach the Scaleway Containers API"
        )
        parts: list[Text] = [Text(title, style="bold"), Text("")]
        parts.append(Text.assemble(("API: ", "dim"), clean(self.host)))
        if state.error:
            parts.append(Text.assemble(("Error: ", "dim"), safe_text(truncate(state.error, 600))))
        parts.append(Text(""))
        if unauthorized:
            parts += [
                Text("Set a secret key, then retry:", style="bold"),
                Text("  • export SCW_SECRET_KEY=<your secret key>  (and SCW_DEFAULT_PROJECT_ID)"),
                Text("  • or put secret_key in ~/.config/scw/config.yaml (scw init writes it)"),
                Text("  • press s for the setup screen: where keys are read from, with a sample"),
            ]
        else:
            parts += [
                Text("Check the network and the API URL (--api-url, SCW_API_URL, api_url)."),
                Text("The console keeps trying; it opens by itself once the API answers."),
            ]
        if state.retry_in_s is not None:
            left = max(0.0, state.retry_in_s - (time.monotonic() - self.state_at))
            parts += [Text(""), Text(f"Retrying in {left:.0f} s · r retries now", style="bold")]
        parts += [Text(""), Text("d opens the built-in demo emulator instead · q quits", "dim")]
        self.query_one("#connect-error-body", Static).update(Group(*parts))

    @property
    def scw_app(self) -> ScwContainersApp:
        return cast("ScwContainersApp", self.app)

    def action_retry(self) -> None:
        self.scw_app.refresh_now()
        self.notify("Retrying…", timeout=2, markup=False)

    def action_setup(self) -> None:
        try:
            from tui.screens.setup import SetupScreen
        except ImportError:
            self.notify("Set SCW_SECRET_KEY, or secret_key in the scw config file.", markup=False)
            return
        self.app.push_screen(SetupScreen(self.scw_app.connection))

    def action_demo(self) -> None:
        self.scw_app.switch_to_demo()

    def action_quit(self) -> None:
        self.app.exit(0)
