"""Helpers of the end-to-end suite: real emulator processes, the console as a user gets it,
reading what the screen shows, memory, and the figures the suite prints at the end.

Nothing here mocks a part of the project: the emulator runs as `python -m tui.emulator.server`
(or in process for the hostile-input tests), the console is `tui.app.create_app(...)` driven by
Textual's Pilot, and the client is `tui.api.ContainersClient`.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import re
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from tui.config import AppConfig, AppPaths, Flags, Settings, load_app_config
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorProcess

# --------------------------------------------------------------------------- figures


@dataclass
class Figures:
    """What the suite measured; printed by `conftest.pytest_terminal_summary`."""

    requests: int = 0
    faults: int = 0
    retries: int = 0
    client_errors: int = 0
    lines_expected: int = 0
    lines_seen: int = 0
    lines_lost: int = 0
    duplicates: int = 0
    gap_markers: int = 0
    kills: int = 0
    peak_rss_mb: float = 0.0
    rss_growth_mb: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)

    def add_client(self, stats: Any) -> None:
        """Add a `ContainersClient.stats` (requests, retries, faults_seen, errors)."""
        self.requests += int(stats.requests)
        self.retries += int(stats.retries)
        self.faults += int(stats.faults_seen)
        self.client_errors += int(stats.errors)

    def note(self, key: str, value: object) -> None:
        self.notes[key] = str(value)

    def peak(self, rss_mb: float) -> None:
        self.peak_rss_mb = max(self.peak_rss_mb, rss_mb)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests_sent": self.requests,
            "faults_met": self.faults,
            "retries": self.retries,
            "client_errors": self.client_errors,
            "lines_expected": self.lines_expected,
            "lines_seen": self.lines_seen,
            "lines_lost": self.lines_lost,
            "duplicates": self.duplicates,
            "gap_markers": self.gap_markers,
            "emulator_kills": self.kills,
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "rss_growth_mb": round(self.rss_growth_mb, 1),
            **{f"note.{k}": v for k, v in sorted(self.notes.items())},
        }


#: One per test session (the suite runs in one process).
FIGURES = Figures()


# --------------------------------------------------------------------------- memory


def rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / (1024 * 1024)


class RssSampler:
    """Samples this process's resident memory in the background; keeps the peak."""

    def __init__(self, every_s: float = 0.25) -> None:
        self.every_s = every_s
        self.start_mb = rss_mb()
        self.peak_mb = self.start_mb
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, rss_mb())
            await asyncio.sleep(self.every_s)

    def start(self) -> RssSampler:
        self._task = asyncio.create_task(self._run(), name="rss-sampler")
        return self

    async def stop(self) -> float:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.peak_mb = max(self.peak_mb, rss_mb())
        FIGURES.peak(self.peak_mb)
        return self.peak_mb


# --------------------------------------------------------------------------- emulator processes


class Emulator:
    """`python -m tui.emulator.server` in a subprocess, its output drained (and kept).

    The output pipe is read by a thread so a chatty emulator never blocks on a full pipe, and a
    test can check that it printed no traceback.
    """

    def __init__(self, *args: str, secret_key: str | None = TEST_SECRET_KEY) -> None:
        self.args = args
        self.process = EmulatorProcess(*args, secret_key=secret_key)
        self.url = self.process.url
        self.port = int(self.url.rsplit(":", 1)[1])
        self.secret_key = secret_key
        self.output: list[str] = []
        self._drain = threading.Thread(target=self._read, name="emulator-output", daemon=True)
        self._drain.start()

    def _read(self) -> None:
        stream = self.process.process.stdout
        if stream is None:
            return
        with contextlib.suppress(Exception):  # closed under us at stop(): nothing more to read
            for line in stream:
                self.output.append(line)

    @property
    def pid(self) -> int:
        return int(self.process.process.pid)

    @property
    def alive(self) -> bool:
        return self.process.process.poll() is None

    def kill9(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed (a crash, a power cut of the process)."""
        self.process.kill()
        FIGURES.kills += 1
        self._drain.join(timeout=5)

    def stop(self) -> None:
        if self.alive:
            self.process.process.terminate()
            try:
                self.process.process.wait(timeout=10)
            except Exception:
                self.process.process.kill()
                self.process.process.wait(timeout=10)
        self._drain.join(timeout=5)
        self.process.stop()

    def tracebacks(self) -> list[str]:
        text = "".join(self.output)
        return [m.group(0) for m in re.finditer(r"Traceback \(most recent call last\):", text)]


# --------------------------------------------------------------------------- the console


def remote_config(
    url: str,
    root: Path,
    *,
    secret_key: str = TEST_SECRET_KEY,
    settings: Settings | None = None,
    region: str = "fr-par",
    extra_env: Mapping[str, str] | None = None,
) -> AppConfig:
    """The config `scw-containers --api-url URL --region R` builds with `SCW_SECRET_KEY` set,
    with HOME and the app's own folders inside `root` (nothing of the real user is read)."""
    home = root / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {"SCW_SECRET_KEY": secret_key, "HOME": str(home), **(extra_env or {})}
    paths = AppPaths.under(root / "app")
    config = load_app_config(Flags(api_url=url, region=region), env=env, home=home, paths=paths)
    assert config.config_error is None, config.config_error
    if settings is not None:
        config = AppConfig(**{**config.__dict__, "settings": settings})
    return config


Predicate = Callable[[], bool] | Callable[[], Awaitable[bool]]


async def wait_until(
    pilot: Pilot[Any] | None,
    predicate: Predicate,
    *,
    timeout: float = 10.0,
    step: float = 0.05,
    message: str = "condition",
) -> float:
    """Let the app run until `predicate()` holds; returns the seconds it took."""
    start = time.monotonic()
    while True:
        failure = getattr(pilot.app, "_exception", None) if pilot is not None else None
        if failure is not None:  # the app died: waiting longer cannot help
            raise AssertionError(f"the app failed while waiting for {message}: {failure!r}")
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        if pilot is not None:
            await pilot.pause(step)
        else:
            await asyncio.sleep(step)


async def answer_yes(pilot: Pilot[Any]) -> None:
    """Press the confirming button of the dialog on top, once it is composed."""
    app = pilot.app
    await wait_until(pilot, lambda: bool(app.screen.query("#yes")), message="a dialog")
    await pilot.click("#yes")


def screen_lines(app: App[Any]) -> list[str]:
    """The rows the user reads on the active screen (background screens included)."""
    update: Any = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
    return [
        "".join(seg.text for strip in line for seg in strip if not seg.control)
        for line in update.strips
    ]


def screen_text(app: App[Any]) -> str:
    return "\n".join(screen_lines(app))


def terminal_output(app: App[Any]) -> str:
    """The characters a terminal would receive for a full repaint, escape sequences included."""
    update: Any = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens
    )
    console = Console(force_terminal=True, color_system="truecolor", width=app.size.width)
    return update.render_segments(console)


# The escape sequences the renderer itself emits (colours, cursor moves to draw the frame).
_RENDERER_SEQUENCES = re.compile(r"\x1b\[[0-9;:]*[mH]|\x1b\[\?[0-9;]*[hl]|\x1b\]8;[^\x1b]*\x1b\\")


def foreign_controls(output: str) -> list[str]:
    """Control characters in `output` that the renderer did not put there itself."""
    rest = _RENDERER_SEQUENCES.sub("", output)
    return sorted(
        {repr(ch) for ch in rest if (ord(ch) < 0x20 and ch not in "\n\r") or ch == "\x7f"}
    )


# --------------------------------------------------------------------------- the tree


def tree_contents(tree: Any) -> dict[str, Any]:
    """What the resource tree widget shows: {namespace name: (status, {container: status})},
    read from the labels of its nodes (glyph, name, status, ...)."""
    shown: dict[str, Any] = {}

    def label_parts(node: Any) -> tuple[str, str]:
        words = node.label.plain.split()
        assert len(words) >= 3, f"unexpected tree label {node.label.plain!r}"
        return words[1], words[2]

    for region_node in tree.root.children:
        for ns_node in region_node.children:
            ref = ns_node.data
            if ref is None or ref.kind != "namespace":
                continue
            name, status = label_parts(ns_node)
            containers: dict[str, str] = {}
            for ct_node in ns_node.children:
                if ct_node.data is None or ct_node.data.kind != "container":
                    continue
                ct_name, ct_status = label_parts(ct_node)
                assert ct_name not in containers, f"container {ct_name} shown twice"
                containers[ct_name] = ct_status
            assert name not in shown, f"namespace {name} shown twice"
            shown[name] = (status, containers)
    return shown


async def emulator_contents(client: Any, region: str = "fr-par") -> dict[str, Any]:
    """The same shape as `tree_contents`, from the API's lists."""
    state: dict[str, Any] = {}
    for ns in await client.list_namespaces_all(region=region):
        containers = await client.list_containers_all(namespace_id=ns.id, region=region)
        state[ns.name] = (str(ns.status), {c.name: str(c.status) for c in containers})
    return state


# --------------------------------------------------------------------------- files


def app_log_problems(log_dir: Path) -> list[str]:
    """Lines of the app log that speak of an unhandled failure (errors and tracebacks)."""
    problems: list[str] = []
    for path in sorted(log_dir.glob("*.log*")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if (
                "Traceback (most recent call last)" in line
                or re.search(r"\s(ERROR|CRITICAL)\s", line)
                or "was never retrieved" in line
            ):
                problems.append(f"{path.name}: {line}")
    return problems


def files_under(roots: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.exists():
            found.extend(p for p in root.rglob("*") if p.is_file())
    return sorted(found)


def _pieces(secret: str, size: int = 16) -> list[str]:
    """`secret` and its 16-character pieces (a long token wraps over several rows)."""
    if len(secret) <= size:
        return [secret]
    return [secret] + [secret[i : i + size] for i in range(0, len(secret) - size + 1, size // 2)]


def leaks(secret: str, text: str) -> bool:
    """True when `text` holds `secret` or a 16-character piece of it."""
    return any(piece in text for piece in _pieces(secret))


def occurrences(secret: str, paths: Iterable[Path]) -> list[str]:
    """Files holding `secret` (or a 16-character piece of it), as UTF-8 or escaped in JSON."""
    hits: list[str] = []
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        if leaks(secret, text) or leaks(secret, text.replace("\\u002d", "-")):
            hits.append(str(path))
    return hits


def env_flag(name: str, default: float) -> float:
    """A number from the environment (to lengthen a soak by hand: E2E_SOAK_LINES=...)."""
    value = os.environ.get(name)
    return float(value) if value else default
