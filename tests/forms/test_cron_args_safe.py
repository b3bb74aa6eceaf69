"""The cron form's JSON args editor never holds a control, bidi or zero-width character raw.

`SafeTextArea` stores each such character as its `\\uXXXX` escape as it comes in (typed, pasted,
loaded from the server or a draft): inside a JSON string that reads back as the same character,
so a pasted value still means what it meant, and the terminal never receives it raw.
"""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button, Input

from tui.emulator.seed import DEMO_READY_CONTAINER_ID
from tui.screens.forms import flows
from tui.screens.forms.cron import CronForm
from tui.screens.forms.review import ReviewScreen
from tui.widgets.safe_input import SafeTextArea, escaped

from .conftest import set_input, wait_for_screen, wait_until

UNSAFE = [
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    "\u061c",
    "\u200b",
    "\u200e",
    "\u2028",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ud800",
]
RAW_NEVER = ("\x1b[31m", "\x1b[2J", "\x1b]0;", "\x07", "\x9b", "\u202e", "\u200b", "\ufeff")
# What a user pastes: a JSON object whose strings hold terminal sequences and bidi/zero-width
# characters raw, over Windows line ends.
PASTED = (
    '{\r\n  "a": "x\x1b[31my\x07",\r\n  "b": "\u202eevil\u200b\x9b6n",\r\n'
    '\t"c": "\x1b]0;t\x07"\r\n}'
)
MEANT = {"a": "x\x1b[31my\x07", "b": "\u202eevil\u200b\x9b6n", "c": "\x1b]0;t\x07"}


def terminal_output(app: App[Any]) -> str:
    """What a terminal receives for a full repaint of the screen, escape sequences included."""
    update: Any = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
    console = Console(force_terminal=True, color_system="truecolor", file=io.StringIO())
    return str(update.render_segments(console))


def assert_nothing_raw(app: App[Any], args: SafeTextArea) -> None:
    held = [ch for ch in UNSAFE if ch not in "\t\n" and ch in args.text]
    assert not held, f"the text area holds {held!r}"
    output = terminal_output(app)
    leaked = [seq for seq in RAW_NEVER if seq in output]
    assert not leaked, f"raw {leaked!r} reached the terminal"


def test_escaped_keeps_tabs_and_newlines_and_the_json_meaning() -> None:
    text = escaped(PASTED)
    assert "\r" not in text and "\t" in text and text.count("\n") == 4
    assert all(ch not in text for ch in UNSAFE if ch not in "\t\n")
    assert text.isascii()
    assert json.loads(text) == MEANT  # invalid JSON before (raw controls in strings), same value
    for ch in UNSAFE:
        if ch not in "\t\n\r":
            assert escaped(ch) == f"\\u{ord(ch):04x}"
    assert escaped('{"k": "é 日本 \\u001b"}') == '{"k": "é 日本 \\u001b"}'  # untouched


async def _open_create_form(h: Any, pilot: Any) -> tuple[CronForm, SafeTextArea]:
    container = await h.app.client.get_container(
        container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
    )
    h.app.run_flow(flows.create_cron_flow(h.app, container), "cron")
    form = await wait_for_screen(pilot, CronForm)
    args = form.query_one("#args", SafeTextArea)
    return form, args


async def paste(pilot: Any, text: str) -> None:
    """A bracketed paste, delivered as the terminal driver does (to the focused widget)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()


async def test_pasted_hostile_json_is_stored_escaped_and_saved_with_its_meaning(
    make_app: Any,
) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        form, args = await _open_create_form(h, pilot)
        await set_input(pilot, "#schedule", "*/10 * * * *")
        await set_input(pilot, "#name", "hostile-args")
        args.focus()
        await pilot.pause()
        await paste(pilot, PASTED)
        assert args.text == escaped(PASTED)
        assert_nothing_raw(pilot.app, args)
        assert args.cursor_location == args.document.end  # after the paste, as typed
        assert form.field_error("args") is None
        # Typed keys and undo keep it clean too.
        await pilot.press("ctrl+z")
        assert args.text == ""
        await pilot.press("ctrl+y")
        assert args.text == escaped(PASTED)

        # The server fails: the form stays as typed.
        await h.control.faults(error_rate=1.0, statuses=[500])
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: bool(form.form_error) and "Sending" not in form.form_error,
            message="the failure shown",
        )
        await h.control.clear_faults()
        assert isinstance(pilot.app.screen, CronForm)
        assert args.text == escaped(PASTED)
        assert form.query_one("#schedule", Input).value == "*/10 * * * *"
        assert form.query_one("#name", Input).value == "hostile-args"
        assert_nothing_raw(pilot.app, args)

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CronForm))
        method, path, body = h.counter.bodies[-1]
        assert (method, path.rsplit("/", 1)[-1]) == ("POST", "crons")
        assert body["args"] == MEANT  # exactly what was pasted
        crons = await h.app.client.list_crons_all(
            container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
        )
        assert next(c for c in crons if c.name == "hostile-args").args == MEANT


async def test_invalid_json_is_reported_at_the_field_and_kept(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        form, args = await _open_create_form(h, pilot)
        await set_input(pilot, "#schedule", "*/10 * * * *")
        args.focus()
        await pilot.pause()
        await paste(pilot, '{"a": "x\x1b[2J"')
        assert_nothing_raw(pilot.app, args)
        mark = h.counter.mark()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CronForm)
        problem = form.field_error("args")
        assert problem is not None and "JSON" in problem
        assert "\x1b" not in problem
        assert args.text == '{"a": "x\\u001b[2J"'
        assert [r for r in h.counter.since(mark) if r[0] != "GET"] == []
        await pilot.press("end", *"}")  # finishing it by hand makes it valid
        await pilot.pause()
        assert args.text == '{"a": "x\\u001b[2J"}'
        assert form.field_error("args") is None


async def test_args_from_the_server_are_shown_escaped_and_unchanged_if_untouched(
    make_app: Any,
) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await h.app.client.get_container(
            container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
        )
        stored = {**MEANT, "name": "café 日本", "\x1b[2Jkey": "\u2066v\x85"}
        cron = await h.app.client.create_cron(
            container_id=container.id, schedule="0 1 * * *", args=stored, region="fr-par"
        )
        h.app.run_flow(flows.edit_cron_flow(h.app, cron, container), "cron")
        form = await wait_for_screen(pilot, CronForm)
        args = form.query_one("#args", SafeTextArea)
        assert_nothing_raw(pilot.app, args)
        assert "café 日本" in args.text  # readable, not \\u escaped
        assert json.loads(args.text) == stored
        await set_input(pilot, "#schedule", "0 2 * * *")
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        sent = len(h.counter.bodies)  # the cron's creation above
        review.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: len(h.counter.bodies) > sent)
        method, path, body = h.counter.bodies[-1]
        assert (method, path.rsplit("/", 1)[-1]) == ("PATCH", cron.id)
        assert body == {"schedule": "0 2 * * *"}  # the args, untouched, are not re-sent


class DraftApp(App[None]):
    def __init__(self, form: CronForm) -> None:
        super().__init__()
        self._form = form

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.push_screen(self._form)


async def _never(request: dict[str, Any]) -> Any:
    raise AssertionError("nothing is sent here")


async def test_a_restored_draft_and_text_set_in_code_are_escaped_too() -> None:
    from tui.api.models import Container

    container = Container(id="ct-1", name="web", namespace_id="ns-1", status="ready")
    form = CronForm(
        submit=_never, container=container, initial={"schedule": "* * * * *", "args": PASTED}
    )
    app = DraftApp(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        args = form.query_one("#args", SafeTextArea)
        assert args.text == escaped(PASTED)
        assert_nothing_raw(app, args)
        args.text = "\x1b[2J"
        assert args.text == "\\u001b[2J"
        args.insert("\u202e", (0, 0))
        assert args.text == "\\u202e\\u001b[2J"
        args.replace("\x07", (0, 0), (0, 6))
        await pilot.pause()
        assert args.text == "\\u0007\\u001b[2J"
        assert_nothing_raw(app, args)
        assert form.field_values()["args"] == args.text
