"""The detail pane on its own: what is shown while its tabs mount is not lost (issue 10, item 0),
and values that don't fit are cut with an ellipsis, never wrapped mid-value (items 1/3)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static, TabbedContent

from tui.widgets.details import DetailsPane, _Fields


class RacyDetails(DetailsPane):
    """Shows something at the exact moment the tabs are being mounted: what the first poll's
    answer does under load (it lands during `await self.mount(tabbed)`)."""

    def mount(self, *widgets: Any, **kwargs: Any) -> Any:
        awaitable = super().mount(*widgets, **kwargs)
        if any(isinstance(w, TabbedContent) for w in widgets):
            self.show_region("fr-par", [], {}, loaded=True)
        return awaitable


class DetailsApp(App[None]):
    def __init__(self, pane: DetailsPane) -> None:
        super().__init__()
        self.pane = pane

    def compose(self) -> ComposeResult:
        yield self.pane


def body_text(pane: DetailsPane) -> str:
    renderable = pane.query_one("#details-body", Static).content
    console = pane.app.console
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


async def test_what_is_shown_while_the_tabs_mount_is_not_lost() -> None:
    pane = RacyDetails(id="details")
    app = DetailsApp(pane)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            if pane.tabs_ready:
                break
            await pilot.pause(0.02)
        assert pane.tabs_ready
        await pilot.pause()
        shown = body_text(pane)
        assert "No namespaces in this region yet." in shown
        assert "loading" not in shown


async def test_a_long_value_is_cut_with_an_ellipsis_not_wrapped() -> None:
    fields = _Fields()
    url = "https://web-0000-0000-0000-000000000001.functions.fnc.fr-par.scw.cloud/long/path"
    fields.add_row("Endpoint", Text(url))
    fields.add_row("Description", Text("a description in words " * 4), wrap=True)
    app = DetailsApp(DetailsPane())
    async with app.run_test(size=(60, 20)):
        lines = fields.render(app.console, 14 + 40).plain.split("\n")
    assert lines[0] == "Endpoint      " + url[:39] + "…"
    # Prose still wraps, under the value column.
    assert lines[1].startswith("Description   a description")
    assert len(lines) > 3 and all(line.startswith(" " * 14) for line in lines[2:])


def test_a_url_folds_after_a_separator_never_mid_word() -> None:
    fields = _Fields()
    url = "https://shop10000000-web.functions.fnc.fr-par.scw.cloud"
    fields.add_row("Endpoint", Text(url), wrap="separators")
    lines = fields.render(Console(width=80), 14 + 30).plain.split("\n")
    parts = [line[14:] for line in lines]
    assert "".join(parts) == url
    assert all(part[-1] in "/.-:" for part in parts[:-1]), parts


def test_a_took_lower_bound_of_nothing_reads_unknown() -> None:
    from tui.widgets.timeline_view import format_duration

    assert format_duration(0.0, lower_bound=True) == "—"
    assert format_duration(0.4, lower_bound=True) == "—"
    assert format_duration(12.0, lower_bound=True) == "≥ 12 s"
    assert format_duration(0.4) == "0.4 s"  # measured: shown as it is
    assert format_duration(None) == "—"
