"""`python -m tui --demo` in a real terminal (tmux): the tree shows, `q` quits with status 0."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]


def _tmux(socket: str, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=10,
        check=False,
    )
    return result.stdout


def _wait(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_demo_in_tmux_shows_the_tree_and_quits_cleanly(tmp_path: Path) -> None:
    socket = f"scw-containers-test-{os.getpid()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SCW_", "TMUX", "NO_COLOR"))
    }
    env.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        TERM="xterm-256color",
        PYTHONPATH=str(ROOT),
    )
    exit_file = tmp_path / "exit-status"
    command = (
        f"cd {shlex.quote(str(ROOT))} && {shlex.quote(sys.executable)} -m tui --demo; "
        f"echo $? > {shlex.quote(str(exit_file))}; sleep 5"
    )
    _tmux(socket, "new-session", "-d", "-s", "console", "-x", "120", "-y", "36", command, env=env)
    try:

        def screen() -> str:
            return _tmux(socket, "capture-pane", "-p", "-t", "console", env=env)

        assert _wait(lambda: "worker" in screen() and "connected" in screen(), 30), screen()
        shown = screen()
        for word in ("DEMO", "fr-par", "nl-ams", "shop", "web", "ready", "error", "pending"):
            assert word in shown, word
        _tmux(socket, "send-keys", "-t", "console", "q", env=env)
        assert _wait(exit_file.exists, 15), screen()
        assert exit_file.read_text().strip() == "0"
    finally:
        _tmux(socket, "kill-server", env=env)
