"""The console's screens as the README's screenshots and the snapshot tests show them.

Shared by `scripts/screenshots.py` (SVGs in `screenshots/`) and `test_screen_snapshots.py`
(pytest-textual-snapshot), so both show exactly the same states.

Every scenario runs the real app (`tui.app.create_app`) on the in-process emulator with the
deterministic demo seed, and is reproducible to the byte:

- one virtual clock: the emulator's `Clock`, frozen at `FROZEN_AT`, is also what the app reads
  as "now" (`datetime.now` in the UI and live-engine modules, the watcher's monotonic clock),
  so "updated 0 s ago", log times, timeline times and "took 8.0 s" never depend on the machine;
  scenarios move it with `advance()`;
- the spinner of transient statuses shows one frame; the local time zone is UTC; animations are
  off; text cursors do not blink; toasts are cleared before the capture;
- nothing polls on its own: the watcher's intervals are at their maximum and the log tail polls
  only when told, so every poll happens at a chosen point and the order of log lines and status
  markers is always the same (on a real terminal, a marker may land a poll earlier or later).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tui.app import ScwContainersApp, create_app, demo_config
from tui.config import AppPaths, Settings
from tui.emulator import create_app as create_emulator
from tui.emulator.clock import Clock
from tui.emulator.seed import (
    DEMO_EPOCH,
    DEMO_NAMESPACE_ID,
    DEMO_READY_CONTAINER_ID,
)

TITLE = "scw-containers"
# 2025-01-06 16:00:10 UTC: the demo's history (from 08:00) is a few hours old, and a deploy
# 30 s later (8 s at speed 1) ends before the next minute, when the demo's crons would fire.
FROZEN_AT = DEMO_EPOCH + 8 * 3600 + 10
WATCHED_BEFORE_DEPLOY_S = 30.0  # the console was open that long before the deploy
DEPLOY_PULL_S = 3.0  # DESIGN.md: pull 3 s, start 5 s
DEPLOY_START_S = 5.0

SCREENSHOT_SIZE = (120, 36)
SMALL_SIZE = (80, 24)
SNAPSHOT_SIZES = ((80, 24), (120, 40))

# The watcher polls once at start, then only when a scenario asks (refresh_now / follow).
SCENARIO_SETTINGS = Settings(poll_transient_s=60.0, poll_settled_s=600.0, bell_on_deploy_end=False)
NO_AUTONOMOUS_POLL_S = 24 * 3600.0

# Packages whose `datetime.now` is the app's notion of "now".
_CLOCK_PACKAGES = ("tui.live", "tui.widgets", "tui.screens")
_CLOCK_MODULES = ("tui.app", "tui.commands")


# --------------------------------------------------------------------------- the virtual clock


def _virtual_datetime(clock: Clock) -> type[datetime]:
    class VirtualDatetime(datetime):
        """`datetime` whose `now()` reads the emulator's clock."""

        @classmethod
        def now(cls, tz: tzinfo | None = None) -> VirtualDatetime:
            return cls.fromtimestamp(clock.now(), tz)

    return VirtualDatetime


def _clock_modules() -> list[Any]:
    modules = [importlib.import_module(name) for name in _CLOCK_MODULES]
    for package_name in _CLOCK_PACKAGES:
        package = importlib.import_module(package_name)
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            modules.append(importlib.import_module(info.name))
    return modules


@contextlib.contextmanager
def _patched(target: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, old)


@contextlib.contextmanager
def _utc_local_time() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@contextlib.contextmanager
def _without_env(name: str) -> Iterator[None]:
    old = os.environ.pop(name, None)
    try:
        yield
    finally:
        if old is not None:
            os.environ[name] = old


@contextlib.contextmanager
def frozen_world(clock: Clock) -> Iterator[None]:
    """Make the app read `clock` as its time, spin no spinner, poll no log on its own.

    Enter it before the app is built and leave it after the app has stopped.
    """
    from tui.live.logtail import LogTail
    from tui.live.watcher import Watcher
    from tui.screens import main as main_screen
    from tui.widgets import status_badge

    virtual = _virtual_datetime(clock)
    watcher_defaults = dict(Watcher.__init__.__kwdefaults__ or {})
    watcher_defaults["clock"] = clock.now
    tail_defaults = dict(LogTail.__init__.__kwdefaults__ or {})
    tail_defaults.update(
        fast_s=NO_AUTONOMOUS_POLL_S,
        slow_s=NO_AUTONOMOUS_POLL_S,
        status_every_s=NO_AUTONOMOUS_POLL_S,
    )
    with contextlib.ExitStack() as stack:
        stack.enter_context(_utc_local_time())
        stack.enter_context(_without_env("NO_COLOR"))  # read when the app is built
        for module in _clock_modules():
            if getattr(module, "datetime", None) is datetime:
                stack.enter_context(_patched(module, "datetime", virtual))
        stack.enter_context(_patched(Watcher.__init__, "__kwdefaults__", watcher_defaults))
        stack.enter_context(_patched(LogTail.__init__, "__kwdefaults__", tail_defaults))
        stack.enter_context(_patched(status_badge, "SPINNER", status_badge.SPINNER[0]))
        # The pause before fetching a selection's crons, domains and tokens only saves requests
        # while keys are held down; a scenario selects once.
        stack.enter_context(_patched(main_screen, "RELATED_DEBOUNCE_S", 0.0))
        yield


# --------------------------------------------------------------------------- building the app


@dataclass
class Stage:
    """One app on one frozen demo emulator; `run_before` drives it to the scenario's screen."""

    app: ScwContainersApp
    clock: Clock
    run_before: Callable[[Pilot[Any]], Awaitable[None]]


def frozen_clock() -> Clock:
    clock = Clock(lambda: FROZEN_AT)
    clock.freeze()
    return clock


def build_app(root: Path, clock: Clock) -> ScwContainersApp:
    """The app as the CLI builds it for `--demo`, its files under `root`, on `clock`."""
    emulator = create_emulator(seed="demo", clock=clock)
    config = demo_config(settings=SCENARIO_SETTINGS, paths=AppPaths.under(root))
    app = create_app(config, emulator=emulator)
    app.animation_level = "none"
    return app


@contextlib.contextmanager
def staged(scenario: Scenario, root: Path | None = None) -> Iterator[Stage]:
    """The app for `scenario`, inside the frozen world (run it before leaving the block)."""
    with contextlib.ExitStack() as stack:
        if root is None:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        clock = frozen_clock()
        stack.enter_context(frozen_world(clock))
        app = build_app(root, clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await scenario.drive(Driver(pilot, clock))

        yield Stage(app, clock, run_before)


async def capture(scenario: Scenario, size: tuple[int, int]) -> str:
    """The scenario's screen as an SVG (what `scripts/screenshots.py` writes)."""
    with staged(scenario) as stage:
        async with stage.app.run_test(size=size) as pilot:
            await stage.run_before(pilot)
            return stage.app.export_screenshot(title=TITLE, simplify=True)


def screen_text(app: Any) -> str:
    """The characters on the screen, one line per row (for reviews and failure messages)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join(
        "".join(segment.text for strip in line for segment in strip if not segment.control)
        for line in update.strips
    )


# --------------------------------------------------------------------------- driving the app


class ScenarioError(AssertionError):
    pass


class Driver:
    """What scenarios do: keys, waits on visible states, the virtual clock."""

    def __init__(self, pilot: Pilot[Any], clock: Clock) -> None:
        self.pilot = pilot
        self.clock = clock

    @property
    def app(self) -> ScwContainersApp:
        app = self.pilot.app
        assert isinstance(app, ScwContainersApp)
        return app

    async def until(self, what: str, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise ScenarioError(f"timed out waiting for {what}")
            await self.pilot.pause(0.02)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        """Type into the focused text field at once (Pilot takes ~0.1 s per key press)."""
        await self.until("a focused text field", lambda: isinstance(self.app.focused, Input))
        focused = self.app.focused
        assert isinstance(focused, Input)
        focused.insert_text_at_cursor(text)
        await self.pilot.pause()

    # ---- the main screen
    async def tree_loaded(self) -> None:
        main = self.app.main_screen
        await self.until(
            "the tree",
            lambda: (
                main.is_mounted
                and self.app.watcher is not None
                and self.app.watcher.is_loaded()
                and main.resource_tree.is_loaded()
                # The details' tabs are mounted after the first frame.
                and getattr(main.details, "tabs_ready", True)
            ),
        )

    async def select(self, resource_id: str) -> None:
        """Select a container or namespace and wait for its details, crons, domains, tokens."""
        await self.tree_loaded()
        main = self.app.main_screen
        main.jump_to(resource_id)
        await self.until(
            f"the details of {resource_id}",
            # The screen caches a selection's related lists once all of them are loaded.
            lambda: (
                main.details.current_id == resource_id
                and resource_id in main._related_cache
                and self.details_current()
            ),
        )

    async def select_region(self, region: str) -> None:
        from tui.widgets.resource_tree import region_key

        await self.tree_loaded()
        main = self.app.main_screen
        main.jump_to(region_key(region))
        await self.until(
            f"region {region}, loaded",
            lambda: (
                main.details.current_kind == "region"
                and main.details.current_id == region
                and self.details_current()
                and "loading…" not in screen_text(self.app)
            ),
        )

    def details_current(self) -> bool:
        """No render of the details pane is waiting (the screen debounces fast cursor moves)."""
        main = self.app.main_screen
        return not main.is_mounted or main._show_timer is None

    async def screen_is(self, class_name: str) -> None:
        await self.until(class_name, lambda: type(self.app.screen).__name__ == class_name)

    # ---- time and polls
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def poll(self) -> None:
        """One watcher round in every region, applied to the screen."""
        watcher = self.app.watcher
        assert watcher is not None
        rounds = watcher.rounds + len(watcher.regions)
        self.app.refresh_now()
        await self.until("a watcher round", lambda: watcher.rounds >= rounds)
        await self.pilot.pause()

    async def poll_logs(self) -> None:
        """One log-tail poll of the log screen on top."""
        screen = self.app.screen
        tail = getattr(screen, "tail", None)
        assert tail is not None, "no log tail on this screen"
        # A wake-up sent while a poll runs is dropped when that poll ends: ask between polls.
        await self.until("the log tail to be idle", lambda: not tail._lock.locked())
        polls = tail.polls
        tail.poll_now()
        await self.until("a log poll", lambda: tail.polls > polls and not tail._lock.locked())
        await self.pilot.pause()

    async def log_shows(self, text: str, times: int = 1) -> None:
        """Wait until `times` lines of the log view contain `text`."""
        screen = self.app.screen
        view = screen.log_view  # type: ignore[attr-defined]
        await self.until(
            f"{times} log line(s) with {text!r}",
            lambda: sum(text in entry.message for entry in view.buffer) >= times,
        )

    async def deploy(self, container_id: str) -> None:
        """Deploy through the app's own flow (as `d` does) and watch it until ready."""
        from tui.screens.forms import flows

        main = self.app.main_screen
        selected = main.selected()
        assert selected is not None and selected.resource_id == container_id
        self.app.run_flow(flows.deploy_flow(self.app, selected), "deploy_flow")
        await self.until("the deploy", lambda: _status(main, container_id) == "pending")

    async def stable(self, quiet_s: float = 0.1, timeout: float = 5.0) -> None:
        """Wait until the screen has not changed for `quiet_s` (nothing left to render)."""
        deadline = time.monotonic() + timeout
        last = ""
        since = time.monotonic()
        while True:
            shot = self.app.export_screenshot(title=TITLE)
            now = time.monotonic()
            if shot != last:
                last, since = shot, now
            elif now - since >= quiet_s:
                return
            if now > deadline:
                raise ScenarioError("the screen keeps changing")
            await self.pilot.pause(0.03)

    async def settle(self) -> None:
        """Same pixels whenever the capture happens: no blinking cursor, no toast."""
        for _ in range(2):
            await self.pilot.pause()
        await self.until("the details pane", self.details_current)
        await self.stable()
        for screen in self.app.screen_stack:
            for widget in screen.query(Input):
                widget.cursor_blink = False
            for area in screen.query(TextArea):
                area.cursor_blink = False
        self.app.clear_notifications()
        await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()


def _status(main: Any, container_id: str) -> str | None:
    found = main.resource_tree.container(container_id)
    return None if found is None else str(found[1].status)


# --------------------------------------------------------------------------- the scenarios


@dataclass(frozen=True)
class Scenario:
    name: str
    caption: str
    steps: Callable[[Driver], Awaitable[None]]

    async def drive(self, driver: Driver) -> None:
        await self.steps(driver)
        await driver.settle()


async def _main_view(d: Driver) -> None:
    await d.select(DEMO_READY_CONTAINER_ID)


async def _help(d: Driver) -> None:
    await d.select(DEMO_READY_CONTAINER_ID)
    await d.press("question_mark")
    await d.screen_is("HelpScreen")


async def _namespace_form(d: Driver) -> None:
    await d.select(DEMO_NAMESPACE_ID)  # then back up: the region's details drawn afresh
    await d.select_region("fr-par")
    await d.press("c")
    await d.screen_is("NamespaceForm")
    await d.type("payments")


async def _container_form(d: Driver) -> None:
    await d.select(DEMO_NAMESPACE_ID)
    await d.press("c")
    await d.screen_is("ContainerForm")
    await d.type("orders")


async def _flow_form(d: Driver, flow_name: str, form: str, text: str) -> None:
    from tui.screens.forms import flows

    await d.select(DEMO_READY_CONTAINER_ID)
    selected = d.app.selected()
    assert selected is not None and selected.container is not None
    flow = getattr(flows, flow_name)
    d.app.run_flow(flow(d.app, selected.container, region=selected.region), flow_name)
    await d.screen_is(form)
    await d.type(text)


async def _cron_form(d: Driver) -> None:
    await _flow_form(d, "create_cron_flow", "CronForm", "*/15 * * * *")


async def _domain_form(d: Driver) -> None:
    await _flow_form(d, "create_domain_flow", "DomainForm", "www.shop.example.com")


async def _token_form(d: Driver) -> None:
    await _flow_form(d, "create_token_flow", "TokenForm", "github-actions")


async def _deploy_web(d: Driver, *, logs: bool) -> None:
    """Deploy `web` and follow it to ready: pull 3 s, start 5 s of virtual time."""
    await d.select(DEMO_READY_CONTAINER_ID)
    d.advance(WATCHED_BEFORE_DEPLOY_S)
    if logs:
        await d.press("l")
        await d.screen_is("LogScreen")
        await d.log_shows("Container is ready")
    await d.deploy(DEMO_READY_CONTAINER_ID)
    if logs:  # the demo's history holds one deploy already: wait for the second
        await d.log_shows("deploy started")
        await d.poll_logs()
        await d.log_shows("Pulling image", times=2)
    d.advance(DEPLOY_PULL_S)
    if logs:
        await d.poll_logs()
        await d.log_shows("Starting container:")
    await d.poll()
    d.advance(DEPLOY_START_S)
    if logs:
        await d.poll_logs()
        await d.log_shows("Container web is ready")
    await d.poll()
    main = d.app.main_screen
    await d.until("web ready", lambda: _status(main, DEMO_READY_CONTAINER_ID) == "ready")
    if logs:
        await d.log_shows("deploy finished")


async def _logs_after_deploy(d: Driver) -> None:
    await _deploy_web(d, logs=True)


async def _timeline(d: Driver) -> None:
    await _deploy_web(d, logs=False)
    main = d.app.main_screen
    main.details.show_tab("tab-timeline")
    await d.until("the timeline tab", lambda: main.details.active_tab == "tab-timeline")


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("main", "The resource tree and the details of a container", _main_view),
    Scenario("form-namespace", "Creating a namespace", _namespace_form),
    Scenario("form-container", "Creating a container", _container_form),
    Scenario("form-cron", "Creating a cron", _cron_form),
    Scenario("form-domain", "Adding a custom domain", _domain_form),
    Scenario("form-token", "Creating a token", _token_form),
    Scenario("logs-deploy", "The log view following a deploy", _logs_after_deploy),
    Scenario("timeline", "The timeline of a container after a deploy", _timeline),
    Scenario("help", "Help: every key where you are", _help),
)
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

# screenshots/<file>: (scenario, terminal size)
SCREENSHOTS: tuple[tuple[str, Scenario, tuple[int, int]], ...] = (
    *((f"{s.name}.svg", s, SCREENSHOT_SIZE) for s in SCENARIOS),
    ("main-80x24.svg", BY_NAME["main"], SMALL_SIZE),
)
