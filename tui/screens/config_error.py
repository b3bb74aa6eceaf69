"""The scw configuration cannot be used: say where and why, and offer a way on. No traceback.

The screen dismisses with what the user chose; the app acts on it:
- `QUIT` (q): exit;
- `DEMO` (d): continue on the built-in emulator (`AppConfig.on_demo()`);
- `RETRY` (r): read the configuration again (after fixing the file in another terminal), and
  show this screen again if it is still wrong.
`s` opens the setup screen, which shows where the configuration is looked for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.config.credentials import ConfigError
from tui.resources import style_path
from tui.screens.setup import SetupScreen
from tui.text import safe_text
from tui.widgets.key_bar import KeyBar

ConfigErrorChoice = Literal["quit", "demo", "retry"]
QUIT: ConfigErrorChoice = "quit"
DEMO: ConfigErrorChoice = "demo"
RETRY: ConfigErrorChoice = "retry"


def where(error: ConfigError) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    rows: list[tuple[str, object]] = [
        ("file", error.path),
        ("line", error.line),
        ("column", error.column),
        ("profile", error.profile),
        ("key", error.key),
        ("environment variable", error.env_var),
        ("flag", error.flag),
    ]
    shown = [(label, value) for label, value in rows if value is not None]
    for label, value in shown:
        table.add_row(safe_text(label), safe_text(str(value)))
    if not shown:
        table.add_row(safe_text("where"), safe_text(error.place))
    return table


def excerpt(error: ConfigError) -> RenderableType | None:
    if not error.excerpt:
        return None
    width = len(str(error.excerpt[-1][0]))
    lines: list[Text] = []
    for number, content in error.excerpt:
        is_error_line = number == error.line
        marker = "▶" if is_error_line else " "
        line = Text(f"{marker} {number:>{width}} │ ", style="bold" if is_error_line else "dim")
        line.append_text(safe_text(content, style="reverse" if is_error_line else ""))
        lines.append(line)
        if is_error_line and error.column is not None:
            pad = " " * (width + 5 + error.column - 1)
            lines.append(Text(pad + "^", style="bold"))
    return Group(*lines)


def what_to_do(error: ConfigError) -> Text:
    steps: list[str] = []
    if error.hint:
        steps.append(error.hint)
    if error.flag is not None:
        steps.append(f"Start again with a correct {error.flag}.")
    elif error.env_var is not None:
        steps.append(f"Correct or unset {error.env_var} (unset {error.env_var}) and start again.")
    elif error.path is not None:
        steps.append(f"Edit {error.path}, then press r to read it again.")
    steps.append("Press d to continue on the built-in demo emulator, or q to quit.")
    steps.append("scw-containers --demo always starts on the emulator, whatever the config.")
    return Text("\n").join(safe_text(f"• {step}") for step in steps)


class ConfigErrorScreen(Screen[ConfigErrorChoice]):
    """A broken configuration, explained, with keys to quit, retry or go on with the demo."""

    CSS_PATH = style_path("setup.tcss")
    BINDINGS = [
        Binding("q", "choose('quit')", "Quit", id="config_error.quit"),
        Binding("d", "choose('demo')", "Continue on the demo", id="config_error.demo"),
        Binding("r", "choose('retry')", "Read again", id="config_error.retry"),
        Binding("s", "setup", "How to configure", id="config_error.setup"),
    ]

    def __init__(
        self,
        error: ConfigError,
        *,
        env: Mapping[str, str] | None = None,
        home: Path | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.error = error
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.home = home

    def compose(self) -> ComposeResult:
        yield Static(Text("The Scaleway configuration cannot be used"), id="config-error-title")
        with VerticalScroll(id="config-error-body"):
            yield Static(where(self.error), id="config-error-where", classes="setup-section")
            yield Static(Text("Problem"), classes="setup-heading")
            yield Static(
                safe_text(self.error.problem), id="config-error-problem", classes="setup-section"
            )
            quoted = excerpt(self.error)
            if quoted is not None:
                yield Static(Text("In the file"), classes="setup-heading")
                yield Static(quoted, id="config-error-excerpt", classes="setup-section")
            yield Static(Text("What to do"), classes="setup-heading")
            yield Static(what_to_do(self.error), id="config-error-todo", classes="setup-section")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#config-error-body").focus()

    def action_choose(self, choice: ConfigErrorChoice) -> None:
        self.dismiss(choice)

    def action_setup(self) -> None:
        self.app.push_screen(SetupScreen(None, env=self.env, home=self.home))
