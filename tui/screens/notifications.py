"""Every toast shown since start, newest first, to look back at what happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.text import clean, truncate
from tui.widgets.key_bar import KeyBar


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    at: datetime
    severity: str
    title: str
    message: str


class NotificationsScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "close", "Back", id="notifications.close")]

    def __init__(self, records: Sequence[NotificationRecord]) -> None:
        super().__init__(id="notifications")
        self.records = list(records)

    def compose(self) -> ComposeResult:
        yield Static(Text("Notifications (newest first)", style="bold"), id="notifications-title")
        with VerticalScroll(id="notifications-scroll"):
            yield Static(self._table(), id="notifications-body")
        yield KeyBar()

    def _table(self) -> Table | Text:
        if not self.records:
            return Text("Nothing yet.", style="dim")
        variables = self.app.theme_variables
        colours = {
            "error": variables.get("error", "red"),
            "warning": variables.get("warning", "yellow"),
        }
        table = Table(box=None, padding=(0, 1), show_header=False)
        table.add_column(no_wrap=True, style="dim")
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for record in reversed(self.records):
            label = {"error": "error", "warning": "warning"}.get(record.severity, "info")
            message = Text()
            if record.title:
                message.append(clean(record.title) + ": ", style="bold")
            message.append(truncate(clean(record.message), 1000))
            table.add_row(
                record.at.astimezone().strftime("%H:%M:%S"),
                Text(label, style=colours.get(record.severity, "")),
                message,
            )
        return table

    def on_mount(self) -> None:
        self.query_one("#notifications-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)
