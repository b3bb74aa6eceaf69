"""Environment variables editor: add, edit and remove rows; secret rows are write-only.

Plain variables are a key → value map the form sends whole. Secret variables are never readable
again once saved: an existing one shows its key and •••• and can be replaced (a new value typed
in a password field) or removed (sent as `{"key": K}` with no value). Secret values live only in
the password inputs: `draft()` leaves them out, and nothing here logs or renders them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from tui import validation
from tui.text import safe_text
from tui.widgets.form_field import update_if_changed

MASK = "••••"


@dataclass(frozen=True)
class SecretChange:
    """One secret to send: `value=None` deletes `key` (update only)."""

    key: str
    value: str | None

    def __repr__(self) -> str:  # never the value
        state = "delete" if self.value is None else "set"
        return f"SecretChange(key={self.key!r}, {state})"


class EnvRow(Vertical):
    """A row the user types: key and value (masked for a secret), with a remove button."""

    def __init__(self, key: str = "", value: str = "", *, secret: bool) -> None:
        super().__init__(classes="env-row")
        self._key = key
        self._value = value
        self.secret = secret

    def compose(self) -> ComposeResult:
        with Horizontal(classes="env-line"):
            yield Input(self._key, placeholder="KEY", compact=True, classes="env-key")
            yield Input(
                self._value,
                placeholder="secret value" if self.secret else "value",
                password=self.secret,
                compact=True,
                classes="env-value",
            )
            yield Button("✕", compact=True, classes="env-remove", tooltip="Remove this variable")
        yield Static("", classes="env-error", markup=False)

    @property
    def key(self) -> str:
        return self.query_one(".env-key", Input).value.strip()

    @property
    def value(self) -> str:
        return self.query_one(".env-value", Input).value

    @property
    def blank(self) -> bool:
        return not self.key and not self.value

    def show_error(self, message: str | None) -> None:
        line = self.query_one(".env-error", Static)
        update_if_changed(line, safe_text("✗ " + message) if message else Text(""))
        if line.display != bool(message):
            line.display = bool(message)
        self.set_class(bool(message), "-invalid")


class SecretRow(Vertical):
    """A secret that already exists on the server: key and ••••; replace or remove it."""

    def __init__(self, key: str, *, state: str = "kept") -> None:
        super().__init__(classes="env-row secret-row")
        self.key = key
        # kept | replace | remove
        self.state = state

    def compose(self) -> ComposeResult:
        with Horizontal(classes="env-line"):
            yield Label(safe_text(self.key), classes="env-key secret-key")
            yield Static(MASK, classes="secret-mask", markup=False)
            yield Input(
                placeholder="new secret value",
                password=True,
                compact=True,
                classes="env-value secret-new",
            )
            yield Button("Replace", compact=True, classes="secret-replace")
            yield Button("Remove", compact=True, classes="secret-remove")
        yield Static("", classes="env-error", markup=False)

    def on_mount(self) -> None:
        self._show_state()

    @property
    def new_value(self) -> str:
        return self.query_one(".secret-new", Input).value

    def set_state(self, state: str) -> None:
        self.state = state
        if state != "replace":
            self.query_one(".secret-new", Input).value = ""
        self._show_state()

    def _show_state(self) -> None:
        mask = self.query_one(".secret-mask", Static)
        new = self.query_one(".secret-new", Input)
        replace = self.query_one(".secret-replace", Button)
        remove = self.query_one(".secret-remove", Button)
        new.display = self.state == "replace"
        mask.display = self.state != "replace"
        mask.update(Text("removed", style="strike") if self.state == "remove" else Text(MASK))
        replace.label = "Keep" if self.state == "replace" else "Replace"
        replace.display = self.state != "remove"
        remove.label = "Undo" if self.state == "remove" else "Remove"
        self.set_class(self.state == "remove", "-removed")

    def show_error(self, message: str | None) -> None:
        line = self.query_one(".env-error", Static)
        update_if_changed(line, safe_text("✗ " + message) if message else Text(""))
        if line.display != bool(message):
            line.display = bool(message)
        self.set_class(bool(message), "-invalid")


class EnvEditor(Vertical):
    """Rows of environment variables. `secret=True` for secret ones (write-only)."""

    class Changed(Message):
        """Any row was added, edited, removed, replaced or restored."""

        def __init__(self, editor: EnvEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> EnvEditor:
            return self.editor

    def __init__(
        self,
        values: Mapping[str, str] | None = None,
        *,
        secret: bool = False,
        existing_secret_keys: Sequence[str] = (),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.secret = secret
        self._initial_values = dict(values or {})
        self._existing = list(existing_secret_keys) if secret else []
        self._show_errors = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="env-rows"):
            for key in self._existing:
                yield SecretRow(key)
            for key, value in self._initial_values.items():
                yield EnvRow(key, value, secret=self.secret)
        with Horizontal(classes="env-actions"):
            label = "+ Add secret" if self.secret else "+ Add variable"
            yield Button(label, compact=True, classes="env-add")
            yield Static("", classes="env-summary", markup=False)

    def on_mount(self) -> None:
        self._refresh_summary()

    # ------------------------------------------------------------------ reading

    def edit_rows(self) -> list[EnvRow]:
        return list(self.query(EnvRow))

    def secret_rows(self) -> list[SecretRow]:
        return list(self.query(SecretRow))

    def env(self) -> dict[str, str]:
        """The plain variables as typed (blank rows ignored)."""
        return {row.key: row.value for row in self.edit_rows() if not row.blank}

    def secret_changes(self) -> list[SecretChange]:
        """Secrets to send: new and replaced ones with their value, removed ones without."""
        changes: list[SecretChange] = []
        for existing in self.secret_rows():
            if existing.state == "remove":
                changes.append(SecretChange(existing.key, None))
            elif existing.state == "replace" and existing.new_value:
                changes.append(SecretChange(existing.key, existing.new_value))
        for row in self.edit_rows():
            if not row.blank:
                changes.append(SecretChange(row.key, row.value))
        return changes

    @property
    def has_secret_input(self) -> bool:
        """True when some secret value is typed (it is not kept in drafts)."""
        if any(row.value for row in self.edit_rows()):
            return True
        return any(r.state == "replace" and r.new_value for r in self.secret_rows())

    def draft(self) -> dict[str, Any]:
        """What a draft may keep: keys, plain values and decisions; never a secret value."""
        rows = [[row.key, "" if self.secret else row.value] for row in self.edit_rows()]
        rows = [r for r in rows if r[0] or r[1]]
        data: dict[str, Any] = {"rows": rows}
        if self.secret:
            data["removed"] = [r.key for r in self.secret_rows() if r.state == "remove"]
            data["replaced"] = [r.key for r in self.secret_rows() if r.state == "replace"]
        return data

    async def restore(self, draft: Mapping[str, Any]) -> None:
        """Put back what `draft()` returned (secret values must be typed again)."""
        for row in self.edit_rows():
            await row.remove()
        rows_box = self.query_one(".env-rows", Vertical)
        for key, value in draft.get("rows", []):
            await rows_box.mount(
                EnvRow(str(key), "" if self.secret else str(value), secret=self.secret)
            )
        for existing in self.secret_rows():
            if existing.key in draft.get("removed", []):
                existing.set_state("remove")
            elif existing.key in draft.get("replaced", []):
                existing.set_state("replace")
        self.validate(show=self._show_errors)
        self._refresh_summary()

    # ------------------------------------------------------------------ checking

    def validate(self, *, show: bool = True) -> list[str]:
        """Check every row; show each problem on its row when `show`; return the problems."""
        self._show_errors = self._show_errors or show
        problems: list[str] = []
        seen: dict[str, int] = {}
        existing_keys = {r.key for r in self.secret_rows()}
        count = len(existing_keys) - sum(1 for r in self.secret_rows() if r.state == "remove")
        for row in self.edit_rows():
            message: str | None = None
            if not row.blank:
                count += 0 if row.key in existing_keys else 1
                message = validation.check_env_key(row.key)
                if message is None and row.key in seen:
                    message = f"duplicate key {row.key}"
                if message is None and self.secret and row.key in existing_keys:
                    message = f"{row.key} exists: use Replace on its row"
                if message is None and self.secret and not row.value:
                    message = "value required"
                if message is None:
                    message = validation.check_env_value(row.value)
                seen[row.key] = 1
            if message:
                problems.append(message)
            row.show_error(message if self._show_errors else None)
        for existing in self.secret_rows():
            message = None
            if existing.state == "replace":
                message = (
                    "type the new value (or Keep)"
                    if not existing.new_value
                    else validation.check_secret_value(existing.new_value)
                )
            if message:
                problems.append(f"{existing.key}: {message}")
            existing.show_error(message if self._show_errors else None)
        if count > validation.ENV_MAX_KEYS:
            problems.append(f"at most {validation.ENV_MAX_KEYS} variables ({count} now)")
        return problems

    # ------------------------------------------------------------------ editing

    async def add_row(self, key: str = "", value: str = "") -> EnvRow:
        row = EnvRow(key, value, secret=self.secret)
        await self.query_one(".env-rows", Vertical).mount(row)
        row.query_one(".env-key", Input).focus()
        self._changed()
        return row

    @on(Button.Pressed, ".env-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    @on(Button.Pressed, ".env-remove")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if isinstance(a, EnvRow)), None)
        if row is not None:
            await row.remove()
            self._changed()

    @on(Button.Pressed, ".secret-replace")
    def _replace_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if isinstance(a, SecretRow)), None)
        if row is not None:
            row.set_state("kept" if row.state == "replace" else "replace")
            if row.state == "replace":
                row.query_one(".secret-new", Input).focus()
            self._changed()

    @on(Button.Pressed, ".secret-remove")
    def _remove_secret_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = next((a for a in event.button.ancestors if isinstance(a, SecretRow)), None)
        if row is not None:
            row.set_state("kept" if row.state == "remove" else "remove")
            self._changed()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        # The form hears about the editor as a whole, not about each of its inputs.
        event.stop()
        self._changed()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    def _changed(self) -> None:
        if self._show_errors:
            self.validate(show=True)
        self._refresh_summary()
        self.post_message(self.Changed(self))

    def _refresh_summary(self) -> None:
        try:
            summary = self.query_one(".env-summary", Static)
        except NoMatches:
            return
        if self.secret:
            removed = sum(1 for r in self.secret_rows() if r.state == "remove")
            kept = len(self.secret_rows()) - removed
            new = sum(1 for r in self.edit_rows() if not r.blank)
            parts = [f"{kept + new} secret(s)"]
            if removed:
                parts.append(f"{removed} to remove")
            update_if_changed(summary, Text(", ".join(parts), style="dim"), layout=False)
        else:
            text = Text(f"{len(self.env())} variable(s)", style="dim")
            update_if_changed(summary, text, layout=False)
