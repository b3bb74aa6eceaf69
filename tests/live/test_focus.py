"""Namespaces out of view are polled at the background pace; what is in view is not."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.live.test_watcher import _seed_many
from tui.api import ContainersClient
from tui.emulator import create_app
from tui.emulator.testing import CountingASGI
from tui.live.events import NamespacesLoaded, Transition

SETTLED = 0.3
BACKGROUND = 1.5


def _per_namespace(counting: CountingASGI, ids: list[str], since: float) -> dict[str, int]:
    lists = counting.container_lists(since=since)
    return {ns: sum(1 for _, n in lists if n == ns) for ns in ids}


async def test_out_of_view_namespaces_are_polled_at_the_background_pace(running: Any) -> None:
    counting = CountingASGI(create_app(seed="empty"))
    ids = await _seed_many(counting, namespaces=6, containers=3)
    watcher, recorder = await running(
        counting,
        regions=("fr-par",),
        settled_interval=SETTLED,
        transient_interval=0.2,
        background_interval=BACKGROUND,
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    shown = ids[:2]
    watcher.set_focus_namespaces(shown)
    start = time.monotonic()
    await asyncio.sleep(2.0)
    counts = _per_namespace(counting, ids, start)
    rounds = len(counting.namespace_lists("fr-par", since=start))
    assert rounds >= 5  # the namespace list itself keeps the settled pace
    for ns in shown:
        assert counts[ns] >= rounds - 1, counts  # in view: every round
    for ns in ids[2:]:
        assert counts[ns] <= 2, counts  # out of view: about once per background interval
    # Never more than one list per namespace per round.
    assert all(count <= rounds for count in counts.values())

    # `r` lists everything at once.
    before = _per_namespace(counting, ids, 0)
    watcher.refresh_now()
    await asyncio.sleep(0.15)
    after = _per_namespace(counting, ids, 0)
    assert all(after[ns] > before[ns] for ns in ids), (before, after)


async def test_a_namespace_coming_into_view_is_polled_at_once(running: Any) -> None:
    counting = CountingASGI(create_app(seed="empty"))
    ids = await _seed_many(counting, namespaces=3, containers=2)
    watcher, recorder = await running(
        counting, regions=("fr-par",), settled_interval=2.0, background_interval=30.0
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    watcher.set_focus_namespaces([])  # the main screen is covered
    await asyncio.sleep(2.3)  # a round passes: nothing listed but the namespaces
    shown_at = time.monotonic()
    watcher.set_focus_namespaces([ids[2]])  # the screen shows again
    await asyncio.sleep(0.3)
    assert _per_namespace(counting, ids, shown_at)[ids[2]] == 1


async def test_a_deploy_in_a_visible_namespace_shows_within_one_settled_interval(
    running: Any,
) -> None:
    counting = CountingASGI(create_app(seed="empty"))
    ids = await _seed_many(counting, namespaces=4, containers=2)
    watcher, recorder = await running(
        counting,
        regions=("fr-par",),
        settled_interval=SETTLED,
        transient_interval=0.2,
        background_interval=30.0,
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    visible, hidden = ids[0], ids[3]
    watcher.set_focus_namespaces([visible])
    await asyncio.sleep(SETTLED * 2)
    async with ContainersClient.for_emulator(counting) as outside:
        target = (await outside.list_containers(namespace_id=visible)).containers[0]
        other = (await outside.list_containers(namespace_id=hidden)).containers[0]
        await outside.deploy_container(container_id=target.id)
        await outside.deploy_container(container_id=other.id)
        deployed = time.monotonic()

        def seen(container_id: str) -> bool:
            return any(
                t.resource_id == container_id and t.to_status == "pending"
                for t in recorder.of(Transition)
            )

        await recorder.wait_for(lambda: seen(target.id), timeout=SETTLED * 1.5 + 0.5)
        assert time.monotonic() - deployed <= SETTLED * 1.5 + 0.5
        await asyncio.sleep(SETTLED * 2)
        # Out of view, the other deploy waits for the background pace (or a refresh).
        assert not seen(other.id)
        watcher.refresh_now()
        await recorder.wait_for(lambda: seen(other.id), timeout=2.0)
