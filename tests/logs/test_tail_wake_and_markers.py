"""Regressions: a `poll_now()` during a poll is kept, and status markers follow their lines."""

from __future__ import annotations

import asyncio

from tui.api import ContainersClient
from tui.emulator.seed import DEMO_READY_CONTAINER_ID
from tui.emulator.testing import EmulatorControl
from tui.live.logbuffer import LINE, MARKER

from .test_logtail import Recorder, make_tail


async def test_poll_now_during_a_poll_wakes_the_next_poll(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    # Intervals far longer than the test: only a kept wake-up can start the second poll.
    tail = make_tail(log_client, recorder, fast_s=60.0, slow_s=60.0)
    async with tail._lock:  # the first poll waits here: it is "running"
        tail.start()
        for _ in range(100):
            if recorder.states:  # "connecting": run() has begun
                break
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.01)
        tail.poll_now()  # the user's `r` while the poll runs
    try:
        for _ in range(200):
            if tail.polls >= 2:
                break
            await asyncio.sleep(0.01)
        assert tail.polls >= 2, "the wake-up set during the poll was lost"
    finally:
        await tail.stop()


async def test_deploy_finished_marker_comes_after_the_deploys_last_lines(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    recorder = Recorder()
    tail = make_tail(log_client, recorder, watch_status=True, status_every_s=0.0)
    await tail.poll_once()
    await log_client.deploy_container(container_id=DEMO_READY_CONTAINER_ID)
    await tail.poll_once()
    await emulator_control.advance(30)
    await tail.poll_once()  # the deploy's last lines and its end are seen in the same poll
    held = recorder.buffer.entries
    messages = [e.message for e in held]
    finished = messages.index("deploy finished: ready")
    assert held[finished].kind == MARKER
    started = messages.index("deploy started")
    deploy_lines = [e.message for e in held[started + 1 :] if e.kind == LINE]
    assert deploy_lines, "the deploy wrote lines"
    after = [e.message for e in held[finished + 1 :] if e.kind == LINE]
    assert after == [], f"lines of the deploy sorted after its end marker: {after}"
    assert any(m.endswith("is ready") for m in messages[started:finished])
