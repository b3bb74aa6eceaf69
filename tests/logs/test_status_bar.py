"""The log view's status line: calm while polls are on time, the age once one is overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App, ComposeResult

from tui.widgets.log_toolbar import STALE_AFTER_S, LogStatusBar


class _Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield LogStatusBar()


def _show(bar: LogStatusBar, last_success: datetime | None) -> None:
    state: dict[str, Any] = {
        "follow": True,
        "new_lines": 0,
        "lines": 12,
        "capacity": 100_000,
        "matches": None,
        "filtering": None,
        "time_range": "all",
        "time_mode": "local",
        "wrap": False,
        "connection": "live",
        "error": None,
        "retry_in_s": None,
    }
    bar.show(**state, last_success=last_success)


async def test_on_time_it_says_live_and_does_not_repaint_every_second() -> None:
    app = _Bar()
    async with app.run_test(size=(100, 3)) as pilot:
        bar = app.query_one(LogStatusBar)
        now = datetime.now(UTC)
        _show(bar, now)
        shown = bar._shown
        assert shown is not None and shown.plain.rstrip().endswith("live")
        _show(bar, now - timedelta(seconds=3))  # a second tick later: nothing new to draw
        assert bar._shown is shown
        _show(bar, now - timedelta(seconds=STALE_AFTER_S + 4))
        await pilot.pause()
        text = str(bar.render())
        assert f"last poll {STALE_AFTER_S + 4:.0f} s ago" in text
