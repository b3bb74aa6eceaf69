"""The small widgets around a `LogView`: the filter bar and the status bar.

`LogFilterBar` holds the filter input and its toggles (regex, case, hide or only highlight);
it posts `Changed` on every edit and `Closed` when the user leaves it. `LogStatusBar` shows the
follow state ("FOLLOW" / "PAUSED +N"), counts, the time range and the tail's connection state.
Neither knows about the server: the screen hands them plain values.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from tui.text import clean, truncate


class LogFilterBar(Horizontal):
    """`/` opens it: a pattern, with ctrl+r (regex), ctrl+t (case) and ctrl+f (filter: hide
    other lines / find: only highlight matches, n/N jump between them)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "toggle_regex", "Regex", id="logs.filter.regex"),
        Binding("ctrl+t", "toggle_case", "Case", id="logs.filter.case"),
        Binding("ctrl+f", "toggle_hide", "Filter/Find", id="logs.filter.hide"),
        Binding("escape", "close(False)", "Clear filter", id="logs.filter.clear"),
        Binding("down", "close(True)", "To the lines", show=False),
    ]

    class Changed(Message):
        def __init__(
            self,
            bar: LogFilterBar,
            pattern: str,
            regex: bool,
            case_sensitive: bool,
            hide_unmatched: bool,
        ) -> None:
            super().__init__()
            self.bar = bar
            self.pattern = pattern
            self.regex = regex
            self.case_sensitive = case_sensitive
            self.hide_unmatched = hide_unmatched

        @property
        def control(self) -> LogFilterBar:
            return self.bar

    class Closed(Message):
        """The user left the bar: `keep` False means the filter was cleared (Esc)."""

        def __init__(self, bar: LogFilterBar, keep: bool) -> None:
            super().__init__()
            self.bar = bar
            self.keep = keep

        @property
        def control(self) -> LogFilterBar:
            return self.bar

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.regex = False
        self.case_sensitive = False
        self.hide_unmatched = True
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("/", id="log-filter-prompt")
        yield Input(placeholder="filter every buffered line", id="log-filter-input")
        yield Static(self._flags(), id="log-filter-flags")

    @property
    def input(self) -> Input:
        return self.query_one("#log-filter-input", Input)

    @property
    def pattern(self) -> str:
        return self.input.value

    def open(self) -> None:
        self.display = True
        self.input.focus()

    def set_error(self, error: str | None) -> None:
        self.error = error
        self.set_class(error is not None, "-invalid")
        self._update_flags()

    def _flags(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")

        def flag(label: str, on: bool, key: str) -> None:
            text.append(f" {key} ", "dim")
            text.append(label, "bold reverse" if on else "dim")
            text.append(" ")

        flag(".*", self.regex, "^r")
        flag("Aa", self.case_sensitive, "^t")
        flag("filter" if self.hide_unmatched else "find", True, "^f")
        if self.error:
            text.append(" " + truncate(clean(self.error), 60), "bold red")
        return text

    def _update_flags(self) -> None:
        if self.is_mounted:
            self.query_one("#log-filter-flags", Static).update(self._flags())

    def _post_changed(self) -> None:
        self.post_message(
            self.Changed(self, self.pattern, self.regex, self.case_sensitive, self.hide_unmatched)
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._post_changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Closed(self, keep=True))

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self._update_flags()
        self._post_changed()

    def action_toggle_case(self) -> None:
        self.case_sensitive = not self.case_sensitive
        self._update_flags()
        self._post_changed()

    def action_toggle_hide(self) -> None:
        self.hide_unmatched = not self.hide_unmatched
        self._update_flags()
        self._post_changed()

    def action_close(self, keep: bool) -> None:
        if not keep:
            self.input.value = ""  # posts Changed: the filter goes
            self.set_error(None)
        self.post_message(self.Closed(self, keep=keep))


# A quiet tail polls every 2 s (`LogTail.slow_s`): a last success older than this is overdue.
STALE_AFTER_S = 10.0


class LogStatusBar(Static):
    """One line under the log: follow state, counts, range, time mode, connection state."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self._shown: Text | None = None

    def show(
        self,
        *,
        follow: bool,
        new_lines: int,
        lines: int,
        capacity: int,
        matches: int | None,
        filtering: float | None,
        time_range: str,
        time_mode: str,
        wrap: bool,
        connection: str,
        error: str | None,
        retry_in_s: float | None,
        last_success: datetime | None,
    ) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        if follow:
            text.append(" ● FOLLOW ", "bold reverse green")
        else:
            text.append(" ❚❚ PAUSED ", "bold reverse yellow")
            if new_lines:
                text.append(f" +{new_lines:,} new", "bold yellow")
        text.append(f"  {lines:,} lines", "")
        if lines >= capacity:
            text.append(f" (max {capacity:,}: oldest dropped)", "dim")
        if filtering is not None:
            text.append(f"  filtering… {filtering:.0%}", "italic")
        elif matches is not None:
            text.append(f"  {matches:,} matches", "bold")
        text.append(f"  range {time_range}", "dim" if time_range == "all" else "bold")
        text.append(f"  time {time_mode}", "dim")
        if wrap:
            text.append("  wrap", "dim")
        text.append("   ")
        if connection == "live":
            # The age only when a poll is overdue: a counter ticking every second while all is
            # well is noise to read, and a repaint of this line every second for nothing.
            seconds = (
                max(0.0, (datetime.now(UTC) - last_success).total_seconds())
                if last_success is not None
                else 0.0
            )
            if seconds >= STALE_AFTER_S:
                text.append(f"live · last poll {seconds:.0f} s ago", "bold yellow")
            else:
                text.append("live", "green")
        elif connection == "retrying":
            retry = f" (retry in {retry_in_s:.0f} s)" if retry_in_s is not None else ""
            text.append(f"retrying{retry}: ", "bold red")
            text.append(truncate(clean(error or "error"), 120), "red")
        elif connection == "gone":
            text.append("the container no longer exists", "bold red")
        else:
            text.append(connection, "dim")
        if text == self._shown:
            return
        self._shown = text
        # One line of fixed height (logs.tcss): no layout pass. With one, each refresh of this
        # line re-arranged the whole log screen.
        self.update(text, layout=False)
