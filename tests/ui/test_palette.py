"""The command palette offers every action of DESIGN.md's key table, for what is selected.

Entries that need a container or a namespace show only when one is selected; mutations never
in read-only mode. Picked from the palette, an entry does what its key does.
"""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import Button, Input

from tui.commands import ConsoleCommands
from tui.emulator import create_app as create_emulator
from tui.emulator.seed import (
    DEMO_CREATED_CONTAINER_ID,
    DEMO_NAMESPACE_ID,
    DEMO_READY_CONTAINER_ID,
)
from tui.screens.forms.cron import CronForm
from tui.screens.help import HelpScreen
from tui.screens.json_view import JsonScreen
from tui.screens.main import MainScreen
from tui.widgets.details import CronTable

from .helpers import CountingASGI, loaded, wait_until

# DESIGN.md's key table → the palette entry that does the same.
KEY_ENTRIES = {
    "/": "Filter",
    "l": "Logs",
    "c": "Create container",
    "e": "Edit",
    "d": "Deploy",
    "ctrl+d": "Delete",
    "y": "Raw JSON",
    "r": "Refresh",
    "?": "Help",
}
MUTATIONS = {
    "Create namespace",
    "Create container",
    "Edit",
    "Deploy",
    "Delete",
    "Invoke",
    "Create cron",
    "Create domain",
    "Create token",
}
NEED_SELECTION = {"Raw JSON", "Logs", "Copy id"}
NEED_CONTAINER = {"Copy endpoint URL", "Copy custom domain", "Deploy", "Invoke", "Create cron"}


async def titles(app: Any) -> set[str]:
    """What the palette lists with an empty query (`discover`), resources left out."""
    provider = ConsoleCommands(app.screen)
    found = set()
    async for hit in provider.discover():
        title = str(hit.text)
        if not title.startswith("Go to "):
            found.add(title)
    return found


async def select(pilot: Any, key: str) -> None:
    tree = pilot.app.main_screen.resource_tree
    await wait_until(pilot, lambda: tree.select_key(key))
    tree.focus()
    await pilot.pause(0.1)


async def test_entries_follow_the_selection(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select(pilot, "region:fr-par")
        shown = await titles(app)
        assert {"Refresh", "Help", "Notifications", "Filter", "Sort", "Create namespace"} <= shown
        assert {"Switch region: fr-par", "Switch region: nl-ams", "Switch region: pl-waw"} <= shown
        assert "Switch region: all" not in shown  # all regions are shown already
        assert not shown & (NEED_SELECTION | NEED_CONTAINER | {"Create container", "Edit"})

        await select(pilot, DEMO_NAMESPACE_ID)
        shown = await titles(app)
        assert NEED_SELECTION | {"Create container", "Edit", "Delete", "Create token"} <= shown
        assert not shown & NEED_CONTAINER

        await select(pilot, DEMO_READY_CONTAINER_ID)
        shown = await titles(app)
        assert set(KEY_ENTRIES.values()) <= shown
        assert shown >= MUTATIONS | NEED_SELECTION | NEED_CONTAINER


async def test_read_only_lists_no_mutation(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select(pilot, DEMO_READY_CONTAINER_ID)
        shown = await titles(app)
        assert not shown & MUTATIONS
        assert {"Raw JSON", "Logs", "Refresh", "Help", "Filter"} <= shown


async def pick(pilot: Any, query: str) -> None:
    """ctrl+p, the query pasted in (one search rather than one per key), Enter on the best hit."""
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    pilot.app.screen.query_one(Input).value = query
    await pilot.pause(0.3)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))


async def test_entries_do_what_their_keys_do(make_app: Any) -> None:
    counter = CountingASGI(create_emulator(seed="demo"))
    app = make_app(counter)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await select(pilot, DEMO_READY_CONTAINER_ID)
        await pick(pilot, "Raw JSON")
        await wait_until(pilot, lambda: isinstance(app.screen, JsonScreen))
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await pick(pilot, "Help")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await select(pilot, DEMO_CREATED_CONTAINER_ID)
        await pick(pilot, "Deploy")
        await wait_until(
            pilot,
            lambda: any(
                method == "POST" and path.endswith(f"{DEMO_CREATED_CONTAINER_ID}/deploy")
                for _, method, path, _ in counter.calls
            ),
        )

        # "Create cron" from the palette: the Crons tab fetches its list again afterwards.
        await select(pilot, DEMO_READY_CONTAINER_ID)
        await pick(pilot, "Create cron")
        await wait_until(pilot, lambda: isinstance(app.screen, CronForm))
        lists_before = sum(1 for _, m, p, _ in counter.calls if m == "GET" and p.endswith("/crons"))
        app.screen.query_one("#form-cancel", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot,
            lambda: (
                sum(1 for _, m, p, _ in counter.calls if m == "GET" and p.endswith("/crons"))
                > lists_before
            ),
        )
        assert isinstance(app.main_screen.details.related_table("crons"), CronTable)
