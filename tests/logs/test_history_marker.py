"""The log view says when older lines were left on the server by the history limit.

On opening, the tail loads only the last `log_history_lines` lines. When the server holds
older ones (its `total_count`, or one more line on the next page, says so), a marker sits above
the first line: "── older lines not loaded (history limit N) ──".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.api import ContainersClient
from tui.app import create_app, demo_config
from tui.config import AppPaths, Settings
from tui.emulator import create_app as create_emulator
from tui.emulator.seed import DEMO_READY_CONTAINER_ID, DEMO_READY_CONTAINER_NAME
from tui.emulator.testing import EmulatorControl
from tui.live import logtail
from tui.live.logbuffer import LINE, MARKER, LogEntry
from tui.live.logtail import HISTORY_LIMIT_SOURCE, LogBatch, LogTail, TailSource
from tui.screens.logs import LogScreen
from tui.widgets import log_view

from .harness import wait_for

MARKER_TEXT = "older lines not loaded (history limit {})"


def history_markers(entries: list[LogEntry]) -> list[LogEntry]:
    return [e for e in entries if e.kind == MARKER and e.source == HISTORY_LIMIT_SOURCE]


async def first_batch(client: ContainersClient, container_id: str, **options: Any) -> LogBatch:
    batches: list[LogBatch] = []
    tail = LogTail(
        client,
        TailSource(container_id, "box"),
        lambda e: batches.append(e) if isinstance(e, LogBatch) else None,
        watch_status=False,
        **options,
    )
    await tail.poll_once()
    assert batches and batches[0].history
    return batches[0]


async def fresh_container(client: ContainersClient) -> str:
    ns = await client.create_namespace(name="history")
    container = await client.create_container(
        namespace_id=ns.id, name="box", registry_image="nginx:latest"
    )
    return container.id


async def test_marker_above_the_first_line_when_older_lines_exist() -> None:
    emulator = create_emulator(seed="empty")
    async with (
        ContainersClient.for_emulator(emulator) as client,
        EmulatorControl.for_app(emulator) as control,
    ):
        container_id = await fresh_container(client)
        await control.append_logs(container_id, [f"old {n}" for n in range(300)])
        total = (await client.list_logs(container_id=container_id, page_size=1)).total_count

        batch = await first_batch(client, container_id, history_lines=120, page_size=100)
        first = batch.entries[0]
        assert history_markers(batch.entries) == [first]
        assert first.message == MARKER_TEXT.format(120)
        lines = [e for e in batch.entries if e.kind == LINE]
        assert len(lines) == 120 and lines[-1].message == "old 299"
        assert first.ts <= lines[0].ts

        # A history exactly as long as what the server holds: nothing is missing, no marker.
        batch = await first_batch(client, container_id, history_lines=total, page_size=100)
        assert history_markers(batch.entries) == []
        assert len([e for e in batch.entries if e.kind == LINE]) == total
        # Shorter than the limit: no marker either.
        batch = await first_batch(client, container_id, history_lines=total + 50)
        assert history_markers(batch.entries) == []
        # No history wanted at all: nothing, not even the marker.
        batch_none: list[Any] = []
        tail = LogTail(
            client,
            TailSource(container_id),
            batch_none.append,
            history_lines=0,
            watch_status=False,
        )
        await tail.poll_once()
        assert not any(history_markers(e.entries) for e in batch_none if isinstance(e, LogBatch))


async def test_a_full_history_page_asks_the_count_not_another_page() -> None:
    emulator = create_emulator(seed="empty")
    async with (
        ContainersClient.for_emulator(emulator) as client,
        EmulatorControl.for_app(emulator) as control,
    ):
        container_id = await fresh_container(client)
        await control.append_logs(container_id, [f"old {n}" for n in range(250)])
        before = client.stats.requests
        batch = await first_batch(client, container_id, history_lines=100, page_size=100)
        assert client.stats.requests - before == 1  # total_count said older lines exist
        assert history_markers(batch.entries)[0].message == MARKER_TEXT.format(100)


def test_the_view_and_the_tail_agree_on_the_marker_source() -> None:
    assert log_view.HISTORY_LIMIT_SOURCE == logtail.HISTORY_LIMIT_SOURCE


def shown_rows(app: Any) -> list[str]:
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [
        "".join(seg.text for strip in line for seg in strip if not seg.control)
        for line in update.strips
    ]


async def test_the_log_screen_shows_the_marker_at_the_top(tmp_path: Path) -> None:
    settings = Settings(poll_settled_s=0.5, poll_transient_s=0.3, log_history_lines=20)
    app = create_app(demo_config(settings=settings, paths=AppPaths.under(tmp_path / "app")))
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(pilot, lambda: app.watcher is not None and app.watcher.is_loaded())
        assert app.emulator is not None
        async with EmulatorControl.for_app(app.emulator) as control:
            await control.append_logs(DEMO_READY_CONTAINER_ID, [f"line {n}" for n in range(60)])
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        screen = app.screen
        assert isinstance(screen, LogScreen)
        assert screen.container is not None and screen.container.name == DEMO_READY_CONTAINER_NAME
        view = screen.log_view
        await wait_for(pilot, lambda: any(e.kind == LINE for e in view.buffer.entries))
        entries = list(view.buffer.entries)
        assert entries[0].source == HISTORY_LIMIT_SOURCE
        assert len([e for e in entries if e.kind == LINE]) == 20
        view.scroll_home(animate=False)
        await pilot.pause(0.1)
        rows = shown_rows(app)
        marker_rows = [r for r in rows if MARKER_TEXT.format(20) in r]
        assert len(marker_rows) == 1
        assert f"── {MARKER_TEXT.format(20)} ──" in marker_rows[0]
        # It comes before every line of the history on the screen.
        first_line_row = next(i for i, r in enumerate(rows) if "line 40" in r)
        assert rows.index(marker_rows[0]) < first_line_row
