"""A resource as raw JSON, as the API sends it (k9s shows YAML the same way)."""

from __future__ import annotations

import json
from typing import Any

from rich.json import JSON
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.text import clean
from tui.widgets.key_bar import KeyBar


class JsonScreen(Screen[None]):
    """Pretty-printed JSON. Every non-ASCII character is JSON-escaped (`\\u001b`, `\\u009b`), so
    no control or bidi character reaches the terminal raw; Rich's JSON highlighter never parses
    markup."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="json.close"),
        Binding("c", "copy", "Copy JSON", id="json.copy"),
    ]

    def __init__(self, title: str, data: Any) -> None:
        super().__init__(id="json-view")
        self.title_text = title
        self.data = data
        self.text = json.dumps(data, indent=2, ensure_ascii=True, sort_keys=False, default=str)

    def compose(self) -> ComposeResult:
        yield Static(Text(clean(self.title_text), style="bold"), id="json-title")
        with VerticalScroll(id="json-scroll"):
            yield Static(JSON(self.text, ensure_ascii=True), id="json-body")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#json-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the JSON.", timeout=2, markup=False)
