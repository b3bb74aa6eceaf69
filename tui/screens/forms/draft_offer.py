"""At start: forms left with input last time (quit, crash, dropped session), offered back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.resources import style_path
from tui.text import safe_text

# ("resume" | "discard", draft key), or None for "later".
DraftChoice = tuple[str, str] | None


class DraftsScreen(ModalScreen[DraftChoice]):
    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "later", "Later", id="drafts.later"),
        Binding("q", "later", show=False),
    ]

    def __init__(self, drafts: Mapping[str, Mapping[str, Any]]) -> None:
        super().__init__(classes="dialog-screen")
        self.drafts = dict(drafts)
        self._keys = list(self.drafts)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog drafts-dialog"):
            count = len(self._keys)
            title = f"Unfinished form{'s' if count > 1 else ''} from last time"
            yield Static(Text(title), classes="dialog-title")
            yield Static(
                Text("Secret values were not kept: type them again."),
                classes="dialog-line",
            )
            with VerticalScroll(classes="draft-list"):
                for index, key in enumerate(self._keys):
                    draft = self.drafts[key]
                    with Horizontal(classes="draft-row"):
                        yield Static(
                            safe_text(str(draft.get("title") or key)),
                            classes="draft-title",
                            markup=False,
                        )
                        yield Button(
                            "Resume", id=f"resume-{index}", variant="primary", compact=True
                        )
                        yield Button("Discard", id=f"discard-{index}", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Later", id="later", compact=True)

    def on_mount(self) -> None:
        self.query_one("#resume-0", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id == "later":
            self.dismiss(None)
            return
        action, _, index = button_id.partition("-")
        if action in ("resume", "discard") and index.isdigit():
            self.dismiss((action, self._keys[int(index)]))

    def action_later(self) -> None:
        self.dismiss(None)
