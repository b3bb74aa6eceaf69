"""Read-only sends no mutation from any key, palette entry or flow; secrets reach no log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from tui.api.models import Cron
from tui.emulator.seed import (
    DEMO_CRON_ID,
    DEMO_NAMESPACE_ID,
    DEMO_READY_CONTAINER_ID,
)
from tui.screens.forms import flows
from tui.screens.forms.container import ContainerForm
from tui.widgets.env_editor import EnvEditor

from .conftest import screen_text, select_node, set_input, wait_for_screen, wait_until


def search_done(app: Any) -> bool:
    """The command palette has no search running (its results are all on screen)."""
    group = CommandPalette._GATHER_COMMANDS_GROUP
    return not any(w.group == group and not w.is_finished for w in app.workers)


async def test_read_only_no_key_palette_or_flow_mutates(make_app: Any) -> None:
    h = make_app(read_only=True)
    async with h.app.run_test(size=(100, 40)) as pilot:
        main = pilot.app.screen
        for node in ("region:fr-par", DEMO_NAMESPACE_ID, DEMO_READY_CONTAINER_ID):
            await select_node(pilot, node)
            for key in ("c", "e", "d", "ctrl+d"):
                await pilot.press(key)
                await pilot.pause()
                assert pilot.app.screen is main, (node, key)
        assert flows.palette_actions(h.app) == []

        await pilot.press("ctrl+p")
        palette = await wait_for_screen(pilot, CommandPalette)
        for word in ("Create", "Deploy", "Delete", "Edit", "Invoke"):
            palette.query_one(Input).value = word
            await pilot.pause()  # the palette starts its search...
            await wait_until(pilot, lambda: search_done(pilot.app), message=f"search {word}")
            shown = screen_text(pilot.app)  # ...and has shown all it found
            assert f"{word} namespace" not in shown and f"{word} container" not in shown
            assert word not in [line.strip() for line in shown.splitlines()]
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is main)

        selected = h.app.selected()
        container = await h.app.client.get_container(
            container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
        )
        cron = Cron(id=DEMO_CRON_ID, container_id=container.id, schedule="* * * * *")
        await flows.create_flow(h.app, selected)
        await flows.edit_flow(h.app, selected)
        await flows.deploy_flow(h.app, selected)
        await flows.delete_flow(h.app, selected)
        await flows.invoke_flow(h.app, container)
        await flows.create_cron_flow(h.app, container)
        await flows.create_domain_flow(h.app, container)
        await flows.create_token_flow(h.app, container)
        await flows.delete_resource_flow(h.app, "cron", cron, region="fr-par")
        await flows.offer_drafts(h.app)
        assert pilot.app.screen is main  # no form or dialog opened
        assert h.counter.mutations() == []
        assert not any(p.startswith("/_emulator/invoke") for _, p in h.counter.requests)


SECRET_VALUE = "sekret-Value-that-must-not-leak-4711"


async def test_secret_env_value_typed_in_a_form_appears_in_no_log(
    make_app: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    h = make_app(root=tmp_path / "app")
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        await pilot.press("c")
        form = await wait_for_screen(pilot, ContainerForm)
        await set_input(pilot, "#name", "with-secret")
        await set_input(pilot, "#registry_image", "nginx:1.27")
        secrets = form.query_one("#secrets", EnvEditor)
        row = await secrets.add_row()
        row.query_one(".env-key", Input).value = "API_KEY"
        row.query_one(".env-value", Input).focus()
        await pilot.press(*SECRET_VALUE[:6])  # typed for real, then the rest pasted
        row.query_one(".env-value", Input).value = SECRET_VALUE
        # A draft is written meanwhile (without the secret: checked in every file below).
        await wait_until(pilot, lambda: bool(h.store.load_drafts()), message="draft saved")
        assert SECRET_VALUE not in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ContainerForm))
        body = h.counter.bodies[0][2]
        assert body["secret_environment_variables"] == [{"key": "API_KEY", "value": SECRET_VALUE}]
        found = await h.app.client.list_containers_all(
            namespace_id=DEMO_NAMESPACE_ID, name="with-secret", region="fr-par"
        )
        ct = found[0]
        assert [s.key for s in ct.secret_environment_variables] == ["API_KEY"]
        assert SECRET_VALUE not in repr(ct) and SECRET_VALUE not in ct.model_dump_json()

        async def ready() -> bool:
            got = await h.app.client.get_container(container_id=ct.id, region="fr-par")
            return got.status == "ready"

        await h.control.advance(60)  # the deploy's lifecycle, at once
        await wait_until(pilot, ready, message="container ready")
        logs = await h.app.client.list_logs_all(container_id=ct.id, region="fr-par")
        assert logs and all(SECRET_VALUE not in line.message for line in logs)
        notifications = " ".join(str(n.message) for n in pilot.app._notifications)
        assert SECRET_VALUE not in notifications
    for record in caplog.records:
        assert SECRET_VALUE not in record.getMessage()
    assert SECRET_VALUE not in caplog.text
    for path in (tmp_path / "app").rglob("*"):
        if path.is_file():
            assert SECRET_VALUE not in path.read_text(errors="replace"), path
