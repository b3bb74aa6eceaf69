"""What the console lists, and when, as the tree is shown, covered and shown again."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from tui.config import Settings
from tui.emulator import create_app as create_emulator
from tui.emulator.seed import DEMO_AMS_NAMESPACE_ID, DEMO_READY_CONTAINER_ID
from tui.screens.logs import LogScreen
from tui.screens.main import MainScreen

from .helpers import CountingASGI, loaded, wait_until

SETTLED = Settings(poll_settled_s=5.0, poll_transient_s=1.0, poll_background_s=30.0)


def container_lists(counter: CountingASGI, since: float = 0.0) -> Counter[str]:
    """How many times each namespace's containers were listed since `since`."""
    return Counter(namespace for _, namespace in counter.container_lists(since))


async def test_the_start_lists_each_namespace_once(make_app: Any) -> None:
    counter = CountingASGI(create_emulator(seed="demo"))
    app = make_app(counter, settings=SETTLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause(1.5)  # well inside the settled interval
        # nl-ams holds nothing in progress: listed once. (fr-par has a pending container, so
        # its namespaces are listed at the transient pace.)
        lists = container_lists(counter)
        assert lists[DEMO_AMS_NAMESPACE_ID] == 1, lists


async def test_back_on_the_tree_after_the_log_view_every_namespace_is_listed(
    make_app: Any,
) -> None:
    counter = CountingASGI(create_emulator(seed="demo"))
    app = make_app(counter, settings=SETTLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        everyone = set(container_lists(counter))
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause()
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogScreen))
        await pilot.pause(0.5)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        back = time.monotonic()
        # The namespaces under the log view were polled at the background pace: each is
        # listed again at once, not up to 30 s later.
        await wait_until(pilot, lambda: set(container_lists(counter, back)) >= everyone)
