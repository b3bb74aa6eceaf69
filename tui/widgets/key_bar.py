"""`KeyBar`: the line of keys at the bottom of a screen, drawn as one widget.

It shows what Textual's `Footer` shows (the screen's active bindings with `show=True`, disabled
ones dimmed, the command palette's key on the right) and, like it, a click on a key presses
that key. The difference is the cost: `Footer` mounts one widget per key and recomposes them
all whenever the focus or the bindings change; on the main screen that was about 70 ms of the
start-up (each key's classes re-apply the stylesheet) and a recompose on every focus change.
Here a change of bindings only re-renders one line of text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True, slots=True)
class KeyCell:
    """Where one key sits on the line (cells `start` to `end`), to answer clicks."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget, can_focus=False):
    """See the module docstring. Styled by `styles/app.tcss` (`KeyBar`) with the theme's
    footer colours."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
    }

    compact: reactive[bool] = reactive(False)
    """Less padding, for narrow terminals."""

    def __init__(
        self,
        *,
        compact: bool = False,
        show_command_palette: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(KeyBar.compact, compact)
        self.show_command_palette = show_command_palette
        self.cells: list[KeyCell] = []
        self._rendered: tuple[int, Text] | None = None  # (width, text) until bindings change

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self._rendered = None
            self.refresh()  # one line of fixed height: no layout pass

    def watch_compact(self) -> None:
        self._rendered = None
        self.refresh()

    def on_resize(self) -> None:
        self._rendered = None

    def render(self) -> Text:
        width = self.size.width
        if self._rendered is None or self._rendered[0] != width:
            self._rendered = (width, self._build(width))
        return self._rendered[1]

    def _build(self, width: int) -> Text:
        """The line, and `self.cells` for clicks. Descriptions are the app's own strings."""
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        disabled_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        pad = "" if self.compact else " "
        gap = " " if self.compact else ""
        screen = self.screen
        palette_binding = self.app.COMMAND_PALETTE_BINDING
        seen_actions: set[str] = set()
        entries: list[tuple[str, str, str, bool]] = []  # key, display, description, enabled
        palette: tuple[str, str, str, bool] | None = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if key == palette_binding:
                if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
                    display = self.app.get_key_display(binding)
                    palette = (binding.key, display, binding.description, active.enabled)
                continue
            # One entry per action, as Footer does (the first key bound to it).
            if not binding.show or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            display = self.app.get_key_display(binding)
            entries.append((binding.key, display, binding.description, active.enabled))

        text = Text(no_wrap=True, overflow="crop", end="")
        cells: list[KeyCell] = []

        def add(entry: tuple[str, str, str, bool], *, text: Text) -> None:
            key, display, description, enabled = entry
            start = text.cell_len
            extra = Style() if enabled else disabled_style
            text.append(f"{pad}{display}{pad}", key_style + extra)
            if description:
                text.append(f"{gap}{description}{pad}", description_style + extra)
            text.append(" " if self.compact else "", description_style)
            cells.append(KeyCell(start, text.cell_len, key, enabled))

        for entry in entries:
            add(entry, text=text)
        if palette is not None:
            right = Text(no_wrap=True, end="")
            add(palette, text=right)
            right.rstrip()
            room = width - text.cell_len - right.cell_len - 2  # "│ " before it
            if room >= 0:
                offset = text.cell_len + room + 2
                text.append(" " * room)
                text.append("│ ", description_style)
                last = cells.pop()
                cells.append(
                    KeyCell(last.start + offset, last.end + offset, last.key, last.enabled)
                )
                text.append_text(right)
            else:
                cells.pop()
        self.cells = cells
        return text

    def on_click(self, event: events.Click) -> None:
        for cell in self.cells:
            if cell.start <= event.x < cell.end:
                event.stop()
                if cell.enabled:
                    self.app.simulate_key(cell.key)
                else:
                    self.app.bell()
                return
