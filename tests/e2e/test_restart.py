"""Restart: the standalone emulator is killed with `kill -9` and started again mid-session.

The console (`create_app` on `--api-url http://127.0.0.1:PORT`, headless) has the log view of a
container open when the emulator dies. It must show the lost connection, recover by itself
(no key pressed) once the emulator is back on the same port with the same `--state` file, and
its log view must then hold every line exactly once — or show an explicit gap marker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.api import ContainersClient
from tui.app import create_app
from tui.config import Settings, StateStore
from tui.emulator.testing import TEST_SECRET_KEY, EmulatorControl
from tui.live.logbuffer import GAP, LINE
from tui.screens.logs import LogScreen

from .support import (
    FIGURES,
    Emulator,
    app_log_problems,
    remote_config,
    screen_text,
    wait_until,
)

SETTINGS = Settings(poll_transient_s=0.5, poll_settled_s=1.0, log_history_lines=5_000)
BATCHES = {"before": 300, "during": 200, "after": 200}


def _messages(name: str) -> list[Any]:
    return [f"{name}-{i:04d}" for i in range(BATCHES[name])]


def _held(screen: LogScreen) -> Counter[str]:
    return Counter(e.message for e in screen.log_view.buffer.entries if e.kind == LINE)


async def test_kill_9_and_restart_mid_session_recovers_without_loss(
    spawn: Callable[..., Emulator], tmp_path: Path, app_log: Path
) -> None:
    state = tmp_path / "emulator-state.json"
    args = ("--state", str(state), "--seed", "empty", "--speed", "20")
    emulator = spawn(*args)
    port = emulator.port
    script = ContainersClient(api_url=emulator.url, secret_key=TEST_SECRET_KEY)
    control = EmulatorControl.for_url(emulator.url)
    try:
        ns = await script.create_namespace(name="restart", region="fr-par")
        async for _ in script.wait_for_status("namespace", ns.id, timeout=30):
            pass
        ct = await script.create_container(
            namespace_id=ns.id, name="tail-me", registry_image="nginx:1.27", region="fr-par"
        )
        await script.deploy_container(container_id=ct.id, region="fr-par")
        statuses = [s async for s in script.wait_for_status("container", ct.id, timeout=30)]
        assert statuses[-1] == "ready"
        await control.append_logs(ct.id, _messages("before"))

        config = remote_config(emulator.url, tmp_path, settings=SETTINGS)
        app = create_app(config, state_store=StateStore(config.paths.state_file))
        async with app.run_test(size=(120, 36)) as pilot:
            main = app.main_screen
            await wait_until(
                pilot, lambda: main.resource_tree.select_key(ct.id), message="container in tree"
            )
            main.resource_tree.focus()
            await pilot.press("l")
            await wait_until(pilot, lambda: isinstance(app.screen, LogScreen), message="logs")
            logs = app.screen
            assert isinstance(logs, LogScreen)
            await wait_until(
                pilot,
                lambda: all(m in _held(logs) for m in _messages("before")),
                message="history in the log view",
            )
            await control.append_logs(ct.id, _messages("during"))
            await wait_until(
                pilot,
                lambda: all(m in _held(logs) for m in _messages("during")),
                message="live lines in the log view",
            )

            emulator.kill9()
            # The console says so: the log view's status line, and the main screen's banner.
            await wait_until(
                pilot,
                lambda: "retrying" in screen_text(app),
                timeout=30,
                message="'retrying' on the log screen",
            )
            await wait_until(
                pilot,
                lambda: app.connection_state.state == "retrying",
                timeout=30,
                message="the watcher to report the lost connection",
            )
            banner = main.query_one("#connection-banner")
            assert banner.display and "Connection lost" in str(banner.render())

            restarted = spawn(*args, "--port", str(port))
            assert restarted.url == emulator.url
            await control.append_logs(ct.id, _messages("after"))
            # Recovery by itself: no key is pressed from here on.
            took = await wait_until(
                pilot,
                lambda: (
                    app.connection_state.state == "connected"
                    and logs.tail_state.state == "live"
                    and all(m in _held(logs) for m in _messages("after"))
                ),
                timeout=60,
                message="recovery after the restart",
            )
            FIGURES.note("restart_recovery_s", f"{took:.1f}")
            assert "retrying" not in screen_text(app)

            held = _held(logs)
            expected = [m for name in BATCHES for m in _messages(name)]
            lost = [m for m in expected if held[m] == 0]
            doubled = [m for m in expected if held[m] > 1]
            gaps = [e for e in logs.log_view.buffer.entries if e.kind == GAP]
            FIGURES.lines_expected += len(expected)
            FIGURES.lines_seen += sum(held[m] for m in expected)
            FIGURES.lines_lost += len(lost)
            FIGURES.duplicates += len(doubled)
            FIGURES.gap_markers += len(gaps)
            assert (not lost and not doubled) or gaps, (lost[:5], doubled[:5])
            # The lines are in order (timestamp then id) with nothing else between them.
            order = [e.message for e in logs.log_view.buffer.entries if e.message in set(expected)]
            assert order == expected

            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, message="back to the tree")
            await wait_until(
                pilot, lambda: "Connection lost" not in screen_text(app), message="banner gone"
            )
            assert "tail-me" in screen_text(app)
        assert app.return_code in (None, 0)
        FIGURES.add_client(app.client.stats)
    finally:
        FIGURES.add_client(script.stats)
        await script.aclose()
        await control.aclose()
    assert not app_log_problems(app_log)
