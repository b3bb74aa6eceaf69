"""Keys inside the detail pane's Crons, Domains and Tokens tabs, on the in-process emulator.

With a tab's list focused, `c` creates, `e` edits (crons only) and `ctrl+d` deletes the
highlighted row through the forms' flows; the list is fetched again afterwards. With the tree
focused, the same keys still act on the tree's selection.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input

from tui.emulator import create_app as create_emulator
from tui.emulator.seed import (
    DEMO_CRON_NAME,
    DEMO_DOMAIN_HOSTNAME,
    DEMO_NAMESPACE_ID,
    DEMO_READY_CONTAINER_ID,
    DEMO_READY_CONTAINER_NAME,
)
from tui.screens.forms.base import ResourceForm
from tui.screens.forms.confirm import ConfirmScreen, DeleteConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.cron import CronForm
from tui.screens.forms.domain import DomainForm
from tui.screens.forms.review import ReviewScreen
from tui.screens.forms.token import TokenForm
from tui.screens.forms.token_created import TokenCreatedScreen
from tui.screens.main import MainScreen
from tui.widgets.details import CronTable, DomainTable, RelatedTable, TokenTable

from .helpers import CountingASGI, loaded, screen_text, wait_until


def mutations(counter: CountingASGI) -> list[tuple[str, str]]:
    return [
        (method, path)
        for _, method, path, _ in counter.calls
        if method in ("POST", "PATCH", "PUT", "DELETE") and not path.startswith("/_emulator")
    ]


async def open_list(pilot: Any, resource_id: str, tab_presses: int, table_type: type) -> Any:
    """Select a tree node, open one of its related tabs with `]`, and Tab into its list."""
    app = pilot.app
    main = app.main_screen
    await wait_until(pilot, lambda: main.details.tabs_ready)
    main.resource_tree.select_key(resource_id)
    main.resource_tree.focus()
    await pilot.pause(0.1)
    for _ in range(tab_presses):
        await pilot.press("right_square_bracket")
    await pilot.press("tab")
    await wait_until(pilot, lambda: isinstance(app.focused, table_type))
    table = app.focused
    await wait_until(pilot, lambda: main.details.related_items(table.kind) is not None)
    return table


def names(app: Any, kind: str, field: str) -> list[str]:
    items = app.main_screen.details.related_items(kind) or []
    return [getattr(item, field) for item in items]


def status_of(app: Any, kind: str, field: str, value: str) -> str | None:
    for item in app.main_screen.details.related_items(kind) or []:
        if getattr(item, field) == value:
            return str(item.status)
    return None


async def set_input(pilot: Any, selector: str, value: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def test_cron_keys_create_edit_delete_and_the_list_follows(make_app: Any) -> None:
    counter = CountingASGI(create_emulator(seed="demo", speed=20))
    app = make_app(counter)
    async with app.run_test(size=(130, 40)) as pilot:
        await loaded(pilot)
        table = await open_list(pilot, DEMO_READY_CONTAINER_ID, 1, CronTable)
        assert app.main_screen.details.active_tab == "tab-crons"
        text = screen_text(app)
        assert "c new · e edit · ^d delete — Tab: list, Esc: tree" in text
        assert DEMO_CRON_NAME in text

        # c: a new cron, listed once created, followed until ready.
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CronForm))
        await set_input(pilot, "#schedule", "*/5 * * * *")
        await set_input(pilot, "#name", "from-the-tab")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(pilot, lambda: "from-the-tab" in names(app, "crons", "name"), timeout=5)
        await wait_until(
            pilot, lambda: status_of(app, "crons", "name", "from-the-tab") == "ready", timeout=6
        )
        assert any(path.endswith("/crons") for method, path in mutations(counter))
        assert app.focused is table

        # e: the highlighted cron, changed fields only after the review.
        index = names(app, "crons", "name").index("from-the-tab")
        table.move_cursor(row=index)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, CronForm))
        assert app.screen.query_one("#schedule", Input).value == "*/5 * * * *"
        await set_input(pilot, "#schedule", "0 6 * * *")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        app.screen.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot,
            lambda: "0 6 * * *" in names(app, "crons", "schedule"),
            timeout=5,
        )
        assert mutations(counter)[-1][0] == "PATCH"

        # ctrl+d: asks first; Esc sends nothing, yes deletes and the row goes away.
        index = names(app, "crons", "name").index("from-the-tab")
        table.move_cursor(row=index)
        before = len(mutations(counter))
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        assert "from-the-tab" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert len(mutations(counter)) == before
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        app.screen.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot, lambda: "from-the-tab" not in names(app, "crons", "name"), timeout=6
        )
        assert mutations(counter)[-1][0] == "DELETE" and "/crons/" in mutations(counter)[-1][1]
        assert DEMO_CRON_NAME in names(app, "crons", "name")


async def test_domain_keys_add_and_delete_and_e_only_explains(make_app: Any) -> None:
    counter = CountingASGI(create_emulator(seed="demo", speed=20))
    app = make_app(counter)
    async with app.run_test(size=(130, 40)) as pilot:
        await loaded(pilot)
        await open_list(pilot, DEMO_READY_CONTAINER_ID, 2, DomainTable)
        text = screen_text(app)
        assert "c add · ^d delete (no edit)" in text
        assert DEMO_DOMAIN_HOSTNAME in text

        # e: a domain has no update: a word, and no form, no request, no container edit.
        before = len(mutations(counter))
        await pilot.press("e")
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
        assert any("cannot be changed" in n.message for n in app.notification_log)
        assert len(mutations(counter)) == before

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, DomainForm))
        await set_input(pilot, "#hostname", "tab.example.org")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot, lambda: "tab.example.org" in names(app, "domains", "hostname"), timeout=5
        )
        await wait_until(
            pilot,
            lambda: status_of(app, "domains", "hostname", "tab.example.org") == "ready",
            timeout=6,
        )

        table = app.focused
        assert isinstance(table, DomainTable)
        table.move_cursor(row=names(app, "domains", "hostname").index("tab.example.org"))
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        app.screen.query_one("#yes", Button).press()
        await wait_until(
            pilot,
            lambda: "tab.example.org" not in names(app, "domains", "hostname"),
            timeout=6,
        )
        assert DEMO_DOMAIN_HOSTNAME in names(app, "domains", "hostname")


async def test_namespace_token_keys(make_app: Any) -> None:
    app = make_app(create_emulator(seed="demo", speed=20))
    async with app.run_test(size=(130, 40)) as pilot:
        await loaded(pilot)
        # A namespace has one related tab, Tokens: `]` goes straight to it.
        await open_list(pilot, DEMO_NAMESPACE_ID, 1, TokenTable)
        assert "c new · ^d delete (no edit; the value is shown once)" in screen_text(app)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, TokenForm))
        await set_input(pilot, "#description", "from-the-tab")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, TokenCreatedScreen))
        close = app.screen.query_one("#token-close", Button)
        close.press()  # neither copied nor saved: it warns once
        await pilot.pause(0.1)
        close.press()
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot, lambda: "from-the-tab" in names(app, "tokens", "description"), timeout=5
        )
        token = next(
            t
            for t in app.main_screen.details.related_items("tokens") or []
            if t.description == "from-the-tab"
        )
        assert token.namespace_id == DEMO_NAMESPACE_ID and not token.container_id

        table = app.focused
        assert isinstance(table, TokenTable)
        table.move_cursor(row=names(app, "tokens", "description").index("from-the-tab"))
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        app.screen.query_one("#yes", Button).press()
        await wait_until(
            pilot,
            lambda: "from-the-tab" not in names(app, "tokens", "description"),
            timeout=6,
        )


async def test_tree_keys_still_act_on_the_tree(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await loaded(pilot)
        await open_list(pilot, DEMO_READY_CONTAINER_ID, 1, CronTable)
        await pilot.press("escape")  # from the list back to the tree
        tree = app.main_screen.resource_tree
        assert app.focused is tree

        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ContainerForm))
        app.screen.query_one("#form-cancel", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DeleteConfirmScreen))
        assert DEMO_READY_CONTAINER_NAME in screen_text(app)
        assert "container" in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ResourceForm))
        assert isinstance(app.screen, ContainerForm)
        await pilot.press("escape")
        await pilot.pause(0.2)
        if isinstance(app.screen, ConfirmScreen):
            await pilot.click("#yes")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        # `]` inside a list moves to the next list and keeps the keyboard there.
        await open_list(pilot, DEMO_READY_CONTAINER_ID, 0, RelatedTable)
        await pilot.press("right_square_bracket")
        assert app.main_screen.details.active_tab == "tab-domains"
        assert isinstance(app.focused, DomainTable)


async def test_read_only_tabs_change_nothing(make_app: Any) -> None:
    counter = CountingASGI(create_emulator(seed="demo"))
    app = make_app(counter, read_only=True)
    async with app.run_test(size=(130, 40)) as pilot:
        await loaded(pilot)
        await open_list(pilot, DEMO_READY_CONTAINER_ID, 1, CronTable)
        assert "read-only: crons cannot be changed here" in screen_text(app)
        for key in ("c", "e", "ctrl+d"):
            await pilot.press(key)
            await pilot.pause(0.1)
            assert isinstance(app.screen, MainScreen), key
        active = {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}
        assert not any(a.startswith("related('c") or a == "related('delete')" for a in active)
        assert mutations(counter) == []
