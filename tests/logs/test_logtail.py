"""The tail engine on the real (in-process) emulator: no gap, no duplicate, gaps when unproven."""

from __future__ import annotations

import asyncio
import itertools
import random
from typing import Any

import pytest

from tui.api import ContainersClient
from tui.emulator.seed import (
    DEMO_NAMESPACE_ID,
    DEMO_PRIVATE_CONTAINER_ID,
    DEMO_PRIVATE_CONTAINER_NAME,
    DEMO_READY_CONTAINER_ID,
    DEMO_READY_CONTAINER_NAME,
)
from tui.emulator.testing import EmulatorControl
from tui.live.logbuffer import GAP, LINE, MARKER, LogBuffer, LogEntry, sort_key
from tui.live.logtail import (
    QUIET_STATUS_FACTOR,
    LogBatch,
    LogTail,
    StatusSeen,
    TailSource,
    TailState,
)

WEB = TailSource(DEMO_READY_CONTAINER_ID, DEMO_READY_CONTAINER_NAME)
API = TailSource(DEMO_PRIVATE_CONTAINER_ID, DEMO_PRIVATE_CONTAINER_NAME)


class Recorder:
    """Collects what a tail emits, in order, and feeds a buffer as the UI would."""

    def __init__(self) -> None:
        self.batches: list[LogBatch] = []
        self.states: list[TailState] = []
        self.statuses: list[StatusSeen] = []
        self.buffer = LogBuffer()

    def __call__(self, event: object) -> None:
        if isinstance(event, LogBatch):
            self.batches.append(event)
            self.buffer.add(event.entries)
        elif isinstance(event, TailState):
            self.states.append(event)
        elif isinstance(event, StatusSeen):
            self.statuses.append(event)

    @property
    def entries(self) -> list[LogEntry]:
        return [e for batch in self.batches for e in batch.entries]

    def lines(self, prefix: str = "") -> list[LogEntry]:
        return [e for e in self.entries if e.kind == LINE and e.message.startswith(prefix)]

    def gaps(self) -> list[LogEntry]:
        return [e for e in self.entries if e.kind == GAP]


def make_tail(client: ContainersClient, recorder: Recorder, **kwargs: object) -> LogTail:
    options: dict[str, object] = {"page_size": 100, "watch_status": False}
    options.update(kwargs)
    return LogTail(client, WEB, recorder, **options)  # type: ignore[arg-type]


async def append_in_bursts(
    control: EmulatorControl, tail: LogTail, total: int, rng: random.Random
) -> None:
    sent = 0
    while sent < total:
        size = min(total - sent, rng.randint(1, 1000))
        await control.append_logs(
            DEMO_READY_CONTAINER_ID, [f"burst line {n:05d}" for n in range(sent, sent + size)]
        )
        sent += size
        await tail.poll_once()


def assert_exactly_once_in_order(recorder: Recorder, total: int) -> None:
    burst = recorder.lines("burst line ")
    assert [e.message for e in burst] == [f"burst line {n:05d}" for n in range(total)]
    ids = [(e.origin, e.id) for e in recorder.lines()]
    assert len(ids) == len(set(ids)), "a line was emitted twice"
    # Every batch is sorted, and batches follow each other in time.
    flat = [e for e in recorder.entries if e.kind == LINE]
    assert flat == sorted(flat, key=sort_key)
    assert recorder.gaps() == []
    held = [e for e in recorder.buffer.entries if e.message.startswith("burst line ")]
    assert [e.message for e in held] == [e.message for e in burst]


async def test_bursts_larger_than_a_page_arrive_whole_once_and_in_order(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder)
    await tail.poll_once()  # history
    assert recorder.batches and recorder.batches[0].history
    history = len(recorder.lines())
    assert history > 0  # the demo container has a past
    await append_in_bursts(emulator_control, tail, 5_000, random.Random(6))
    assert_exactly_once_in_order(recorder, 5_000)
    assert len(recorder.lines()) == history + 5_000
    assert recorder.states[-1].state == "live"


async def test_bursts_with_thirty_percent_of_requests_failing(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder)
    await tail.poll_once()
    await emulator_control.faults(error_rate=0.3)
    rng = random.Random(7)
    sent = 0
    while sent < 5_000:
        size = min(5_000 - sent, rng.randint(1, 1000))
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID, [f"burst line {n:05d}" for n in range(sent, sent + size)]
        )
        sent += size
        await tail.poll_once()
    await emulator_control.clear_faults()
    for _ in range(5):  # a walk interrupted by the last error finishes now
        await tail.poll_once()
    assert_exactly_once_in_order(recorder, 5_000)
    assert any(state.state == "retrying" for state in recorder.states) or (
        log_client.stats.retries > 0
    )


async def test_lines_appended_while_the_tail_pages_are_neither_lost_nor_doubled(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder)
    await tail.poll_once()

    async def writer() -> None:
        rng = random.Random(8)
        sent = 0
        while sent < 3_000:
            size = min(3_000 - sent, rng.randint(1, 300))
            await emulator_control.append_logs(
                DEMO_READY_CONTAINER_ID,
                [f"burst line {n:05d}" for n in range(sent, sent + size)],
            )
            sent += size
            await asyncio.sleep(0)

    async def reader(done: asyncio.Event) -> None:
        while not done.is_set():
            await tail.poll_once()
        await tail.poll_once()

    done = asyncio.Event()
    reading = asyncio.create_task(reader(done))
    await writer()
    done.set()
    await reading
    assert_exactly_once_in_order(recorder, 3_000)


async def test_a_server_reset_shows_a_gap_and_later_lines_still_arrive(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder)
    await tail.poll_once()
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, [f"before {n}" for n in range(50)])
    await tail.poll_once()
    assert recorder.gaps() == []

    await emulator_control.reset("demo")  # the appended lines vanish; ids restart
    await tail.poll_once()
    gaps = recorder.gaps()
    assert len(gaps) == 1
    assert "reset" in gaps[0].message

    # The reset server hands out ids the tail saw before: they are new lines all the same.
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, [f"after {n}" for n in range(20)])
    await tail.poll_once()
    assert [e.message for e in recorder.lines("after ")] == [f"after {n}" for n in range(20)]
    held_after = [e for e in recorder.buffer.entries if e.message.startswith("after ")]
    assert len(held_after) == 20
    # The gap sits between the old lines and the new ones.
    kinds = [e.kind for e in recorder.buffer.entries]
    gap_at = kinds.index(GAP)
    assert recorder.buffer.entries[gap_at - 1].message == "before 49"
    assert len(recorder.gaps()) == 1


async def test_more_new_lines_than_the_tail_may_fetch_leave_a_gap(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder, max_lines_per_poll=250)
    await tail.poll_once()
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, [f"flood {n}" for n in range(600)])
    await tail.poll_once()
    assert [e.message for e in recorder.lines("flood ")] == [f"flood {n}" for n in range(350, 600)]
    assert len(recorder.gaps()) == 1


async def test_history_is_bounded_by_the_setting(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, [f"old {n}" for n in range(300)])
    recorder = Recorder()
    tail = make_tail(log_client, recorder, history_lines=120)
    await tail.poll_once()
    assert [e.message for e in recorder.lines()] == [f"old {n}" for n in range(180, 300)]
    assert recorder.gaps() == []  # the start of the view is not a gap

    recorder_none = Recorder()
    tail_none = make_tail(log_client, recorder_none, history_lines=0)
    await tail_none.poll_once()
    assert recorder_none.lines() == []
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, ["fresh"])
    await tail_none.poll_once()
    assert [e.message for e in recorder_none.lines()] == ["fresh"]


async def test_namespace_tail_merges_containers_by_time_with_their_names(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = LogTail(
        log_client,
        [WEB, API],
        recorder,
        page_size=100,
        history_lines=0,
        namespace_id=DEMO_NAMESPACE_ID,
    )
    await tail.poll_once()
    for n in range(6):
        source = WEB if n % 2 == 0 else API
        await emulator_control.append_logs(source.container_id, [f"merged {n}"])
    await tail.poll_once()
    merged = recorder.lines("merged ")
    assert [e.message for e in merged] == [f"merged {n}" for n in range(6)]
    assert [e.container for e in merged] == [WEB.name, API.name] * 3
    held = [e for e in recorder.buffer.entries if e.message.startswith("merged ")]
    assert [e.message for e in held] == [f"merged {n}" for n in range(6)]


async def test_status_changes_become_markers(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder, watch_status=True, status_every_s=0.0)
    await tail.poll_once()
    assert recorder.statuses[0].status == "ready"
    await log_client.deploy_container(container_id=DEMO_READY_CONTAINER_ID)
    await tail.poll_once()
    markers = [e for e in recorder.entries if e.kind == MARKER]
    assert [m.message for m in markers] == ["deploy started"]
    assert tail.interval_s == tail.fast_s  # a deploy runs: poll fast
    await emulator_control.advance(30)
    await tail.poll_once()
    markers = [e for e in recorder.entries if e.kind == MARKER]
    assert [m.message for m in markers] == ["deploy started", "deploy finished: ready"]
    # The marker comes before the deploy's own lines.
    messages = [e.message for e in recorder.buffer.entries]
    assert messages.index("deploy started") < len(messages) - 1


async def test_errors_are_reported_never_raised_and_quiet_polls_slow_down(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder, fast_s=0.1, slow_s=1.0)
    await tail.poll_once()
    intervals = [await tail.poll_once() for _ in range(8)]
    assert intervals[-1] == 1.0 and intervals == sorted(intervals)

    await emulator_control.faults(error_rate=1.0)
    delay = await tail.poll_once()
    assert recorder.states[-1].state == "retrying"
    assert recorder.states[-1].error
    assert delay > 0
    await emulator_control.clear_faults()
    await tail.poll_once()
    assert recorder.states[-1].state == "live"


async def test_run_and_stop_as_a_task(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder, fast_s=0.01, slow_s=0.02)
    tail.start()
    await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, ["while running"])
    for _ in range(200):
        if recorder.lines("while running"):
            break
        await asyncio.sleep(0.01)
    await tail.stop()
    assert recorder.lines("while running")
    assert recorder.states[-1].state == "stopped"
    assert not tail.running


async def test_a_quiet_settled_container_has_its_status_checked_less_often(
    log_client: ContainersClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("tui.live.logtail.time.monotonic", lambda: clock[0])
    checks: list[float] = []
    original = LogTail._poll_status

    async def counted(self: LogTail, streams: Any) -> None:
        checks.append(clock[0])
        await original(self, streams)

    monkeypatch.setattr(LogTail, "_poll_status", counted)
    recorder = Recorder()
    tail = make_tail(
        log_client, recorder, watch_status=True, status_every_s=2.0, fast_s=0.5, slow_s=2.0
    )
    for _ in range(20):  # 20 quiet polls, 2 s apart on the fake clock
        await tail.poll_once()
        clock[0] += 2.0
    assert tail.interval_s == tail.slow_s
    gaps = {round(b - a) for a, b in itertools.pairwise(checks[6:])}  # once slowed down
    assert gaps == {2 * QUIET_STATUS_FACTOR}, checks
