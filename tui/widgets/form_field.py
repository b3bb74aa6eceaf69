"""One labelled form field: a label and its control on a line, a hint or an error below."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Label, Static

from tui.text import safe_text

_LAST_CONTENT = "_forms_last_content"


def update_if_changed(widget: Static, content: Text | str, *, layout: bool = True) -> None:
    """`widget.update(content)` unless it already shows exactly that.

    An update re-lays out the whole screen; on a form of a hundred widgets that is what makes
    typing feel slow, and most keystrokes leave hints and error lines as they were.
    """
    if getattr(widget, _LAST_CONTENT, None) == content:
        return
    setattr(widget, _LAST_CONTENT, content)
    widget.update(content, layout=layout)


class FormField(Vertical):
    """Wraps the control(s) of one request field; `field` is the API argument name."""

    def __init__(
        self,
        label: str,
        *controls: Widget,
        field: str,
        hint: str | Text = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"ff-{field}", classes=classes)
        self.field = field
        self._label = label
        self._controls = controls
        self._hint: Text = hint if isinstance(hint, Text) else Text(hint)
        self._error: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(Text(self._label), classes="field-label")
            yield from self._controls
        yield Static(self._hint, classes="field-message", markup=False)

    def on_mount(self) -> None:
        self._show()

    @property
    def error(self) -> str | None:
        return self._error

    def set_error(self, message: str | None) -> None:
        """Show `message` (untrusted: may come from the server) in place of the hint."""
        if message == self._error:
            return
        self._error = message
        self._show()

    def set_hint(self, hint: str | Text) -> None:
        new = hint if isinstance(hint, Text) else Text(hint)
        if new == self._hint:
            return
        self._hint = new
        self._show()

    def _show(self) -> None:
        try:
            line = self.query_one(".field-message", Static)
        except NoMatches:  # not composed yet: on_mount shows it
            return
        self.set_class(self._error is not None, "-invalid")
        if self._error is not None:
            update_if_changed(line, safe_text("✗ " + self._error))
        else:
            update_if_changed(line, self._hint)
        shown = bool(self._error is not None or self._hint.plain)
        if line.display != shown:
            line.display = shown
