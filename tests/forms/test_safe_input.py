"""SafeInput: what a form input holds never reaches the terminal raw (bugs-e2e.md #2).

Each control, bidi-override or zero-width character shows as one visible one-cell glyph; the
value (what is sent) stays exactly as typed, and the cursor, clicks and selection stay on the
right character.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.api.models import Container, Namespace
from tui.screens.forms.base import ResourceForm
from tui.screens.forms.confirm import DeleteConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.namespace import NamespaceForm
from tui.widgets.env_editor import EnvEditor
from tui.widgets.safe_input import SafeInput, visible

ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x1b[31m\x9b6n"  # clear, set title + BEL, colour, 8-bit CSI
RTL = "\u202eevil\u202c"
ZERO_WIDTH = "a\u200bb\u200dc\ufeffd"
HOSTILE = f"x{ESCAPES}{RTL}{ZERO_WIDTH}\x7f\t\n\x85\u2066y"
RAW_NEVER = ("\x1b[2J", "\x1b]0;", "\x1b[31m", "\x07", "\x9b", "\u202e", "\u200b", "\ufeff")


def terminal_output(app: App[Any]) -> str:
    """What a terminal receives for a full repaint of the screen, escape sequences included."""
    update: Any = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
    console = Console(force_terminal=True, color_system="truecolor", file=io.StringIO())
    return str(update.render_segments(console))


def screen_text(app: App[Any]) -> str:
    update: Any = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
    return "\n".join("".join(s.text for strip in line for s in strip) for line in update.strips)


def assert_nothing_raw(app: App[Any]) -> None:
    output = terminal_output(app)
    leaked = [seq for seq in RAW_NEVER if seq in output]
    assert not leaked, f"raw {leaked!r} reached the terminal"


def test_each_unsafe_character_becomes_one_visible_cell() -> None:
    shown = visible(HOSTILE)
    assert len(shown) == len(HOSTILE) == cell_len(shown)
    assert shown.startswith("x␛[2J␛]0;pwned␇␛[31m�6n")
    assert "\u202e" not in shown and "\u200b" not in shown and "\ufeff" not in shown
    assert "␡␉␊" in shown  # DEL, TAB, newline
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0x202E, 0x2066, 0xFEFF]:
        glyph = visible(chr(code))
        assert len(glyph) == 1 and cell_len(glyph) == 1 and glyph != chr(code), hex(code)
    assert visible("plain ascii, é, 日本") == "plain ascii, é, 日本"  # untouched


class InputsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield SafeInput(HOSTILE, id="plain", compact=True)
        yield SafeInput(placeholder="delete " + ESCAPES, id="placeholder", compact=True)
        yield SafeInput(HOSTILE, id="password", password=True, compact=True)
        yield Input("ok", id="stock", compact=True)


async def test_rendered_screen_holds_no_raw_sequence_and_the_value_is_kept() -> None:
    app = InputsApp()
    async with app.run_test(size=(120, 8)) as pilot:
        plain = app.query_one("#plain", SafeInput)
        await pilot.pause()
        assert_nothing_raw(app)
        text = screen_text(app)
        assert "x␛[2J␛]0;pwned␇" in text and "delete ␛[2J" in text
        assert plain.value == HOSTILE  # what is sent is what was typed
        # Typing keeps every character: the value is edited, never its picture.
        plain.focus()
        await pilot.press("end", "Z")
        assert plain.value == HOSTILE + "Z"
        assert_nothing_raw(app)


async def test_cursor_and_clicks_land_on_the_right_character() -> None:
    app = InputsApp()
    async with app.run_test(size=(120, 8)) as pilot:
        plain = app.query_one("#plain", SafeInput)
        plain.value = "a\x1bb\u202ec"
        plain.focus()
        await pilot.pause()
        # One cell per character: the stock Input counts ESC and U+202E as zero cells wide.
        assert [plain._position_to_cell(i) for i in range(6)] == [0, 1, 2, 3, 4, 5]
        assert [plain._cell_offset_to_index(x) for x in range(6)] == [0, 1, 2, 3, 4, 5]
        plain.cursor_position = 3
        await pilot.pause()
        x = plain.cursor_screen_offset.x - plain.content_region.x
        assert x == 3
        # A click on the 4th cell puts the cursor before the 4th character.
        await pilot.click(plain, offset=(4, 0))
        assert plain.cursor_position == 4
        await pilot.press("X")
        assert plain.value == "a\x1bb\u202eXc"
        password = app.query_one("#password", SafeInput)
        assert password._position_to_cell(len(HOSTILE)) == len(HOSTILE)


# ---------------------------------------------------------------------- the forms use it


async def _never(request: dict[str, Any]) -> Any:
    raise AssertionError("nothing is sent here")


class FormApp(App[None]):
    def __init__(self, screen: Any) -> None:
        super().__init__()
        self._form = screen

    def compose(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.push_screen(self._form)


HOSTILE_CONTAINER = Container(
    id="ct-1",
    name="web",
    namespace_id="ns-1",
    status="ready",
    region="fr-par",
    registry_image="nginx:1.27",
    description=HOSTILE,
    environment_variables={"EVIL": HOSTILE, "PLAIN": "v"},
)
HOSTILE_NAMESPACE = Namespace(
    id="ns-1",
    name="shop",
    region="fr-par",
    status="ready",
    description=HOSTILE,
    environment_variables={"EVIL": HOSTILE},
)


@pytest.mark.parametrize(
    "make_form",
    [
        lambda: ContainerForm(
            submit=_never, namespaces=[HOSTILE_NAMESPACE], original=HOSTILE_CONTAINER
        ),
        lambda: NamespaceForm(submit=_never, original=HOSTILE_NAMESPACE),
        lambda: ContainerForm(
            submit=_never,
            namespaces=[HOSTILE_NAMESPACE],
            namespace_id="ns-1",
            initial={"name": "n" + ESCAPES, "env": {"rows": [["K" + ESCAPES, HOSTILE]]}},
        ),
    ],
    ids=["container-edit", "namespace-edit", "container-draft"],
)
async def test_forms_filled_with_hostile_values_send_nothing_raw(make_form: Any) -> None:
    app = FormApp(make_form())
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ResourceForm)
        inputs = list(form.query(Input))
        assert inputs and all(isinstance(i, SafeInput) for i in inputs)
        assert_nothing_raw(app)  # env rows drawn dormant
        editor = form.query_one("#env", EnvEditor)
        for row in editor.edit_rows():
            await row.go_live()
        await pilot.pause()
        assert_nothing_raw(app)  # and as live inputs
        rows = [(row.key, row.value) for row in editor.edit_rows()]
        assert any(value == HOSTILE or ESCAPES in key for key, value in rows)  # kept as is


async def test_delete_confirmation_placeholder_is_the_name_made_visible() -> None:
    app = FormApp(DeleteConfirmScreen("container", "web" + ESCAPES, require_name=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen.query_one("#confirm-name", Input), SafeInput)
        assert_nothing_raw(app)
        assert "web␛[2J" in screen_text(app)
