"""A log view that renders only the visible lines of a bounded `LogBuffer` (toolong's model).

`LogView` is a `ScrollView` with `render_line`: whatever the buffer holds (100,000 lines), a
frame costs only the rows on screen. It follows new lines by default; scrolling up pauses it and
the bottom row shows "+N new lines" until a key (`f`, End) resumes. A filter (substring or
regex, case toggle) applies to every buffered line, rebuilt in chunks between event-loop turns;
matches are highlighted and `n`/`N` jump between them. It keeps a line cursor, colours stderr
and error levels, shows timestamps in UTC, local or relative time, and optional level, source
and container columns. Log text is untrusted: every message goes through `tui.text.clean`
(no markup, control characters made visible) and is cut for display (saved whole).

The widget never talks to the server: the screen feeds it entries (`add_entries`).
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import chain
from typing import ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive, var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.live.logbuffer import (
    GAP,
    LINE,
    MARKER,
    TIME_RANGES,
    FilteredRows,
    LineMatcher,
    LogBuffer,
    LogEntry,
    from_micros,
    index_in,
    nearest_index,
    now_micros,
    range_start,
    since_index,
    sort_key,
)
from tui.text import clean

TimeMode = Literal["utc", "local", "relative", "off"]
TIME_MODES: tuple[TimeMode, ...] = ("utc", "local", "relative", "off")

DISPLAY_CUT = 2_000  # characters of a message shown on one row (the rest: Enter, or save)
WRAP_CUT = 20_000  # characters shown when wrapping
# `tui.live.logtail.HISTORY_LIMIT_SOURCE`, spelled here: importing the tail module would pull
# the API client into the widgets (tests check the two agree).
HISTORY_LIMIT_SOURCE = "history-limit"
FILTER_CHUNK = 5_000  # lines filtered per event-loop turn

# Container prefixes in a merged view: one colour per container, in order of appearance.
_PREFIX_COLOURS = (
    "cyan",
    "magenta",
    "green",
    "yellow",
    "bright_blue",
    "bright_magenta",
    "bright_cyan",
    "bright_green",
)


def format_time(ts: int, mode: TimeMode, now_ts: int | None = None, *, millis: bool = True) -> str:
    """A timestamp column: "12:03:10.123Z" (utc), "12:03:10.123" (local), "12s ago" (relative)."""
    if mode == "off":
        return ""
    if mode == "relative":
        now = now_ts if now_ts is not None else now_micros()
        seconds = max(0, (now - ts) // 1_000_000)
        if seconds < 60:
            text = f"{seconds}s ago"
        elif seconds < 3600:
            text = f"{seconds // 60}m ago"
        elif seconds < 86_400:
            text = f"{seconds // 3600}h ago"
        else:
            text = f"{seconds // 86_400}d ago"
        return f"{text:>8}"
    moment = from_micros(ts)
    if mode == "local":
        moment = moment.astimezone()
    clock = moment.strftime("%H:%M:%S")
    if millis:
        clock += f".{moment.microsecond // 1000:03d}"
    return clock + ("Z" if mode == "utc" else "")


def day_of(ts: int, mode: TimeMode) -> str:
    """The date of `ts` as the time column tells it (UTC or local)."""
    moment = from_micros(ts)
    return (moment if mode == "utc" else moment.astimezone()).strftime("%Y-%m-%d")


DATE_WIDTH = 10  # "2025-01-06"


def time_width(mode: TimeMode) -> int:
    return {"utc": 13, "local": 12, "relative": 8, "off": 0}[mode]


_LEVEL_LABELS = {
    "warning": "WARN",
    "critical": "CRIT",
    "information": "INFO",
    "err": "ERROR",
    "emergency": "EMERG",
}


def level_label(level: str) -> str:
    """A level in five cells: "INFO ", "WARN ", "ERROR"."""
    lowered = level.lower()
    return _LEVEL_LABELS.get(lowered, lowered or "-").upper()[:5].ljust(5)


class LogView(ScrollView, can_focus=True):
    """The lines of a `LogBuffer`, following, filtered, searchable, with a line cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "follow", "Follow", show=False),
        Binding("left,h", "scroll_left_cols", "Left", show=False),
        Binding("right", "scroll_right_cols", "Right", show=False),
        Binding("f", "toggle_follow", "Follow", id="logs.follow"),
        Binding("n", "search_next", "Next", id="logs.next"),
        Binding("N", "search_previous", "Prev", show=False, id="logs.previous"),
        Binding("enter", "open_line", "Open line", id="logs.open"),
        Binding("t", "cycle_time", "Time", id="logs.time"),
        Binding("R", "cycle_range", "Range", id="logs.range"),
        Binding("w", "toggle_wrap", "Wrap", id="logs.wrap"),
        Binding("L", "toggle_level", "Level", show=False, id="logs.level"),
        Binding("S", "toggle_source", "Source", show=False, id="logs.source"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "log-view--timestamp",
        "log-view--level",
        "log-view--error",
        "log-view--warning",
        "log-view--debug",
        "log-view--stderr",
        "log-view--source",
        "log-view--match",
        "log-view--cursor",
        "log-view--marker",
        "log-view--gap",
        "log-view--cut",
        "log-view--badge",
    }

    follow: reactive[bool] = reactive(True, init=False)
    new_lines: reactive[int] = reactive(0, init=False)
    time_mode: var[TimeMode] = var[TimeMode]("local")
    wrap: var[bool] = var(False)
    show_level: var[bool] = var(True)
    show_source: var[bool] = var(False)
    range_index: var[int] = var(0)

    class StateChanged(Message):
        """Follow, counts, filter or display options changed (the status bar redraws)."""

        def __init__(self, view: LogView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> LogView:
            return self.view

    class LineOpened(Message):
        """Enter on a line: the screen shows it whole (pretty JSON when it is JSON)."""

        def __init__(self, view: LogView, entry: LogEntry) -> None:
            super().__init__()
            self.view = view
            self.entry = entry

        @property
        def control(self) -> LogView:
            return self.view

    def __init__(
        self,
        buffer: LogBuffer | None = None,
        *,
        merged: bool = False,
        time_mode: TimeMode = "local",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.buffer = buffer if buffer is not None else LogBuffer()
        self.filtered = FilteredRows(self.buffer)
        self.matcher: LineMatcher | None = None
        self.hide_unmatched = True
        self.merged = merged
        self.cursor: LogEntry | None = None
        self.filter_progress: float | None = None  # 0..1 while a filter is being applied
        self._interim: list[LogEntry] | None = None  # shown while a filter is being applied
        self.set_reactive(LogView.time_mode, time_mode)
        self._start = 0  # first row of `rows` inside the time range
        self._max_width = 0
        self._adjusting = False
        self._stick_pending = False
        self._prefix_width = 0
        self._prefix_styles: dict[str, Style] = {}
        self._cache: LRUCache[tuple[LogEntry, int], list[Strip]] = LRUCache(1024)
        self._layout_key: tuple[object, ...] | None = None
        self._layout: list[tuple[LogEntry, int] | None] = []
        self._style_cache: dict[str, Style] = {}
        self._frame_region: Region | None = None
        # Whether the time column shows dates: only when some line held is not from today
        # (the demo's history, a container quiet for days). Today's lines get a blank date.
        self._dated = False

    # -- what is shown ------------------------------------------------------------------------

    @property
    def rows(self) -> list[LogEntry]:
        """The sorted entries this view draws from (filtered when hiding unmatched lines).

        While a new filter is being applied it is what was shown before, so typing a pattern
        does not flash every line between two keystrokes.
        """
        if self.filtered.building and self._interim is not None:
            return self._interim
        if self.matcher is not None and self.hide_unmatched:
            return self.filtered.rows
        return self.buffer.entries

    @property
    def row_count(self) -> int:
        return max(0, len(self.rows) - self._start)

    def row(self, index: int) -> LogEntry | None:
        rows = self.rows
        i = self._start + index
        if index >= 0 and i < len(rows):
            return rows[i]
        return None

    def visible_entries(self) -> list[LogEntry]:
        """Every entry the view shows now: filtered and within the time range (for saving)."""
        return self.rows[self._start :]

    @property
    def time_range(self) -> str:
        return TIME_RANGES[self.range_index][0]

    @property
    def match_count(self) -> int | None:
        if self.matcher is None or self.filtered.building:
            return None
        return self.filtered.lines

    @property
    def cursor_row(self) -> int | None:
        if self.cursor is None:
            return None
        i = index_in(self.rows, self.cursor)
        if i is None or i < self._start:
            return None
        return i - self._start

    # -- feeding ------------------------------------------------------------------------------

    def add_entries(self, entries: Iterable[LogEntry]) -> int:
        """Store new entries and show them; returns how many were new (duplicates dropped)."""
        anchor = None if self.follow else self._top_entry()
        result = self.buffer.add(entries)
        passed = self.filtered.on_added(result)
        if not result.added and not result.dropped:
            return 0
        shown = passed if (self.matcher is not None and self.hide_unmatched) else result.added
        for entry in result.added:
            self._note_entry(entry)
        self._check_dated()
        if self.cursor is not None and index_in(self.buffer.entries, self.cursor) is None:
            self.cursor = None  # its line was forgotten (buffer bound)
        self._recompute_window()
        if not self.follow:
            self.new_lines += len(shown)
        self._sync_size(anchor)
        self._changed()
        return len(result.added)

    def clear(self) -> None:
        """Forget every line (the tail keeps its place: cleared lines do not come back)."""
        self.buffer.clear()
        self.filtered.clear()  # keeps the matcher: new lines are filtered as before
        self.filter_progress = None
        self._interim = None
        self.cursor = None
        self.new_lines = 0
        self._max_width = 0
        self._cache.clear()
        self._dated = False
        self._start = 0
        self.follow = True
        self._sync_size(None)
        self._changed()

    def _note_entry(self, entry: LogEntry) -> None:
        message = entry.message
        if entry.kind != LINE:
            width = 0
        elif message.isascii():
            width = len(message)
        else:  # wide characters take two cells
            width = cell_len(message[:DISPLAY_CUT])
        if width > self._max_width:
            self._max_width = min(width, DISPLAY_CUT + 40)
        if self.merged and entry.container and entry.container not in self._prefix_styles:
            colour = _PREFIX_COLOURS[len(self._prefix_styles) % len(_PREFIX_COLOURS)]
            self._prefix_styles[entry.container] = Style(color=colour, bold=True)
            self._prefix_width = min(24, max(self._prefix_width, cell_len(clean(entry.container))))
            self._cache.clear()

    def _recompute_window(self) -> int:
        """Where the time range starts in `rows`; returns how far it moved."""
        seconds = TIME_RANGES[self.range_index][1]
        rows = self.rows
        if seconds is None:
            start = 0
        else:
            newest = rows[-1].ts if rows else None
            start = since_index(rows, range_start(seconds, newest))
        moved = start - self._start
        self._start = start
        return moved

    def _top_entry(self) -> LogEntry | None:
        if self.wrap and self._layout:
            first = self._layout[0]
            if first is not None:
                return first[0]
        return self.row(round(self.scroll_y))

    def _sync_size(self, anchor: LogEntry | None) -> None:
        """Set the virtual size, then keep following, or keep `anchor` at the top."""
        width = self._content_width()
        self._adjusting = True
        try:
            self._set_virtual_size(Size(width, self.row_count))
            if self.follow:
                self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
            elif anchor is not None:
                self.scroll_to(y=self._row_of(anchor), animate=False, force=True)
        finally:
            self._adjusting = False
        self._layout_key = None
        self.refresh()
        if self.follow and not self._stick_pending:
            # A scrollbar may appear with this change and shrink the viewport: look again.
            self._stick_pending = True
            self.call_after_refresh(self._stick_to_end)

    def _set_virtual_size(self, size: Size) -> None:
        """Like `self.virtual_size = size`, without a layout of the whole screen each time.

        `virtual_size` is a layout reactive: assigning it re-arranges and repaints every widget
        of the screen, which cost ~20 ms per batch of lines (measured). What a new size changes
        here is the scrollbars (Textual still lays out when one appears or goes) and this
        widget's own rows.
        """
        if size == self.virtual_size:
            return
        scroll_update = getattr(self, "_scroll_update", None)  # Textual 8 internals
        if scroll_update is None or not self.is_mounted:
            self.virtual_size = size
            return
        self.set_reactive(LogView.virtual_size, size)
        scroll_update(size)
        self.refresh()

    def _stick_to_end(self) -> None:
        self._stick_pending = False
        if self.follow and round(self.scroll_y) != self.max_scroll_y:
            self._adjusting = True
            try:
                self.scroll_to(y=self.max_scroll_y, animate=False, force=True)
            finally:
                self._adjusting = False
            self._layout_key = None
            self.refresh()

    def _row_of(self, entry: LogEntry) -> int:
        rows = self.rows
        i = index_in(rows, entry)
        if i is None:
            i = nearest_index(rows, entry)
        return max(0, i - self._start)

    def _content_width(self) -> int:
        if self.wrap:
            return 0
        return self._prefix_cells() + self._max_width + 2

    def _changed(self) -> None:
        self.post_message(self.StateChanged(self))

    # -- filter and search ----------------------------------------------------------------------

    def set_filter(
        self,
        pattern: str,
        *,
        regex: bool = False,
        case_sensitive: bool = False,
        hide_unmatched: bool = True,
    ) -> str | None:
        """Filter (or only highlight) every buffered line; returns an error for a bad regex."""
        matcher: LineMatcher | None = None
        if pattern:
            try:
                matcher = LineMatcher(pattern, regex=regex, case_sensitive=case_sensitive)
            except Exception as exc:  # re.error, or an overflow from a monstrous pattern
                return f"invalid regular expression: {exc}"
        if matcher == self.matcher and hide_unmatched == self.hide_unmatched:
            return None
        anchor = self.cursor or (None if self.follow else self._top_entry())
        if not self.filtered.building:
            self._interim = self.rows
        self.matcher = matcher
        self.hide_unmatched = hide_unmatched
        self.filtered.set_matcher(matcher)
        self._cache.clear()
        if matcher is None:
            self.filter_progress = None
            self._interim = None
            self._after_filter(anchor)
        else:
            self.filter_progress = 0.0
            self._run_filter(anchor)
        self._changed()
        return None

    @work(exclusive=True, group="log-filter")
    async def _run_filter(self, anchor: LogEntry | None) -> None:
        # Chunks between event-loop turns: 100,000 lines never hold a key press for long.
        for progress in self.filtered.rebuild_steps(FILTER_CHUNK):
            self.filter_progress = progress
            if progress < 1.0:
                await asyncio.sleep(0)
        self.filter_progress = None
        self._interim = None
        self._after_filter(anchor)
        self._changed()

    def _after_filter(self, anchor: LogEntry | None) -> None:
        self.new_lines = 0
        if self.cursor is not None and index_in(self.rows, self.cursor) is None:
            self.cursor = None
        self._recompute_window()
        self._sync_size(None)
        if not self.follow and anchor is not None:
            self._scroll_to_entry(anchor, center=True)

    def search(self, forward: bool = True) -> LogEntry | None:
        """Move the cursor to the next (or previous) matching line, wrapping around.

        From the cursor; without one, forward from the top row shown, backward from the bottom
        row shown. None when nothing matches (or the filter is still being applied).
        """
        if self.matcher is None or self.filtered.building:
            return None
        matches = self.filtered.rows
        rows = self.rows
        if self._start >= len(rows) or not matches:
            return None
        n = len(matches)
        low = bisect_left(matches, sort_key(rows[self._start]), key=sort_key)
        cursor = self.cursor
        top = round(self.scroll_y)
        order: Iterable[int]
        if forward:
            if cursor is not None:
                i = bisect_right(matches, sort_key(cursor), key=sort_key)
            else:
                first = self.row(top) or rows[self._start]
                i = bisect_left(matches, sort_key(first), key=sort_key)
            order = chain(range(max(i, low), n), range(low, max(i, low)))
        else:
            if cursor is not None:
                i = bisect_left(matches, sort_key(cursor), key=sort_key)
            else:
                last = self.row(min(self.row_count - 1, top + self._viewport_height() - 1))
                i = n if last is None else bisect_right(matches, sort_key(last), key=sort_key)
            order = chain(range(i - 1, low - 1, -1), range(n - 1, max(i, low) - 1, -1))
        found = next((matches[j] for j in order if matches[j].kind == LINE), None)
        if found is None:
            return None
        self._pause()
        self._set_cursor(found, center=True)
        self._changed()
        return found

    # -- follow, cursor, scrolling ------------------------------------------------------------

    def _pause(self) -> None:
        if self.follow:
            self.follow = False

    def resume(self) -> None:
        """Follow new lines again (drops the cursor and the "+N" count)."""
        self.cursor = None
        self.new_lines = 0
        self.follow = True
        self._sync_size(None)

    def watch_follow(self, follow: bool) -> None:
        if follow:
            self.new_lines = 0
        self._changed()
        self.refresh()

    def watch_new_lines(self) -> None:
        if not self.follow:
            self.refresh_lines(round(self.scroll_y) + self.size.height - 1)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._layout_key = None
        if self._adjusting or not self.is_mounted:
            return
        if self.follow and new_value < old_value:
            self.follow = False  # the user scrolled up: stop following
        elif not self.follow and self.cursor is None and new_value >= self.max_scroll_y:
            self.follow = True  # scrolled back to the end

    def _viewport_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _scroll_to_entry(self, entry: LogEntry, *, center: bool = False) -> bool:
        """Scroll so that `entry` is on screen; returns whether it scrolled."""
        row = self._row_of(entry)
        height = self._viewport_height()
        top = round(self.scroll_y)
        target: int | None = None
        if center:
            if not top <= row < top + height - 1:
                target = max(0, row - height // 2)
        elif row < top:
            target = row
        elif row >= top + height - (1 if self.wrap else 0):
            target = row - height + 1
        if target is None or min(target, self.max_scroll_y) == top:
            return False
        self._adjusting = True
        try:
            self.scroll_to(y=target, animate=False, force=True)
        finally:
            self._adjusting = False
        self._layout_key = None
        self.refresh()
        return True

    def _set_cursor(self, entry: LogEntry | None, *, center: bool = False) -> None:
        """Move the cursor; repaints only the two rows concerned unless it had to scroll."""
        old, self.cursor = self.cursor, entry
        scrolled = entry is not None and self._scroll_to_entry(entry, center=center)
        if scrolled:
            return
        if self.wrap:
            self._layout_key = None
            self.refresh()
            return
        for changed in (old, entry):
            if changed is not None:
                row = index_in(self.rows, changed)
                if row is not None:
                    self.refresh_line(row - self._start)

    def _move_cursor(self, delta: int) -> None:
        count = self.row_count
        if count == 0:
            return
        current = self.cursor_row
        if current is None:
            height = self._viewport_height()
            top = round(self.scroll_y)
            current = min(count - 1, top + height - 1) if delta < 0 else top
            if delta < 0:
                delta += 1 if self.follow else 0
        target = max(0, min(count - 1, current + delta))
        entry = self.row(target)
        if entry is None:
            return
        self._pause()
        self._set_cursor(entry)
        self._changed()

    def action_cursor_up(self) -> None:
        self._move_cursor(-1)

    def action_cursor_down(self) -> None:
        self._move_cursor(1)

    def action_page_up(self) -> None:
        self._move_cursor(-self._viewport_height())

    def action_page_down(self) -> None:
        self._move_cursor(self._viewport_height())

    def action_top(self) -> None:
        self._pause()
        self.cursor = self.row(0)
        self._adjusting = True
        try:
            self.scroll_to(y=0, animate=False, force=True)
        finally:
            self._adjusting = False
        self._layout_key = None
        self.refresh()
        self._changed()

    def action_follow(self) -> None:
        self.resume()

    def action_toggle_follow(self) -> None:
        if self.follow:
            self.follow = False
        else:
            self.resume()

    def action_scroll_left_cols(self) -> None:
        if not self.wrap:  # forced: the horizontal scrollbar is hidden (overflow-x: hidden)
            self.scroll_to(x=max(0, self.scroll_x - 8), animate=False, force=True)

    def action_scroll_right_cols(self) -> None:
        if not self.wrap:
            self.scroll_to(x=min(self.max_scroll_x, self.scroll_x + 8), animate=False, force=True)

    def action_search_next(self) -> None:
        if self.search(True) is None:
            self.app.bell()

    def action_search_previous(self) -> None:
        if self.search(False) is None:
            self.app.bell()

    def action_open_line(self) -> None:
        entry = self.cursor
        if entry is None:
            rows = self.rows
            entry = rows[-1] if len(rows) > self._start else None
        if entry is not None:
            self.post_message(self.LineOpened(self, entry))

    # -- display options ------------------------------------------------------------------------

    def action_cycle_time(self) -> None:
        self.time_mode = TIME_MODES[(TIME_MODES.index(self.time_mode) + 1) % len(TIME_MODES)]

    def action_cycle_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(TIME_RANGES)

    def action_toggle_wrap(self) -> None:
        self.wrap = not self.wrap

    def action_toggle_level(self) -> None:
        self.show_level = not self.show_level

    def action_toggle_source(self) -> None:
        self.show_source = not self.show_source

    def _wants_dates(self) -> bool:
        entries = self.buffer.entries
        if self.time_mode not in ("utc", "local") or not entries:
            return False
        return day_of(entries[0].ts, self.time_mode) != day_of(now_micros(), self.time_mode)

    def _check_dated(self) -> None:
        """Show or hide the date column when the oldest line held changes day."""
        dated = self._wants_dates()
        if dated != self._dated:
            self._dated = dated
            self._options_changed()

    def _date_cell(self, ts: int, today: str) -> str:
        day = day_of(ts, self.time_mode)
        return (day if day != today else " " * DATE_WIDTH) + " "

    def _options_changed(self) -> None:
        self._dated = self._wants_dates()
        if not self.is_mounted:
            return
        anchor = self.cursor or (None if self.follow else self._top_entry())
        self._cache.clear()
        self._recompute_window()
        self._sync_size(anchor)
        self._changed()

    def watch_time_mode(self) -> None:
        self._options_changed()

    def watch_wrap(self) -> None:
        self._options_changed()

    def watch_show_level(self) -> None:
        self._options_changed()

    def watch_show_source(self) -> None:
        self._options_changed()

    def watch_range_index(self) -> None:
        self._options_changed()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """Once a second: relative times age, and a time range slides forward."""
        changed = False
        if TIME_RANGES[self.range_index][1] is not None:
            anchor = None if self.follow else self._top_entry()
            if self._recompute_window():
                self._sync_size(anchor)
                changed = True
        if self._wants_dates() != self._dated:
            self._check_dated()  # midnight passed
        elif self.time_mode == "relative" or changed:
            self._cache.clear()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self._cache.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._layout_key = None
        if self.wrap:
            self._cache.clear()
        if self.follow:
            self._sync_size(None)

    # -- rendering ------------------------------------------------------------------------------

    def _base(self) -> Style:
        """The widget's own colours (cached: `rich_style` walks the DOM on every call)."""
        style = self._style_cache.get("")
        if style is None:
            style = self._style_cache[""] = self.rich_style
        return style

    def _style(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._style_cache[name] = style
        return style

    def _prefix_cells(self) -> int:
        width = 0
        if self.time_mode != "off":
            width += time_width(self.time_mode) + 1
            if self._dated:
                width += DATE_WIDTH + 1
        if self.show_level:
            width += 6
        if self.show_source:
            width += 16
        if self.merged:
            width += self._prefix_width + 1
        return width

    def _prefix(self, entry: LogEntry, now_ts: int) -> Text:
        text = Text(style=self._base(), no_wrap=True, end="")
        if self.time_mode != "off":
            stamp = format_time(entry.ts, self.time_mode, now_ts)
            if self._dated:
                stamp = self._date_cell(entry.ts, day_of(now_ts, self.time_mode)) + stamp
            text.append(stamp, self._style("log-view--timestamp"))
            text.append(" ")
        if self.show_level:
            text.append(level_label(entry.level), self._level_style(entry))
            text.append(" ")
        if self.show_source:
            source = clean(entry.source)[:8].ljust(8)
            stream = clean(entry.stream)[:6].ljust(6)
            text.append(f"{source} {stream}", self._style("log-view--source"))
            text.append(" ")
        if self.merged:
            name = clean(entry.container)[: self._prefix_width].ljust(self._prefix_width)
            text.append(name, self._prefix_styles.get(entry.container, Style()))
            text.append(" ")
        return text

    def _level_style(self, entry: LogEntry) -> Style:
        return self._style(self._level_component(entry))

    def _message_text(self, entry: LogEntry, limit: int) -> Text:
        message = entry.message
        cut = len(message) > limit
        shown = clean(message[:limit] if cut else message)
        if "\t" in shown:
            shown = shown.expandtabs(4)
        component = self._message_component(entry)
        style = self._style(component) if component else Style()
        text = Text(shown, style=style, no_wrap=True, end="")
        if self.matcher is not None:
            match_style = self._style("log-view--match")
            for start, end in self.matcher.spans(shown):
                text.stylize(match_style, start, end)
        if cut:
            text.append(
                f" … (+{len(message) - limit:,} chars: Enter shows all)",
                self._style("log-view--cut"),
            )
        return text

    def _marker_text(self, entry: LogEntry, width: int) -> Text:
        mode: TimeMode = "utc" if self.time_mode == "utc" else "local"
        when = format_time(entry.shown_ts, mode, millis=False)
        label = clean(entry.message)
        if entry.container and self.merged:
            label = f"{clean(entry.container)}: {label}"
        if entry.kind == GAP:
            body = f"┄┄ gap: {label} ┄┄"
            style = self._style("log-view--gap")
            fill = "┄"
        elif entry.source == HISTORY_LIMIT_SOURCE:
            # Not an event: no time (the lines below it tell when the history starts).
            body = f"── {label} ──"
            style = self._style("log-view--gap")
            fill = "─"
        else:
            body = f"── {label} {when} ──"
            style = self._style("log-view--marker")
            fill = "─"
        rest = max(0, width - cell_len(body))
        text = Text(style=self._base(), no_wrap=True, end="")
        text.append(body + fill * rest, style)
        return text

    def _on_base(self, name: str | None) -> Style:
        """The widget's colours with a component's over them (cached)."""
        if name is None:
            return self._base()
        key = "+" + name
        style = self._style_cache.get(key)
        if style is None:
            style = self._style_cache[key] = self._base() + self._style(name)
        return style

    @staticmethod
    def _level_component(entry: LogEntry) -> str:
        level = entry.level.lower()
        if entry.is_error:
            return "log-view--error"
        if level.startswith("warn"):
            return "log-view--warning"
        if level in ("debug", "trace"):
            return "log-view--debug"
        return "log-view--level"

    @staticmethod
    def _message_component(entry: LogEntry) -> str | None:
        if entry.is_error:
            return "log-view--error"
        if entry.stream == "stderr":
            return "log-view--stderr"
        if entry.level.lower().startswith("warn"):
            return "log-view--warning"
        return None

    def _line_strip(self, entry: LogEntry, now_ts: int) -> Strip:
        """One row, built as segments directly: the hot path while lines stream in.

        (Rich `Text.render` re-combines styles at every span boundary; this is several times
        cheaper per row, and every row is new when the view follows a busy container.)
        """
        segments: list[Segment] = []
        add = segments.append
        if self.time_mode != "off":
            stamp = format_time(entry.ts, self.time_mode, now_ts)
            if self._dated:
                stamp = self._date_cell(entry.ts, day_of(now_ts, self.time_mode)) + stamp
            add(Segment(stamp + " ", self._on_base("log-view--timestamp")))
        if self.show_level:
            add(
                Segment(level_label(entry.level) + " ", self._on_base(self._level_component(entry)))
            )
        if self.show_source:
            source = clean(entry.source)[:8].ljust(8)
            stream = clean(entry.stream)[:6].ljust(6)
            add(Segment(f"{source} {stream} ", self._on_base("log-view--source")))
        base = self._base()
        if self.merged:
            name = clean(entry.container)[: self._prefix_width].ljust(self._prefix_width)
            add(Segment(name, base + self._prefix_styles.get(entry.container, Style())))
            add(Segment(" ", base))
        message = entry.message
        cut = len(message) > DISPLAY_CUT
        shown = clean(message[:DISPLAY_CUT] if cut else message)
        if "\t" in shown:
            shown = shown.expandtabs(4)
        style = self._on_base(self._message_component(entry))
        spans = self.matcher.spans(shown) if self.matcher is not None else []
        if spans:
            match_style = style + self._style("log-view--match")
            position = 0
            for start, end in spans:
                if start > position:
                    add(Segment(shown[position:start], style))
                add(Segment(shown[start:end], match_style))
                position = end
            if position < len(shown):
                add(Segment(shown[position:], style))
        elif shown:
            add(Segment(shown, style))
        if cut:
            suffix = f" … (+{len(message) - DISPLAY_CUT:,} chars: Enter shows all)"
            add(Segment(suffix, self._on_base("log-view--cut")))
        return Strip(segments)

    def _entry_strips(self, entry: LogEntry, width: int) -> list[Strip]:
        """The rows of one entry (one unless wrapping), uncropped; cached per entry."""
        is_cursor = entry is self.cursor
        key = (entry, width if self.wrap else -1)
        cached = self._cache.get(key)
        if cached is not None and not is_cursor:
            return cached
        console = self.app.console
        now_ts = now_micros()
        if entry.kind in (GAP, MARKER):
            text = self._marker_text(entry, max(width, 40))
            strips = [self._to_strip(text)]
        elif not self.wrap:
            strips = [self._line_strip(entry, now_ts)]
        else:
            prefix = self._prefix(entry, now_ts)
            indent = prefix.cell_len
            body = self._message_text(entry, WRAP_CUT)
            body.no_wrap = False
            body_width = max(10, width - indent)
            lines = body.wrap(console, body_width, overflow="fold", no_wrap=False)
            strips = []
            for n, line in enumerate(lines or [Text("")]):
                row = prefix.copy() if n == 0 else Text(" " * indent, self._base(), end="")
                row.append_text(line)
                row.end = ""
                strips.append(self._to_strip(row))
        if is_cursor:
            cursor_style = self._style("log-view--cursor")
            strips = [
                _over(
                    strip.extend_cell_length(max(width, strip.cell_length), self._base()),
                    cursor_style,
                )
                for strip in strips
            ]
        else:
            self._cache[key] = strips
        return strips

    def _wrapped_layout(self, width: int, height: int) -> list[tuple[LogEntry, int] | None]:
        """Which (entry, row of the entry) each screen row shows when wrapping."""
        key = (
            round(self.scroll_y),
            width,
            height,
            self.buffer.version,
            self._start,
            len(self.rows),
            id(self.cursor),
            self.follow,
        )
        if key == self._layout_key:
            return self._layout
        rows = self.rows
        count = self.row_count
        layout: list[tuple[LogEntry, int] | None] = []
        top = round(self.scroll_y)
        if count and (self.follow or top >= self.max_scroll_y):
            # At the end: fill from the bottom so the newest line is whole and last.
            i = len(rows) - 1
            while i >= self._start and len(layout) < height:
                entry = rows[i]
                strips = self._entry_strips(entry, width)
                layout[:0] = [(entry, n) for n in range(len(strips))]
                i -= 1
            layout = layout[-height:]
        else:
            i = self._start + top
            while i < len(rows) and len(layout) < height:
                entry = rows[i]
                strips = self._entry_strips(entry, width)
                layout.extend((entry, n) for n in range(len(strips)))
                i += 1
            layout = layout[:height]
        layout.extend([None] * (height - len(layout)))
        self._layout_key = key
        self._layout = layout
        return layout

    def render_lines(self, crop: Region) -> list[Strip]:
        # `scrollable_content_region` is computed anew on every access (~70 µs): once per frame
        # rather than twice per row.
        self._frame_region = self.scrollable_content_region
        try:
            return super().render_lines(crop)
        finally:
            self._frame_region = None

    def render_line(self, y: int) -> Strip:
        region = self._frame_region or self.scrollable_content_region
        width = region.width
        height = max(1, region.height)
        base = self._base()
        strip: Strip
        if self.wrap:
            layout = self._wrapped_layout(width, height)
            slot = layout[y] if y < len(layout) else None
            if slot is None:
                strip = Strip.blank(width, base)
            else:
                entry, n = slot
                strips = self._entry_strips(entry, width)
                strip = strips[n] if n < len(strips) else Strip.blank(width, base)
                strip = strip.crop_extend(0, width, base)
        else:
            shown = self.row(round(self.scroll_y) + y)
            if shown is None:
                strip = Strip.blank(width, base)
            else:
                scroll_x = round(self.scroll_x)
                full = self._entry_strips(shown, width)[0]
                strip = full.crop_extend(scroll_x, scroll_x + width, base)
        if y == height - 1 and not self.follow and self.new_lines > 0:
            strip = self._with_badge(strip, width)
        return strip

    def _with_badge(self, strip: Strip, width: int) -> Strip:
        badge = Text(f" ▼ +{self.new_lines:,} new lines (f: follow) ")
        badge.stylize(self._style("log-view--badge"))
        right = self._to_strip(badge)
        if right.cell_length >= width:
            return right.crop(0, width)
        left = strip.crop(0, width - right.cell_length)
        return Strip.join([left, right])

    def _to_strip(self, text: Text) -> Strip:
        # Text.render drops the base style of a Text without spans: make the widget's colours
        # an explicit span under everything else.
        text.stylize_before(self._base())
        return Strip(text.render(self.app.console), text.cell_len)


def _over(strip: Strip, style: Style) -> Strip:
    """`strip` with `style` layered over every segment (a cursor's background wins)."""
    return Strip(Segment.apply_style(list(strip), post_style=style), strip.cell_length)
