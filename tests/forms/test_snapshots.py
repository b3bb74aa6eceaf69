"""Snapshots of every form and dialog at 80x24 (deterministic data, no server)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pydantic import SecretStr
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, Static

from tui.api.models import Container, Namespace
from tui.screens.forms.confirm import DeleteConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.cron import CronForm
from tui.screens.forms.domain import DomainForm
from tui.screens.forms.draft_offer import DraftsScreen
from tui.screens.forms.invoke import InvokeResult, InvokeScreen
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.review import Change, ReviewScreen
from tui.screens.forms.token import TokenForm
from tui.screens.forms.token_created import TokenCreatedScreen

SIZE = (80, 24)
NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1), "CET")

NAMESPACES = [
    Namespace(id="ns-1", name="shop", region="fr-par", status="ready"),
    Namespace(id="ns-2", name="internal-tools", region="fr-par", status="ready"),
]
CONTAINER = Container(
    id="ct-1",
    name="web",
    namespace_id="ns-1",
    status="ready",
    region="fr-par",
    registry_image="rg.fr-par.scw.cloud/shop/web:1.4.2",
    min_scale=1,
    max_scale=5,
    memory_limit=1024,
    cpu_limit=560,
    timeout="300s",
    privacy="public",
    protocol="http1",
    port=8080,
    max_concurrency=50,
    http_option="enabled",
    description="storefront",
    domain_name="shop-web.functions.fnc.fr-par.scw.cloud",
    environment_variables={"LOG_LEVEL": "info"},
    secret_environment_variables=[{"key": "DATABASE_URL", "hashed_value": "x"}],
)


async def _never(request: dict[str, Any]) -> Any:
    raise AssertionError("snapshots send nothing")


class FormApp(App[None]):
    """A bare app showing one screen on top of an empty one."""

    def __init__(self, make_screen: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self._make_screen = make_screen

    def compose(self) -> Any:
        yield Static("console behind the dialog")

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause(0.1)


def test_namespace_create(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press(*"Orders")  # invalid: shows the inline message
        await _settle(pilot)

    app = FormApp(lambda: NamespaceForm(submit=_never, region="fr-par"))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_namespace_edit_with_secret(snap_compare: Any) -> None:
    namespace = Namespace(
        id="ns-1",
        name="shop",
        region="fr-par",
        description="the shop",
        environment_variables={"CURRENCY": "EUR"},
        secret_environment_variables=[{"key": "DATABASE_URL", "hashed_value": "x"}],
    )
    app = FormApp(lambda: NamespaceForm(submit=_never, original=namespace, redeploy_names=["web"]))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_container_create(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#name", Input).value = "orders-api"
        screen = pilot.app.screen
        screen.query_one("#memory_limit", Select).value = "512"
        await _settle(pilot)

    app = FormApp(lambda: ContainerForm(submit=_never, namespaces=NAMESPACES, namespace_id="ns-1"))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_container_edit(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        # Scroll to the env editor and secret rows.
        pilot.app.screen.query_one("#form-body").scroll_end(animate=False)
        await _settle(pilot)

    app = FormApp(lambda: ContainerForm(submit=_never, namespaces=NAMESPACES, original=CONTAINER))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_cron_create(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press(*"5 4 * * 0")
        await _settle(pilot)

    app = FormApp(
        lambda: CronForm(submit=_never, container=CONTAINER, now=lambda: NOW, local_tz=CET)
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_domain_create(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#hostname", Input).value = "shop.example.com"
        await _settle(pilot)

    app = FormApp(lambda: DomainForm(submit=_never, container=CONTAINER))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_token_create(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        pilot.app.screen.query_one("#expires", Input).value = "30d"
        await _settle(pilot)

    app = FormApp(
        lambda: TokenForm(
            submit=_never,
            container=CONTAINER,
            namespace=NAMESPACES[0],
            now=lambda: NOW,
            local_tz=CET,
        )
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_token_shown_once(snap_compare: Any) -> None:
    fake = SecretStr("snapshot-token-not-a-real-one-0123456789")
    app = FormApp(lambda: TokenCreatedScreen(fake, scope="container web"))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_review_of_an_edit(snap_compare: Any) -> None:
    changes = [
        Change("memory limit", "1024 MB", "4096 MB"),
        Change("CPU (from memory)", "560", "2240"),
        Change("env LOG_LEVEL", "'info'", "'debug'"),
        Change("secret DATABASE_URL", "••••", "•••• (new value)"),
    ]
    notes = ["Saving redeploys container web: it goes pending, then ready or error."]
    app = FormApp(lambda: ReviewScreen("Review: Edit container web", changes, notes))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_delete_namespace_confirmation(snap_compare: Any) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press(*"sho")
        await _settle(pilot)

    app = FormApp(
        lambda: DeleteConfirmScreen(
            "namespace",
            "shop",
            ["Its 2 container(s) are deleted with it: web, api."],
            require_name=True,
        )
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_invoke_result(snap_compare: Any) -> None:
    async def invoke(method: str, path: str, body: str | None, token: Any) -> InvokeResult:
        return InvokeResult(
            200,
            "OK",
            0.012,
            '{"message": "Hello from web", "path": "/hello"}',
            content_type="application/json",
        )

    async def run(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        await pilot.press(*"hello", "enter")
        await _settle(pilot)

    private = CONTAINER.model_copy(update={"privacy": "private"})
    app = FormApp(lambda: InvokeScreen(private, invoke, target="https://" + CONTAINER.domain_name))
    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_drafts_offer(snap_compare: Any) -> None:
    drafts = {
        "namespace:create": {"title": "Create namespace", "form": "namespace"},
        "container:edit:ct-1": {"title": "Edit container web", "form": "container"},
    }
    app = FormApp(lambda: DraftsScreen(drafts))
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)
