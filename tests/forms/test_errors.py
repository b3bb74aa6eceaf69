"""Invalid input is caught before any request; server refusals keep the form open as typed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input

from tui.emulator.seed import DEMO_NAMESPACE_ID, DEMO_NAMESPACE_NAME, DEMO_PENDING_CONTAINER_ID
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.review import ReviewScreen

from .conftest import screen_text, select_node, set_input, wait_for_screen, wait_until


async def test_invalid_input_shows_inline_and_sends_nothing(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        await pilot.press("c")
        form = await wait_for_screen(pilot, ContainerForm)
        mark = h.counter.mark()
        await pilot.press(*"Bad_Name")
        assert form.field_error("name") is not None  # as you type
        assert "lowercase" in screen_text(pilot.app)
        await set_input(pilot, "#registry_image", "Not A/Valid Image")
        await set_input(pilot, "#min_scale", "4")
        await set_input(pilot, "#max_scale", "2")
        await set_input(pilot, "#port", "70000")
        await set_input(pilot, "#timeout", "2000")
        await set_input(pilot, "#max_concurrency", "0")
        await set_input(pilot, "#cpu_limit", "9000")
        for field in (
            "name",
            "registry_image",
            "scale",
            "port",
            "timeout",
            "max_concurrency",
            "cpu_limit",
        ):
            assert form.field_error(field), field
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ContainerForm)
        assert "fields to fix" in form.form_error
        assert [r for r in h.counter.since(mark) if r[0] != "GET"] == []
        # Fixing the values clears the messages.
        await set_input(pilot, "#port", "8080")
        assert form.field_error("port") is None


async def test_namespace_name_taken_409_lands_on_name_and_keeps_input(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", DEMO_NAMESPACE_NAME)
        await set_input(pilot, "#description", "typed by hand")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(form.form_error) and "Sending" not in form.form_error)
        assert isinstance(pilot.app.screen, NamespaceForm)
        assert "409" in form.form_error
        assert form.field_error("name")  # the server's message, at the name field
        assert form.query_one("#name", Input).value == DEMO_NAMESPACE_NAME
        assert form.query_one("#description", Input).value == "typed by hand"
        assert not form.query_one("#form-submit", Button).disabled


async def test_server_400_details_land_on_their_field(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        await pilot.press("c")
        form = await wait_for_screen(pilot, ContainerForm)
        await set_input(pilot, "#name", "digest-app")
        # Well-formed for the client's rule; this server only knows sha256 digests.
        image = "rg.fr-par.scw.cloud/shop/app@sha512:" + "ab" * 64
        await set_input(pilot, "#registry_image", image)
        assert form.field_error("registry_image") is None
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form.field_error("registry_image") is not None)
        assert isinstance(pilot.app.screen, ContainerForm)
        assert "image reference" in (form.field_error("registry_image") or "")
        assert form.query_one("#registry_image", Input).value == image
        assert form.query_one("#name", Input).value == "digest-app"
        # Editing the field clears the server's message.
        await set_input(pilot, "#registry_image", "rg.fr-par.scw.cloud/shop/app:1")
        assert form.field_error("registry_image") is None


async def test_server_500_keeps_form_open_then_retry_succeeds(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await set_input(pilot, "#name", "flaky")
        await h.control.faults(error_rate=1.0, statuses=[500], mode="before")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "500" in form.form_error)
        assert isinstance(pilot.app.screen, NamespaceForm)
        assert form.query_one("#name", Input).value == "flaky"
        await h.control.clear_faults()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, NamespaceForm))
        found = await h.app.client.list_namespaces_all(region="fr-par", name="flaky")
        assert len(found) == 1


async def test_edit_of_a_pending_container_shows_the_409(make_app: Any) -> None:
    h = make_app(speed=1.0)
    async with h.app.run_test(size=(100, 40)) as pilot:
        await h.control.force_status(DEMO_PENDING_CONTAINER_ID, "pending")
        await select_node(pilot, DEMO_PENDING_CONTAINER_ID)
        await pilot.press("e")
        form = await wait_for_screen(pilot, ContainerForm)
        await set_input(pilot, "#description", "while pending")
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        review.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: "409" in form.form_error)
        assert "transient" in form.form_error.lower() or "pending" in form.form_error
        assert form.query_one("#description", Input).value == "while pending"
