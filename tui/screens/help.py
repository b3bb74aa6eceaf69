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
from textual.widgets import Static

from tui.widgets.key_bar import KeyBar


@dataclass(frozen=True)
class HelpEntry:
    group: str
    key: str
    description: str
    enabled: bool = True
    action: str = ""


EVERYWHERE = "Everywhere"
TWO_COLUMNS_FROM = 100  # terminal width from which the groups go side by side
THIS_SCREEN = "This screen"

# Textual's focus and copy keys are defined on every screen but are not this screen's actions:
# they go last, with the keys that work everywhere.
_GENERIC_ACTIONS = frozenset({"app.focus_next", "app.focus_previous", "screen.copy_text"})

# One style for every description (sentence case, says what happens), whoever defined the key:
# Textual's own read "Cursor Up", "Scroll Home", "palette".
_DESCRIPTIONS = {
    "command_palette": "Command palette",
    "app.command_palette": "Command palette",
    "help": "Help (this list)",
    "refresh": "Refresh now",
    "app.focus_next": "Next pane or field",
    "app.focus_previous": "Previous pane or field",
    "screen.copy_text": "Copy the selected text",
    "cursor_up": "Move up",
    "cursor_down": "Move down",
    "scroll_home": "To the top",
    "scroll_end": "To the bottom",
    "page_up": "Page up",
    "page_down": "Page down",
    "page_left": "Page left",
    "page_right": "Page right",
    "cursor_parent": "To the parent",
    "cursor_parent_next_sibling": "To the next ancestor",
    "cursor_previous_sibling": "Previous sibling",
    "cursor_next_sibling": "Next sibling",
    "toggle_node": "Expand or collapse",
    "toggle_expand_all": "Expand or collapse all below",
}


def _sentence_case(text: str) -> str:
    """ "Focus Next" → "Focus next"; "Copy endpoint URL" and "JSON" are left alone."""
    words = text.split(" ")
    if len(words) > 1 and all(w[:1].isupper() and not w.isupper() for w in words):
        return " ".join([words[0], *(w.lower() for w in words[1:])])
    return text


def _description(binding: Binding) -> str:
    described = _DESCRIPTIONS.get(binding.action)
    if described is not None:
        return described
    return _sentence_case(binding.description or binding.tooltip or binding.action)


def _group_name(node: object, app: App[Any], action: str = "") -> str:
    if node is app or action in _GENERIC_ACTIONS:
        return EVERYWHERE
    if isinstance(node, Screen):
        return THIS_SCREEN
    return getattr(node, "HELP_GROUP", None) or type(node).__name__


def entries_for(screen: Screen[Any], app: App[Any]) -> list[HelpEntry]:
    """The bindings active on `screen`, grouped by where they are defined: the screen's own
    actions first, then the focused widget's movement keys, then the keys that work
    everywhere (the focus and copy keys last)."""
    entries: list[HelpEntry] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system and not binding.description:
            continue
        display = (
            app.get_key_display(binding) if binding.key_display is None else binding.key_display
        )
        if not display:
            display = key
        group = _group_name(active.node, app, binding.action)
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
        entries.append(
            HelpEntry(group, display, _description(binding), active.enabled, binding.action)
        )

    def rank(entry: HelpEntry) -> tuple[int, int]:
        if entry.group == THIS_SCREEN:
            return (0, 0)
        if entry.group == EVERYWHERE:
            if entry.action in _GENERIC_ACTIONS:
                return (2, 2)
            return (2, 1 if entry.action in ("quit", "app.quit") else 0)
        return (1, 0)

    entries.sort(key=rank)  # stable: each group keeps the bindings' own order
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
        yield KeyBar()

    def _table(self) -> Table:
        """One column of groups, or two when the terminal is wide enough: the screen's own
        keys on the left, the rest (movement, then everywhere) on the right, so that the
        whole list fits a 120×36 terminal without scrolling."""
        groups: list[list[HelpEntry]] = []
        for entry in self.entries:
            if not groups or groups[-1][0].group != entry.group:
                groups.append([])
            groups[-1].append(entry)
        wide = self.app.size.width >= TWO_COLUMNS_FROM and len(groups) > 1
        if not wide:
            return self._groups_table(groups)
        grid = Table.grid(padding=(0, 3), expand=False)
        grid.add_column(vertical="top")
        grid.add_column(vertical="top")
        grid.add_row(self._groups_table(groups[:1]), self._groups_table(groups[1:]))
        return grid

    def _groups_table(self, groups: Sequence[Sequence[HelpEntry]]) -> Table:
        table = Table(box=None, padding=(0, 2), show_header=False, expand=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column()
        for index, group in enumerate(groups):
            title = group[0].group
            table.add_row(Text(f"\n{title}" if index else title, style="underline"), "")
            for entry in group:
                description = Text(entry.description, style="" if entry.enabled else "dim")
                if not entry.enabled:
                    description.append("  (not for this selection)", style="dim italic")
                table.add_row(Text(entry.key), description)
        return table

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
