"""Tree rows fitted to the tree's width, and the spinner that only runs when something spins.

Rows end with a summary (`1 error · 1 in progress · 2 namespaces · 7 containers`). However
narrow the tree, a row never ends in a cut word: the totals give way first, then the problems
take a shorter form (`1 err`, `✖1`), and the error count stays as long as the name fits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tui.api import ContainersClient
from tui.emulator import create_app as create_emulator
from tui.emulator.seed import (
    DEMO_AMS_NAMESPACE_ID,
    DEMO_NAMESPACE_ID,
    DEMO_NAMESPACE_NAME,
    DEMO_PENDING_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
    DEMO_TOOLS_NAMESPACE_ID,
)
from tui.emulator.testing import EmulatorControl
from tui.widgets.resource_tree import _SUMMARY_FORMS, NodeRef, ResourceTree, _Count, _Row

from .helpers import loaded, screen_lines, wait_until

# Every word a fitted row may end with besides the words of its full label.
SHORT_WORDS = {"err", "busy", "ct", "ns", "down", "…"}
SYMBOL = re.compile(r"^[✖↻]\d+$")
ERROR_COUNT = re.compile(r"(?:^|\s)(?:✖1|1 err(?:or)?)(?:\s|$)")
BUSY_COUNT = re.compile(r"(?:^|\s)(?:↻1|1 busy|1 in progress)(?:\s|$)")


def tree_of(app: Any) -> ResourceTree:
    tree: ResourceTree = app.main_screen.resource_tree
    return tree


def tree_rows(app: Any) -> dict[str, str]:
    """What the tree shows on screen, row by row: node key → the row's text (guides
    included, trailing blanks removed)."""
    tree = tree_of(app)
    region = tree.content_region
    lines = screen_lines(app)
    rows: dict[str, str] = {}
    for y in range(region.height):
        node = tree.get_node_at_line(tree.scroll_offset.y + y)
        if node is None or node.data is None:
            continue
        rows[node.data.key] = lines[region.y + y][region.x : region.right].rstrip()
    return rows


def assert_whole_words(app: Any) -> None:
    tree = tree_of(app)
    for key, row in tree_rows(app).items():
        node = tree.node_for(key)
        assert node is not None
        full_words = set(str(node.label).split())
        last = row.split()[-1]
        assert (
            last in full_words or last in SHORT_WORDS or SYMBOL.match(last) or last.endswith("…")
        ), f"row ends in a cut word: {row!r} (full label {str(node.label)!r})"


def full_label(app: Any, key: str) -> str:
    node = tree_of(app).node_for(key)
    return "" if node is None else str(node.label)


def row_for(app: Any, key: str) -> str:
    return tree_rows(app)[key]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_no_summary_row_ends_in_a_cut_word(make_app: Any, size: tuple[int, int]) -> None:
    app = make_app(create_emulator(seed="demo"))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.pause(0.1)
        rows = tree_rows(app)
        assert {"region:fr-par", DEMO_NAMESPACE_ID, DEMO_AMS_NAMESPACE_ID} <= set(rows)
        assert_whole_words(app)
        # The namespace with a failed and a deploying container says so at any width.
        shop = row_for(app, DEMO_NAMESPACE_ID)
        assert DEMO_NAMESPACE_NAME in shop
        assert ERROR_COUNT.search(shop), shop
        assert BUSY_COUNT.search(shop), shop
        assert ERROR_COUNT.search(row_for(app, "region:fr-par"))
        for row in tree_rows(app).values():
            assert len(row) <= tree_of(app).content_region.width


async def test_full_summary_when_there_is_room(make_app: Any) -> None:
    app = make_app(create_emulator(seed="demo"))
    async with app.run_test(size=(200, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.1)
        assert row_for(app, DEMO_NAMESPACE_ID).endswith("1 error · 1 in progress · 6 containers")
        assert row_for(app, "region:fr-par").endswith(
            "1 error · 1 in progress · 2 namespaces · 7 containers"
        )
        # Siblings keep their name column aligned while there is room.
        tools = row_for(app, DEMO_TOOLS_NAMESPACE_ID)
        shop = row_for(app, DEMO_NAMESPACE_ID)
        assert tools.index(" ready") == shop.index(" ready")


async def test_a_resize_fits_the_rows_again(make_app: Any) -> None:
    app = make_app(create_emulator(seed="demo"))
    async with app.run_test(size=(200, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.1)
        assert "6 containers" in row_for(app, DEMO_NAMESPACE_ID)
        for width in (80, 96, 110, 140, 72, 200):
            await pilot.resize_terminal(width, 30)
            await pilot.pause(0.1)
            assert_whole_words(app)
            assert ERROR_COUNT.search(row_for(app, DEMO_NAMESPACE_ID)), width
        assert "6 containers" in row_for(app, DEMO_NAMESPACE_ID)


async def test_a_long_name_is_cut_before_the_error_count(make_app: Any) -> None:
    emulator = create_emulator(seed="empty")
    name = "payments-reconciliation-eu-1"
    async with (
        ContainersClient.for_emulator(emulator) as client,
        EmulatorControl.for_app(emulator) as control,
    ):
        ns = await client.create_namespace(name=name)
        for index in range(3):
            container = await client.create_container(namespace_id=ns.id, name=f"job-{index}")
        await control.advance(60)
        await control.force_status(container.id, "error", "image not found")
    app = make_app(emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await wait_until(pilot, lambda: "error" in full_label(app, ns.id))
        await pilot.pause(0.1)
        row = row_for(app, ns.id)
        assert ERROR_COUNT.search(row), row
        assert "payments-" in row and "…" in row  # the name gave way, with an ellipsis
        assert_whole_words(app)


def test_fitting_keeps_problems_before_totals() -> None:
    row = _Row(
        name="shop",
        name_width=14,
        glyph="●",
        status="ready",
        problems=(_Count("2 error", "2 err", "✖2"), _Count("1 in progress", "1 busy", "↻1")),
        totals=(_Count("12 containers", "12 ct"),),
    )
    full = row.full.plain
    assert full.endswith("ready  2 error · 1 in progress · 12 containers")
    for form, totals in _SUMMARY_FORMS:
        for pad in (True, False):
            built = row.build(form, totals, pad=pad)
            assert row._cells(form, totals, pad=pad, name_cells=4) == built.cell_len
    seen = set()
    for room in range(0, len(full) + 5):
        fitted = row.fit(room).plain
        seen.add(fitted)
        assert len(fitted) <= max(room, 0) or room < 3, (room, fitted)
        words = fitted.split()
        if words:
            last = words[-1]
            assert (
                last in full.split()
                or last in SHORT_WORDS
                or SYMBOL.match(last)
                or (last.endswith("…"))
            ), (room, fitted)
        if room >= len("● shop  ready  ✖2 ↻1"):
            # The name fits: the errors, then the work in progress, are always there.
            assert re.search(r"2 error|2 err|✖2", fitted), (room, fitted)
            assert re.search(r"1 in progress|1 busy|↻1", fitted), (room, fitted)
    assert row.fit(len(full)).plain == full
    assert row.fit(10_000).plain == full
    assert "● shop            ready  2 err · 1 busy · 12 ct" in seen
    assert "● shop            ready  ✖2 ↻1" in seen


def test_a_name_too_long_for_anything_is_cut_with_an_ellipsis() -> None:
    row = _Row(
        name="a-namespace-with-a-long-name",
        glyph="●",
        status="ready",
        problems=(_Count("1 error", "1 err", "✖1"),),
    )
    assert row.fit(30).plain == "● a-namespace-with…  ready  ✖1"
    assert row.fit(14).plain == "● a-namespace…"  # no room left for the status: the name first
    assert row.fit(3).plain == "● …"


async def test_spinner_runs_only_while_something_transient_can_be_seen(make_app: Any) -> None:
    from textual.screen import Screen

    emulator = create_emulator(seed="demo")
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot, EmulatorControl.for_app(emulator) as control:
        await loaded(pilot)
        tree = tree_of(app)
        # The demo's "checkout" is pending: its row spins.
        await wait_until(pilot, lambda: tree.spinner_running)
        assert tree.has_transient
        frame = tree.frame
        await wait_until(pilot, lambda: tree.frame >= frame + 2)

        # A full screen over the tree: nothing to animate.
        await app.push_screen(Screen())
        await wait_until(pilot, lambda: not tree.spinner_running)
        frame = tree.frame
        await pilot.pause(0.6)
        assert tree.frame == frame
        app.pop_screen()
        await wait_until(pilot, lambda: tree.spinner_running)

        # Nothing transient left anywhere: the interval is paused.
        await control.force_status(DEMO_PENDING_CONTAINER_ID, "ready")
        app.refresh_now()
        await wait_until(pilot, lambda: not tree.has_transient)
        await wait_until(pilot, lambda: not tree.spinner_running)
        frame = tree.frame
        await pilot.pause(0.6)
        assert tree.frame == frame

        # One appears (a deploy from elsewhere): it spins again.
        await control.force_status(DEMO_READY_CONTAINER_ID, "pending")
        app.refresh_now()
        await wait_until(pilot, lambda: tree.has_transient)
        await wait_until(pilot, lambda: tree.spinner_running)
        node = tree.node_for(DEMO_READY_CONTAINER_ID)
        assert node is not None and node.data == NodeRef(
            "container", "fr-par", DEMO_READY_CONTAINER_ID
        )
        first = tree_rows(app)[DEMO_READY_CONTAINER_ID]
        await wait_until(pilot, lambda: tree_rows(app)[DEMO_READY_CONTAINER_ID] != first)
