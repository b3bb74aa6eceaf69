"""Lines not from today carry their date in the time column (issue 10, item 8): the demo's
history is a year old while new lines are from today, and the time alone hid that."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult

from tui.live.logbuffer import LogEntry, now_micros, to_micros
from tui.widgets.log_view import LogView


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LogView(time_mode="utc", id="view")


def row_text(view: LogView, entry: LogEntry) -> str:
    return view._entry_strips(entry, 120)[0].text


async def test_dates_show_only_when_a_line_is_not_from_today() -> None:
    app = ViewApp()
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(LogView)
        today = LogEntry(now_micros(), "b", "from today")
        view.add_entries([today])
        await pilot.pause()
        assert row_text(view, today).startswith(datetime.now(UTC).strftime("%H:%M")), (
            "no date column while every line is from today"
        )

        old_moment = datetime(2025, 1, 6, 9, 39, 23, tzinfo=UTC)
        old = LogEntry(to_micros(old_moment), "a", "from the history")
        view.add_entries([old])
        await pilot.pause()
        assert row_text(view, old).startswith("2025-01-06 09:39:23.000Z ")
        # Today's lines keep the column aligned, with a blank date.
        shown_today = row_text(view, today)
        assert shown_today.startswith(" " * 11)
        assert shown_today.index("from today") == row_text(view, old).index("from the history")

        view.time_mode = "relative"  # "410d ago" says it already
        await pilot.pause()
        assert not row_text(view, old).startswith("2025")

        view.time_mode = "utc"
        view.clear()
        again = LogEntry(now_micros(), "c", "again today")
        view.add_entries([again])
        await pilot.pause()
        assert not row_text(view, again).startswith(" ")  # the old lines went: no dates
