"""Environment variables editor: add, edit and remove rows; secret rows are write-only.

Plain variables are a key → value map the form sends whole. Secret variables are never readable
again once saved: an existing one shows its key and •••• and can be replaced (a new value typed
in a password field) or removed (sent as `{"key": K}` with no value). Secret values live only in
the password inputs: `draft()` leaves them out, and nothing here logs or renders them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor
from typing import Any, ClassVar

from rich.cells import set_cell_size
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from tui import validation
from tui.text import clean, safe_text
from tui.widgets.form_field import update_if_changed
from tui.widgets.safe_input import SafeInput, visible

MASK = "••••"


@dataclass(frozen=True)
class SecretChange:
    """One secret to send: `value=None` deletes `key` (update only)."""

    key: str
    value: str | None

    def __repr__(self) -> str:  # never the value
        state = "delete" if self.value is None else "set"
        return f"SecretChange(key={self.key!r}, {state})"


class _RowButton(Button):
    """A button of a row: styled once when mounted (see `SafeInput.update_node_styles`)."""

    def update_node_styles(self, animate: bool = True) -> None:
        if self._parent is None:
            return
        super().update_node_styles(animate)


class EnvRow(Vertical):
    """A row the user types: key and value (masked for a secret), with a remove button.

    The row holds its inputs from the start, so `key` and `value` are right before they are
    mounted and cost no DOM query: the editor reads every row on each keystroke.

    A row made from existing values (the form's start, a restored draft) starts *dormant*: it
    draws its key, value and ✕ itself, cell for cell as its inputs would, and mounts them when it
    is focused or clicked. Textual spends about a millisecond per mounted widget, and a live row
    is six widgets: a form restored with 200 variables took seconds to open, and each later
    re-layout paid for all of them. A row made to be typed in (`live=True`, `add_row`) mounts its
    inputs at once.
    """

    # A click on a dormant row goes to the input (or ✕) under the pointer: see on_mouse_down.
    FOCUS_ON_CLICK = False

    def __init__(self, key: str = "", value: str = "", *, secret: bool, live: bool = False) -> None:
        super().__init__(classes="env-row")
        self.secret = secret
        self.key_input = SafeInput(key, placeholder="KEY", compact=True, classes="env-key")
        self.value_input = SafeInput(
            value,
            placeholder="secret value" if secret else "value",
            password=secret,
            compact=True,
            classes="env-value",
        )
        self.remove_button = _RowButton(
            "✕", compact=True, classes="env-remove", tooltip="Remove this variable"
        )
        self._error_line = Static("", classes="env-error", markup=False)
        self._error_line.display = False
        self._error: str | None = None
        self._live = live
        self.can_focus = not live
        # What each input last reported: an input reports its first value once mounted, which
        # is no change (a restore of 200 rows would otherwise re-check the form 400 times).
        self._reported_key = key
        self._reported_value = value

    def compose(self) -> ComposeResult:
        if self._live:
            yield from self._parts()

    def _parts(self) -> list[Widget]:
        line = Horizontal(self.key_input, self.value_input, self.remove_button, classes="env-line")
        return [line, self._error_line]

    @property
    def live(self) -> bool:
        """True once the row's inputs are mounted (or being mounted)."""
        return self._live

    async def go_live(self) -> None:
        """Mount the row's inputs in place of its drawing (once)."""
        if self._live:
            return
        self._live = True
        self.can_focus = False
        await self.mount_all(self._parts())
        self.refresh(layout=True)

    async def on_focus(self, event: events.Focus) -> None:
        # Reached by Tab only (FOCUS_ON_CLICK is off): typing starts at the key.
        if not self._live:
            await self.go_live()
            self.key_input.focus()

    async def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._live:
            return
        event.stop()
        x = event.x
        await self.go_live()
        _, (value_x, _), (remove_x, _) = row_cells(self.size.width)
        if x >= remove_x:
            # Pressed from the button's own queue: a message made in this handler counts this
            # row as its sender, and Textual stops its bubbling here, short of the editor.
            self.remove_button.call_later(self.remove_button.press)
            return
        target, left = (self.value_input, value_x) if x >= value_x else (self.key_input, 0)
        # As a click on the live input: focus (which selects all), then the cursor at the
        # click, handled by the input after its focus event.
        self.screen.set_focus(target, scroll_visible=False)
        target.call_later(target.cursor_to_cell, max(0, x - left))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input is self.key_input:
            unchanged = event.value == self._reported_key
            self._reported_key = event.value
        elif event.input is self.value_input:
            unchanged = event.value == self._reported_value
            self._reported_value = event.value
        else:
            return
        if unchanged:
            event.stop()

    @property
    def key(self) -> str:
        return self.key_input.value.strip()

    @property
    def value(self) -> str:
        return self.value_input.value

    @property
    def blank(self) -> bool:
        return not self.key_input.value.strip() and not self.value_input.value

    def show_error(self, message: str | None) -> None:
        if message == self._error:
            return  # the common case on each keystroke, with every row re-checked
        self._error = message
        line = self._error_line
        update_if_changed(line, safe_text("✗ " + message) if message else Text(""))
        if line.display != bool(message):
            line.display = bool(message)
        self.set_class(bool(message), "-invalid")
        if not self._live:
            self.refresh(layout=True)

    # ------------------------------------------------------------------ dormant drawing

    def render(self) -> RenderResult:
        if self._live:
            return super().render()
        return self._drawing(self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._live:
            return super().get_content_height(container, viewport, width)
        return 1 + len(self._error_lines(width))

    def _drawing(self, width: int) -> Text:
        """What the live row shows while nothing in it has focus, cell for cell."""
        text_style = self._look("env-editor--text")
        placeholder_style = self._look("env-editor--placeholder")
        cells: list[tuple[str, Style]] = []
        for field in (self.key_input, self.value_input):
            if field.value:
                shown = "•" * len(field.value) if field.password else visible(field.value)
                cells.append((shown, text_style))
            else:
                cells.append((field.placeholder, placeholder_style))
        cells.append(("✕".center(3), self._look("env-editor--remove")))
        line = Text(no_wrap=True, overflow="crop", end="")
        position = 0
        for (x, cell_width), (content, style) in zip(row_cells(width), cells, strict=True):
            if x > position:
                line.append(" " * (x - position))
            line.append(set_cell_size(content, cell_width), style)
            position = x + cell_width
        if position < width:
            line.append(" " * (width - position))
        for wrapped in self._error_lines(width):
            line.append("\n")
            line.append_text(wrapped)
        return line

    def _look(self, component: str) -> Style:
        # The editor holds the looks (component classes cost a stylesheet pass per widget).
        for node in self.ancestors:
            if isinstance(node, EnvEditor):
                return node.get_component_rich_style(component)
        return Style()

    def _error_lines(self, width: int) -> list[Text]:
        """The error line under the row, wrapped as the live row's Static wraps it."""
        if not self._error:
            return []
        style = self._look("env-editor--error")
        message = Text(clean("✗ " + self._error), style=style)
        return list(message.wrap(self.app.console, max(1, width)))


def row_cells(width: int) -> list[tuple[int, int]]:
    """(x, width) of the key, value and ✕ of a live row `width` cells wide.

    forms.tcss gives the key 2fr and a margin of 1, the value 3fr and a margin of 1, the ✕ 3
    cells; Textual's horizontal layout places fractional widths and floors each edge. Checked
    against the live row by tests/forms/test_env_editor.py.
    """
    remaining = max(0, width - _REMOVE_WIDTH - 2)
    unit = Fraction(remaining, 5) if remaining else Fraction(1)
    x = Fraction(0)
    cells: list[tuple[int, int]] = []
    for cell_width, margin in ((unit * 2, 1), (unit * 3, 1), (Fraction(_REMOVE_WIDTH), 0)):
        start = floor(x)
        cells.append((start, floor(x + cell_width - start)))
        x += cell_width + margin
    return cells


_REMOVE_WIDTH = 3


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
            yield SafeInput(
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
    """Rows of environment variables. `secret=True` for secret ones (write-only).

    Every read is one pass over the rows, each row answering from its own inputs: the form
    re-checks the editor on each keystroke, with up to a few hundred rows.
    """

    # How a dormant row draws its inputs, ✕ and error line (styles/forms.tcss).
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "env-editor--text",
        "env-editor--placeholder",
        "env-editor--remove",
        "env-editor--error",
    }

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
        self._rows_box = Vertical(classes="env-rows")
        self._summary = Static("", classes="env-summary", markup=False)

    def compose(self) -> ComposeResult:
        with self._rows_box:
            for key in self._existing:
                yield SecretRow(key)
            for key, value in self._initial_values.items():
                yield EnvRow(key, value, secret=self.secret)
        with Horizontal(classes="env-actions"):
            label = "+ Add secret" if self.secret else "+ Add variable"
            yield Button(label, compact=True, classes="env-add")
            yield self._summary

    def on_mount(self) -> None:
        self._refresh_summary()

    # ------------------------------------------------------------------ reading

    def edit_rows(self) -> list[EnvRow]:
        return [row for row in self._rows_box.children if isinstance(row, EnvRow)]

    def secret_rows(self) -> list[SecretRow]:
        return [row for row in self._rows_box.children if isinstance(row, SecretRow)]

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
        """True when some secret value is typed (it is not kept in drafts).

        Plain values are kept in drafts and compared with the form's starting values: they
        never count here, or every edit form with a plain variable would look changed.
        """
        if not self.secret:
            return False
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
        """Put back what `draft()` returned (secret values must be typed again).

        All rows are mounted in one go and the editor reports one change at the end.
        """
        old_rows = self.edit_rows()
        if old_rows:
            await self._rows_box.remove_children(old_rows)
        rows = [
            EnvRow(str(key), "" if self.secret else str(value), secret=self.secret)
            for key, value in draft.get("rows", [])
        ]
        if rows:
            # One layout for all of them, not one per few rows as they compose.
            with self.app.batch_update():
                await self._rows_box.mount_all(rows)
        removed = set(draft.get("removed", []))
        replaced = set(draft.get("replaced", []))
        for existing in self.secret_rows():
            if existing.key in removed:
                existing.set_state("remove")
            elif existing.key in replaced:
                existing.set_state("replace")
        self._changed()

    # ------------------------------------------------------------------ checking

    def validate(self, *, show: bool = True) -> list[str]:
        """Check every row; show each problem on its row when `show`; return the problems.

        The count rule comes first: with too many variables it is the problem the field shows.
        """
        self._show_errors = self._show_errors or show
        row_problems: list[str] = []
        seen: set[str] = set()
        secret_rows = self.secret_rows()
        existing_keys = {r.key for r in secret_rows}
        count = len(existing_keys) - sum(1 for r in secret_rows if r.state == "remove")
        for row in self.edit_rows():
            message: str | None = None
            if not row.blank:
                key = row.key
                count += 0 if key in existing_keys else 1
                message = validation.check_env_key(key)
                if message is None and key in seen:
                    message = f"duplicate key {key}"
                if message is None and self.secret and key in existing_keys:
                    message = f"{key} exists: use Replace on its row"
                if message is None and self.secret and not row.value:
                    message = "value required"
                if message is None:
                    message = validation.check_env_value(row.value)
                seen.add(key)
            if message:
                row_problems.append(message)
            row.show_error(message if self._show_errors else None)
        for existing in secret_rows:
            message = None
            if existing.state == "replace":
                message = (
                    "type the new value (or Keep)"
                    if not existing.new_value
                    else validation.check_secret_value(existing.new_value)
                )
            if message:
                row_problems.append(f"{existing.key}: {message}")
            existing.show_error(message if self._show_errors else None)
        problems: list[str] = []
        if count > validation.ENV_MAX_KEYS:
            problems.append(f"at most {validation.ENV_MAX_KEYS} variables ({count} now)")
        return problems + row_problems

    # ------------------------------------------------------------------ editing

    async def add_row(self, key: str = "", value: str = "") -> EnvRow:
        row = EnvRow(key, value, secret=self.secret, live=True)
        await self._rows_box.mount(row)
        # Deferred by Textual until the row's inputs are mounted.
        row.key_input.focus()
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
        if self.secret:
            secret_rows = self.secret_rows()
            removed = sum(1 for r in secret_rows if r.state == "remove")
            kept = len(secret_rows) - removed
            new = sum(1 for r in self.edit_rows() if not r.blank)
            parts = [f"{kept + new} secret(s)"]
            if removed:
                parts.append(f"{removed} to remove")
            text = Text(", ".join(parts), style="dim")
        else:
            text = Text(f"{len(self.env())} variable(s)", style="dim")
        update_if_changed(self._summary, text, layout=False)
