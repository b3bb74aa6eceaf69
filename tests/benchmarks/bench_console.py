"""Console benchmark (run on demand, prints figures):

    python tests/benchmarks/bench_console.py [--namespaces 100] [--containers 100]
                                             [--seconds 12] [--runs 5]

1. Start-up beside a bare Textual app, measured in the same run (subprocesses, headless,
   alternating, medians): process start → first frame, and → the demo tree fully loaded.
2. A big account (N namespaces × M containers, emulator with quotas off, in process):
   - time to the first full tree: app start → data in → tree built and painted (namespaces
     collapsed beyond 2,000 containers, as the app does), and the same with every node expanded;
   - p95 latency of a key press while polling (measured inside the app: key event posted →
     next frame written), with the settled interval shortened so several polls overlap;
   - resident memory (RSS) before the app (emulator seeded) and after;
   - bytes written to the terminal per second while idle (calm on a slow SSH link).
The app is run headless with frames really rendered (a driver that times writes).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402
from textual import events  # noqa: E402

from tui.app import ScwContainersApp, demo_config  # noqa: E402
from tui.config import AppPaths, Settings  # noqa: E402
from tui.emulator import create_app as create_emulator  # noqa: E402
from tui.emulator.testing import EmulatorControl  # noqa: E402
from tui.widgets import resource_tree  # noqa: E402

# -- 1. start-up -----------------------------------------------------------------------------

# Both children render real frames (headless mode skips painting, so `is_headless` is turned
# off) and print the time of the first write to the terminal: the first frame a user sees.
METER = """
import os, time
def say(mark):
    os.write(1, f"{mark} {time.time()}\\n".encode())  # the app captures print() while running
def meter(app, on_first=None):
    driver = app._driver
    original = driver.write
    state = {"first": True}
    def write(data):
        if state["first"]:
            state["first"] = False
            say("FRAME")
            if on_first is not None:
                on_first()
        original(data)
    driver.write = write
"""

BARE = METER + textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static
    class Bare(App):
        @property
        def is_headless(self):
            return False
        def compose(self):
            yield Static("hello")
        def on_mount(self):
            meter(self, lambda: self.call_after_refresh(self.exit))
    Bare().run(headless=True, size=(120, 40))
    """
)

CONSOLE = METER + textwrap.dedent(
    """
    import tempfile
    from pathlib import Path
    from tui.app import ScwContainersApp, demo_config, create_app
    from tui.config import AppPaths
    class Measured(ScwContainersApp):
        @property
        def is_headless(self):
            return False
        def on_mount(self):  # Textual also runs ScwContainersApp.on_mount
            meter(self)
    config = demo_config(paths=AppPaths.under(Path(tempfile.mkdtemp())))
    base = create_app(config)
    app = Measured(config, emulator=base.emulator)
    def check():
        if app.watcher is not None and app.watcher.is_loaded():
            tree = app.main_screen.resource_tree
            if tree.total_containers() and not tree._dirty:
                app.call_after_refresh(done)
                return
        app.set_timer(0.005, check)
    def done():
        say("TREE")
        app.exit()
    app.call_later(check)
    app.run(headless=True, size=(120, 40))
    """
)


def _run_child(code: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env["PYTHONPATH"] = str(ROOT)
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    marks: dict[str, float] = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("FRAME", "TREE"):
            marks[parts[0]] = float(parts[1]) - started
    if "FRAME" not in marks:
        raise RuntimeError(f"child failed: {out.stdout}\n{out.stderr}")
    return marks


def bench_startup(runs: int) -> dict[str, float]:
    bare: list[float] = []
    console_frame: list[float] = []
    console_tree: list[float] = []
    _run_child(BARE)  # warm the file cache once for both
    _run_child(CONSOLE)
    for _ in range(runs):
        bare.append(_run_child(BARE)["FRAME"])
        marks = _run_child(CONSOLE)
        console_frame.append(marks["FRAME"])
        console_tree.append(marks["TREE"])
    b = statistics.median(bare)
    f = statistics.median(console_frame)
    t = statistics.median(console_tree)
    return {
        "bare_textual_first_frame_s": b,
        "console_first_frame_s": f,
        "console_demo_tree_s": t,
        "ratio_first_frame": f / b,
        "ratio_demo_tree": t / b,
    }


# -- 2. a big account ------------------------------------------------------------------------


def seed_big(namespaces: int, containers: int) -> Any:
    """An emulator (quotas off) with N × M settled containers, seeded in process."""
    app = create_emulator(seed="empty", quotas=False)
    emulator = app.state.emulator
    try:
        with emulator.lock:
            for n in range(namespaces):
                ns = emulator.create_namespace("fr-par", {"name": f"ns-{n:03d}"})
                for i in range(containers):
                    emulator.create_container(
                        "fr-par",
                        {
                            "namespace_id": ns["id"],
                            "name": f"c-{i:03d}",
                            "registry_image": "nginx:latest",
                        },
                    )
            emulator.invalidate()
    except AttributeError:  # the emulator's internals moved: go through its HTTP API
        asyncio.run(_seed_over_http(app, namespaces, containers))
    asyncio.run(_advance(app, 10))
    return app


async def _seed_over_http(app: Any, namespaces: int, containers: int) -> None:
    from tui.api import ContainersClient

    async with ContainersClient.for_emulator(app) as client:
        for n in range(namespaces):
            ns = await client.create_namespace(name=f"ns-{n:03d}")
            await asyncio.gather(
                *(
                    client.create_container(
                        namespace_id=ns.id, name=f"c-{i:03d}", registry_image="nginx:latest"
                    )
                    for i in range(containers)
                )
            )


async def _advance(app: Any, seconds: float) -> None:
    async with EmulatorControl.for_app(app) as control:
        await control.advance(seconds)


class MeasuredApp(ScwContainersApp):
    """Renders frames although headless, and timestamps every write to the terminal."""

    @property
    def is_headless(self) -> bool:
        return False

    def _install_meter(self) -> None:
        driver = self._driver
        assert driver is not None
        self.frames: list[tuple[float, int]] = []
        original = driver.write

        def write(data: str) -> None:
            self.frames.append((time.perf_counter(), len(data.encode())))
            original(data)

        driver.write = write  # type: ignore[method-assign]

    def on_live_events(self, message: Any) -> None:
        # No super() call: Textual runs the handler of every class in the MRO, so the base
        # class applies the batch right after this one (calling it here applied it twice).
        if not hasattr(self, "data_at") and any(
            type(e).__name__ == "NamespacesLoaded" for e in message.events
        ):
            self.data_at = time.perf_counter()


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 1e6


class Target:
    """Where the big account lives: a served emulator (its own process, on loopback, as a
    real API would be) or the in-process one (sharing the console's event loop)."""

    def __init__(self, emulator: Any, served: bool) -> None:
        self.emulator = emulator
        self.process: Any = None
        if served:
            import tempfile

            from tui.emulator import persist
            from tui.emulator.testing import EmulatorProcess

            state = Path(tempfile.mkdtemp()) / "big.json"
            persist.save(state, emulator.state.emulator.to_json())
            self.process = EmulatorProcess("--state", str(state), "--no-quotas", secret_key=None)

    def app(self, settings: Settings) -> MeasuredApp:
        import tempfile

        from tui.app import _make_client
        from tui.config import Flags, load_app_config

        paths = AppPaths.under(Path(tempfile.mkdtemp()))
        if self.process is None:
            config = demo_config(settings=settings, regions="fr-par", paths=paths)
            client, _ = _make_client(config, emulator=self.emulator)
            return MeasuredApp(config, client=client, emulator=self.emulator)
        env = {"SCW_SECRET_KEY": "11111111-2222-4333-8444-555555555555"}
        config = load_app_config(
            Flags(api_url=self.process.url, region="fr-par"),
            env=env,
            home=paths.config_dir,
            paths=paths,
        )
        config = type(config)(**{**config.__dict__, "settings": settings})
        client, _ = _make_client(config)
        return MeasuredApp(config, client=client)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()


async def _first_full_tree(target: Target, expand_all: bool, settings: Settings) -> dict[str, Any]:
    app = target.app(settings)
    saved = resource_tree.LARGE_ACCOUNT
    if expand_all:
        resource_tree.LARGE_ACCOUNT = 10**9
    result: dict[str, Any] = {}
    started = time.perf_counter()
    try:
        async with app.run_test(size=(200, 60), headless=True) as pilot:
            app._install_meter()
            while not hasattr(app, "data_at"):
                await asyncio.sleep(0.002)
            data_at = app.data_at
            # The tree is applied synchronously in that handler; wait for the frame after it.
            while not any(at > data_at for at, _ in app.frames):
                await asyncio.sleep(0.002)
            painted = next(at for at, _ in app.frames if at > data_at)
            tree = app.main_screen.resource_tree
            result = {
                "data_in_s": data_at - started,
                "tree_on_screen_s": painted - started,
                "tree_after_data_s": painted - data_at,
                "nodes": len(tree.visible_keys()),
            }
            await pilot.pause(0.2)
    finally:
        resource_tree.LARGE_ACCOUNT = saved
    return result


async def _latency(target: Target, seconds: float, settings: Settings) -> dict[str, Any]:
    import random

    app = target.app(settings)
    app.gc_paused_for_start = True  # as the command line runs it (collector frozen after load)
    gc.collect()
    rss_before = _rss_mb()
    out: dict[str, Any] = {}
    async with app.run_test(size=(200, 60), headless=True) as pilot:
        app._install_meter()
        while app.watcher is None or not app.watcher.is_loaded():
            await asyncio.sleep(0.01)
        await pilot.pause(0.5)
        rounds_before = app.watcher.rounds
        driver = app._driver
        assert driver is not None
        latencies: list[float] = []
        keys = ["j"] * 8 + ["k"] * 8
        deadline = time.perf_counter() + seconds
        index = 0
        while time.perf_counter() < deadline:
            key = keys[index % len(keys)]
            index += 1
            posted = time.perf_counter()
            driver.send_message(events.Key(key, key))
            while True:
                after = [at for at, _ in app.frames if at > posted]
                if after:
                    latencies.append(after[0] - posted)
                    break
                if time.perf_counter() - posted > 5:
                    latencies.append(5.0)
                    break
                await asyncio.sleep(0.0005)
            await asyncio.sleep(random.uniform(0.03, 0.12))
        rounds = app.watcher.rounds - rounds_before
        # Idle: nothing pressed for a while, polling goes on.
        idle_start = time.perf_counter()
        await asyncio.sleep(min(6.0, seconds))
        idle_bytes = sum(size for at, size in app.frames if at >= idle_start)
        idle_s = time.perf_counter() - idle_start
        gc.collect()
        latencies.sort()
        out = {
            "key_presses": len(latencies),
            "poll_rounds_meanwhile": rounds,
            "key_latency_p50_ms": 1000 * statistics.median(latencies),
            "key_latency_p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
            "key_latency_max_ms": 1000 * latencies[-1],
            "rss_before_app_mb": rss_before,
            "rss_with_app_mb": _rss_mb(),
            "idle_bytes_per_s": idle_bytes / idle_s,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--namespaces", type=int, default=100)
    parser.add_argument("--containers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=12.0, help="key-latency run length")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs (medians)")
    parser.add_argument("--settled", type=float, default=2.0, help="settled poll interval, s")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="poll the emulator in process (it then shares the console's event loop) instead "
        "of serving it from its own process on loopback",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()

    figures: dict[str, Any] = {}
    print(f"start-up, {args.runs} runs each (medians)…", flush=True)
    figures["startup"] = bench_startup(args.runs)
    _print("start-up", figures["startup"])

    total = args.namespaces * args.containers
    print(f"seeding {args.namespaces} × {args.containers} = {total} containers…", flush=True)
    t = time.perf_counter()
    emulator = seed_big(args.namespaces, args.containers)
    figures["seed_s"] = time.perf_counter() - t
    settings = Settings(poll_settled_s=args.settled, poll_transient_s=1.0)
    target = Target(emulator, served=not args.in_process)
    where = "in process" if args.in_process else "served on loopback (own process)"
    print(f"emulator {where}", flush=True)
    try:
        _big(figures, target, settings, args)
    finally:
        target.stop()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


def _big(figures: dict[str, Any], target: Target, settings: Settings, args: Any) -> None:
    figures["first_tree_lazy"] = asyncio.run(_first_full_tree(target, False, settings))
    _print(
        "first full tree (namespaces collapsed beyond 2,000 containers)", figures["first_tree_lazy"]
    )
    figures["first_tree_expanded"] = asyncio.run(_first_full_tree(target, True, settings))
    _print("first full tree (every node expanded)", figures["first_tree_expanded"])
    print(f"key latency while polling every {args.settled} s, {args.seconds} s…", flush=True)
    figures["latency"] = asyncio.run(_latency(target, args.seconds, settings))
    _print("keys while polling", figures["latency"])


def _print(title: str, values: dict[str, Any]) -> None:
    print(f"\n{title}")
    for key, value in values.items():
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
        print(f"  {key:<28} {shown}")
    print(flush=True)


if __name__ == "__main__":
    main()
