"""A user's first minute, in a real terminal (tmux): `python -m tui --demo` opens on the demo
data; select a container, open its logs, go back, open the help, go back, open a form and
cancel it, quit. Every step is checked on the screen tmux shows (`capture-pane`); the process
must exit with status 0.

`Tmux` is also used by `test_readme.py` (the README's run command in a terminal).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ROOT = Path(__file__).resolve().parents[1]


def clean_env(home: Path) -> dict[str, str]:
    """The environment of a new user: no Scaleway settings, every folder under `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SCW_", "TMUX", "TEXTUAL")) and key != "NO_COLOR"
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


class Tmux:
    """One tmux server (its own socket) running one command in a 120×36 window."""

    def __init__(self, env: Mapping[str, str], width: int = 120, height: int = 36) -> None:
        self.socket = f"scw-containers-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.env = dict(env)
        self.width = width
        self.height = height

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=10,
            check=False,
        )
        return result.stdout

    def start(self, command: str) -> None:
        size = ("-x", str(self.width), "-y", str(self.height))
        self.tmux("new-session", "-d", "-s", "journey", *size, command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "journey")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "journey", *keys)

    def wait(self, what: str, predicate: Callable[[str], bool], timeout: float = 15.0) -> str:
        """The screen once `predicate(screen)` holds; fails with the last screen shown."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the screen was:\n{screen}")
            time.sleep(0.1)

    def wait_for(self, *texts: str, timeout: float = 15.0) -> str:
        return self.wait(
            " and ".join(repr(t) for t in texts),
            lambda screen: all(text in screen for text in texts),
            timeout,
        )

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        return self.wait(f"{text!r} to go", lambda screen: text not in screen, timeout)

    def kill(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Tmux]:
    home = tmp_path / "home"
    home.mkdir()
    session = Tmux(clean_env(home))
    try:
        yield session
    finally:
        session.kill()


def run_and_record_exit(command: str, exit_file: Path) -> str:
    """A shell line for tmux: run `command` in the checkout, then write its exit status."""
    return (
        f"cd {shlex.quote(str(ROOT))} && {command}; "
        f"echo $? > {shlex.quote(str(exit_file))}; sleep 60"
    )


def wait_for_exit(terminal: Tmux, exit_file: Path) -> int:
    terminal.wait("the console to exit", lambda _screen: exit_file.exists(), timeout=15)
    deadline = time.monotonic() + 5
    while not exit_file.read_text().strip() and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(exit_file.read_text().strip())


def test_first_minute_in_a_real_terminal(terminal: Tmux, tmp_path: Path) -> None:
    exit_file = tmp_path / "exit-status"
    python = shlex.quote(sys.executable)
    terminal.start(run_and_record_exit(f"{python} -m tui --demo", exit_file))

    # The tree shows the demo data.
    shown = terminal.wait_for("DEMO", "● connected", "worker", timeout=30)
    for word in ("fr-par", "nl-ams", "shop", "web", "ready", "error", "pending"):
        assert word in shown, word

    # Select the container `web`: the 9th row (fr-par, internal-tools, dashboard, shop, api,
    # batch, checkout, legacy, web), so 8 rows down from the first.
    terminal.keys(*["j"] * 8)
    terminal.wait_for("container web")
    terminal.keys("Enter")
    shown = terminal.wait_for("container web", "rg.fr-par.scw.cloud/shop/web:1.4.2")
    assert "Storefront" in shown

    # Its logs, then back.
    terminal.keys("l")
    shown = terminal.wait_for(" Logs ", "FOLLOW", "live")
    assert "web" in shown.splitlines()[0]
    assert "GET /products/42 200 18ms" in shown  # the newest line of the demo's history
    terminal.keys("Escape")
    terminal.wait_for("container web", "Storefront")
    terminal.wait_gone("FOLLOW")

    # The help, then back.
    terminal.keys("?")
    shown = terminal.wait_for("Keys", "Copy endpoint URL")
    assert "Refresh" in shown
    terminal.keys("Escape")
    terminal.wait_gone("Copy endpoint URL")

    # A form, cancelled.
    terminal.keys("c")
    shown = terminal.wait_for("Create container", "Ctrl+S save")
    assert "shop (fr-par)" in shown
    terminal.keys("Escape")
    terminal.wait_gone("Create container")
    terminal.wait_for("container web")

    # Quit: exit status 0.
    terminal.keys("q")
    assert wait_for_exit(terminal, exit_file) == 0
