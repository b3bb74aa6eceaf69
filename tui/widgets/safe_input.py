"""An `Input` that never sends what it holds raw to the terminal.

Textual's `Input` renders `Text(self.value)` as is: an ESC, a BEL, the 8-bit CSI U+009B or a bidi
override in the value (typed, pasted, restored from a draft, or filled from the server in an edit
form) reaches the terminal and can clear the screen, set its title or inject a query whose reply
lands in the input. `SafeInput` shows each such character as one visible one-cell glyph instead,
so the display has exactly one character per character of the value: the cursor, the selection
and mouse clicks stay where they belong, and `.value` (what is sent) stays exactly as typed.

Not for suggesters: the suggestion is rendered by `Input.render_line` itself, outside `_value`.

`SafeTextArea` is the multi-line sibling (the cron form's JSON args). A `TextArea` draws its
document line by line, measuring cells itself, so a picture swapped in at render time would
put the cursor off; instead the document never holds such a character: each one that comes in
(typed, pasted, loaded, restored from a draft) is stored as its `\\uXXXX` escape.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text
from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.geometry import Offset
from textual.widgets import Input, TextArea

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


# What a text area stores escaped: the characters above except TAB and newline (whitespace to
# JSON; the text area lays them out itself), plus lone surrogates (a terminal cannot encode
# them). CR never gets here: line ends are made "\n" first.
_AREA_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def escaped(text: str) -> str:
    """`text` with line ends made "\\n" and every unsafe character (TAB and newline kept)
    written as its `\\uXXXX` escape.

    Inside a JSON string (or a Python or JavaScript one) the escape reads back as the very
    character it replaces, so a JSON value pasted with an ESC in a string still means the same
    (and is now valid: JSON forbids raw control characters in strings). Outside a string such
    a character was never valid JSON anyway.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _AREA_UNSAFE.search(text):
        return text
    return _AREA_UNSAFE.sub(_escape, text)


class SafeTextArea(TextArea):
    """`TextArea` whose document never holds a control, bidi or zero-width character raw."""

    def edit(self, edit: Edit) -> EditResult:
        # Every change of the document goes through here: keys, paste, insert/replace, and the
        # undo history replays edits that were cleaned when first made.
        edit.text = escaped(edit.text)
        return super().edit(edit)

    def _set_document(self, text: str, language: str | None) -> None:
        # The constructor's text, `load_text` and `.text = …` (drafts, values from the server).
        super()._set_document(escaped(text), language)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        # Textual 8.2.8 undoes a batch, then resizes (which may hide the scrollbar, and that
        # scrolls to the cursor), and only then puts the cursor back: undoing a paste of
        # several lines left the cursor below the end of the document and raised, closing the
        # app with the form. The cursor is put back (and scrolled to) right after.
        if self.cursor_location[0] >= self.document.line_count:
            return Offset(0, 0)
        return super().scroll_cursor_visible(center, animate)
