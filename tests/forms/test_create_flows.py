"""Create each resource type through its form, on the real app and the in-process emulator."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from textual.widgets import Button, Select, Switch, TextArea

from tui.api.models import Container
from tui.emulator.seed import (
    DEMO_NAMESPACE_ID,
    DEMO_NAMESPACE_NAME,
    DEMO_READY_CONTAINER_ID,
)
from tui.screens.forms import flows
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.cron import CronForm
from tui.screens.forms.domain import DomainForm
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.token import TokenForm
from tui.screens.forms.token_created import TokenCreatedScreen

from .conftest import Harness, screen_text, select_node, set_input, wait_for_screen, wait_until


async def _status(h: Harness, kind: str, resource_id: str, region: str = "fr-par") -> str:
    getter = getattr(h.app.client, f"get_{kind}")
    resource = await getter(**{f"{kind}_id": resource_id}, region=region)
    return str(resource.status)


async def _ready_container(h: Harness) -> Container:
    container: Container = await h.app.client.get_container(
        container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
    )
    return container


async def test_create_namespace_from_region_reaches_ready(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, "region:fr-par")
        await pilot.press("c")
        form = await wait_for_screen(pilot, NamespaceForm)
        await pilot.press(*"orders")
        await set_input(pilot, "#description", "order processing")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, NamespaceForm))
        posts = [b for b in h.counter.bodies if b[0] == "POST"]
        assert len(posts) == 1 and posts[0][1].endswith("/namespaces")
        assert posts[0][2]["name"] == "orders"
        assert posts[0][2]["description"] == "order processing"
        namespaces = await h.app.client.list_namespaces_all(region="fr-par", name="orders")
        ns_id = namespaces[0].id

        async def ready() -> bool:
            return await _status(h, "namespace", ns_id) == "ready"

        await wait_until(pilot, ready, message="namespace ready")
        # Followed: the new namespace becomes the selection.
        await wait_until(
            pilot, lambda: h.app.selected() is not None and h.app.selected().resource_id == ns_id
        )
        assert form.draft_key is not None and h.store.load_drafts() == {}


async def test_create_container_deploys_and_reaches_ready(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        await pilot.press("c")
        form = await wait_for_screen(pilot, ContainerForm)
        assert form.query_one("#namespace_id", Select).value == DEMO_NAMESPACE_ID
        assert form.query_one("#deploy", Switch).value is True
        await set_input(pilot, "#name", "orders-api")
        await set_input(pilot, "#registry_image", "rg.fr-par.scw.cloud/shop/orders:1.0")
        form.query_one("#memory_limit", Select).value = "512"
        await pilot.pause()
        assert "280 mvCPU" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ContainerForm))
        calls = [(m, p.rsplit("/", 1)[-1]) for m, p, _ in h.counter.bodies]
        assert calls[0] == ("POST", "containers") and calls[1] == ("POST", "deploy")
        body = h.counter.bodies[0][2]
        assert body["memory_limit"] == 512 and body["name"] == "orders-api"
        assert body["timeout"] == "300s" and body["port"] == 8080
        found = await h.app.client.list_containers_all(
            namespace_id=DEMO_NAMESPACE_ID, name="orders-api", region="fr-par"
        )
        ct_id = found[0].id
        seen: list[str] = []

        async def ready() -> bool:
            status = await _status(h, "container", ct_id)
            seen.append(status)
            return status == "ready"

        await wait_until(pilot, ready, message="container ready")
        assert "created" not in seen  # deployed at once
        await wait_until(
            pilot, lambda: h.app.selected() is not None and h.app.selected().resource_id == ct_id
        )


async def test_create_container_without_deploy_stays_created(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_NAMESPACE_ID)
        await pilot.press("c")
        form = await wait_for_screen(pilot, ContainerForm)
        await set_input(pilot, "#name", "later")
        await set_input(pilot, "#registry_image", "nginx:1.27")
        form.query_one("#deploy", Switch).value = False
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, ContainerForm))
        assert [p.rsplit("/", 1)[-1] for _, p, _ in h.counter.bodies] == ["containers"]
        found = await h.app.client.list_containers_all(
            namespace_id=DEMO_NAMESPACE_ID, name="later", region="fr-par"
        )
        assert found[0].status == "created"


async def test_create_cron_shows_reading_and_reaches_ready(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await _ready_container(h)
        h.app.run_flow(flows.create_cron_flow(h.app, container), "cron")
        form = await wait_for_screen(pilot, CronForm)
        await set_input(pilot, "#schedule", "5 4 * * 0")
        await pilot.pause()
        text = screen_text(pilot.app)
        assert "At 04:05 UTC, on Sunday" in text
        assert text.count(" UTC ") >= 3 and "local" in text  # the next three runs
        args = form.query_one("#args", TextArea)
        args.focus()
        args.insert('{"report": ')
        await pilot.pause()
        await pilot.pause()
        assert form.field_error("args") is not None  # checked as you type
        args.insert('"daily"}')
        await pilot.pause()
        assert form.field_error("args") is None
        assert "✓ JSON object (report)" in screen_text(pilot.app)
        await set_input(pilot, "#name", "weekly-report")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CronForm))
        body = h.counter.bodies[-1][2]
        assert body == {
            "container_id": container.id,
            "schedule": "5 4 * * 0",
            "args": {"report": "daily"},
            "name": "weekly-report",
        }
        crons = await h.app.client.list_crons_all(container_id=container.id, region="fr-par")
        cron_id = next(c.id for c in crons if c.name == "weekly-report")

        async def ready() -> bool:
            return await _status(h, "cron", cron_id) == "ready"

        await wait_until(pilot, ready, message="cron ready")


async def test_create_domain_shows_cname_and_reaches_ready(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await _ready_container(h)
        h.app.run_flow(flows.create_domain_flow(h.app, container), "domain")
        form = await wait_for_screen(pilot, DomainForm)
        await set_input(pilot, "#hostname", "API.Orders.example.com")
        await pilot.pause()
        assert container.domain_name
        assert f"CNAME  {container.domain_name}." in form.cname_text()
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, DomainForm))
        assert h.counter.bodies[-1][2] == {
            "hostname": "api.orders.example.com",
            "container_id": container.id,
        }
        domains = await h.app.client.list_domains_all(container_id=container.id, region="fr-par")
        domain_id = next(d.id for d in domains if d.hostname == "api.orders.example.com")

        async def ready() -> bool:
            return await _status(h, "domain", domain_id) == "ready"

        await wait_until(pilot, ready, message="domain ready")


async def test_token_shown_once_copied_saved_then_gone(make_app: Any, tmp_path: Path) -> None:
    h = make_app(root=tmp_path / "app")
    saved = tmp_path / "chosen" / "token.txt"
    saved.parent.mkdir()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await _ready_container(h)
        h.app.run_flow(flows.create_token_flow(h.app, container), "token")
        form = await wait_for_screen(pilot, TokenForm)
        await set_input(pilot, "#description", "ci")
        await set_input(pilot, "#expires", "30d")
        assert "in 30.0 days" in screen_text(pilot.app)
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, TokenCreatedScreen)
        assert form.is_attached is False or pilot.app.screen is dialog
        body = h.counter.bodies[-1][2]
        assert body["container_id"] == container.id and body["description"] == "ci"
        assert "expires_at" in body
        token_value = dialog._token.get_secret_value()
        assert len(token_value) > 10
        assert token_value in screen_text(pilot.app)
        assert "cannot be read again" in screen_text(pilot.app)
        dialog.query_one("#token-copy", Button).press()
        await pilot.pause()
        assert pilot.app.clipboard == token_value
        await set_input(pilot, "#token-path", str(saved))
        dialog.query_one("#token-save", Button).press()
        await pilot.pause()
        await pilot.pause()
        assert saved.read_text().strip() == token_value
        assert stat.S_IMODE(os.stat(saved).st_mode) == 0o600
        # Saving again never overwrites.
        dialog.query_one("#token-save", Button).press()
        await pilot.pause()
        await pilot.pause()
        assert "exists" in screen_text(pilot.app)
        dialog.query_one("#token-close", Button).press()
        await pilot.pause()
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, TokenCreatedScreen))
        await pilot.pause()
        for screen in pilot.app.screen_stack:
            assert token_value not in screen_text(pilot.app, screen)
        assert dialog._token is None
        # The token is in no file the app wrote on its own (state, config, log folders).
        for path in (tmp_path / "app").rglob("*"):
            if path.is_file():
                assert token_value not in path.read_text(errors="replace"), path
        tokens = await h.app.client.list_tokens_all(container_id=container.id, region="fr-par")
        assert any(t.description == "ci" for t in tokens)
        assert all(t.token is None for t in tokens)  # the list never carries a value
        del token_value


async def test_palette_offers_actions_for_the_selection(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        await select_node(pilot, DEMO_READY_CONTAINER_ID)
        titles = [t for t, _, _ in flows.palette_actions(h.app)]
        for expected in (
            "Create namespace",
            "Create container",
            "Edit",
            "Deploy",
            "Delete",
            "Invoke",
            "Create cron",
            "Create domain",
            "Create token",
        ):
            assert expected in titles
        await select_node(pilot, DEMO_NAMESPACE_ID)
        titles = [t for t, _, _ in flows.palette_actions(h.app)]
        assert "Deploy" not in titles and "Invoke" not in titles
        assert {"Create container", "Edit", "Delete", "Create token"} <= set(titles)
        helps = {t: h_ for t, h_, _ in flows.palette_actions(h.app)}
        assert DEMO_NAMESPACE_NAME in helps["Edit"]
        # A palette entry runs its flow: "Create token" for the namespace opens the token form.
        factory = next(f for t, _, f in flows.palette_actions(h.app) if t == "Create token")
        h.app.run_flow_factory(factory, "Create token")
        form = await wait_for_screen(pilot, TokenForm)
        assert form.query_one("#scope", Select).value == "namespace"
        form.query_one("#form-cancel", Button).press()
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, TokenForm))
        assert h.counter.mutations() == []
