"""Fixtures for the forms tests: the real app on an in-process emulator, requests counted.

- ``CountingASGI`` wraps the emulator app and records every HTTP request it serves, so a test
  can say "no request was sent" or "no mutating request was sent".
- ``make_app(...)`` builds the console with ``tui.app.create_app`` (as a user gets it) on a
  fresh emulator, with fast polling and a state store in a temporary folder.
- ``wait_until(pilot, predicate)`` pauses the app until a condition holds (no blind sleeps).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tui.config.paths import AppPaths
from tui.config.settings import Settings
from tui.config.state import StateStore
from tui.emulator import create_app as create_emulator
from tui.emulator.testing import EmulatorControl

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass
class CountingASGI:
    """An ASGI app in front of the emulator that records (method, path) of each request."""

    app: Any
    requests: list[tuple[str, str]] = field(default_factory=list)
    # (method, path, JSON body) of each mutating API call, in order.
    bodies: list[tuple[str, str, Any]] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        self.requests.append((method, path))
        if method not in MUTATING or path.startswith("/_emulator/"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        raw = b"".join(chunks)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        self.bodies.append((method, path, body))
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @property
    def api_requests(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if not r[1].startswith("/_emulator/")]

    def mutations(self) -> list[tuple[str, str]]:
        """Mutating calls of the Containers API (the control API is the test's own)."""
        return [r for r in self.api_requests if r[0] in MUTATING]

    def mark(self) -> int:
        return len(self.requests)

    def since(self, mark: int) -> list[tuple[str, str]]:
        return [r for r in self.requests[mark:] if not r[1].startswith("/_emulator/")]


@dataclass
class Harness:
    app: Any
    emulator: Any
    counter: CountingASGI
    control: EmulatorControl
    store: StateStore
    root: Path


FAST = Settings(poll_transient_s=0.5, poll_settled_s=2.0)


@pytest.fixture
async def make_app(tmp_path: Path) -> Any:
    """Factory: ``make_app(seed="demo", speed=20.0, read_only=False, root=None) -> Harness``."""
    made: list[Harness] = []

    def factory(
        *,
        seed: str = "demo",
        speed: float = 20.0,
        read_only: bool = False,
        root: Path | None = None,
        emulator: Any = None,
    ) -> Harness:
        from tui.app import create_app, demo_config

        base = root or tmp_path
        paths = AppPaths.under(base)
        store = StateStore(paths.state_file)
        emulator_app = emulator or create_emulator(seed=seed, speed=speed)
        counter = CountingASGI(emulator_app)
        app = create_app(
            demo_config(paths=paths, settings=FAST, read_only=read_only, regions="fr-par"),
            emulator=counter,  # type: ignore[arg-type]
            state_store=store,
        )
        harness = Harness(
            app=app,
            emulator=emulator_app,
            counter=counter,
            control=EmulatorControl.for_app(emulator_app),
            store=store,
            root=base,
        )
        made.append(harness)
        return harness

    yield factory
    for harness in made:
        await harness.control.aclose()


async def wait_until(
    pilot: Pilot[Any],
    predicate: Callable[[], bool] | Callable[[], Awaitable[bool]],
    *,
    timeout: float = 10.0,
    message: str = "condition",
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        await pilot.pause(0.05)


async def wait_for_screen(pilot: Pilot[Any], screen_type: type, timeout: float = 10.0) -> Any:
    await wait_until(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type),
        timeout=timeout,
        message=f"screen {screen_type.__name__}",
    )
    await pilot.pause()
    return pilot.app.screen


async def set_input(pilot: Pilot[Any], selector: str, value: str) -> None:
    """Replace a field's text the way a paste would (one Changed event)."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def select_node(pilot: Pilot[Any], resource_key: str, timeout: float = 10.0) -> None:
    """Select a tree node (a resource id, or "region:fr-par") once the tree shows it."""
    app: Any = pilot.app
    main = app.main_screen
    await wait_until(
        pilot,
        lambda: main.resource_tree.select_key(resource_key),
        timeout=timeout,
        message=f"tree node {resource_key}",
    )
    main.resource_tree.focus()
    await pilot.pause()


def screen_text(app: Any, screen: Any = None) -> str:
    """What a screen shows: its rendered lines (the active screen) plus every Static's text."""
    from rich.text import Text
    from textual.widgets import Static

    target = screen or app.screen
    parts: list[str] = []
    if target is app.screen:
        strips = target._compositor.render_strips()
        parts.append("\n".join("".join(seg.text for seg in strip) for strip in strips))
    for widget in target.query(Static):
        rendered = widget.render()
        parts.append(rendered.plain if isinstance(rendered, Text) else str(rendered))
    return "\n".join(parts)
