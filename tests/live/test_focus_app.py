"""The app tells the watcher what can be seen: the tree's window, or a log view's namespace."""

from __future__ import annotations

from typing import Any

from tests.ui.helpers import FAST, loaded, wait_until
from tui.app import create_app
from tui.emulator.seed import DEMO_NAMESPACE_ID, DEMO_READY_CONTAINER_ID, DEMO_TOOLS_NAMESPACE_ID


async def test_the_app_reports_what_is_in_view() -> None:
    app = create_app(settings=FAST)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        watcher = app.watcher
        assert watcher is not None

        def focus() -> frozenset[str]:
            return watcher.focus_namespaces or frozenset()

        # The demo tree fits the window: every (expanded) namespace is in view.
        await wait_until(pilot, lambda: {DEMO_NAMESPACE_ID, DEMO_TOOLS_NAMESPACE_ID} <= focus())
        from tui.screens.logs import LogScreen

        found: Any = watcher.find(DEMO_READY_CONTAINER_ID)
        await app.push_screen(LogScreen(container=found[2]))
        # Covered by a full screen: only the log view's namespace keeps the settled pace.
        await wait_until(pilot, lambda: focus() == {DEMO_NAMESPACE_ID})
        app.pop_screen()
        await wait_until(pilot, lambda: DEMO_TOOLS_NAMESPACE_ID in focus())
