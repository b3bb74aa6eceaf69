"""Yes/no dialogs: a plain confirmation, discard-changes, and delete (type the name to confirm)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.resources import style_path
from tui.text import safe_text
from tui.widgets.safe_input import SafeInput


class ConfirmScreen(ModalScreen[bool]):
    """A question with two buttons; Esc answers no. The safe answer has the focus."""

    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("q", "answer(False)", show=False),
    ]

    def __init__(
        self,
        title: str,
        lines: Sequence[str | Text] = (),
        *,
        confirm: str = "OK",
        cancel: str = "Cancel",
        danger: bool = False,
        focus_confirm: bool = False,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._lines = list(lines)
        self._confirm = confirm
        self._cancel = cancel
        self._danger = danger
        self._focus_confirm = focus_confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title", markup=False)
            for line in self._lines:
                text = line if isinstance(line, Text) else Text(line)
                yield Static(text, classes="dialog-line", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._cancel, id="no", compact=True)
                yield Button(
                    self._confirm,
                    id="yes",
                    compact=True,
                    variant="error" if self._danger else "primary",
                )

    def on_mount(self) -> None:
        self.query_one("#yes" if self._focus_confirm else "#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


def discard_changes_dialog() -> ConfirmScreen:
    return ConfirmScreen(
        "Discard your changes?",
        ["What you typed in this form will be lost."],
        confirm="Discard",
        cancel="Keep editing",
        danger=True,
    )


class DeleteConfirmScreen(ModalScreen[bool]):
    """Confirm a deletion; with `require_name`, the user must type the resource's name."""

    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="delete.cancel"),
        Binding("q", "cancel", show=False),
    ]

    def __init__(
        self,
        kind: str,
        name: str,
        consequences: Sequence[str] = (),
        *,
        require_name: bool = False,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.kind = kind
        self.resource_name = name
        self._consequences = list(consequences)
        self.require_name = require_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog delete-dialog"):
            title = Text(f"Delete {self.kind} ")
            title.append_text(safe_text(self.resource_name, "bold"))
            title.append("?")
            yield Static(title, classes="dialog-title", markup=False)
            for line in self._consequences:
                yield Static(safe_text(line), classes="dialog-line", markup=False)
            yield Static(Text("This cannot be undone."), classes="dialog-line warning")
            if self.require_name:
                prompt = Text("Type the name ")
                prompt.append_text(safe_text(self.resource_name, "bold"))
                prompt.append(" to confirm:")
                yield Static(prompt, classes="dialog-line", markup=False)
                yield SafeInput(placeholder=self.resource_name, id="confirm-name", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="no", compact=True)
                yield Button(
                    f"Delete {self.kind}",
                    id="yes",
                    variant="error",
                    compact=True,
                    disabled=self.require_name,
                )

    def on_mount(self) -> None:
        if self.require_name:
            self.query_one("#confirm-name", Input).focus()
        else:
            self.query_one("#no", Button).focus()

    def _name_matches(self) -> bool:
        if not self.require_name:
            return True
        return self.query_one("#confirm-name", Input).value == self.resource_name

    @on(Input.Changed, "#confirm-name")
    def _typed(self) -> None:
        self.query_one("#yes", Button).disabled = not self._name_matches()

    @on(Input.Submitted, "#confirm-name")
    def _submitted(self) -> None:
        if self._name_matches():
            self.dismiss(True)

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        if self._name_matches():
            self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)
