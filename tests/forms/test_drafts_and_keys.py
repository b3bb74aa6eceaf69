"""Drafts survive a quit or a crash; Esc asks before throwing input away; `q` stays in a field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Button, Input

from tui.emulator.seed import DEMO_NAMESPACE_ID
from tui.screens.forms import flows
from tui.screens.forms.confirm import ConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.draft_offer import DraftsScreen
from tui.screens.forms.namespace import NamespaceForm
from tui.widgets.env_editor import EnvEditor, EnvRow

from .conftest import screen_text, select_node, set_input, wait_for_screen, wait_until

SECRET_TYPED = "hunter2-typed-in-a-form"


async def test_abandoned_form_is_offered_back_after_restart(make_app: Any, tmp_path: Path) -> None:
    root = tmp_path / "home"
    first = make_app(root=root)
    async with first.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", "draft-ns")
        env = form.query_one("#env", EnvEditor)
        row = await env.add_row()
        row.query_one(".env-key", Input).value = "FOO"
        row.query_one(".env-value", Input).value = "bar"
        secrets = form.query_one("#secrets", EnvEditor)
        secret_row = await secrets.add_row()
        secret_row.query_one(".env-key", Input).value = "DB_PASS"
        secret_row.query_one(".env-value", Input).value = SECRET_TYPED
        # Saved while typing (a crash after this point loses nothing)…
        await wait_until(pilot, lambda: bool(first.store.load_drafts()), message="draft saved")
        # …and what is typed just before a quit is written when the form goes away.
        await set_input(pilot, "#description", "half done")
        pilot.app.exit()
    state_text = first.store.path.read_text()
    assert "draft-ns" in state_text and "half done" in state_text
    assert SECRET_TYPED not in state_text
    assert first.counter.mutations() == []

    second = make_app(root=root, emulator=first.emulator)
    async with second.app.run_test(size=(100, 40)) as pilot:
        offer = await wait_for_screen(pilot, DraftsScreen)
        assert "Create namespace" in screen_text(pilot.app)
        offer.query_one("#resume-0", Button).press()
        form = await wait_for_screen(pilot, NamespaceForm)
        assert form.query_one("#name", Input).value == "draft-ns"
        assert form.query_one("#description", Input).value == "half done"
        assert form.query_one("#env", EnvEditor).env() == {"FOO": "bar"}
        rows = list(form.query_one("#secrets", EnvEditor).query(EnvRow))
        assert [r.key for r in rows] == ["DB_PASS"] and rows[0].value == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, NamespaceForm)  # the secret value is required again
        assert second.counter.mutations() == []
        rows[0].query_one(".env-value", Input).value = "again"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, NamespaceForm))
        assert second.store.load_drafts() == {}
        assert [m for m, _ in second.counter.mutations()] == ["POST"]


async def test_discarded_draft_is_not_offered(make_app: Any, tmp_path: Path) -> None:
    root = tmp_path / "home"
    first = make_app(root=root)
    async with first.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", "left-behind")
        pilot.app.exit()
    assert first.store.load_drafts()
    second = make_app(root=root, emulator=first.emulator)
    async with second.app.run_test(size=(100, 40)) as pilot:
        offer = await wait_for_screen(pilot, DraftsScreen)
        offer.query_one("#discard-0", Button).press()
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, DraftsScreen))
        assert second.store.load_drafts() == {}


async def test_escape_with_changes_asks_and_discard_clears_the_draft(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        await wait_for_screen(pilot, NamespaceForm)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, NamespaceForm))

        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", "keep-me")
        await wait_until(pilot, lambda: bool(h.store.load_drafts()), message="draft saved")
        await pilot.press("escape")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        assert "Discard" in screen_text(pilot.app)
        dialog.query_one("#no", Button).press()  # keep editing
        await wait_for_screen(pilot, NamespaceForm)
        assert form.query_one("#name", Input).value == "keep-me"
        await pilot.press("escape")
        dialog = await wait_for_screen(pilot, ConfirmScreen)
        dialog.query_one("#yes", Button).press()
        await wait_until(
            pilot, lambda: not isinstance(pilot.app.screen, (NamespaceForm, ConfirmScreen))
        )
        assert h.store.load_drafts() == {}
        assert h.counter.mutations() == []


async def test_q_typed_in_a_field_stays_in_the_field(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await pilot.press("q", "u", "e", "u", "e")
        await set_input(pilot, "#description", "")
        await pilot.press("q", "r", "c", "d", "e", "l", "y", "question_mark")
        await pilot.pause()
        assert pilot.app.is_running and pilot.app.screen is form
        assert form.query_one("#name", Input).value == "queue"
        assert form.query_one("#description", Input).value == "qrcdely?"
        # With a button focused, q is "back": it asks first because the form holds input.
        form.query_one("#form-cancel", Button).focus()
        await pilot.press("q")
        await wait_for_screen(pilot, ConfirmScreen)
        assert pilot.app.is_running
        assert h.counter.mutations() == []


async def test_the_offer_waits_for_the_tree_and_skips_forms_open_now(
    make_app: Any, tmp_path: Path
) -> None:
    root = tmp_path / "home"
    first = make_app(root=root)
    async with first.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", "left-last-time")
        await wait_until(pilot, lambda: bool(first.store.load_drafts()), message="draft saved")
        pilot.app.exit()

    second = make_app(root=root, emulator=first.emulator)
    async with second.app.run_test(size=(100, 40)) as pilot:
        # Another form opened at once, before the offer's moment (1 s after the first poll).
        flow = flows.create_container_flow(second.app, "fr-par", namespace_id=DEMO_NAMESPACE_ID)
        second.app.run_flow(flow, "container")
        form = await wait_for_screen(pilot, ContainerForm)
        await set_input(pilot, "#name", "typing-now")
        await wait_until(pilot, lambda: len(second.store.load_drafts()) == 2, message="saved")
        await pilot.pause(1.5)
        assert pilot.app.screen is form  # no dialog took the form's keys
        # Cancelled (and what was typed discarded): back on the tree, the offer comes now.
        form.action_cancel()
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        confirm.query_one("#yes", Button).press()
        offer = await wait_for_screen(pilot, DraftsScreen)
        assert list(offer.drafts) == ["namespace:create"]
        assert offer.drafts["namespace:create"]["values"]["name"] == "left-last-time"
