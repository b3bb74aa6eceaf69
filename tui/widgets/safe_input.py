"""An `Input` that never sends what it holds raw to the terminal.

Textual's `Input` renders `Text(self.value)` as is: an ESC, a BEL, the 8-bit CSI U+009B or a bidi
override in the value (typed, pasted, restored from a draft, or filled from the server in an edit
form) reaches the terminal and can clear the screen, set its title or inject a query whose reply
lands in the input. `SafeInput` shows each such character as one visible one-cell glyph instead,
so the display has exactly one character per character of the value: the cursor, the selection
and mouse clicks stay where they belong, and `.value` (what is sent) stays exactly as typed.

Not for suggesters: the suggestion is rendered by `Input.render_line` itself, outside `_value`.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.widgets import Input

# Every C0 control (TAB and newline too: a tab would take several cells, a newline would break
# the line), DEL, every C1 control (the 8-bit CSI U+009B among them), the Arabic letter mark,
# zero-width characters, the line/paragraph separators, bidi embeddings, overrides and isolates,
# invisible operators and the BOM. Rich measures all of them as zero cells wide.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)

_CONTROL_PICTURES = 0x2400  # U+2400 + code: ␀ … ␟ (ESC → ␛, BEL → ␇)
_DELETE_GLYPH = "\u2421"  # ␡
_REPLACEMENT = "\ufffd"  # �


def _glyph(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(_CONTROL_PICTURES + code)
    if code == 0x7F:
        return _DELETE_GLYPH
    return _REPLACEMENT


def visible(value: str) -> str:
    """`value` with each unsafe character replaced by one visible one-cell glyph (same length)."""
    if not _UNSAFE.search(value):
        return value
    return _UNSAFE.sub(_glyph, value)


class SafeInput(Input):
    """`Input` whose rendering replaces control, bidi and zero-width characters 1:1."""

    def update_node_styles(self, animate: bool = True) -> None:
        # `Input.__init__` changes classes two or three times (compact, valid), and each change
        # on a widget of a running app re-applies the whole stylesheet to it, mounted or not.
        # Before it is in the DOM that is wasted: mounting applies the stylesheet once with the
        # classes it has then. A third of the cost of building a row of the env editor.
        if self._parent is None:
            return
        super().update_node_styles(animate)

    def _shown(self) -> str:
        """What the input shows: one character per character of the value."""
        if self.password:
            return "•" * len(self.value)
        return visible(self.value)

    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(visible(self.value), no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text

    # Cursor and click offsets are measured on what is shown (the stock ones measure the raw
    # value, where a control character is zero cells and a tab four).

    def _position_to_cell(self, position: int) -> int:
        return cell_len(self._shown()[:position])

    def _cell_offset_to_index(self, offset: int) -> int:
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cell_offset = 0
        for index, char in enumerate(self._shown()):
            width = get_character_cell_size(char)
            if cell_offset <= offset < cell_offset + width:
                return index
            cell_offset += width
        return max(0, min(offset, len(self.value)))

    def cursor_to_cell(self, x: int) -> None:
        """Put the cursor where a click on cell `x` (from the input's left edge) puts it."""
        self.cursor_position = self._cell_offset_to_index(x)

    def validate_placeholder(self, placeholder: str) -> str:
        # Placeholders may carry a resource name from the server (the delete confirmation).
        return visible(placeholder)
