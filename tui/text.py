"""Untrusted text, made safe to show.

Names, descriptions, env values, log lines and server messages come from users or servers. They
must reach the screen as plain text: never parsed as Rich markup, and never able to move the
cursor, clear the screen or ring the bell. Every widget that shows such text goes through here.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except TAB, DEL, and C1 controls (0x80-0x9f, which include the 8-bit CSI).
# Bidi overrides and zero-width characters are made visible too: they can make a name look like
# another one, or reorder what follows it on the line.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation: ESC -> ^[, BEL -> ^G
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def clean(value: object) -> str:
    """The text with every control, bidi-override and zero-width character made visible."""
    text = value if isinstance(value, str) else str(value)
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_visible, text)


def safe_text(value: object, style: str = "") -> Text:
    """A Rich `Text` holding `value` literally (no markup), with unsafe characters made visible."""
    return Text(clean(value), style=style, no_wrap=False)


def truncate(value: str, limit: int) -> str:
    """`value` cut to `limit` characters, with an ellipsis when it was cut."""
    if len(value) <= limit:
        return value
    return value[: max(0, limit - 1)] + "…"
