"""Soak: the console headless on a faulty emulator while a script works on 20 containers and
10,000 log lines arrive.

Faults on every API request of the emulator (a subprocess on loopback): 20 % fail with 500, 502,
503, 504 or 429, the mode alternating between "before" (nothing changes) and "after" (the change
is made, the answer is lost); 50 ms latency plus up to 250 ms jitter; 20 requests per second.
The emulator runs at speed 20, so a deploy takes 0.4 s and the soak fits CI's budget.

The script (its own `ContainersClient`, reconciling after every lost answer) creates, deploys,
updates and deletes 20 containers, while 10,000 log lines are appended through the control API
(which faults never touch) to a container whose log view is open in the console.

Afterwards: the app never crashed and logged no unhandled failure; the tree shows exactly the
emulator's state (read again without faults) both before the deletes and at the end; the log
view holds each of the 10,000 lines exactly once; resident memory grew by less than 50 MB.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tui.api import ContainersClient, errors
from tui.api.models import Container, Namespace
from tui.app import create_app
from tui.config import Settings, StateStore
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorControl
from tui.live.logbuffer import GAP, LINE
from tui.screens.logs import LogScreen

from .support import (
    FIGURES,
    Emulator,
    RssSampler,
    app_log_problems,
    emulator_contents,
    env_flag,
    remote_config,
    rss_mb,
    screen_text,
    tree_contents,
    wait_until,
)

CONTAINERS = int(env_flag("E2E_SOAK_CONTAINERS", 20))
LINES = int(env_flag("E2E_SOAK_LINES", 10_000))
SPEED = "20"
FAULTS: dict[str, Any] = {
    "error_rate": 0.2,
    "statuses": [500, 502, 503, 504, 429],
    "latency_ms": 50,
    "jitter_ms": 250,
    "rate_limit_per_s": 20,
}
MODE_SWITCH_S = 1.5
MAX_RSS_GROWTH_MB = 50.0
# The default transient and settled intervals (1 s / 5 s). The tree is checked while the log
# view covers it, so the namespaces out of view are polled at the settled pace too: the slower
# background pace (60 s by default, caught up when the tree shows again) is tested in
# tests/live/test_focus.py and tests/ui/test_polling_focus.py, not here.
SETTINGS = Settings(bell_on_deploy_end=False, poll_background_s=5.0)
REGION = "fr-par"

T = TypeVar("T")


class Script:
    """Works through the faults like a careful user script: every call is retried until it
    succeeds, and after an error that may hide a change the state is read back first."""

    def __init__(self, client: ContainersClient, rng: random.Random) -> None:
        self.client = client
        self.rng = rng
        self.errors_met = 0

    async def _pause(self) -> None:
        await asyncio.sleep(0.05 + self.rng.random() * 0.2)

    async def read(self, call: Callable[[], Awaitable[T]]) -> T:
        while True:
            try:
                return await call()
            except (errors.ServerError, errors.TooManyRequestsError, errors.TransportError):
                self.errors_met += 1
                await self._pause()

    async def namespace(self, name: str) -> Namespace:
        while True:
            found = await self.read(
                lambda: self.client.list_namespaces_all(region=REGION, name=name)
            )
            match = [ns for ns in found if ns.name == name]
            if match:
                return match[0]
            try:
                return await self.client.create_namespace(name=name, region=REGION)
            except errors.ScwError:
                self.errors_met += 1  # lost answer or refusal: look again before retrying
                await self._pause()

    async def container(self, namespace_id: str, name: str) -> Container:
        while True:
            found = await self.read(
                lambda: self.client.list_containers_all(
                    namespace_id=namespace_id, name=name, region=REGION
                )
            )
            match = [c for c in found if c.name == name]
            if match:
                return match[0]
            try:
                return await self.client.create_container(
                    namespace_id=namespace_id,
                    name=name,
                    registry_image="nginx:1.27",
                    min_scale=0,
                    max_scale=2,
                    memory_limit=256,
                    description="created by the soak",
                    region=REGION,
                )
            except errors.ScwError:
                self.errors_met += 1
                await self._pause()

    async def get(self, container_id: str) -> Container | None:
        try:
            return await self.read(
                lambda: self.client.get_container(container_id=container_id, region=REGION)
            )
        except errors.NotFoundError:
            return None

    async def settled(self, container_id: str, status: str = "ready") -> Container:
        while True:
            found = await self.get(container_id)
            assert found is not None, f"container {container_id} vanished"
            if found.status == status:
                return found
            assert found.status != "error", found.error_message
            await self._pause()

    async def deploy(self, container_id: str) -> None:
        while True:
            found = await self.get(container_id)
            assert found is not None
            if found.status in ("pending", "ready"):
                return  # deployed (perhaps by an attempt whose answer was lost)
            try:
                await self.client.deploy_container(container_id=container_id, region=REGION)
                return
            except errors.TransientStateError:
                return
            except errors.ScwError:
                self.errors_met += 1
                await self._pause()

    async def update(self, container_id: str, description: str) -> None:
        while True:
            found = await self.settled(container_id)
            if found.description == description:
                return
            try:
                await self.client.update_container(
                    container_id=container_id,
                    description=description,
                    environment_variables={"SOAK_ROUND": "2"},
                    region=REGION,
                )
                return
            except errors.ScwError:
                self.errors_met += 1
                await self._pause()

    async def delete(self, container_id: str) -> None:
        while True:
            found = await self.get(container_id)
            if found is None:
                return
            if found.status != "deleting":
                try:
                    await self.client.delete_container(container_id=container_id, region=REGION)
                except errors.NotFoundError:
                    return
                except errors.ScwError:
                    self.errors_met += 1
            await self._pause()

    async def lifecycle(self, namespace_id: str, name: str) -> str:
        """Create, deploy, update; returns the container id once it is ready again."""
        created = await self.container(namespace_id, name)
        await self.deploy(created.id)
        await self.settled(created.id)
        await self.update(created.id, f"updated {name}")
        ready = await self.settled(created.id)
        assert ready.description == f"updated {name}"
        return created.id


async def _toggle_fault_modes(control: EmulatorControl) -> None:
    """ "before" and "after" in turn, for as long as the soak runs."""
    modes = ("before", "after")
    turn = 0
    while True:
        await control.faults(**FAULTS, mode=modes[turn % 2])
        turn += 1
        await asyncio.sleep(MODE_SWITCH_S)


async def _append_lines(control: EmulatorControl, container_id: str, rng: random.Random) -> None:
    """`LINES` lines in bursts of 1 to 1,000 (many more than a page between two polls)."""
    sent = 0
    while sent < LINES:
        size = min(LINES - sent, rng.choice([1, 7, 50, 100, 250, 600, 1000]))
        await control.append_logs(container_id, [f"soak-{i:05d}" for i in range(sent, sent + size)])
        sent += size
        await asyncio.sleep(rng.uniform(0.05, 0.6))


@pytest.mark.timeout(400)
async def test_soak_under_faults_keeps_tree_logs_and_memory_exact(
    spawn: Callable[..., Emulator], tmp_path: Path, app_log: Path
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    emulator = spawn("--seed", "empty", "--speed", SPEED)
    control = EmulatorControl.for_url(emulator.url)
    script = Script(ContainersClient(api_url=emulator.url, secret_key=TEST_SECRET_KEY), rng)
    config = remote_config(emulator.url, tmp_path, settings=SETTINGS)
    app = create_app(config, state_store=StateStore(config.paths.state_file))
    toggler: asyncio.Task[None] | None = None
    sampler: RssSampler | None = None
    phases: dict[str, float] = {}
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        phases[name] = round(now - clock, 1)
        clock = now

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            await wait_until(
                pilot, lambda: main.resource_tree.is_loaded(), message="the first tree"
            )
            phase("start")
            sampler = RssSampler().start()
            toggler = asyncio.create_task(_toggle_fault_modes(control))

            # Under faults from the start: the namespaces and the container whose logs we read.
            spaces = [await script.namespace(f"soak-{x}") for x in ("a", "b")]
            sink = await script.container(spaces[0].id, "log-sink")
            await script.deploy(sink.id)
            await script.settled(sink.id)
            await wait_until(
                pilot,
                lambda: main.resource_tree.select_key(sink.id),
                timeout=30,
                message="log-sink in the tree",
            )
            main.resource_tree.focus()
            await pilot.press("l")
            await wait_until(pilot, lambda: isinstance(app.screen, LogScreen), message="logs")
            logs = app.screen
            assert isinstance(logs, LogScreen)

            # Lines that arrive before the view's first load are history (bounded by a
            # setting): start appending once the tail is live.
            await wait_until(
                pilot,
                lambda: logs.tail_state.state == "live",
                timeout=60,
                message="the log tail to load",
            )
            phase("setup")
            appender = asyncio.create_task(_append_lines(control, sink.id, rng))
            work = asyncio.Semaphore(4)

            async def one(index: int) -> str:
                async with work:
                    space = spaces[index % len(spaces)]
                    return await script.lifecycle(space.id, f"worker-{index:02d}")

            ids = await asyncio.wait_for(
                asyncio.gather(*(one(i) for i in range(CONTAINERS))), timeout=240
            )

            phase("lifecycle")
            # Before the deletes: 20 updated containers, ready, shown exactly.
            expected = await script.read(lambda: emulator_contents(script.client))
            assert sum(len(cs) for _, cs in expected.values()) == CONTAINERS + 1
            await wait_until(
                pilot,
                lambda: tree_contents(main.resource_tree) == expected,
                timeout=30,
                message="the tree to show the 20 updated containers",
            )

            phase("tree_check")

            async def gone(container_id: str) -> None:
                async with work:
                    await script.delete(container_id)

            await asyncio.wait_for(asyncio.gather(*(gone(i) for i in ids)), timeout=240)
            phase("deletes")
            await asyncio.wait_for(appender, timeout=240)
            phase("appender")

            # Every line, exactly once, in the open log view (the tail works through faults).
            wanted = [f"soak-{i:05d}" for i in range(LINES)]

            def held() -> Counter[str]:
                return Counter(
                    e.message
                    for e in logs.log_view.buffer.entries
                    if e.kind == LINE and e.message.startswith("soak-")
                )

            await wait_until(
                pilot,
                lambda: len(held()) >= LINES,
                timeout=180,
                step=0.25,
                message=f"{LINES} lines in the log view",
            )
            phase("tail")
            counts = held()
            lost = [m for m in wanted if counts[m] == 0]
            doubled = [m for m, n in counts.items() if n > 1]
            gaps = sum(1 for e in logs.log_view.buffer.entries if e.kind == GAP)
            FIGURES.lines_expected += LINES
            FIGURES.lines_seen += sum(counts.values())
            FIGURES.lines_lost += len(lost)
            FIGURES.duplicates += len(doubled)
            FIGURES.gap_markers += gaps
            assert not lost and not doubled, (len(lost), len(doubled))
            assert set(counts) == set(wanted)

            # Back to the tree: it equals the final state, with the faults still on...
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, message="back to the tree")
            final = await script.read(lambda: emulator_contents(script.client))
            assert sum(len(cs) for _, cs in final.values()) == 1  # only log-sink is left
            await wait_until(
                pilot,
                lambda: tree_contents(main.resource_tree) == final,
                timeout=30,
                message="the tree to show the final state",
            )
            # ...and equal to the emulator's lists read without faults.
            toggler.cancel()
            await asyncio.gather(toggler, return_exceptions=True)
            await control.clear_faults()
            async with ContainersClient(api_url=emulator.url, secret_key=TEST_SECRET_KEY) as calm:
                assert await emulator_contents(calm) == final
            assert tree_contents(main.resource_tree) == final
            shown = screen_text(app)
            assert "log-sink" in shown and "soak-a" in shown and "soak-b" in shown
            assert "worker-" not in shown

            phase("final_tree")
            peak = await sampler.stop()
            growth = rss_mb() - sampler.start_mb
            FIGURES.rss_growth_mb = max(FIGURES.rss_growth_mb, growth)
            assert growth < MAX_RSS_GROWTH_MB, f"RSS grew {growth:.1f} MB (peak {peak:.0f} MB)"
            assert app.is_running and app._exception is None
        assert app.return_code in (None, 0)
    finally:
        if toggler is not None:
            toggler.cancel()
            await asyncio.gather(toggler, return_exceptions=True)
        if sampler is not None:
            await sampler.stop()
        FIGURES.add_client(app.client.stats)
        FIGURES.add_client(script.client.stats)
        await script.client.aclose()
        await control.aclose()
        FIGURES.note(
            "soak",
            f"seed {seed}: {CONTAINERS} containers created/deployed/updated/deleted, "
            f"{LINES} lines; the script reconciled {script.errors_met} errors; "
            f"phases (s) {phases}",
        )
    assert not app_log_problems(app_log), app_log_problems(app_log)[:5]
    assert not emulator.tracebacks(), "".join(emulator.output)[-3000:]
