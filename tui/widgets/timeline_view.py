"""Observed status changes as a table: when, what, from → to, how long it took, error."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.table import Table
from rich.text import Text

from tui.live.events import GONE, Transition
from tui.text import clean, truncate
from tui.widgets.status_badge import BadgePalette

# A lower bound under this says nothing (the change was seen in the first poll after the
# resource was loaded): shown as unknown, not as "≥ 0.0 s".
MEANINGFUL_LOWER_BOUND_S = 1.0


def format_duration(seconds: float | None, lower_bound: bool = False) -> str:
    if seconds is None or (lower_bound and seconds < MEANINGFUL_LOWER_BOUND_S):
        return "—"
    prefix = "≥ " if lower_bound else ""
    if seconds < 10:
        return f"{prefix}{seconds:.1f} s"
    if seconds < 120:
        return f"{prefix}{seconds:.0f} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 120:
        return f"{prefix}{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{prefix}{hours} h {minutes:02d} min"


def local_time(at: datetime) -> str:
    return at.astimezone().strftime("%H:%M:%S")


def timeline_renderable(
    transitions: Sequence[Transition],
    palette: BadgePalette,
    *,
    show_names: bool = False,
    empty: str = "No status change observed yet. Changes seen while the console is open "
    "are listed here.",
) -> Table | Text:
    if not transitions:
        return Text(empty, style="dim")
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column("TIME", no_wrap=True)
    if show_names:
        table.add_column("RESOURCE", no_wrap=True, max_width=28, overflow="ellipsis")
    table.add_column("CHANGE", no_wrap=True)
    table.add_column("TOOK", no_wrap=True, justify="right")
    table.add_column("ERROR", overflow="fold")
    for t in reversed(transitions):  # newest first
        change = Text()
        if t.from_status is None:
            change.append("appeared → ", style="dim")
        else:
            change.append(clean(t.from_status), style=palette.style_for(t.from_status))
            change.append(" → ", style="dim")
        change.append(
            "gone" if t.to_status == GONE else clean(t.to_status),
            style="dim" if t.to_status == GONE else palette.style_for(t.to_status),
        )
        took = format_duration(t.duration_s, t.duration_is_lower_bound)
        error = Text(truncate(clean(t.error_message or ""), 200), style=palette.error)
        cells: list[Text | str] = [local_time(t.at)]
        if show_names:
            cells.append(Text(f"{t.kind[:2]} {clean(t.name)}"))
        cells += [change, took, error]
        table.add_row(*cells)
    return table
