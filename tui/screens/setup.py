"""How to connect a real Scaleway account, shown from what this machine actually has.

A full screen the user opens (a key or the command palette) and leaves with Esc or q; never a
modal in the way of the demo. Everything is computed from the real environment: the config file
paths as resolved here, which variables are set, which profiles exist, and what is in effect
now (with the secret key masked).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.config.credentials import (
    ENV_CONFIG_PATH,
    ENV_PROFILE,
    ENV_VAR_HELP,
    ENV_VARS,
    SAMPLE_CONFIG_YAML,
    ConfigError,
    Connection,
    config_file_locations,
    config_file_path,
    list_profiles,
)
from tui.resources import style_path
from tui.text import safe_text, truncate
from tui.widgets.key_bar import KeyBar

_SECRET_VARS = frozenset({ENV_VARS["secret_key"]})


def lines_text(text: str, style: str = "") -> Text:
    """Several lines of (possibly untrusted) text: each line made safe, the line breaks kept."""
    return Text("\n").join(safe_text(line, style=style) for line in text.split("\n"))


def in_effect(connection: Connection | None) -> RenderableType:
    if connection is None:
        return safe_text("No connection resolved yet.", style="dim")
    table = Table(box=None, show_header=True, pad_edge=False, header_style="dim")
    table.add_column("setting", no_wrap=True, style="bold")
    table.add_column("value")
    table.add_column("from", style="dim")
    for label, value, source in connection.summary():
        table.add_row(safe_text(label), safe_text(value), safe_text(source))
    if not connection.warnings:
        return table
    warnings = [safe_text("⚠ " + w, style="bold") for w in connection.warnings]
    return Group(table, Text(), *warnings)


def file_locations(env: Mapping[str, str], home: Path | None) -> RenderableType:
    """Each rule on a line with its outcome, the path it gives on the next line."""
    lines: list[Text] = []
    for number, location in enumerate(config_file_locations(env, home=home), start=1):
        marker = "→" if location.used else " "
        line = Text(f"{marker} {number}. ", style="bold" if location.used else "")
        line.append(f"{location.rule:<34} ", style="bold" if location.used else "")
        line.append_text(safe_text(location.note, style="" if location.used else "dim"))
        lines.append(line)
        if location.path is not None:
            lines.append(Text("     ") + safe_text(str(location.path), style="italic"))
    return Text("\n").join(lines)


def sample_config() -> Text:
    return lines_text(SAMPLE_CONFIG_YAML.rstrip("\n"))


def environment(env: Mapping[str, str]) -> RenderableType:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(no_wrap=True, style="bold")
    table.add_column()
    table.add_column(style="dim")
    for name, help_text in ENV_VAR_HELP:
        value = env.get(name)
        if not value:
            state = Text("not set", style="dim")
        elif name in _SECRET_VARS:
            state = Text("set (hidden)")
        else:
            state = safe_text("= " + truncate(value, 60))
        table.add_row(safe_text(name), state, safe_text(help_text))
    return table


def profiles(env: Mapping[str, str], home: Path | None) -> RenderableType:
    chooser = Table(box=None, show_header=False, pad_edge=False)
    chooser.add_column(no_wrap=True, style="bold")
    chooser.add_column()
    chooser.add_row(
        Text("--profile NAME"), Text("on the command line (or switch from the command palette)")
    )
    chooser.add_row(Text(f"{ENV_PROFILE}=NAME"), Text("in the environment"))
    chooser.add_row(Text("active_profile: NAME"), Text("in the config file"))
    lines: list[RenderableType] = [
        safe_text(
            "A profile is a named set of keys under 'profiles:' in the file; its keys override "
            "the top level. Chosen by, first match wins:"
        ),
        chooser,
        safe_text("The profile 'default' is the top level of the file."),
        Text(),
    ]
    try:
        found = list_profiles(env, home=home)
    except ConfigError as exc:
        lines.append(safe_text(f"The config file cannot be read: {exc}", style="bold"))
        return Group(*lines)
    if not found:
        lines.append(safe_text("No config file here, so no profiles yet.", style="dim"))
        return Group(*lines)
    table = Table(box=None, show_header=True, pad_edge=False, header_style="dim")
    table.add_column("profile", no_wrap=True, style="bold")
    table.add_column("secret key")
    table.add_column("region")
    table.add_column("project")
    for profile in found:
        name = ("● " if profile.active else "  ") + profile.name
        table.add_row(
            safe_text(name),
            Text("yes" if profile.has_secret_key else "no"),
            safe_text(profile.region or "all"),
            safe_text(profile.project_id or "all"),
        )
    lines.append(table)
    return Group(*lines)


def getting_a_key() -> Text:
    return lines_text(
        "1. In the Scaleway console: IAM → API keys → Generate an API key. Copy the access key "
        "and the secret key (shown once).\n"
        "2. Put them in the config file above (chmod 600 it), or export SCW_ACCESS_KEY and "
        "SCW_SECRET_KEY. With the scw CLI installed, 'scw init' writes the file for you.\n"
        "3. Start scw-containers again, or switch profile from the command palette (ctrl+p).\n"
        "To try a local emulator instead: scw-containers emulator --port 4000, then "
        "SCW_API_URL=http://127.0.0.1:4000 scw-containers."
    )


class SetupScreen(Screen[None]):
    """Where credentials come from on this machine, and how to set them."""

    CSS_PATH = style_path("setup.tcss")
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="setup.back"),
        Binding("c", "copy_sample", "Copy sample config", id="setup.copy_sample"),
    ]

    def __init__(
        self,
        connection: Connection | None = None,
        *,
        env: Mapping[str, str] | None = None,
        home: Path | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.connection = connection
        self.env: Mapping[str, str] = os.environ if env is None else env
        self.home = home

    def compose(self) -> ComposeResult:
        yield Static(Text("Connect a Scaleway account"), id="setup-title")
        with VerticalScroll(id="setup-body"):
            yield from self._section("In effect now", in_effect(self.connection), "now")
            yield from self._section(
                "Config file: looked for in this order (scw CLI and SDK rules)",
                file_locations(self.env, self.home),
                "files",
            )
            yield from self._section(
                f"Sample config.yaml, to save as {config_file_path(self.env, home=self.home)}"
                "  (c copies it)",
                sample_config(),
                "sample",
            )
            yield from self._section(
                "Environment variables (override the file)", environment(self.env), "env"
            )
            yield from self._section("Profiles", profiles(self.env, self.home), "profiles")
            yield from self._section("Getting a key", getting_a_key(), "key")
            yield Static(
                safe_text(
                    f"Precedence: flags > SCW_* environment > {ENV_CONFIG_PATH} or the config "
                    "file > the built-in emulator with demo data."
                ),
                classes="setup-note",
            )
        yield KeyBar()

    def _section(self, title: str, body: RenderableType, key: str) -> ComposeResult:
        yield Static(safe_text(title), classes="setup-heading", id=f"setup-heading-{key}")
        yield Static(body, classes="setup-section", id=f"setup-{key}")

    def on_mount(self) -> None:
        self.query_one("#setup-body").focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_copy_sample(self) -> None:
        self.app.copy_to_clipboard(SAMPLE_CONFIG_YAML)
        self.notify("Sample config.yaml copied to the clipboard", markup=False)
