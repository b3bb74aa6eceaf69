"""Helpers for the console's Pilot tests: the app built as a user gets it, on the emulator."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from tui.app import ScwContainersApp, create_app, demo_config
from tui.config import AppPaths, Settings
from tui.emulator.testing import CountingASGI

FAST = Settings(poll_settled_s=0.5, poll_transient_s=0.3, bell_on_deploy_end=True)


def make_app_factory(tmp_path: Any) -> Callable[..., ScwContainersApp]:
    """`make_app(emulator=None, settings=FAST, read_only=False, regions=None, client=None)`."""

    def build(
        emulator: Any = None,
        *,
        settings: Settings = FAST,
        read_only: bool = False,
        regions: str | None = None,
        client: Any = None,
    ) -> ScwContainersApp:
        config = demo_config(
            settings=settings,
            read_only=read_only,
            regions=regions,
            paths=AppPaths.under(tmp_path / "app"),
        )
        return create_app(config, emulator=emulator, client=client)

    return build


def screen_lines(app: App[Any]) -> list[str]:
    """The text on the screen, one string per row (what the user reads)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [
        "".join(seg.text for strip in line for seg in strip if not seg.control)
        for line in update.strips
    ]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def terminal_output(app: App[Any]) -> str:
    """The raw bytes a terminal would receive for a full repaint (escape sequences included)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(force_terminal=True, color_system="truecolor", width=app.size.width)
    return update.render_segments(console)


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], bool], timeout: float = 5.0, step: float = 0.05
) -> float:
    """Pause until `predicate()` holds; returns the seconds it took (fails after `timeout`)."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        await pilot.pause(step)
    return time.monotonic() - start


async def loaded(pilot: Pilot[Any], timeout: float = 5.0) -> None:
    app = pilot.app
    assert isinstance(app, ScwContainersApp)
    await wait_until(
        pilot,
        lambda: app.watcher is not None and app.watcher.is_loaded(),
        timeout=timeout,
    )
    await pilot.pause()


__all__ = [
    "FAST",
    "CountingASGI",
    "loaded",
    "make_app_factory",
    "screen_lines",
    "screen_text",
    "terminal_output",
    "wait_until",
]
