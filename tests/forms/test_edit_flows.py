"""Edit (changed fields only, after a review), deploy and delete, on the real app."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, Select

from tui.emulator.seed import (
    DEMO_CRON_ID,
    DEMO_DOMAIN_ID,
    DEMO_NAMESPACE_ID,
    DEMO_READY_CONTAINER_ID,
    DEMO_READY_CONTAINER_NAME,
    DEMO_TOOLS_NAMESPACE_ID,
    DEMO_TOOLS_NAMESPACE_NAME,
)
from tui.screens.forms import flows
from tui.screens.forms.confirm import DeleteConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.cron import CronForm
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.review import ReviewScreen
from tui.widgets.env_editor import EnvEditor, SecretRow

from .conftest import Harness, screen_text, select_node, set_input, wait_for_screen, wait_until


async def _container_status(h: Harness, container_id: str) -> tuple[str, int]:
    ct = await h.app.client.get_container(container_id=container_id, region="fr-par")
    return ct.status, ct.memory_limit


async def test_edit_container_memory_review_then_pending_then_ready(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_READY_CONTAINER_ID)
        before, memory = await _container_status(h, DEMO_READY_CONTAINER_ID)
        assert before == "ready" and memory != 4096
        await pilot.press("e")
        form = await wait_for_screen(pilot, ContainerForm)
        assert form.query_one("#memory_limit", Select).value == str(memory)
        form.query_one("#memory_limit", Select).value = "4096"
        await pilot.pause()
        assert "→ 2240 mvCPU" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        text = screen_text(pilot.app)
        assert f"{memory} MB → 4096 MB" in text
        assert "redeploys" in text
        assert h.counter.mutations() == []  # nothing sent before the review is confirmed
        # Back to the form: everything as typed, still nothing sent; then review again.
        await pilot.press("escape")
        await wait_for_screen(pilot, ContainerForm)
        assert form.query_one("#memory_limit", Select).value == "4096"
        assert h.counter.mutations() == []
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        await h.control.freeze()  # hold the emulator's time to see the pending phase
        review.query_one("#yes", Button).press()
        await wait_until(
            pilot, lambda: not isinstance(pilot.app.screen, (ContainerForm, ReviewScreen))
        )
        method, path, body = h.counter.bodies[-1]
        assert method == "PATCH" and path.endswith(DEMO_READY_CONTAINER_ID)
        assert body == {"memory_limit": 4096}  # the changed field only
        assert await _container_status(h, DEMO_READY_CONTAINER_ID) == ("pending", 4096)
        await h.control.advance(30)

        async def ready_with_new_memory() -> bool:
            return await _container_status(h, DEMO_READY_CONTAINER_ID) == ("ready", 4096)

        await wait_until(pilot, ready_with_new_memory, message="ready with 4096 MB")


async def test_namespace_env_edit_lists_redeploys_and_sends_secret_removal(
    make_app: Any,
) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        ready_names = [
            c.name for c in h.app.known_containers(DEMO_NAMESPACE_ID) if c.status == "ready"
        ]
        assert DEMO_READY_CONTAINER_NAME in ready_names
        ns = await h.app.client.get_namespace(namespace_id=DEMO_NAMESPACE_ID, region="fr-par")
        await pilot.press("e")
        form = await wait_for_screen(pilot, NamespaceForm)
        env = form.query_one("#env", EnvEditor)
        row = await env.add_row()
        row.query_one(".env-key", Input).value = "FEATURE_FLAG"
        row.query_one(".env-value", Input).value = "on"
        secrets = form.query_one("#secrets", EnvEditor)
        new_secret = await secrets.add_row()
        new_secret.query_one(".env-key", Input).value = "NEW_SECRET"
        new_secret.query_one(".env-value", Input).value = "s3cr3t-value-typed"
        await pilot.pause()
        existing = list(secrets.query(SecretRow))
        assert existing, "the demo namespace has a secret to remove"
        removed_key = existing[0].key
        existing[0].query_one(".secret-remove", Button).press()
        await pilot.pause()
        assert "removed" in screen_text(pilot.app)
        assert "s3cr3t-value-typed" not in screen_text(pilot.app)  # a password field
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        text = screen_text(pilot.app)
        assert "will redeploy" in text
        for name in ready_names:
            assert name in text
        assert "env FEATURE_FLAG" in text and "'on'" in text
        assert "s3cr3t-value-typed" not in text
        await h.control.freeze()
        review.query_one("#yes", Button).press()
        await wait_until(
            pilot, lambda: not isinstance(pilot.app.screen, (NamespaceForm, ReviewScreen))
        )
        method, path, body = h.counter.bodies[-1]
        assert method == "PATCH" and path.endswith(DEMO_NAMESPACE_ID)
        assert body["environment_variables"] == {**ns.environment_variables, "FEATURE_FLAG": "on"}
        assert {"key": "NEW_SECRET", "value": "s3cr3t-value-typed"} in body[
            "secret_environment_variables"
        ]
        assert {"key": removed_key} in body["secret_environment_variables"]
        assert "description" not in body
        # The ready containers of the namespace redeploy.
        status, _ = await _container_status(h, DEMO_READY_CONTAINER_ID)
        assert status == "pending"
        await h.control.advance(30)

        async def redeployed() -> bool:
            status, _ = await _container_status(h, DEMO_READY_CONTAINER_ID)
            return status == "ready"

        await wait_until(pilot, redeployed, message="web redeployed")


async def test_deploy_key_deploys_and_follows(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_READY_CONTAINER_ID)
        await h.control.freeze()
        await pilot.press("d")
        await wait_until(pilot, lambda: any(p.endswith("/deploy") for _, p, _ in h.counter.bodies))
        status, _ = await _container_status(h, DEMO_READY_CONTAINER_ID)
        assert status == "pending"
        await h.control.advance(30)

        async def back_to_ready() -> bool:
            status, _ = await _container_status(h, DEMO_READY_CONTAINER_ID)
            return status == "ready"

        await wait_until(pilot, back_to_ready, message="deploy ends ready")


async def test_delete_container_asks_then_deletes(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_READY_CONTAINER_ID)
        await pilot.press("ctrl+d")
        dialog = await wait_for_screen(pilot, DeleteConfirmScreen)
        assert DEMO_READY_CONTAINER_NAME in screen_text(pilot.app)
        assert pilot.app.focused is dialog.query_one("#no", Button)  # the safe answer
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, DeleteConfirmScreen))
        assert h.counter.mutations() == []
        await pilot.press("ctrl+d")
        dialog = await wait_for_screen(pilot, DeleteConfirmScreen)
        dialog.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: bool(h.counter.mutations()))
        assert h.counter.mutations() == [
            ("DELETE", f"/containers/v1beta1/regions/fr-par/containers/{DEMO_READY_CONTAINER_ID}")
        ]

        async def gone() -> bool:
            found = await h.app.client.list_containers_all(
                namespace_id=DEMO_NAMESPACE_ID, region="fr-par"
            )
            return all(c.id != DEMO_READY_CONTAINER_ID for c in found)

        await wait_until(pilot, gone, message="container gone")


async def test_delete_namespace_requires_typing_its_name(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_TOOLS_NAMESPACE_ID)
        await pilot.press("ctrl+d")
        dialog = await wait_for_screen(pilot, DeleteConfirmScreen)
        assert "Type the name" in screen_text(pilot.app)
        delete_button = dialog.query_one("#yes", Button)
        assert delete_button.disabled
        await set_input(pilot, "#confirm-name", "internal")
        await pilot.press("enter")
        await pilot.pause()
        assert delete_button.disabled and isinstance(pilot.app.screen, DeleteConfirmScreen)
        assert h.counter.mutations() == []
        await set_input(pilot, "#confirm-name", DEMO_TOOLS_NAMESPACE_NAME)
        assert not delete_button.disabled
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(h.counter.mutations()))
        assert h.counter.mutations() == [
            ("DELETE", f"/containers/v1beta1/regions/fr-par/namespaces/{DEMO_TOOLS_NAMESPACE_ID}")
        ]


async def test_edit_cron_sends_the_changed_schedule_only(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await h.app.client.get_container(
            container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
        )
        cron = await h.app.client.get_cron(cron_id=DEMO_CRON_ID, region="fr-par")
        h.app.run_flow(flows.edit_cron_flow(h.app, cron, container), "cron")
        form = await wait_for_screen(pilot, CronForm)
        assert form.query_one("#schedule", Input).value == cron.schedule
        await set_input(pilot, "#schedule", "0 3 * * *")
        assert "At 03:00 UTC" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        review = await wait_for_screen(pilot, ReviewScreen)
        assert f"{cron.schedule} → 0 3 * * *" in screen_text(pilot.app)
        review.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: bool(h.counter.mutations()))
        method, path, body = h.counter.bodies[-1]
        assert (method, path.rsplit("/", 1)[-1]) == ("PATCH", DEMO_CRON_ID)
        assert body == {"schedule": "0 3 * * *"}


async def test_delete_a_domain_from_its_tab(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        domain = await h.app.client.get_domain(domain_id=DEMO_DOMAIN_ID, region="fr-par")
        done: list[bool] = []

        async def run() -> None:
            done.append(await flows.delete_resource_flow(h.app, "domain", domain, region="fr-par"))

        h.app.run_flow(run(), "delete domain")
        dialog = await wait_for_screen(pilot, DeleteConfirmScreen)
        assert domain.hostname in screen_text(pilot.app)
        dialog.query_one("#yes", Button).press()
        await wait_until(pilot, lambda: done == [True])
        assert h.counter.mutations() == [
            ("DELETE", f"/containers/v1beta1/regions/fr-par/domains/{DEMO_DOMAIN_ID}")
        ]
