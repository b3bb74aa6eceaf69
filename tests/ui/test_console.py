"""The console on the in-process demo emulator, driven with Pilot as a user would."""

from __future__ import annotations

import re
import time
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Input, Static

from tui.api import ContainersClient
from tui.config import Settings
from tui.emulator import create_app as create_emulator
from tui.emulator.seed import (
    DEMO_AMS_NAMESPACE_NAME,
    DEMO_CREATED_CONTAINER_ID,
    DEMO_CREATED_CONTAINER_NAME,
    DEMO_ERROR_CONTAINER_ID,
    DEMO_ERROR_CONTAINER_NAME,
    DEMO_NAMESPACE_ID,
    DEMO_NAMESPACE_NAME,
    DEMO_PENDING_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
    DEMO_READY_CONTAINER_NAME,
    DEMO_TOOLS_NAMESPACE_NAME,
)
from tui.emulator.testing import EmulatorControl
from tui.screens.help import HelpScreen
from tui.screens.json_view import JsonScreen
from tui.screens.main import MainScreen

from .helpers import FAST, loaded, screen_lines, screen_text, terminal_output, wait_until


def label_of(app: Any, resource_id: str) -> str:
    node = app.main_screen.resource_tree.node_for(resource_id)
    return "" if node is None else node.label.plain


async def test_tree_shows_the_demo_data(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        for word in (
            "fr-par",
            "nl-ams",
            "pl-waw",
            DEMO_NAMESPACE_NAME,
            DEMO_TOOLS_NAMESPACE_NAME,
            DEMO_AMS_NAMESPACE_NAME,
            DEMO_READY_CONTAINER_NAME,
            DEMO_ERROR_CONTAINER_NAME,
            "DEMO",
            "connected",
        ):
            assert word in text, word
        # The status word is spelled out on every row (colour alone fails under NO_COLOR).
        assert "ready" in label_of(app, DEMO_READY_CONTAINER_ID)
        assert "error" in label_of(app, DEMO_ERROR_CONTAINER_ID)
        assert "pending" in label_of(app, DEMO_PENDING_CONTAINER_ID)
        assert "6 containers" in label_of(app, DEMO_NAMESPACE_ID)


async def test_selecting_a_container_shows_its_details(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 50)) as pilot:
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause(0.1)
        selected = app.selected()
        assert selected is not None and selected.container is not None
        assert selected.container.id == DEMO_READY_CONTAINER_ID
        assert selected.namespace is not None and selected.namespace.id == DEMO_NAMESPACE_ID
        text = screen_text(app)
        assert DEMO_READY_CONTAINER_ID in text
        assert "Scaling & resources" in text and "mvCPU" in text
        # The URL may wrap in the value column: read the pane's own text, without layout.
        body = app.main_screen.details.query_one("#details-body", Static).content
        assert isinstance(body, Group)
        plain = "".join(p.plain for p in body.renderables if isinstance(p, Text))
        assert "https://" + selected.container.domain_name in "".join(plain.split())
        assert "Environment (effective" in text
        # Related tabs are fetched in a worker; the Domains tab lists the demo domains.
        await pilot.press("right_square_bracket", "right_square_bracket")
        await wait_until(pilot, lambda: "shop.example.com" in screen_text(app))


async def test_external_deploy_shows_pending_then_ready(make_app: Any) -> None:
    emulator = create_emulator(seed="demo")
    settings = Settings(poll_settled_s=1.0, poll_transient_s=1.0)
    app = make_app(emulator, settings=settings)
    async with (
        app.run_test(size=(120, 40)) as pilot,
        EmulatorControl.for_app(emulator) as control,
        ContainersClient.for_emulator(emulator) as outside,
    ):
        # Settle the demo first: its "checkout" container otherwise stays pending a minute.
        await control.force_status(DEMO_PENDING_CONTAINER_ID, "ready")
        await loaded(pilot)
        assert app.watcher is not None
        await wait_until(pilot, lambda: app.watcher.next_interval("fr-par") == 1.0, timeout=4)
        await pilot.pause(0.3)

        await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)
        took = await wait_until(
            pilot, lambda: "pending" in label_of(app, DEMO_CREATED_CONTAINER_ID), timeout=3
        )
        assert took <= settings.poll_settled_s + 0.3
        row = next(line for line in screen_lines(app) if DEMO_CREATED_CONTAINER_NAME in line)
        assert "pending" in row

        await control.advance(30)  # the emulator moves it to ready now
        took = await wait_until(
            pilot, lambda: "ready" in label_of(app, DEMO_CREATED_CONTAINER_ID), timeout=4
        )
        assert took <= 2.0
        assert any("is ready" in n.message for n in app.notification_log)


async def test_selection_survives_refreshes_and_new_nodes(make_app: Any) -> None:
    emulator = create_emulator(seed="demo")
    app = make_app(emulator)
    async with (
        app.run_test(size=(100, 10)) as pilot,
        ContainersClient.for_emulator(emulator) as outside,
    ):
        await loaded(pilot)
        tree = app.main_screen.resource_tree
        tree.select_key(DEMO_ERROR_CONTAINER_ID)
        await pilot.pause(0.1)
        assert tree.scroll_offset.y > 0  # the tree is taller than the screen here
        row_before = tree.cursor_line - tree.scroll_offset.y
        # A new container sorts before "worker" and a status changes: the tree moves around it.
        await outside.create_container(
            namespace_id=DEMO_NAMESPACE_ID, name="aaa-first", registry_image="nginx:latest"
        )
        await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)
        await wait_until(pilot, lambda: tree.node_for_name("aaa-first") is not None, timeout=4)
        await pilot.pause(1.0)  # several more rounds
        assert tree.selected_ref is not None and tree.selected_ref.id == DEMO_ERROR_CONTAINER_ID
        assert tree.cursor_line - tree.scroll_offset.y == row_before
        assert app.focused is tree
        await pilot.press("r")
        await pilot.pause(0.3)
        assert tree.selected_ref.id == DEMO_ERROR_CONTAINER_ID
        # Sorting by status keeps the selection too.
        await pilot.press("s")
        assert tree.sort_mode == "status"
        assert tree.selected_ref.id == DEMO_ERROR_CONTAINER_ID


async def test_filter_by_name_and_status_keeps_parents(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        tree = app.main_screen.resource_tree
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"error")
        await wait_until(pilot, lambda: tree.filter_text == "error")
        shown = tree.visible_keys()
        assert DEMO_ERROR_CONTAINER_ID in shown and DEMO_NAMESPACE_ID in shown
        assert DEMO_READY_CONTAINER_ID not in shown
        assert "filter: error" in screen_text(app)
        # Keys typed in the filter never reach the app: "q" did not quit, "c" created nothing.
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press(*"web")
        await wait_until(pilot, lambda: tree.filter_text == "web")
        assert DEMO_READY_CONTAINER_ID in tree.visible_keys()
        assert DEMO_ERROR_CONTAINER_ID not in tree.visible_keys()
        await pilot.press("escape")
        await wait_until(pilot, lambda: tree.filter_text == "")
        assert DEMO_ERROR_CONTAINER_ID in tree.visible_keys()
        assert app.focused is tree


async def test_help_lists_the_bindings(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 70)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = screen_text(app)
        for description in (
            "Filter",
            "Sort",
            "Logs",
            "Create",
            "Edit",
            "Deploy",
            "Delete",
            "JSON",
            "Copy id",
            "Refresh",
            "Quit",
        ):
            assert description in text, description
        assert "^d" in text and "↓ / j" in text and "Resource tree" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_read_only_hides_every_mutation(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(100, 45)) as pilot:
        await loaded(pilot)
        actions = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not actions & {"create", "edit", "deploy", "delete"}
        assert "read-only" in screen_lines(app)[0]
        await pilot.press("c", "d", "ctrl+d", "e")  # nothing happens: no form, no request
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")
        text = screen_text(app)
        assert "Create" not in text and "Deploy" not in text and "Delete" not in text


async def test_timeline_records_transitions(make_app: Any) -> None:
    emulator = create_emulator(seed="demo")
    app = make_app(emulator)
    async with (
        app.run_test(size=(120, 40)) as pilot,
        EmulatorControl.for_app(emulator) as control,
        ContainersClient.for_emulator(emulator) as outside,
    ):
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(DEMO_CREATED_CONTAINER_ID)
        await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)
        await wait_until(pilot, lambda: "pending" in label_of(app, DEMO_CREATED_CONTAINER_ID))
        await control.advance(30)
        await wait_until(pilot, lambda: "ready" in label_of(app, DEMO_CREATED_CONTAINER_ID))
        app.main_screen.details.show_tab("tab-timeline")
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "created → pending" in text
        assert "pending → ready" in text
        history = app.timeline.for_resource(DEMO_CREATED_CONTAINER_ID)
        assert [t.to_status for t in history] == ["pending", "ready"]


async def test_effective_env_shows_which_value_wins(make_app: Any) -> None:
    emulator = create_emulator(seed="empty")
    async with ContainersClient.for_emulator(emulator) as client:
        ns = await client.create_namespace(
            name="envs",
            environment_variables={"LOG_LEVEL": "info", "SHARED": "from-namespace"},
            secret_environment_variables={"DB_PASSWORD": "hunter2-namespace"},
        )
        container = await client.create_container(
            namespace_id=ns.id,
            name="app",
            registry_image="nginx:latest",
            environment_variables={"LOG_LEVEL": "debug"},
            secret_environment_variables={"API_KEY": "s3cr3t-value"},
        )
    app = make_app(emulator)
    async with app.run_test(size=(140, 60)) as pilot:
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(container.id)
        await pilot.pause(0.2)
        lines = screen_lines(app)
        text = "\n".join(lines)
        debug_row = next(line for line in lines if "LOG_LEVEL" in line and "debug" in line)
        info_row = next(line for line in lines if "LOG_LEVEL" in line and "info" in line)
        assert "container" in debug_row and "wins" in debug_row
        assert "overridden by container" in info_row
        assert "from-namespace" in text and "namespace" in text
        assert "DB_PASSWORD" in text and "API_KEY" in text and "••••" in text
        assert "hunter2" not in text and "s3cr3t" not in text


async def test_copy_keys_use_the_clipboard(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause(0.1)
        await pilot.press("i")
        assert app.clipboard == DEMO_READY_CONTAINER_ID
        await pilot.press("u")
        assert app.clipboard.startswith("https://") and "functions" in app.clipboard
        await wait_until(
            pilot, lambda: DEMO_READY_CONTAINER_ID in app.main_screen._related_cache, timeout=3
        )
        await pilot.press("o")
        assert app.clipboard == "shop.example.com"


async def test_y_shows_raw_json(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause(0.1)
        await pilot.press("y")
        await wait_until(pilot, lambda: isinstance(app.screen, JsonScreen))
        text = screen_text(app)
        assert f'"id": "{DEMO_READY_CONTAINER_ID}"' in text
        assert '"memory_limit"' in text
        await pilot.press("q")
        assert isinstance(app.screen, MainScreen)


async def test_empty_account_says_which_key_creates(make_app: Any) -> None:
    app = make_app(create_emulator(seed="empty"))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "No namespaces yet" in text and "Press c to create one" in text


async def test_palette_jumps_to_a_resource(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*f"go to container {DEMO_ERROR_CONTAINER_NAME}")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(
            pilot,
            lambda: (
                app.main_screen.resource_tree.selected_ref is not None
                and app.main_screen.resource_tree.selected_ref.id == DEMO_ERROR_CONTAINER_ID
            ),
        )


async def test_lost_connection_banner_keeps_data_and_recovers(make_app: Any) -> None:
    from tui.api import RetryPolicy

    emulator = create_emulator(seed="demo")
    client = ContainersClient.for_emulator(emulator, retry=RetryPolicy(max_retries=0))
    app = make_app(emulator, client=client)
    async with app.run_test(size=(100, 30)) as pilot, EmulatorControl.for_app(emulator) as ctl:
        await loaded(pilot)
        await ctl.faults(error_rate=1.0, statuses=[503], mode="before")
        await wait_until(pilot, lambda: "Connection lost" in screen_text(app), timeout=5)
        text = screen_text(app)
        assert "Retrying in" in text
        assert DEMO_READY_CONTAINER_NAME in text  # the last data stays on screen
        await ctl.clear_faults()
        await pilot.press("r")
        await wait_until(pilot, lambda: "Connection lost" not in screen_text(app), timeout=5)
        assert "connected" in screen_text(app)


async def test_401_at_start_shows_how_to_set_a_key(make_app: Any) -> None:
    emulator = create_emulator(seed="demo", secret_key="99999999-2222-4333-8444-555555555555")
    client = ContainersClient.for_emulator(emulator)  # another key: 401
    app = make_app(emulator, client=client)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "401" in screen_text(app), timeout=5)
        text = screen_text(app)
        assert "SCW_SECRET_KEY" in text and "Retrying in" in text
        assert app.is_running
        # d: on to the built-in demo emulator, in place.
        await pilot.press("d")
        await loaded(pilot)
        await wait_until(pilot, lambda: DEMO_READY_CONTAINER_NAME in screen_text(app))


async def test_usable_at_80x24_and_uses_room_at_200x60(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        lines = screen_lines(app)
        assert len(lines) == 24 and all(len(line) == 80 for line in lines)
        assert "DEMO" in lines[0] and "connected" in lines[0]
        assert DEMO_NAMESPACE_NAME in screen_text(app)
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await loaded(pilot)
        tree = app.main_screen.resource_tree
        assert tree.size.width >= 70 and app.main_screen.details.size.width >= 100


async def test_bell_and_toast_when_a_followed_deploy_ends(make_app: Any) -> None:
    emulator = create_emulator(seed="demo", speed=40)
    app = make_app(emulator, settings=FAST)
    bells: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.bell = lambda: bells.append(time.monotonic())  # type: ignore[method-assign]
        await loaded(pilot)
        async with ContainersClient.for_emulator(emulator) as outside:
            await outside.deploy_container(container_id=DEMO_CREATED_CONTAINER_ID)
        app.follow("container", "fr-par", DEMO_CREATED_CONTAINER_ID)
        await wait_until(pilot, lambda: bool(bells), timeout=6)
        assert any("batch is ready" in n.message for n in app.notification_log)
        selected = app.selected()
        assert selected is not None and selected.resource_id == DEMO_CREATED_CONTAINER_ID
        await pilot.press("n")
        await pilot.pause(0.1)
        assert "batch is ready" in screen_text(app)


async def test_no_color_still_spells_every_status(make_app: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        raw = terminal_output(app)
        # Textual renders NO_COLOR as greys: no hue tells one status from another.
        colours = re.findall(r"[34]8;2;(\d+);(\d+);(\d+)", raw)
        assert colours and all(r == g == b for r, g, b in colours)
        text = screen_text(app)
        for word in ("ready", "error", "pending", "created", "locked"):
            assert word in text, word


async def test_sort_cycles_name_status_age(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        tree = app.main_screen.resource_tree

        def shop_children() -> list[str]:
            node = tree.node_for(DEMO_NAMESPACE_ID)
            assert node is not None
            return [child.label.plain.split()[1] for child in node.children]

        assert shop_children() == sorted(shop_children())
        await pilot.press("s")
        assert tree.sort_mode == "status" and shop_children()[0] == DEMO_ERROR_CONTAINER_NAME
        assert "sort: status" in screen_lines(app)[0]
        await pilot.press("s")
        assert tree.sort_mode == "age"
        await pilot.press("s")
        assert tree.sort_mode == "name"


async def test_selection_is_remembered_across_runs(tmp_path: Any) -> None:
    from tui.app import create_app, demo_config
    from tui.config import AppPaths, StateStore

    paths = AppPaths.under(tmp_path / "remember")
    for round_no in range(2):
        store = StateStore(paths.state_file)
        app = create_app(demo_config(settings=FAST, paths=paths), state_store=store)
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot)
            tree = app.main_screen.resource_tree
            if round_no == 0:
                tree.select_key(DEMO_ERROR_CONTAINER_ID)
                await pilot.pause(0.1)
                await pilot.press("q")
            else:
                ref = await _selected_after_restart(pilot, tree)
                assert ref == DEMO_ERROR_CONTAINER_ID


async def _selected_after_restart(pilot: Any, tree: Any) -> str | None:
    def chosen() -> bool:
        ref = tree.selected_ref
        return ref is not None and ref.id == DEMO_ERROR_CONTAINER_ID

    await wait_until(pilot, chosen)
    return str(tree.selected_ref.id)


async def test_region_flag_shows_one_region(make_app: Any) -> None:
    app = make_app(regions="nl-ams")
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        text = screen_text(app)
        assert DEMO_AMS_NAMESPACE_NAME in text
        assert DEMO_NAMESPACE_NAME not in text and "fr-par" not in text


async def test_keys_reach_the_forms_and_the_log_view(make_app: Any) -> None:
    from tui.screens.forms.base import ResourceForm
    from tui.screens.forms.confirm import ConfirmScreen
    from tui.screens.logs import LogScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.main_screen.resource_tree.select_key(DEMO_READY_CONTAINER_ID)
        await pilot.pause(0.1)
        await pilot.press("l")
        await wait_until(pilot, lambda: isinstance(app.screen, LogScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ResourceForm))
        await pilot.press("escape")
        await pilot.pause(0.2)
        if isinstance(app.screen, ConfirmScreen):  # the form may ask before dropping input
            await pilot.click("#yes")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
