"""`l` in the real console opens the log screen (container, then namespace); `q` comes back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.emulator.seed import (
    DEMO_NAMESPACE_ID,
    DEMO_NAMESPACE_NAME,
    DEMO_READY_CONTAINER_ID,
    DEMO_READY_CONTAINER_NAME,
)
from tui.live.logbuffer import LINE
from tui.screens.logs import LogScreen

from .harness import make_console, wait_for


async def test_l_opens_the_logs_of_the_selected_container_and_q_goes_back(tmp_path: Path) -> None:
    app = make_console(tmp_path)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_for(pilot, lambda: app.watcher is not None and app.watcher.is_loaded())
        main = app.screen
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        screen = app.screen
        assert isinstance(screen, LogScreen)
        assert screen.container is not None and screen.container.name == DEMO_READY_CONTAINER_NAME
        view = screen.log_view
        await wait_for(pilot, lambda: any(e.kind == LINE for e in view.buffer.entries))
        assert screen.tail_state.state == "live"
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is main


async def test_l_on_a_namespace_merges_its_containers(tmp_path: Path) -> None:
    app = make_console(tmp_path)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_for(pilot, lambda: app.watcher is not None and app.watcher.is_loaded())
        app.main_screen.resource_tree.select_key(DEMO_NAMESPACE_ID)
        await pilot.pause()
        await pilot.press("l")
        await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
        screen = app.screen
        assert isinstance(screen, LogScreen) and screen.merged
        assert screen.namespace is not None and screen.namespace.name == DEMO_NAMESPACE_NAME
        view = screen.log_view
        await wait_for(pilot, lambda: len({e.container for e in view.buffer.entries}) > 1)
        lines = [e for e in view.buffer.entries if e.kind == LINE]
        assert lines == sorted(lines, key=lambda e: (e.ts, e.id, e.origin))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LogScreen)
        await asyncio.sleep(0)
