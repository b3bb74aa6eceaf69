"""The new token, shown once: copy it (OSC 52), optionally save it to a file, then it is gone.

The server returns a token's value only in the answer to its creation. This dialog is the one
place the console shows it; closing the dialog drops it from the screen and from memory. The
app never writes it anywhere on its own: only the file the user names, created with mode 0600.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import SecretStr
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


def save_secret_file(path_text: str, secret: str) -> Path:
    """Write `secret` to a new file only the user can read (0600); never overwrite a file."""
    path = Path(os.path.expanduser(path_text.strip()))
    if not path_text.strip():
        raise ValueError("type a file path first")
    if path.is_dir():
        raise ValueError(f"{path} is a folder: add a file name")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask says
        os.write(fd, (secret + "\n").encode())
    finally:
        os.close(fd)
    return path


class TokenCreatedScreen(ModalScreen[None]):
    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "close", "Close", id="token.close"),
        Binding("c", "copy", "Copy", show=False),
    ]

    def __init__(self, token: SecretStr, *, scope: str) -> None:
        super().__init__(classes="dialog-screen")
        self._token: SecretStr | None = token
        self._scope = scope
        self._kept = False
        self._close_warned = False

    def compose(self) -> ComposeResult:
        secret = self._token.get_secret_value() if self._token is not None else ""
        with Vertical(classes="dialog token-dialog"):
            yield Static(Text("Token created: copy it now"), classes="dialog-title")
            line = Text("⚠ It is shown this once and cannot be read again. It lets anyone call ")
            line.append_text(safe_text(self._scope))
            line.append(".")
            yield Static(line, classes="dialog-line warning", markup=False)
            yield Static(safe_text(secret), id="token-value", classes="token-value", markup=False)
            with Horizontal(classes="token-save"):
                yield SafeInput(
                    placeholder="save to file: ~/scw-token.txt", id="token-path", compact=True
                )
                yield Button("Save", id="token-save", compact=True)
            yield Static("", id="token-status", classes="token-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy to clipboard", id="token-copy", variant="primary", compact=True)
                yield Button("Close", id="token-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#token-copy", Button).focus()

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#token-status", Static).update(
            safe_text(message, "red" if error else "green")
        )

    @on(Button.Pressed, "#token-copy")
    def action_copy(self) -> None:
        if self._token is None:
            return
        self.app.copy_to_clipboard(self._token.get_secret_value())
        self._kept = True
        self._status("Copied to the clipboard (OSC 52: works over SSH in most terminals).")

    @on(Button.Pressed, "#token-save")
    @on(Input.Submitted, "#token-path")
    def _save(self) -> None:
        if self._token is None:
            return
        try:
            path = save_secret_file(
                self.query_one("#token-path", Input).value, self._token.get_secret_value()
            )
        except FileExistsError:
            self._status("That file exists: choose a new file name.", error=True)
        except (OSError, ValueError) as exc:
            self._status(f"Not saved: {exc}", error=True)
        else:
            self._kept = True
            self._status(f"Saved to {path} (readable by you only, mode 0600).")

    @on(Button.Pressed, "#token-close")
    def action_close(self) -> None:
        if not self._kept and not self._close_warned:
            self._close_warned = True
            self._status(
                "Not copied or saved: the token will be lost. Close again to discard it.",
                error=True,
            )
            return
        # Off the screen and out of memory before the dialog goes.
        self.query_one("#token-value", Static).update("")
        self._token = None
        self.dismiss(None)
