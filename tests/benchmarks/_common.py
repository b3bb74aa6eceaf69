"""Shared helpers of the benchmarks (not collected by pytest).

- `Figure`: one line of the table (a value, its unit, and the budget it is held to, if any);
- process figures: `rss_mb`, `cpu_seconds` (psutil, this process or another one);
- `percentile`, `median`;
- in-app key latency: `rendered_headless` (an App subclass that renders frames although
  headless), `FrameMeter` (timestamps every write to the terminal), `hook_actions` (timestamps
  when an action ran), `key_latencies` (key event posted → first frame written after the key
  was handled, measured inside the app: Pilot's `press` waits for idle and adds ~50 ms);
- `ServedEmulator`: the emulator in its own process (so its CPU is not the console's), seeded
  with N namespaces × M settled containers and counting every request it answers;
- `print_table`, `write_json`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The secret key every benchmark emulator accepts (a UUID: any UUID is accepted).
SECRET_KEY = "11111111-2222-4333-8444-555555555555"
REGION = "fr-par"


# -- figures ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the table. `budget` is `("<=" | "<" | ">=", limit)` or None (for reference).

    `passed` is None for a figure without a budget.
    """

    key: str
    label: str
    value: float | None
    unit: str = ""
    budget: tuple[str, float] | None = None
    note: str = ""
    decimals: int = 1
    passed: bool | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.budget is None or self.value is None:
            self.passed = None if self.budget is None else False
            return
        op, limit = self.budget
        checks: dict[str, Callable[[float, float], bool]] = {
            "<=": lambda v, lim: v <= lim,
            "<": lambda v, lim: v < lim,
            ">=": lambda v, lim: v >= lim,
        }
        self.passed = checks[op](self.value, limit)

    def shown_value(self) -> str:
        if self.value is None:
            return "n/a"
        return f"{self.value:,.{self.decimals}f}{(' ' + self.unit) if self.unit else ''}"

    def shown_budget(self) -> str:
        if self.budget is None:
            return ""
        op, limit = self.budget
        sign = {"<=": "≤", ">=": "≥"}.get(op, op)
        unit = f" {self.unit}" if self.unit else ""
        return f"{sign} {limit:,g}{unit}"

    def verdict(self) -> str:
        return {None: "", True: "pass", False: "FAIL"}[self.passed]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["budget"] = list(self.budget) if self.budget else None
        return data


def figure_from_json(data: dict[str, Any]) -> Figure:
    budget = data.get("budget")
    return Figure(
        key=data["key"],
        label=data["label"],
        value=data["value"],
        unit=data.get("unit", ""),
        budget=(budget[0], budget[1]) if budget else None,
        note=data.get("note", ""),
        decimals=data.get("decimals", 1),
    )


def print_table(figures: Sequence[Figure], *, file: Any = None) -> None:
    out = file or sys.stdout
    rows = [("figure", "value", "budget", "result")]
    rows += [(f.label, f.shown_value(), f.shown_budget(), f.verdict()) for f in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]

    def line(row: tuple[str, str, str, str]) -> str:
        return (
            f"| {row[0]:<{widths[0]}} | {row[1]:>{widths[1]}} | "
            f"{row[2]:<{widths[2]}} | {row[3]:<{widths[3]}} |"
        )

    print(line(rows[0]), file=out)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=out)
    for row in rows[1:]:
        print(line(row), file=out)
    out.flush()


def machine() -> dict[str, Any]:
    import textual

    return {
        "python": platform.python_version(),
        "textual": textual.__version__,
        "platform": platform.platform(),
        "cpus": psutil.cpu_count(),
        "cpu_model": _cpu_model(),
    }


def _cpu_model() -> str:
    try:
        for text_line in Path("/proc/cpuinfo").read_text().splitlines():
            if text_line.startswith("model name"):
                return text_line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


# -- numbers ---------------------------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float:
    """The q-quantile (0..1) by the nearest-rank method on the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def rss_mb(pid: int | None = None) -> float:
    return float(psutil.Process(pid).memory_info().rss) / 1e6


def cpu_seconds(pid: int | None = None) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


# -- key latency inside the app --------------------------------------------------------------


def rendered_headless(app_class: type[Any]) -> type[Any]:
    """A subclass of `app_class` that really renders its frames while headless.

    Headless Textual apps skip rendering; the driver's writes then go nowhere, so a frame
    costs what it costs on a terminal minus the terminal itself.
    """
    return type(
        f"Rendered{app_class.__name__}",
        (app_class,),
        {"is_headless": property(lambda self: False)},
    )


class FrameMeter:
    """Timestamps (perf_counter) and sizes of every write to the terminal of a running app."""

    def __init__(self) -> None:
        self.frames: list[tuple[float, int]] = []

    def install(self, app: Any) -> FrameMeter:
        driver = app._driver
        assert driver is not None, "install once the app runs"
        original = driver.write

        def write(data: str) -> None:
            self.frames.append((time.perf_counter(), len(data)))
            original(data)

        driver.write = write
        return self

    def first_after(self, at: float) -> float | None:
        # Frames are appended in time order: scan from the end.
        found = None
        for stamp, _ in reversed(self.frames):
            if stamp <= at:
                break
            found = stamp
        return found

    def bytes_since(self, at: float) -> int:
        return sum(size for stamp, size in self.frames if stamp >= at)


def hook_actions(target: Any, names: Iterable[str]) -> list[float]:
    """Wrap `target.action_<name>` (on the instance) to timestamp each run; returns the list."""
    handled: list[float] = []
    for name in names:
        original = getattr(target, f"action_{name}")

        def wrapped(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            result = _original(*args, **kwargs)
            handled.append(time.perf_counter())
            return result

        setattr(target, f"action_{name}", wrapped)
    return handled


async def key_latencies(
    app: Any,
    meter: FrameMeter,
    handled: list[float],
    *,
    keys: Sequence[str],
    seconds: float | None = None,
    until: Callable[[], bool] | None = None,
    gap_s: tuple[float, float] = (0.03, 0.12),
    timeout_s: float = 5.0,
    seed: int = 9,
) -> list[float]:
    """Press `keys` (cycling) at random gaps for `seconds` (or until `until()`), each measured
    from the key event posted to the first frame written after its action ran (seconds)."""
    from textual import events

    driver = app._driver
    assert driver is not None
    rng = random.Random(seed)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds if seconds is not None else float("inf")
    index = 0
    while time.perf_counter() < deadline and not (until is not None and until()):
        key = keys[index % len(keys)]
        index += 1
        mark = len(handled)
        posted = time.perf_counter()
        driver.send_message(events.Key(key, key))
        while True:
            if len(handled) > mark:
                frame = meter.first_after(handled[mark])
                if frame is not None:
                    latencies.append(frame - posted)
                    break
            if time.perf_counter() - posted > timeout_s:
                latencies.append(timeout_s)
                break
            await asyncio.sleep(0.0005)
        await asyncio.sleep(rng.uniform(*gap_s))
    return latencies


class LoopLag:
    """How late a 5 ms sleep wakes: the longest time the event loop was held (seconds)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(0.005)
            self.samples.append(time.perf_counter() - began - 0.005)

    def start(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


# -- the emulator in its own process ---------------------------------------------------------


class ServedEmulator:
    """`_served_emulator.py` in a subprocess: N namespaces × M settled containers (quotas off),
    every request counted by kind (see `counts()`), uvicorn on a free loopback port."""

    def __init__(
        self,
        namespaces: int = 0,
        containers: int = 0,
        *,
        seed: str = "empty",
        speed: float = 1.0,
    ) -> None:
        argv = [
            sys.executable,
            str(BENCH_DIR / "_served_emulator.py"),
            "--namespaces",
            str(namespaces),
            "--containers",
            str(containers),
            "--seed",
            seed,
            "--speed",
            str(speed),
            "--secret-key",
            SECRET_KEY,
        ]
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        self.url = self._read_url()
        self.info: dict[str, Any] = self._get("/_bench/info")

    def _read_url(self, timeout: float = 120.0) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            text_line = self.process.stdout.readline()
            if not text_line:
                break
            seen.append(text_line)
            if text_line.startswith("listening on "):
                return text_line.split()[-1]
        self.process.kill()
        raise RuntimeError("benchmark emulator did not start:\n" + "".join(seen))

    def _get(self, path: str, method: str = "GET", body: Any = None) -> Any:
        response = httpx.request(method, self.url + path, json=body, timeout=30.0)
        response.raise_for_status()
        return response.json()

    @property
    def pid(self) -> int:
        return self.process.pid

    def counts(self) -> dict[str, int]:
        """Requests answered since the last reset, by kind (e.g. "list containers")."""
        result: dict[str, int] = self._get("/_bench/requests")["counts"]
        return result

    def request_log(self) -> list[tuple[float, str]]:
        """(unix time, kind) of each request since the last reset, oldest first."""
        return [(float(t), str(k)) for t, k in self._get("/_bench/requests")["log"]]

    def reset_counts(self) -> None:
        self._get("/_bench/requests", "DELETE")

    def control(self, method: str, path: str, body: Any = None) -> Any:
        return self._get("/_emulator/" + path.lstrip("/"), method, body)

    def stop(self) -> None:
        from tui.emulator.testing import stop_process

        stop_process(self.process)

    def __enter__(self) -> ServedEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def console_client(url: str) -> Any:
    """The console's client pointed at a served emulator."""
    from tui.api import ContainersClient

    return ContainersClient(api_url=url, secret_key=SECRET_KEY, region=REGION)


def console_app(url: str, *, settings: Any = None, rendered: bool = True) -> Any:
    """The console (`tui.app.create_app`) on a served emulator, one region, no user file
    touched; rendered although headless unless `rendered=False`."""
    import tempfile

    from tui.app import ScwContainersApp, demo_config
    from tui.config import AppPaths, Settings

    config = demo_config(
        settings=settings or Settings(),
        regions=REGION,
        paths=AppPaths.under(Path(tempfile.mkdtemp(prefix="scw-bench-"))),
    )
    app_class = rendered_headless(ScwContainersApp) if rendered else ScwContainersApp
    app = app_class(config, client=console_client(url), emulator=None)
    # As `tui.cli.build_console` runs it: the collector paused for the start-up, then the
    # start-up objects frozen out of its full passes once the tree is shown. Without this a
    # full pass over ~80 MB of long-lived objects lands at random in the measured minute.
    gc.disable()
    app.gc_paused_for_start = True
    return app


async def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)
