"""The review before an edit is sent: each changed field, old → new, and what saving does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.resources import style_path
from tui.text import safe_text


@dataclass(frozen=True)
class Change:
    """One changed field as shown in the review (values already made displayable)."""

    label: str
    old: str
    new: str


class ReviewScreen(ModalScreen[bool]):
    """Old → new values of an edit; True to send it, False to go back to the form."""

    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "back", "Back to the form", id="review.back"),
        Binding("q", "back", show=False),
    ]

    def __init__(
        self,
        title: str,
        changes: Sequence[Change],
        notes: Sequence[str] = (),
        *,
        confirm: str = "Save",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self.changes = list(changes)
        self.notes = list(notes)
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog review-dialog"):
            yield Static(safe_text(self._title), classes="dialog-title", markup=False)
            with VerticalScroll(classes="review-changes"):
                for change in self.changes:
                    line = Text()
                    line.append(f"{change.label:<22}", style="bold")
                    line.append_text(safe_text(change.old, "red"))
                    line.append(" → ")
                    line.append_text(safe_text(change.new, "green"))
                    yield Static(line, classes="review-row", markup=False)
            for note in self.notes:
                yield Static(safe_text("⚠ " + note), classes="dialog-line warning", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back", id="no", compact=True)
                yield Button(self._confirm, id="yes", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def action_back(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)
