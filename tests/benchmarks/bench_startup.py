"""Start-up beside a bare Textual app: ``python tests/benchmarks/bench_startup.py [--runs 7]``.

Each run starts a fresh Python process (as a user does), headless at 120 × 40 but rendering
its frames, and times from just before the process is spawned to:
- bare: the first frame of a Textual app showing one `Static`;
- console: its first frame, and the first frame after the demo tree is complete (every region
  listed and applied), on the in-process emulator with the demo seed (`tui.app.create_app`).
Bytecode is cached (in a scratch folder) as on a user's machine, after one warm-up run of each.
Runs alternate bare/console so drift hits both; the figures are medians, and the budget is
the ratio console tree / bare frame ≤ 1.5.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any


def _mark(name: str, at: float) -> None:
    # Straight to fd 1: Textual captures `print` while an app runs.
    os.write(1, f"{name} {at}\n".encode())


def _draws(data: str) -> bool:
    """Whether a driver write paints cells (a cursor move), not only a mode or pointer
    sequence: Textual's first write is the pointer shape (OSC 22), before any frame."""
    return "\x1b[" in data and "H" in data and len(data) > 32


def _bare_child() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        @property
        def is_headless(self) -> bool:
            return False

        def compose(self) -> ComposeResult:
            yield Static("hello")

        def on_mount(self) -> None:
            driver = self._driver
            assert driver is not None
            original = driver.write

            def write(data: str) -> None:
                original(data)
                if _draws(data):
                    _mark("FRAME", time.time())
                    self.exit()

            driver.write = write  # type: ignore[method-assign]

    Bare().run(headless=True, size=(120, 40))


def _floor_child() -> None:
    """The least a console on this stack does before its first tree, written plainly: import
    Textual, httpx, pydantic and Starlette, answer one list in process through
    httpx.ASGITransport, validate it into a pydantic model and show it in a `Tree`."""
    import httpx
    from pydantic import BaseModel
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from textual.app import App, ComposeResult
    from textual.widgets import Tree

    class Item(BaseModel):
        id: str
        name: str
        status: str

    class Page(BaseModel):
        namespaces: list[Item]
        total_count: int

    async def namespaces(_request: Request) -> JSONResponse:
        item = {"id": "1", "name": "web", "status": "ready"}
        return JSONResponse({"namespaces": [item], "total_count": 1})

    api = Starlette(routes=[Route("/namespaces", namespaces)])

    class Floor(App[None]):
        @property
        def is_headless(self) -> bool:
            return False

        def compose(self) -> ComposeResult:
            yield Tree("fr-par")

        async def on_mount(self) -> None:
            driver = self._driver
            assert driver is not None
            original = driver.write
            shown = False

            def write(data: str) -> None:
                original(data)
                if shown and _draws(data):
                    _mark("TREE", time.time())
                    self.exit()

            driver.write = write  # type: ignore[method-assign]
            transport = httpx.ASGITransport(app=api)
            async with httpx.AsyncClient(transport=transport, base_url="http://e") as client:
                page = Page.model_validate_json((await client.get("/namespaces")).content)
            tree = self.query_one(Tree)
            for item in page.namespaces:
                tree.root.add_leaf(item.name)
            tree.root.expand()
            shown = True

    Floor().run(headless=True, size=(120, 40))


def _console_child(scratch: str) -> None:
    from tui import cli

    marks: dict[str, float] = {}
    loaded: set[str] = set()
    # Built by the command line's own function, as `scw-containers --demo` builds it: config
    # loading, app log, state store and the factory (and whatever those do for start-up).
    app = cli.build_console(cli.build_parser().parse_args(["--demo"]))

    from tui.app import ScwContainersApp  # imported by build_console already
    from tui.live.events import NamespacesLoaded

    class Rendered(ScwContainersApp):
        """Renders its frames although headless; notes the first, and the first after the
        demo tree is complete."""

        @property
        def is_headless(self) -> bool:
            return False

        def on_mount(self) -> None:  # the base class's on_mount runs too (MRO dispatch)
            driver = self._driver
            assert driver is not None
            write = driver.write

            def metered(data: str) -> None:
                write(data)
                if _draws(data):
                    self.frame_written()

            driver.write = metered  # type: ignore[method-assign]

        def frame_written(self) -> None:
            now = time.time()
            if "FRAME" not in marks:
                marks["FRAME"] = now
                _mark("FRAME", now)
            if "applied" in marks and "TREE" not in marks:
                marks["TREE"] = now
                _mark("TREE", now)
                self.exit()

    app.__class__ = Rendered
    screen = app.main_screen
    apply = screen.apply_live_events

    # The app's message handler calls this screen method: an instance attribute wins.
    def spy(events: Any) -> None:
        apply(events)
        loaded.update(e.region for e in events if isinstance(e, NamespacesLoaded))
        if loaded >= set(app.connection.regions):
            marks.setdefault("applied", time.time())

    screen.apply_live_events = spy  # type: ignore[method-assign]
    app.run(headless=True, size=(120, 40))


if __name__ == "__main__" and len(sys.argv) >= 3 and sys.argv[1] == "--child":
    # Before any other import: the child's start-up is what is measured.
    if sys.argv[2] == "bare":
        _bare_child()
    elif sys.argv[2] == "floor":
        _floor_child()
    else:
        _console_child(sys.argv[3])
    raise SystemExit(0)


import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Figure, figure_from_json, median, print_table  # noqa: E402


def _run_child(kind: str, scratch: str) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCW_")}
    env["PYTHONPATH"] = str(ROOT)
    # As on a user's machine, modules are compiled once and their bytecode reused (an
    # installed wheel ships it; a checkout writes it on the first run). The cache goes to a
    # scratch folder, so the checkout is left as it was.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
    # A user with no credentials and no config file: the console opens the demo. Its config,
    # state and log folders are the scratch folder's.
    home = Path(scratch) / "home"
    env["HOME"] = str(home)
    for name, sub in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
    ):
        env[name] = str(home / sub)
    argv = [sys.executable, __file__, "--child", kind, scratch]
    started = time.time()
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    marks: dict[str, float] = {}
    for text_line in out.stdout.splitlines():
        parts = text_line.split()
        if len(parts) == 2 and parts[0] in ("FRAME", "TREE"):
            marks[parts[0]] = float(parts[1]) - started
    wanted = {"bare": {"FRAME"}, "floor": {"TREE"}, "console": {"FRAME", "TREE"}}[kind]
    if not wanted <= marks.keys():
        raise RuntimeError(f"{kind} child failed:\n{out.stdout}\n{out.stderr}")
    return marks


def run(*, quick: bool, runs: int | None = None) -> dict[str, Any]:
    runs = runs or (3 if quick else 9)
    scratch = tempfile.mkdtemp(prefix="scw-bench-startup-")
    bare: list[float] = []
    frame: list[float] = []
    tree: list[float] = []
    floor: list[float] = []
    for kind in ("bare", "floor", "console"):  # warm the file and bytecode caches
        _run_child(kind, scratch)
    for _ in range(runs):
        bare.append(_run_child("bare", scratch)["FRAME"])
        floor.append(_run_child("floor", scratch)["TREE"])
        marks = _run_child("console", scratch)
        frame.append(marks["FRAME"])
        tree.append(marks["TREE"])
    b, f, t, fl = median(bare), median(frame), median(tree), median(floor)
    details = {
        "runs": runs,
        "bare_first_frame_s": b,
        "stack_floor_tree_s": fl,
        "ratio_stack_floor": fl / b,
        "ratio_console_to_floor": t / fl,
        "console_first_frame_s": f,
        "console_demo_tree_s": t,
        "ratio_first_frame": f / b,
        "ratio_demo_tree": t / b,
        "bare_all_s": bare,
        "stack_floor_all_s": floor,
        "console_tree_all_s": tree,
    }
    figures = [
        Figure(
            "startup_bare_s", "start-up: bare Textual app, first frame", 1000 * b, "ms", decimals=0
        ),
        Figure(
            "startup_floor_s",
            "start-up: stack floor (Textual + httpx + pydantic + Starlette, one list, a Tree)",
            1000 * fl,
            "ms",
            decimals=0,
        ),
        Figure(
            "startup_console_frame_s",
            "start-up: console, first frame",
            1000 * f,
            "ms",
            decimals=0,
        ),
        Figure(
            "startup_console_tree_s",
            "start-up: console, demo tree complete",
            1000 * t,
            "ms",
            decimals=0,
        ),
        Figure(
            "startup_ratio",
            "start-up ratio (console tree / bare frame)",
            t / b,
            "×",
            budget=("<=", 1.5),
            decimals=2,
        ),
        Figure(
            "startup_floor_ratio",
            "start-up ratio (stack floor / bare frame)",
            fl / b,
            "×",
            decimals=2,
        ),
        Figure(
            "startup_console_to_floor",
            "start-up ratio (console tree / stack floor)",
            t / fl,
            "×",
            decimals=2,
        ),
    ]
    return {"figures": [x.to_json() for x in figures], "details": details}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    result = run(quick=args.quick, runs=args.runs)
    print(json.dumps(result["details"], indent=2))
    print_table([figure_from_json(x) for x in result["figures"]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
