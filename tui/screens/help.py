"""Help: every key that works where the user was, generated from the live bindings.

Nothing is hand-written: the list comes from `Screen.active_bindings` of the screen below (so
remapped keys, read-only mode and disabled actions show as they really are).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static


@dataclass(frozen=True)
class HelpEntry:
    group: str
    key: str
    description: str
    enabled: bool = True
    action: str = ""


def _group_name(node: object, app: App[Any]) -> str:
    if node is app:
        return "Everywhere"
    if isinstance(node, Screen):
        return "This screen"
    return getattr(node, "HELP_GROUP", None) or type(node).__name__


def entries_for(screen: Screen[Any], app: App[Any]) -> list[HelpEntry]:
    """The bindings active on `screen`, grouped by where they are defined."""
    entries: list[HelpEntry] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.description or binding.tooltip or binding.action
        if binding.system and not binding.description:
            continue
        display = (
            app.get_key_display(binding) if binding.key_display is None else binding.key_display
        )
        if not display:
            display = key
        group = _group_name(active.node, app)
        marker = (group, binding.action)
        if marker in seen:
            # Several keys for one action (↓ and j): one row with both keys.
            for index, entry in enumerate(entries):
                if (entry.group, entry.action) == marker:
                    entries[index] = HelpEntry(
                        group,
                        f"{entry.key} / {display}",
                        entry.description,
                        entry.enabled,
                        entry.action,
                    )
                    break
            continue
        seen.add(marker)
        entries.append(HelpEntry(group, display, description, active.enabled, binding.action))
    order = {"This screen": 0, "Everywhere": 1}
    entries.sort(key=lambda e: order.get(e.group, 2))
    return entries


class HelpScreen(ModalScreen[None]):
    """The keys, as a table; Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, entries: Sequence[HelpEntry], *, notes: Sequence[str] = ()) -> None:
        super().__init__(id="help")
        self.entries = list(entries)
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(self._table(), id="help-table")
            if self.notes:
                yield Static(Text("\n".join(self.notes), style="dim"), id="help-notes")
        yield Footer()

    def _table(self) -> Table:
        table = Table(box=None, padding=(0, 2), show_header=False, expand=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        group = None
        for entry in self.entries:
            if entry.group != group:
                group = entry.group
                table.add_row(Text(f"\n{group}", style="underline"), "")
            description = Text(entry.description, style="" if entry.enabled else "dim")
            if not entry.enabled:
                description.append("  (not for this selection)", style="dim italic")
            table.add_row(Text(entry.key), description)
        return table

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
