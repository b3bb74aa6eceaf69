"""A resource status as a glyph plus the status word exactly as the API spells it.

Colour alone fails under NO_COLOR and for colour-blind users, so the word is always there; the
glyph spins while the status is transient (the frame comes from the caller's animation clock).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from tui.text import clean

TRANSIENT = frozenset({"creating", "pending", "deleting", "locking", "upgrading", "rebalancing"})
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_GLYPHS = {
    "ready": "●",
    "error": "✖",
    "created": "○",
    "locked": "■",
    "unknown": "?",
}

# Severity for "sort by status": problems first, then work in progress, then the rest.
_RANK = {"error": 0, "locked": 1, "unknown": 2, "created": 4, "ready": 5}


def status_rank(status: str) -> int:
    if status in TRANSIENT:
        return 3
    return _RANK.get(status, 2)


def is_transient_status(status: str) -> bool:
    return status in TRANSIENT


class BadgePalette:
    """Colours for each kind of status, taken from the app's theme."""

    def __init__(self, variables: dict[str, str] | None = None) -> None:
        variables = variables or {}
        self.ready = Style(color=variables.get("success", "green"))
        self.error = Style(color=variables.get("error", "red"), bold=True)
        self.transient = Style(color=variables.get("warning", "yellow"))
        self.other = Style(bold=True)
        self.muted = Style(dim=True)

    def style_for(self, status: str) -> Style:
        if status == "ready":
            return self.ready
        if status == "error":
            return self.error
        if status in TRANSIENT:
            return self.transient
        if status in ("created", "unknown", ""):
            return self.muted
        return self.other


def glyph(status: str, frame: int = 0) -> str:
    if status in TRANSIENT:
        return SPINNER[frame % len(SPINNER)]
    return _GLYPHS.get(status, "◆")


def badge_text(status: str, palette: BadgePalette, frame: int = 0, *, width: int = 0) -> Text:
    """`● ready` / `⠙ pending`, coloured; the word padded to `width` cells."""
    word = clean(status or "unknown")
    style = palette.style_for(status)
    text = Text()
    text.append(glyph(status, frame), style=style)
    text.append(" ")
    text.append(word.ljust(width), style=style)
    return text
