"""The log screen driven by Pilot, on the in-process emulator.

The tail's own loop only makes its first poll here (long intervals); each test then appends
lines through the control API and calls `tail.poll_once()` itself, so nothing depends on timing.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.logs.harness import LogHarnessApp
from tui.api import ContainersClient
from tui.emulator.seed import (
    DEMO_NAMESPACE_ID,
    DEMO_PRIVATE_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
)
from tui.emulator.testing import EmulatorControl
from tui.live.logbuffer import LINE, MARKER, format_for_file
from tui.screens.logs import LogLineScreen, LogScreen, SaveLogScreen
from tui.widgets.log_toolbar import LogStatusBar
from tui.widgets.log_view import LogView

QUIET = {"fast_s": 3600.0, "slow_s": 3600.0, "watch_status": False}
SIZE = (100, 30)


async def open_screen(
    client: ContainersClient,
    *,
    container_id: str = DEMO_READY_CONTAINER_ID,
    tail: dict[str, Any] | None = None,
    **settings: Any,
) -> tuple[LogHarnessApp, LogScreen]:
    container = await client.get_container(container_id=container_id)
    namespace = await client.get_namespace(namespace_id=container.namespace_id)
    screen = LogScreen(container=container, namespace=namespace, tail_options=tail or QUIET)
    return LogHarnessApp(client, screen, **settings), screen


async def ready(pilot: Pilot[Any], screen: LogScreen) -> None:
    for _ in range(500):
        if screen.tail is not None and screen.tail.polls >= 1:
            break
        await asyncio.sleep(0.01)
    assert screen.tail is not None
    await settle(pilot, screen)


async def settle(pilot: Pilot[Any], screen: LogScreen) -> None:
    view = screen.log_view
    for _ in range(200):
        await pilot.pause()
        if view.filter_progress is None:
            break
    await pilot.pause()


async def poll(pilot: Pilot[Any], screen: LogScreen) -> None:
    assert screen.tail is not None
    await screen.tail.poll_once()
    await settle(pilot, screen)


def shown(view: LogView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def status_text(screen: LogScreen) -> str:
    return str(screen.query_one(LogStatusBar).render())


async def test_follows_pauses_on_scroll_up_counts_new_lines_and_resumes(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        view = screen.log_view
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID, [f"first {n}" for n in range(100)]
        )
        await poll(pilot, screen)
        assert view.follow
        assert view.scroll_y == view.max_scroll_y
        assert "first 99" in [row for row in shown(view) if row.strip()][-1]
        assert "FOLLOW" in status_text(screen)

        await pilot.press("k")  # the cursor moves up: following stops
        assert not view.follow
        top_before = view.row(round(view.scroll_y))
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID, [f"second {n}" for n in range(30)]
        )
        await poll(pilot, screen)
        assert view.new_lines == 30
        assert view.row(round(view.scroll_y)) is top_before  # what the user reads stays put
        assert "+30 new lines" in shown(view)[-1]
        assert "PAUSED" in status_text(screen) and "+30 new" in status_text(screen)

        await pilot.press("f")
        assert view.follow and view.new_lines == 0
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert "second 29" in [row for row in shown(view) if row.strip()][-1]

        # Scrolling up (wheel, scrollbar) pauses as well; scrolling back to the end resumes.
        view.scroll_to(y=view.scroll_y - 10, animate=False)
        await pilot.pause()
        assert not view.follow
        view.scroll_to(y=view.max_scroll_y, animate=False)
        await pilot.pause()
        assert view.follow


async def test_a_filter_typed_late_finds_old_lines_and_keeps_up_with_new_ones(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        view = screen.log_view
        lines = [f"needle {n}" if n % 250 == 0 else f"hay {n}" for n in range(3_000)]
        for start in range(0, 3_000, 1_000):
            await emulator_control.append_logs(
                DEMO_READY_CONTAINER_ID, lines[start : start + 1_000]
            )
            await poll(pilot, screen)
        assert len([e for e in view.buffer.entries if e.kind == LINE]) >= 3_000

        await pilot.press("slash")
        await pilot.press(*"needle")
        await settle(pilot, screen)
        messages = [e.message for e in view.rows if e.kind == LINE]
        assert messages == [f"needle {n}" for n in range(0, 3_000, 250)]
        assert view.match_count == 12
        assert "12 matches" in status_text(screen)
        # Matches are highlighted: the match style is on the word in the rendered row.
        match_style = view.get_component_rich_style("log-view--match", partial=True)
        row = view.render_line(0)
        assert any(
            seg.text == "needle" and seg.style and match_style.bgcolor == seg.style.bgcolor
            for seg in row
        )

        # New matching lines join; others do not.
        await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, ["needle late", "hay late"])
        await poll(pilot, screen)
        assert [e.message for e in view.rows if e.kind == LINE][-1] == "needle late"

        # Regex, then case sensitivity.
        await pilot.press("ctrl+r")
        bar_input = screen.filter_bar.input
        bar_input.value = r"needle \d{4}$"
        await settle(pilot, screen)
        assert [e.message for e in view.rows if e.kind == LINE] == [
            f"needle {n}" for n in range(1_000, 3_000, 250)
        ]
        bar_input.value = "NEEDLE"
        await pilot.press("ctrl+r")  # back to a substring
        await settle(pilot, screen)
        assert view.match_count == 13
        await pilot.press("ctrl+t")  # case-sensitive: NEEDLE is nowhere
        await settle(pilot, screen)
        assert view.match_count == 0

        # An invalid regex says so and keeps the previous view.
        await pilot.press("ctrl+t", "ctrl+r")
        bar_input.value = "needle ("
        await settle(pilot, screen)
        assert screen.filter_bar.error and "regular expression" in screen.filter_bar.error

        await pilot.press("escape")  # clears the filter
        await settle(pilot, screen)
        assert view.matcher is None
        assert not screen.filter_bar.display
        assert len(view.rows) == len(view.buffer.entries)


async def test_search_next_and_previous_move_the_cursor_and_wrap(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        view = screen.log_view
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID,
            [f"target {n}" if n in (10, 50, 90) else f"other {n}" for n in range(100)],
        )
        await poll(pilot, screen)
        await pilot.press("slash", *"target", "ctrl+f", "enter")  # highlight only, back to lines
        await settle(pilot, screen)
        assert not view.hide_unmatched
        assert len(view.rows) == len(view.buffer.entries)  # nothing hidden
        assert view.has_focus

        await pilot.press("N")  # from the bottom: the last match
        assert view.cursor is not None and view.cursor.message == "target 90"
        assert not view.follow
        await pilot.press("N")
        assert view.cursor.message == "target 50"
        await pilot.press("n")
        assert view.cursor.message == "target 90"
        await pilot.press("n")  # wraps to the first match
        assert view.cursor.message == "target 10"
        await pilot.press("N")  # and back around
        assert view.cursor.message == "target 90"
        # The cursor row is on screen.
        cursor_row = view.cursor_row
        assert cursor_row is not None
        assert round(view.scroll_y) <= cursor_row < round(view.scroll_y) + 28

        # Esc clears the filter first; Esc again goes back.
        await pilot.press("escape")
        await settle(pilot, screen)
        assert view.matcher is None and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not screen


async def test_enter_on_a_json_line_shows_it_pretty_printed(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    payload = {"event": "order", "id": 42, "items": [1, 2], "note": "[b]x[/b] \u009b2J"}
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID, [json.dumps(payload), "plain text after"]
        )
        await poll(pilot, screen)
        await pilot.press("k")  # the cursor lands on the last line; one more up
        await pilot.press("k")
        assert screen.log_view.cursor is not None
        assert screen.log_view.cursor.message == json.dumps(payload)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LogLineScreen)
        assert dialog.is_json
        body = str(dialog.query_one("#log-line-body").render())
        expected = json.dumps(payload, indent=2, ensure_ascii=False).replace("\u009b", "<U+009B>")
        assert body == expected
        assert "\u009b" not in body
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # A line that is not JSON opens whole, as text.
        await pilot.press("j", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LogLineScreen) and not dialog.is_json
        assert str(dialog.query_one("#log-line-body").render()) == "plain text after"
        await pilot.press("escape")


async def test_namespace_view_merges_containers_in_time_order(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    namespace = await log_client.get_namespace(namespace_id=DEMO_NAMESPACE_ID)
    web = await log_client.get_container(container_id=DEMO_READY_CONTAINER_ID)
    api = await log_client.get_container(container_id=DEMO_PRIVATE_CONTAINER_ID)
    screen = LogScreen(
        namespace=namespace, containers=[web, api], tail_options={**QUIET, "history_lines": 0}
    )
    app = LogHarnessApp(log_client, screen)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        for n in range(8):
            target = web if n % 2 == 0 else api
            await emulator_control.append_logs(target.id, [f"merged {n}"])
        await poll(pilot, screen)
        view = screen.log_view
        merged = [e for e in view.rows if e.message.startswith("merged ")]
        assert [e.message for e in merged] == [f"merged {n}" for n in range(8)]
        assert [e.container for e in merged] == [web.name, api.name] * 4
        rows = [row for row in shown(view) if "merged " in row]
        assert len(rows) == 8
        for n, row in enumerate(rows):
            name = web.name if n % 2 == 0 else api.name
            assert f"{name} " in row and row.rstrip().endswith(f"merged {n}")
        title = str(screen.query_one("#log-title").render())
        assert namespace.name in title and "merged" in title


async def test_saved_file_equals_the_buffered_lines(
    log_client: ContainersClient, emulator_control: EmulatorControl, tmp_path: Path
) -> None:
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        long_line = "z" * 5_000  # cut on screen, whole in the file
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID,
            [{"message": f"saved {n}"} for n in range(50)]
            + [{"message": long_line, "level": "error", "stream": "stderr"}],
        )
        await poll(pilot, screen)
        view = screen.log_view
        await pilot.press("right", "right")  # → scrolls sideways (no horizontal scrollbar)
        assert view.scroll_x == 16
        view.scroll_to(x=view.max_scroll_x, animate=False, force=True)  # the end of the line
        await pilot.pause()
        assert "(+3,000 chars: Enter shows all)" in [r for r in shown(view) if r.strip()][-1]
        view.scroll_to(x=0, animate=False, force=True)

        target = tmp_path / "web.log"
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveLogScreen)
        path_input = dialog.query_one("#log-save-path")
        assert str(Path.cwd()) in path_input.value  # type: ignore[attr-defined]
        path_input.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause()
            if target.exists() and target.stat().st_size:
                break
        await asyncio.sleep(0.05)
        saved = target.read_text(encoding="utf-8").splitlines()
        assert saved == [format_for_file(e) for e in view.buffer.entries]
        assert saved[-1].endswith(long_line)

        # With a filter, the shown lines only.
        await pilot.press("slash", *"saved 4", "enter")
        await settle(pilot, screen)
        filtered = tmp_path / "filtered.log"
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveLogScreen) and dialog.filtered
        dialog.query_one("#log-save-path").value = str(filtered)  # type: ignore[attr-defined]
        await pilot.press("enter")
        for _ in range(200):
            await pilot.pause()
            if filtered.exists() and filtered.stat().st_size:
                break
        await asyncio.sleep(0.05)
        lines = filtered.read_text(encoding="utf-8").splitlines()
        assert [line.rsplit(" ", 2)[-2:] for line in lines] == [
            ["saved", str(n)] for n in [4, *range(40, 50)]
        ]


async def test_markup_and_control_characters_are_shown_literally(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client)
    hostile = "[bold red]boom[/] \x1b[2J\x07 \u202eevil [link=http://x]y[/link]"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, [hostile])
        await poll(pilot, screen)
        view = screen.log_view
        last = [row for row in shown(view) if row.strip()][-1]
        assert "[bold red]boom[/] ^[[2J^G <U+202E>evil [link=http://x]y[/link]" in last
        for y in range(view.scrollable_content_region.height):
            for segment in view.render_line(y):
                assert "\x1b" not in segment.text and "\x07" not in segment.text
                assert segment.style is None or segment.style.link is None


async def test_display_toggles_time_range_and_wrap(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        view = screen.log_view
        await emulator_control.append_logs(
            DEMO_READY_CONTAINER_ID, [{"message": "w" * 250, "level": "warning"}]
        )
        await poll(pilot, screen)
        assert view.time_mode == "local"  # the app's setting
        await pilot.press("t")
        assert view.time_mode == "relative"
        assert "s ago" in [row for row in shown(view) if row.strip()][-1]
        await pilot.press("t")
        assert view.time_mode == "off"
        assert [row for row in shown(view) if row.strip()][-1].startswith("WARN ")
        await pilot.press("L")
        assert [row for row in shown(view) if row.strip()][-1].startswith("www")
        await pilot.press("L", "t")
        assert view.time_mode == "utc"
        last = [row for row in shown(view) if row.strip()][-1]
        # The time ends in Z (a date comes first when the line is not from today).
        assert "Z WARN " in last
        await pilot.press("S")  # source and stream column
        assert "user     stdout" in [row for row in shown(view) if row.strip()][-1]
        await pilot.press("S")

        await pilot.press("w")
        await pilot.pause()
        rows = shown(view)
        wrapped = [row for row in rows if "www" in row]
        assert len(wrapped) == 4  # 250 characters in 79 columns after the time and level
        assert sum(row.count("w") for row in wrapped) == 250
        assert all(row.startswith(" " * 20) for row in wrapped[1:])  # continuation indented
        assert rows[-1].strip() != "" and "www" in rows[-1]  # the newest line ends the view
        await pilot.press("w")

        # The demo history is old: the last minute holds only what was just appended.
        await pilot.press("R")
        await pilot.pause()
        assert view.time_range == "1m"
        assert [e.message for e in view.visible_entries()] == ["w" * 250]
        await pilot.press("R", "R", "R", "R")
        assert view.time_range == "all"
        assert len(view.visible_entries()) == len(view.buffer.entries)


async def test_status_changes_draw_markers(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(
        log_client, tail={**QUIET, "watch_status": True, "status_every_s": 0.0}
    )
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        await log_client.deploy_container(container_id=DEMO_READY_CONTAINER_ID)
        await poll(pilot, screen)
        view = screen.log_view
        markers = [e for e in view.buffer.entries if e.kind == MARKER]
        assert [m.message for m in markers] == ["deploy started"]
        rows = shown(view)
        assert any(
            row.startswith("── deploy started ") and row.rstrip().endswith("─") for row in rows
        )


async def test_bounded_by_the_settings_and_clear_and_back(
    log_client: ContainersClient, emulator_control: EmulatorControl
) -> None:
    app, screen = await open_screen(log_client, log_buffer_lines=500)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, screen)
        for start in range(0, 2_000, 1_000):
            await emulator_control.append_logs(
                DEMO_READY_CONTAINER_ID, [f"bounded {n}" for n in range(start, start + 1_000)]
            )
            await poll(pilot, screen)
        view = screen.log_view
        assert len(view.buffer) == 500
        assert view.buffer.entries[-1].message == "bounded 1999"
        assert "max 500" in status_text(screen)

        await pilot.press("slash", *"after", "enter")  # a filter survives a clear
        await settle(pilot, screen)
        await pilot.press("c")
        assert len(view.buffer) == 0 and view.rows == []
        await emulator_control.append_logs(DEMO_READY_CONTAINER_ID, ["after clear", "not shown"])
        await poll(pilot, screen)
        assert [e.message for e in view.buffer.entries] == ["after clear", "not shown"]
        assert [e.message for e in view.rows] == ["after clear"]

        tail = screen.tail
        assert tail is not None
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is not screen
        for _ in range(100):
            if not tail.running:
                break
            await asyncio.sleep(0.01)
        assert not tail.running
