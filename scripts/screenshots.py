#!/usr/bin/env python3
"""Regenerate every SVG in `screenshots/` (the README's pictures), byte for byte.

    python scripts/screenshots.py            # write screenshots/*.svg (says which changed)
    python scripts/screenshots.py --check    # write nothing; exit 1 if any would change
    python scripts/screenshots.py help main  # only these (names without .svg)

Each picture is the real console (`tui.app.create_app`) on the built-in emulator's demo seed,
driven to one screen with its clock frozen. The scenarios live in
`tests/snapshots/screen_scenarios.py`, shared with the snapshot tests, so the README shows the
screens the tests check. Run it from a checkout with the project's virtual environment.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS_DIR = ROOT / "screenshots"


def _import_scenarios() -> object:
    for path in (ROOT, ROOT / "tests" / "snapshots"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import screen_scenarios

    return screen_scenarios


async def _render(names: set[str]) -> dict[str, str]:
    scenarios = _import_scenarios()
    svgs: dict[str, str] = {}
    for file_name, scenario, size in scenarios.SCREENSHOTS:  # type: ignore[attr-defined]
        if names and file_name.removesuffix(".svg") not in names:
            continue
        svgs[file_name] = await scenarios.capture(scenario, size)  # type: ignore[attr-defined]
    return svgs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only these screenshots (e.g. main help)")
    parser.add_argument(
        "--check", action="store_true", help="compare with screenshots/ and write nothing"
    )
    parser.add_argument(
        "--out", type=Path, default=SCREENSHOTS_DIR, help="folder to write (default screenshots/)"
    )
    args = parser.parse_args(argv)

    svgs = asyncio.run(_render(set(args.names)))
    known = {name.removesuffix(".svg") for name in svgs}
    unknown = set(args.names) - known
    if unknown:
        parser.error(f"no such screenshot: {', '.join(sorted(unknown))}")

    out: Path = args.out
    changed = [
        name
        for name, svg in svgs.items()
        if not (out / name).exists() or (out / name).read_bytes() != svg.encode()
    ]
    stale = (
        sorted(p.name for p in out.glob("*.svg") if p.name not in svgs)
        if not args.names and out.is_dir()
        else []
    )
    if args.check:
        for name in changed:
            print(f"differs: {out / name}")
        for name in stale:
            print(f"not made by this script: {out / name}")
        return 1 if changed or stale else 0

    out.mkdir(parents=True, exist_ok=True)
    for name, svg in svgs.items():
        (out / name).write_bytes(svg.encode())
    for name in stale:
        (out / name).unlink()
        print(f"removed {out / name} (no scenario makes it)")
    print(f"{len(svgs)} screenshots in {out}: {len(changed)} changed")
    for name in changed:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
