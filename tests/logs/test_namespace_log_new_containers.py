"""A namespace log view follows its namespace: containers created while it is open are tailed
(after a "container added" marker), deleted ones stop without an error.

The engine part drives `LogTail.add_source` / `remove_source` on the in-process emulator, during
a poll too; the screen part runs the real console (its watcher hands the transitions over).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tui.api import ContainersClient
from tui.app import ScwContainersApp
from tui.emulator.seed import (
    DEMO_NAMESPACE_ID,
    DEMO_PRIVATE_CONTAINER_ID,
    DEMO_PRIVATE_CONTAINER_NAME,
    DEMO_READY_CONTAINER_ID,
)
from tui.emulator.testing import EmulatorControl
from tui.live.logbuffer import LINE, MARKER, LogEntry, sort_key
from tui.live.logtail import LogTail, TailSource
from tui.screens.logs import LogScreen
from tui.widgets.log_toolbar import LogStatusBar

from .harness import make_console, wait_for
from .test_logtail import WEB, Recorder

API = TailSource(DEMO_PRIVATE_CONTAINER_ID, DEMO_PRIVATE_CONTAINER_NAME)


def namespace_tail(client: ContainersClient, recorder: Recorder, **kwargs: Any) -> LogTail:
    options: dict[str, Any] = {
        "page_size": 100,
        "history_lines": 0,
        "watch_status": False,
        "namespace_id": DEMO_NAMESPACE_ID,
        "merged": True,
    }
    options.update(kwargs)
    return LogTail(client, [WEB], recorder, **options)


def markers(recorder: Recorder) -> list[tuple[str, str]]:
    return [(e.container, e.message) for e in recorder.entries if e.kind == MARKER]


def assert_once_in_order(entries: list[LogEntry], prefix: str, count: int) -> None:
    lines = [e for e in entries if e.kind == LINE and e.message.startswith(prefix)]
    assert [e.message for e in lines] == [f"{prefix}{n:03d}" for n in range(count)]


async def test_a_source_added_during_a_poll_is_walked_next_and_the_others_keep_their_place(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = namespace_tail(log_client, recorder)
    await tail.poll_once()
    await emulator_control.append_logs(WEB.container_id, [f"web {n:03d}" for n in range(40)])
    await emulator_control.append_logs(API.container_id, [f"api {n:03d}" for n in range(5)])
    poll = asyncio.create_task(tail.poll_once())
    for _ in range(200):  # the poll holds the lock: it is walking web's pages
        if tail._lock.locked():
            break
        await asyncio.sleep(0)
    assert tail._lock.locked()
    assert tail.add_source(API)
    assert not tail.add_source(API)  # once only
    await poll
    assert [e.container for e in recorder.lines("api ")] == []  # not part of that poll
    await emulator_control.append_logs(WEB.container_id, [f"web {n:03d}" for n in range(40, 60)])
    await emulator_control.append_logs(API.container_id, [f"api {n:03d}" for n in range(5, 9)])
    await tail.poll_once()
    assert_once_in_order(recorder.entries, "web ", 60)
    # The added container comes with its history (all of it is from after it appeared here).
    assert_once_in_order(recorder.entries, "api ", 9)
    assert {e.container for e in recorder.lines("api ")} == {API.name}
    held = recorder.buffer.entries
    added = next(i for i, e in enumerate(held) if e.kind == MARKER)
    assert (held[added].container, held[added].message) == (API.name, "container added")
    first_api = next(i for i, e in enumerate(held) if e.message.startswith("api "))
    assert added < first_api
    assert held == sorted(held, key=sort_key)
    ids = [(e.origin, e.id) for e in recorder.lines()]
    assert len(ids) == len(set(ids))
    assert tail.container_ids == [WEB.container_id, API.container_id]


async def test_removed_source_stops_with_one_marker_after_its_last_lines(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = namespace_tail(log_client, recorder)
    tail.add_source(API, announce=False)
    await tail.poll_once()
    await emulator_control.append_logs(API.container_id, [f"api {n:03d}" for n in range(30)])
    await emulator_control.append_logs(WEB.container_id, ["web 000"])
    poll = asyncio.create_task(tail.poll_once())
    for _ in range(200):
        if tail._lock.locked():
            break
        await asyncio.sleep(0)
    assert tail.remove_source(API.container_id)  # deleted while its lines are being fetched
    await poll
    assert not tail.remove_source(API.container_id)
    assert_once_in_order(recorder.entries, "api ", 30)  # what that poll got is kept
    assert markers(recorder) == [(API.name, "container deleted")]
    held = recorder.buffer.entries
    assert held[-1].message == "container deleted"
    await emulator_control.append_logs(API.container_id, ["api after"])
    await emulator_control.append_logs(WEB.container_id, ["web 001"])
    for _ in range(3):
        await tail.poll_once()
    assert recorder.lines("api after") == []  # no longer asked for
    assert_once_in_order(recorder.entries, "web ", 2)
    assert markers(recorder) == [(API.name, "container deleted")]
    assert recorder.states[-1].state == "live" and recorder.states[-1].error is None
    assert tail.container_ids == [WEB.container_id]


async def test_a_running_namespace_tail_outlives_its_last_container_and_takes_new_ones(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = LogTail(
        log_client,
        [],
        recorder,
        namespace_id=DEMO_NAMESPACE_ID,
        merged=True,
        history_lines=0,
        fast_s=0.01,
        slow_s=0.02,
        watch_status=False,
    )
    tail.start()
    try:
        for _ in range(200):
            if tail.polls >= 2:
                break
            await asyncio.sleep(0.01)
        assert tail.running and recorder.states[-1].state == "live"
        tail.add_source(WEB)
        for _ in range(200):
            if markers(recorder):
                break
            await asyncio.sleep(0.01)
        await emulator_control.append_logs(WEB.container_id, ["web live"])
        for _ in range(200):
            if recorder.lines("web live"):
                break
            await asyncio.sleep(0.01)
        assert [e.container for e in recorder.lines("web live")] == [WEB.name]
        tail.remove_source(WEB.container_id)
        polls = tail.polls
        for _ in range(200):
            if tail.polls >= polls + 3:
                break
            await asyncio.sleep(0.01)
        assert tail.running  # still waiting for a container to be added
        assert {s.state for s in recorder.states} <= {"connecting", "live"}
        assert markers(recorder) == [(WEB.name, "container added"), (WEB.name, "container deleted")]
    finally:
        await tail.stop()


# ------------------------------------------------------------------ the real console


async def open_namespace_logs(pilot: Pilot[Any], app: ScwContainersApp, key: str) -> LogScreen:
    await wait_for(pilot, lambda: app.watcher is not None and app.watcher.is_loaded())
    await wait_for(pilot, lambda: app.main_screen.resource_tree.select_key(key))
    await pilot.pause()
    await pilot.press("l")
    await wait_for(pilot, lambda: isinstance(app.screen, LogScreen))
    screen = app.screen
    assert isinstance(screen, LogScreen) and screen.merged
    await wait_for(pilot, lambda: screen.tail is not None and screen.tail.polls >= 1)
    return screen


def lines_of(screen: LogScreen, container: str) -> list[str]:
    return [
        e.message
        for e in screen.log_view.buffer.entries
        if e.kind == LINE and e.container == container
    ]


def view_markers(screen: LogScreen) -> list[tuple[str, str]]:
    return [(e.container, e.message) for e in screen.log_view.buffer.entries if e.kind == MARKER]


def shown(screen: LogScreen) -> str:
    view = screen.log_view
    return "\n".join(view.render_line(y).text for y in range(view.scrollable_content_region.height))


def title(screen: LogScreen) -> str:
    return str(screen.query_one("#log-title").render())


async def test_namespace_view_tails_a_container_created_while_open_and_drops_it_when_deleted(
    tmp_path: Path,
) -> None:
    app = make_console(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_namespace_logs(pilot, app, DEMO_NAMESPACE_ID)
        tail = screen.tail
        assert tail is not None
        count = len(tail.container_ids)
        assert f"all {count} containers" in title(screen)
        assert app.emulator is not None
        control = EmulatorControl.for_app(app.emulator)
        try:
            created = await app.client.create_container(
                namespace_id=DEMO_NAMESPACE_ID,
                name="late-comer",
                registry_image="nginx:1.27",
                region="fr-par",
            )
            # The watcher's transition brings it in; no request of the log view finds it.
            await wait_for(pilot, lambda: created.id in tail.container_ids)
            await control.append_logs(created.id, ["hello from the late comer"])
            tail.poll_now()
            await wait_for(
                pilot, lambda: "hello from the late comer" in lines_of(screen, created.name)
            )
            assert "Container late-comer created" in lines_of(screen, created.name)  # its start
            entries = screen.log_view.buffer.entries
            added = [
                i
                for i, e in enumerate(entries)
                if e.kind == MARKER
                and (e.container, e.message) == (created.name, "container added")
            ]
            assert len(added) == 1
            first = next(
                i for i, e in enumerate(entries) if e.kind == LINE and e.container == created.name
            )
            assert added[0] < first
            await pilot.pause()
            assert "late-comer: container added" in shown(screen)
            await wait_for(pilot, lambda: f"all {count + 1} containers" in title(screen))

            await app.client.delete_container(container_id=created.id, region="fr-par")
            await control.advance(60)  # the deletion completes: it is no longer listed
            await wait_for(pilot, lambda: created.id not in tail.container_ids)
            await wait_for(
                pilot, lambda: (created.name, "container deleted") in view_markers(screen)
            )
            polls = tail.polls
            await wait_for(pilot, lambda: tail.polls >= polls + 3)
            assert view_markers(screen).count((created.name, "container deleted")) == 1
            assert screen.tail_state.state == "live" and screen.tail_state.error is None
            status = str(screen.query_one(LogStatusBar).render())
            assert "retrying" not in status and "no longer exists" not in status
            assert not [n for n in app._notifications if n.severity == "error"]
            await wait_for(pilot, lambda: f"all {count} containers" in title(screen))
            # The other containers still come through.
            await control.append_logs(DEMO_READY_CONTAINER_ID, ["web still here"])
            tail.poll_now()
            await wait_for(pilot, lambda: "web still here" in lines_of(screen, "web"))
        finally:
            await control.aclose()


async def test_view_of_an_empty_namespace_waits_for_its_first_container(tmp_path: Path) -> None:
    app = make_console(tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_for(pilot, lambda: app.watcher is not None and app.watcher.is_loaded())
        namespace = await app.client.create_namespace(name="empty-for-now", region="fr-par")
        screen = await open_namespace_logs(pilot, app, namespace.id)
        tail = screen.tail
        assert tail is not None and tail.container_ids == []
        assert screen.tail_state.state == "live"
        assert app.emulator is not None
        control = EmulatorControl.for_app(app.emulator)
        try:
            await control.advance(60)  # the namespace becomes ready
            created = await app.client.create_container(
                namespace_id=namespace.id,
                name="first-one",
                registry_image="nginx:1.27",
                region="fr-par",
            )
            await wait_for(pilot, lambda: created.id in tail.container_ids)
            await control.append_logs(created.id, ["first words"])
            tail.poll_now()
            await wait_for(pilot, lambda: "first words" in lines_of(screen, created.name))
            assert (created.name, "container added") in view_markers(screen)
            assert "all 1 container," in title(screen)
        finally:
            await control.aclose()
