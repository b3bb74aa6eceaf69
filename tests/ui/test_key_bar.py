"""The keys line at the bottom (`KeyBar`): what it shows, and that a click presses the key."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from tui.resources import style_path
from tui.screens.help import HelpScreen
from tui.widgets.key_bar import KeyBar

from .helpers import loaded, wait_until


def _bar_text(app: App[Any]) -> str:
    bar = app.screen.query_one(KeyBar)
    return bar.render().plain


async def test_main_screen_shows_its_keys_and_the_palette_on_the_right(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        text = _bar_text(app)
        for shown in ("/ Filter", "s Sort", "l Logs", "r Refresh", "? Help", "y JSON"):
            assert shown in text, (shown, text)
        assert text.rstrip().endswith("^p palette")
        assert len(text) == 120


async def test_narrow_terminal_keeps_refresh_and_help(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        text = _bar_text(app)
        assert "r Refresh" in text and "? Help" in text, text
        assert "Sort" not in text and "JSON" not in text  # left to the help and the palette
        assert app.screen.query_one(KeyBar).compact


async def test_click_on_a_key_presses_it(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        bar = app.screen.query_one(KeyBar)
        help_cell = next(cell for cell in bar.cells if cell.key == "question_mark")
        await pilot.click(KeyBar, offset=(help_cell.start + 1, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        # The help screen's own bar shows its own keys.
        assert "Close" in _bar_text(app) or "close" in _bar_text(app).lower()


class _Disabled(App[None]):
    CSS_PATH = style_path("key_bar.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "go", "Go"),
        Binding("b", "stop", "Stop"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.went = 0
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "stop" else True  # None: shown, but disabled

    def action_go(self) -> None:
        self.went += 1

    def action_stop(self) -> None:  # pragma: no cover - disabled, never runs
        raise AssertionError("a disabled key ran")

    def bell(self) -> None:
        self.bells += 1


async def test_a_disabled_key_is_dimmed_and_rings_instead() -> None:
    app = _Disabled()
    async with app.run_test(size=(60, 3)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        text = bar.render()
        assert "a Go" in text.plain and "b Stop" in text.plain
        go = next(cell for cell in bar.cells if cell.key == "a")
        stop = next(cell for cell in bar.cells if cell.key == "b")
        assert not stop.enabled and go.enabled
        dimmed = [span for span in text.spans if span.start >= stop.start and span.end <= stop.end]
        assert dimmed and all("dim" in str(span.style) for span in dimmed)
        await pilot.click(KeyBar, offset=(stop.start + 1, 0))
        await pilot.click(KeyBar, offset=(go.start + 1, 0))
        await pilot.pause()
        assert app.bells == 1 and app.went == 1
