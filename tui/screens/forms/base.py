"""What every resource form shares: inline checks, submit, server errors, drafts, Esc.

A form never calls HTTP itself. It is given a `submit` coroutine function, called with the
request's keyword arguments once every check passes (edit forms: only the changed fields, after
the old → new review). Success dismisses the form with what `submit` returned; any failure keeps
the form open with everything as typed: `invalid_arguments` details land on their fields, any
other error (409, 500, a dropped connection…) shows in the form.

While the user types, the form's values (secret values left out) are saved as a draft after a
short pause, so a quit, a crash or a dropped SSH session loses nothing; a successful submit or
an explicit discard removes the draft.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, Switch, TextArea

from tui.api.errors import AlreadyExistsError, InvalidArgumentsError, ScwError
from tui.resources import style_path
from tui.screens.forms import drafts
from tui.screens.forms.confirm import discard_changes_dialog
from tui.screens.forms.review import Change, ReviewScreen
from tui.text import safe_text
from tui.widgets.env_editor import EnvEditor
from tui.widgets.form_field import FormField

log = logging.getLogger(__name__)

SubmitFn = Callable[[dict[str, Any]], Awaitable[Any]]

DRAFT_DELAY_S = 0.4


class FormBody(VerticalScroll, can_focus=False):
    """The scrolling field list. Not focusable: a focus change on a container restyles every
    widget inside it, which costs a visible pause on a form this size."""


class ResourceForm(ModalScreen[Any]):
    """Base of the namespace, container, cron, domain and token forms."""

    CSS_PATH = str(style_path("forms.tcss"))
    AUTO_FOCUS = None  # on_mount focuses the first field
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.submit"),
        # Only reached when no text input has focus (an Input consumes printable keys).
        Binding("q", "cancel", "Cancel", show=False),
    ]

    kind: ClassVar[str] = "resource"
    # Server argument names that belong to a field with another name.
    FIELD_ALIASES: ClassVar[dict[str, str]] = {}
    # Keys of `field_values()` that belong to a field with another name (else FIELD_ALIASES).
    VALUE_FIELDS: ClassVar[dict[str, str]] = {
        "env": "environment_variables",
        "sealed_env": "secret_environment_variables",
    }
    # The field a 409 already_exists concerns.
    UNIQUE_FIELD: ClassVar[str | None] = "name"

    def __init__(
        self,
        *,
        submit: SubmitFn,
        original: Any = None,
        draft_key: str | None = None,
        draft_context: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(classes="form-screen")
        self._submit_fn = submit
        self.original = original
        self.mode = "edit" if original is not None else "create"
        self.draft_key = draft_key
        self.draft_context = dict(draft_context or {})
        self._restore = dict(initial) if initial else None
        self._touched: set[str] = set()
        self._server_errors: dict[str, str] = {}
        self._submit_attempted = False
        self._ready = False
        self._busy = False
        self._finished = False
        self._baseline: dict[str, Any] = {}
        self._draft_timer: Timer | None = None
        self._pending_draft: dict[str, Any] | None = None
        self._draft_saved = False

    # ------------------------------------------------------------------ for subclasses

    def title_text(self) -> str:
        raise NotImplementedError

    def submit_label(self) -> str:
        return "Create" if self.mode == "create" else "Review changes…"

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def field_values(self) -> dict[str, Any]:
        """Every value as typed, JSON-ready and without any secret value (drafts, dirtiness)."""
        raise NotImplementedError

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        """Put back values from `field_values()` (a restored draft)."""
        raise NotImplementedError

    def check(self) -> dict[str, str]:
        """Client-side problems by field name (DESIGN.md's rules table)."""
        raise NotImplementedError

    def build_request(self) -> dict[str, Any]:
        """Keyword arguments for `submit`: everything on create, changed fields on edit."""
        raise NotImplementedError

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        """Old → new rows and notes for the edit review."""
        raise NotImplementedError

    def refresh_hints(self) -> None:
        """Update derived read-outs (CPU for a memory limit, cron reading…)."""

    def draft_title(self, values: Mapping[str, Any]) -> str:
        name = values.get("name")
        if self.mode == "create" and isinstance(name, str) and name.strip():
            return f"{self.title_text()}: {name.strip()}"
        return self.title_text()

    def has_secret_input(self) -> bool:
        return any(editor.has_secret_input for editor in self.query(EnvEditor))

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes=f"form {self.kind}-form"):
            yield Static(Text(self.title_text()), id="form-title", markup=False)
            with FormBody(id="form-body"):
                yield from self.compose_fields()
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Static(Text("Esc cancel · Ctrl+S save", style="dim"), id="form-keys")
                yield Button("Cancel", id="form-cancel", compact=True)
                yield Button(self.submit_label(), id="form-submit", variant="primary", compact=True)

    async def on_mount(self) -> None:
        self._fit_body()
        self._baseline = self.field_values()
        if self._restore:
            await self.apply_values(self._restore)
            self._draft_saved = True  # it came from the store and stays there until resolved
            current = self.field_values()
            # What the draft brought counts as typed: its problems show at once.
            self._touched.update(
                self.VALUE_FIELDS.get(k) or self.FIELD_ALIASES.get(k, k)
                for k, v in current.items()
                if self._baseline.get(k) != v
            )
        self._refresh_checks()
        self._show_form_error(None)
        self.call_after_refresh(self._become_ready)
        first = self._first_input()
        if first is not None:
            first.focus()

    # Rows the dialog needs around its fields: border 2, title 2, error line 3, buttons 2.
    CHROME_ROWS: ClassVar[int] = 9

    def _fit_body(self) -> None:
        # `vh`/`%` max-heights are not honoured by the dialog's auto height: set rows instead.
        body = self.query_one("#form-body")
        body.styles.max_height = max(5, self.size.height - self.CHROME_ROWS)

    def on_resize(self) -> None:
        self._fit_body()

    def _become_ready(self) -> None:
        self._ready = True

    def _first_input(self) -> Widget | None:
        for selector in ("#form-body Input", "#form-body TextArea", "#form-body Select"):
            for widget in self.query(selector):
                if widget.focusable and widget.display and not widget.disabled:
                    return widget
        return None

    # ------------------------------------------------------------------ changes

    def field_of(self, widget: Widget) -> str | None:
        for node in (widget, *widget.ancestors):
            if isinstance(node, FormField):
                return node.field
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Switch.Changed)
    @on(TextArea.Changed)
    @on(EnvEditor.Changed)
    def _control_changed(
        self,
        event: Input.Changed
        | Select.Changed
        | Switch.Changed
        | TextArea.Changed
        | EnvEditor.Changed,
    ) -> None:
        if not self._ready:
            return
        field = self.field_of(event.control)
        if field is not None:
            self._touched.add(field)
            self._server_errors.pop(field, None)
        self._refresh_checks()
        self._schedule_draft()

    def shows_errors_for(self, field: str) -> bool:
        return self._submit_attempted or field in self._touched

    def _refresh_checks(self) -> dict[str, str]:
        errors = self.check()
        self.refresh_hints()
        for form_field in self.query(FormField):
            name = form_field.field
            message = errors.get(name) if self.shows_errors_for(name) else None
            form_field.set_error(message or self._server_errors.get(name))
        return errors

    def is_dirty(self) -> bool:
        if self._finished:
            return False
        return self.field_values() != self._baseline or self.has_secret_input()

    # ------------------------------------------------------------------ drafts

    def _schedule_draft(self) -> None:
        if self.draft_key is None or self._finished:
            return
        values = self.field_values()
        if values == self._baseline:
            self._pending_draft = None
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            if self._draft_saved:
                drafts.clear(self.app, self.draft_key)
                self._draft_saved = False
            return
        self._pending_draft = {
            "form": self.kind,
            "mode": self.mode,
            "title": self.draft_title(values),
            "context": self.draft_context,
            "values": values,
        }
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_S, self._write_draft)

    def _write_draft(self) -> None:
        self._draft_timer = None
        if self._pending_draft is None or self.draft_key is None or self._finished:
            return
        drafts.save(self.app, self.draft_key, self._pending_draft)
        self._pending_draft = None
        self._draft_saved = True

    def _forget_draft(self) -> None:
        self._finished = True
        self._pending_draft = None
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self.draft_key is not None:
            drafts.clear(self.app, self.draft_key)

    def on_unmount(self) -> None:
        # Quit while typing: the debounce timer has not fired yet, write what it would have.
        if not self._finished and self._pending_draft is not None and self.draft_key:
            drafts.save(self.app, self.draft_key, self._pending_draft)
            self._pending_draft = None

    # ------------------------------------------------------------------ cancel

    def action_cancel(self) -> None:
        if self._busy:
            self.notify("The request is on its way; wait for its answer.", markup=False)
            return
        if self.is_dirty():
            self.app.push_screen(discard_changes_dialog(), self._discard_answer)
        else:
            self._forget_draft()
            self.dismiss(None)

    def _discard_answer(self, discard: bool | None) -> None:
        if discard:
            self._forget_draft()
            self.dismiss(None)

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    # ------------------------------------------------------------------ submit

    @on(Button.Pressed, "#form-submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Input.Submitted)
    def _enter_pressed(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self._busy or self._finished:
            return
        self._submit()

    @work(group="form-submit", exit_on_error=False)
    async def _submit(self) -> None:
        self._submit_attempted = True
        errors = self._refresh_checks()
        if errors:
            count = len(errors)
            self._show_form_error(
                f"{count} field{'s' if count > 1 else ''} to fix before sending: "
                + ", ".join(sorted(errors))
            )
            self._focus_field(next(iter(self._field_order(errors))))
            return
        request = self.build_request()
        if self.mode == "edit":
            if not request:
                self._show_form_error("Nothing changed.", error=False)
                return
            changes, notes = self.review(request)
            confirmed = await self.app.push_screen_wait(
                ReviewScreen(f"Review: {self.title_text()}", changes, notes, confirm="Save")
            )
            if not confirmed:
                return
        self._set_busy(True)
        try:
            result = await self._submit_fn(request)
        except InvalidArgumentsError as exc:
            self._apply_server_errors(exc)
        except ScwError as exc:
            if isinstance(exc, AlreadyExistsError) and self.UNIQUE_FIELD:
                self._server_errors[self.UNIQUE_FIELD] = exc.message
                self._refresh_checks()
            message = str(exc)
            if exc.maybe_applied:
                message += " — the change may have been applied anyway: check before retrying."
            self._show_form_error(message)
        except Exception as exc:
            # A bug or an unexpected failure must not throw away what was typed.
            log.warning("form submit failed: %s", type(exc).__name__)
            self._show_form_error(f"Failed: {type(exc).__name__}: {exc}")
        else:
            self._forget_draft()
            self.dismiss(result)
            return
        finally:
            if not self._finished:
                self._set_busy(False)

    def _apply_server_errors(self, exc: InvalidArgumentsError) -> None:
        known = {f.field for f in self.query(FormField)}
        leftovers: list[str] = []
        for argument, message in exc.field_errors().items():
            field = self._field_for_argument(argument, known)
            if field is None:
                leftovers.append(f"{argument}: {message}")
            else:
                self._server_errors[field] = message
        self._refresh_checks()
        summary = exc.message or "The server refused some values."
        if leftovers:
            summary += " — " + "; ".join(leftovers)
        self._show_form_error(summary)
        if self._server_errors:
            self._focus_field(next(iter(self._field_order(self._server_errors))))

    def _field_for_argument(self, argument: str, known: set[str]) -> str | None:
        # "secret_environment_variables[0].value", "environment_variables.FOO" → their field.
        base = argument.split(".", 1)[0].split("[", 1)[0]
        for candidate in (argument, base):
            name = self.FIELD_ALIASES.get(candidate, candidate)
            if name in known:
                return name
        return None

    def _field_order(self, fields: Iterable[str]) -> list[str]:
        wanted = set(fields)
        ordered = [f.field for f in self.query(FormField) if f.field in wanted]
        return ordered or sorted(wanted)

    def _focus_field(self, field: str) -> None:
        for form_field in self.query(FormField):
            if form_field.field == field:
                form_field.scroll_visible()
                # A dormant env row (EnvRow) takes the focus for its inputs.
                for widget in form_field.query("Input, Select, TextArea, Switch, Button, EnvRow"):
                    if widget.focusable and widget.display and not widget.disabled:
                        widget.focus()
                        return
                return

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        try:
            submit = self.query_one("#form-submit", Button)
        except NoMatches:  # the form is going away (app exit during a request)
            return
        submit.disabled = busy
        submit.label = "Sending…" if busy else self.submit_label()
        if busy:
            self._show_form_error("Sending…", error=False)

    def _show_form_error(self, message: str | None, *, error: bool = True) -> None:
        line = self.query_one("#form-error", Static)
        line.set_class(error and bool(message), "-error")
        line.update(safe_text(("✗ " if error else "") + message) if message else Text(""))
        line.display = bool(message)

    @property
    def form_error(self) -> str:
        """The message shown under the fields (tests and screen readers)."""
        line = self.query_one("#form-error", Static)
        rendered = line.render()
        return rendered.plain if isinstance(rendered, Text) else str(rendered)

    def field_error(self, field: str) -> str | None:
        for form_field in self.query(FormField):
            if form_field.field == field:
                return form_field.error
        return None
