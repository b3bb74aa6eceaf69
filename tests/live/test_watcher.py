"""The live watcher on the in-process emulator: diffs, transitions, request counts, back-off."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from tui.api import ContainersClient, RetryPolicy
from tui.emulator import create_app
from tui.emulator.seed import (
    DEMO_AMS_NAMESPACE_ID,
    DEMO_CREATED_CONTAINER_ID,
    DEMO_NAMESPACE_ID,
    DEMO_PENDING_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
)
from tui.emulator.testing import CountingASGI, EmulatorControl
from tui.live.events import (
    ConnectionState,
    FollowEnded,
    LiveEvent,
    NamespacesLoaded,
    ResourceChanged,
    Transition,
)
from tui.live.watcher import Watcher

REGIONS = ("fr-par", "nl-ams", "pl-waw")


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[LiveEvent]] = []
        self.changed = asyncio.Event()

    def __call__(self, events: list[LiveEvent]) -> None:
        self.batches.append(events)
        self.changed.set()

    def events(self) -> list[LiveEvent]:
        return [e for batch in self.batches for e in batch]

    def of(self, kind: type) -> list[Any]:
        return [e for e in self.events() if isinstance(e, kind)]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("condition not met in time")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=remaining)


@pytest.fixture
async def running() -> AsyncIterator[Callable[..., Awaitable[tuple[Watcher, Recorder]]]]:
    tasks: list[asyncio.Task[None]] = []
    clients: list[ContainersClient] = []

    async def start(
        app: Any, regions: tuple[str, ...] = REGIONS, retries: int = 0, **options: Any
    ) -> tuple[Watcher, Recorder]:
        client = ContainersClient.for_emulator(app, retry=RetryPolicy(max_retries=retries))
        clients.append(client)
        recorder = Recorder()
        watcher = Watcher(client, regions=regions, on_events=recorder, **options)
        tasks.append(asyncio.create_task(watcher.run()))
        return watcher, recorder

    yield start
    for task in tasks:
        task.cancel()
    for task in tasks:
        with pytest.raises(asyncio.CancelledError):
            await task
    for client in clients:
        await client.aclose()


async def test_first_round_loads_every_region(running: Any) -> None:
    watcher, recorder = await running(create_app(seed="demo"), settled_interval=5.0)
    await recorder.wait_for(lambda: len(recorder.of(NamespacesLoaded)) == 3)
    loaded = {e.region: e for e in recorder.of(NamespacesLoaded)}
    assert {ns.id for ns in loaded["fr-par"].namespaces} >= {DEMO_NAMESPACE_ID}
    assert DEMO_AMS_NAMESPACE_ID in {ns.id for ns in loaded["nl-ams"].namespaces}
    assert loaded["pl-waw"].namespaces == ()
    shop = loaded["fr-par"].containers[DEMO_NAMESPACE_ID]
    assert DEMO_READY_CONTAINER_ID in {c.id for c in shop}
    assert [c.id for c in watcher.known_containers(DEMO_NAMESPACE_ID)] == [c.id for c in shop]
    states = recorder.of(ConnectionState)
    assert states[0].state == "connecting"
    assert states[-1].state == "connected" and states[-1].last_success is not None
    assert not recorder.of(Transition)  # the first picture is not a change


async def test_external_deploy_gives_transitions_and_timeline(running: Any) -> None:
    app = create_app(seed="demo")
    watcher, recorder = await running(
        app, regions=("fr-par",), settled_interval=0.3, transient_interval=0.2
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    async with ContainersClient.for_emulator(app) as outside, EmulatorControl.for_app(app) as ctl:
        await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)

        def statuses() -> list[tuple[str | None, str]]:
            return [
                (t.from_status, t.to_status)
                for t in recorder.of(Transition)
                if t.resource_id == DEMO_CREATED_CONTAINER_ID
            ]

        await recorder.wait_for(lambda: ("created", "pending") in statuses())
        changed = [
            e for e in recorder.of(ResourceChanged) if e.resource.id == DEMO_CREATED_CONTAINER_ID
        ]
        assert changed[0].old_status == "created" and changed[0].resource.status == "pending"
        await ctl.advance(30)
        await recorder.wait_for(lambda: ("pending", "ready") in statuses())
    history = watcher.timeline.for_resource(DEMO_CREATED_CONTAINER_ID)
    assert [(t.from_status, t.to_status) for t in history][:2] == [
        ("created", "pending"),
        ("pending", "ready"),
    ]
    assert history[1].duration_s is not None and history[1].duration_s >= 0
    assert not history[1].duration_is_lower_bound


async def _seed_many(app: Any, namespaces: int, containers: int) -> list[str]:
    ids: list[str] = []
    async with ContainersClient.for_emulator(app) as client, EmulatorControl.for_app(app) as ctl:
        for n in range(namespaces):
            ns = await client.create_namespace(name=f"ns-{n:02d}")
            ids.append(ns.id)
            await asyncio.gather(
                *(
                    client.create_container(
                        namespace_id=ns.id, name=f"c-{i:02d}", registry_image="nginx:latest"
                    )
                    for i in range(containers)
                )
            )
        await ctl.advance(10)  # namespaces pending → ready: everything settled
    return ids


async def test_settled_polling_is_one_list_per_namespace_per_interval(running: Any) -> None:
    counting = CountingASGI(create_app(seed="empty"))
    namespace_ids = await _seed_many(counting, namespaces=20, containers=10)
    interval = 0.5
    _watcher, recorder = await running(
        counting, regions=("fr-par",), settled_interval=interval, transient_interval=0.2
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    start = time.monotonic()
    await asyncio.sleep(2.6)
    window = time.monotonic() - start
    lists = counting.container_lists(since=start)
    per_namespace = {ns: sum(1 for _, n in lists if n == ns) for ns in namespace_ids}
    allowed = int(window / interval) + 1
    assert all(1 <= count <= allowed for count in per_namespace.values()), per_namespace
    # No per-container call, ever.
    per_container = re.compile(r"/regions/[^/]+/containers/")
    assert not any(per_container.search(path) for at, _, path, _ in counting.calls if at > start)
    rounds = counting.namespace_lists("fr-par", since=start)
    assert len(lists) == len(rounds) * len(namespace_ids)  # exactly one list per namespace


async def test_transient_container_polls_at_least_every_1_5_s(running: Any) -> None:
    counting = CountingASGI(create_app(seed="empty"))
    await _seed_many(counting, namespaces=20, containers=10)
    watcher, recorder = await running(
        counting, regions=("fr-par",), settled_interval=5.0, transient_interval=1.0
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    container = watcher.known_containers(watcher.namespaces("fr-par")[3].id)[4]
    async with EmulatorControl.for_app(counting) as ctl:
        await ctl.freeze()  # keeps it pending for the whole test
        await ctl.force_status(container.id, "pending")
    watcher.refresh_now()
    await recorder.wait_for(
        lambda: any(t.resource_id == container.id for t in recorder.of(Transition))
    )
    start = time.monotonic()
    await asyncio.sleep(3.2)
    polls = counting.namespace_lists("fr-par", since=start)
    gaps = [b - a for a, b in zip([start, *polls], [*polls, time.monotonic()], strict=True)]
    assert len(polls) >= 3 and max(gaps) <= 1.5, gaps


async def test_errors_back_off_and_recover_without_raising(running: Any) -> None:
    app = create_app(seed="demo")
    watcher, recorder = await running(
        app, regions=("fr-par",), settled_interval=0.2, transient_interval=0.2
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    async with EmulatorControl.for_app(app) as ctl:
        await ctl.faults(error_rate=1.0, statuses=[503], mode="before")
        await recorder.wait_for(
            lambda: any(s.state == "retrying" for s in recorder.of(ConnectionState))
        )
        state = next(s for s in recorder.of(ConnectionState) if s.state == "retrying")
        assert state.retry_in_s is not None and state.retry_in_s > 0
        assert state.last_success is not None and state.regions_down == ("fr-par",)
        assert watcher.running
        await ctl.clear_faults()
    watcher.refresh_now()
    await recorder.wait_for(lambda: recorder.of(ConnectionState)[-1].state == "connected")


async def test_rate_limit_honours_retry_after(running: Any) -> None:
    app = create_app(seed="demo")
    _watcher, recorder = await running(
        app, regions=("fr-par",), settled_interval=0.2, transient_interval=0.2
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    async with EmulatorControl.for_app(app) as ctl:
        await ctl.faults(error_rate=1.0, statuses=[429], mode="before")
        await recorder.wait_for(
            lambda: any(s.state == "retrying" for s in recorder.of(ConnectionState))
        )
        await ctl.clear_faults()
    state = next(s for s in recorder.of(ConnectionState) if s.state == "retrying")
    assert state.retry_in_s is not None and state.retry_in_s >= 0.9  # Retry-After: 1 s at least


async def test_unauthorized_is_a_state_not_a_crash(running: Any) -> None:
    app = create_app(seed="demo", secret_key="99999999-2222-4333-8444-555555555555")
    watcher, recorder = await running(app, regions=("fr-par",), settled_interval=0.2)
    await recorder.wait_for(
        lambda: any(s.state == "unauthorized" for s in recorder.of(ConnectionState))
    )
    state = recorder.of(ConnectionState)[-1]
    assert state.status_code == 401 and state.last_success is None
    assert watcher.running


async def test_follow_polls_fast_and_reports_the_end(running: Any) -> None:
    app = create_app(seed="demo", speed=20)
    watcher, recorder = await running(
        app, regions=("fr-par",), settled_interval=30.0, transient_interval=0.2
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    async with ContainersClient.for_emulator(app) as outside:
        await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)
    watcher.follow("container", "fr-par", DEMO_CREATED_CONTAINER_ID)
    await recorder.wait_for(lambda: bool(recorder.of(FollowEnded)), timeout=8)
    ended = recorder.of(FollowEnded)[0]
    assert ended.resource_id == DEMO_CREATED_CONTAINER_ID and ended.status == "ready"
    assert not watcher.is_followed(DEMO_CREATED_CONTAINER_ID)


async def test_pending_demo_container_keeps_fast_polling(running: Any) -> None:
    watcher, recorder = await running(
        create_app(seed="demo"), regions=("fr-par",), settled_interval=9.0, transient_interval=0.5
    )
    await recorder.wait_for(lambda: bool(recorder.of(NamespacesLoaded)))
    found = watcher.find(DEMO_PENDING_CONTAINER_ID)
    assert found is not None and found[2].status == "pending"
    assert watcher.next_interval("fr-par") == 0.5
