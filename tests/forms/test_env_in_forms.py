"""Env rows inside the resource forms: a big draft opens fast and is refused at the field
(bugs-e2e.md #1); an untouched edit form with plain env vars is not "dirty" (#3).

A bare app shows the form (no console, no server): these are the form's own behaviours.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from tui.api.models import Container, Namespace
from tui.screens.forms.base import ResourceForm
from tui.screens.forms.confirm import ConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.namespace import NamespaceForm
from tui.widgets.env_editor import EnvEditor

from .conftest import wait_until

NAMESPACE = Namespace(
    id="ns-1",
    name="shop",
    region="fr-par",
    status="ready",
    environment_variables={"CURRENCY": "EUR", "REGION": "fr-par"},
    secret_environment_variables=[{"key": "DATABASE_URL", "hashed_value": "x"}],
)
CONTAINER = Container(
    id="ct-1",
    name="web",
    namespace_id="ns-1",
    status="ready",
    region="fr-par",
    registry_image="nginx:1.27",
    description="storefront",
    environment_variables={"LOG_LEVEL": "info", "WORKERS": "4"},
    secret_environment_variables=[{"key": "API_TOKEN", "hashed_value": "x"}],
)


class Sent:
    """A submit that records what it was given (nothing here should send)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    async def __call__(self, request: dict[str, Any]) -> Any:
        self.requests.append(request)
        return None


class FormApp(App[None]):
    def __init__(self, form: ResourceForm) -> None:
        super().__init__()
        self.form = form
        self.closed_with: list[Any] = []

    def compose(self) -> ComposeResult:
        yield from ()

    async def open_form(self, pilot: Any) -> float:
        """Show the form; the seconds until it is ready for input."""
        started = time.perf_counter()
        self.push_screen(self.form, self.closed_with.append)
        form = self.form
        await wait_until(pilot, lambda: form.is_mounted and form._ready, message="the form")
        return time.perf_counter() - started


async def test_a_draft_with_200_env_vars_opens_fast_and_is_refused_at_the_field() -> None:
    sent = Sent()
    draft = {
        "name": "many-env",
        "registry_image": "nginx:1.27",
        "env": {"rows": [[f"VAR_{i}", f"value {i}"] for i in range(200)]},
    }
    form = ContainerForm(submit=sent, namespaces=[NAMESPACE], namespace_id="ns-1", initial=draft)
    app = FormApp(form)
    async with app.run_test(size=(120, 40)) as pilot:
        opened = await app.open_form(pilot)
        editor = form.query_one("#env", EnvEditor)
        assert len(editor.edit_rows()) == 200
        assert opened < 2.0, f"the form with 200 env vars took {opened:.2f}s to open"
        # The draft's values count as typed: the rule shows at once, at the field.
        assert form.field_error("environment_variables") == "at most 100 variables (200 now)"
        # Typing elsewhere in the form re-checks all 200 rows on each key: still quick.
        form.query_one("#description", Input).focus()
        started = time.perf_counter()
        await pilot.press(*"abcde")
        typed = time.perf_counter() - started
        assert form.query_one("#description", Input).value == "abcde"
        assert typed < 2.0, f"5 keys took {typed:.2f}s with 200 env rows"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "environment_variables" in form.form_error
        assert sent.requests == [] and app.screen is form
        # Back to 100 variables: accepted.
        await editor.restore({"rows": [[f"VAR_{i}", "v"] for i in range(100)]})
        await pilot.pause()
        assert form.field_error("environment_variables") is None
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: bool(sent.requests), message="the request")
        assert len(sent.requests[0]["environment_variables"]) == 100


@pytest.mark.parametrize(
    "make",
    [
        lambda sent: ContainerForm(submit=sent, namespaces=[NAMESPACE], original=CONTAINER),
        lambda sent: NamespaceForm(submit=sent, original=NAMESPACE),
    ],
    ids=["container", "namespace"],
)
async def test_untouched_edit_forms_with_plain_env_vars_close_without_asking(make: Any) -> None:
    sent = Sent()
    form = make(sent)
    app = FormApp(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.open_form(pilot)
        assert form.query_one("#env", EnvEditor).env()  # it has plain variables
        assert not form.has_secret_input() and not form.is_dirty()
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(app.closed_with), message="form closed")
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.closed_with == [None] and sent.requests == []


async def test_an_edited_plain_env_var_still_asks_before_discarding() -> None:
    form = ContainerForm(submit=Sent(), namespaces=[NAMESPACE], original=CONTAINER)
    app = FormApp(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.open_form(pilot)
        row = form.query_one("#env", EnvEditor).edit_rows()[0]
        await row.go_live()
        row.value_input.value = "debug"
        await pilot.pause()
        assert form.is_dirty() and not form.has_secret_input()
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), message="ask")
        assert app.closed_with == []
