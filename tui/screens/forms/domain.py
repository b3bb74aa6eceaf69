"""Domain form: a hostname, and the CNAME record the user must create for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label

from tui import validation
from tui.api.models import Container
from tui.screens.forms.base import ResourceForm, SubmitFn
from tui.screens.forms.common import text_input
from tui.screens.forms.review import Change
from tui.text import clean, safe_text
from tui.widgets.form_field import FormField, update_if_changed


def normalise_hostname(value: str) -> str:
    # DNS names are case-insensitive; the API stores them lowercase without the root dot.
    return value.strip().rstrip(".").lower()


class DomainForm(ResourceForm):
    kind: ClassVar[str] = "domain"
    UNIQUE_FIELD: ClassVar[str | None] = "hostname"

    def __init__(
        self,
        *,
        submit: SubmitFn,
        container: Container,
        draft_key: str | None = None,
        draft_context: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            submit=submit, draft_key=draft_key, draft_context=draft_context, initial=initial
        )
        self.container = container

    def title_text(self) -> str:
        return f"Add a custom domain to {self.container.name}"

    def compose_fields(self) -> ComposeResult:
        yield FormField(
            "Container",
            Label(safe_text(self.container.name), classes="field-static"),
            field="container_id",
        )
        yield FormField(
            "Hostname",
            text_input("hostname", placeholder="api.example.com"),
            field="hostname",
        )
        yield FormField(
            "DNS record",
            Label("", id="cname", classes="field-static"),
            field="cname",
            hint="Create this CNAME at your DNS provider; the domain turns ready once "
            "the certificate is issued.",
        )

    def _hostname(self) -> str:
        return normalise_hostname(self.query_one("#hostname", Input).value)

    def field_values(self) -> dict[str, Any]:
        return {"hostname": self.query_one("#hostname", Input).value}

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        self.query_one("#hostname", Input).value = str(values.get("hostname", ""))

    def check(self) -> dict[str, str]:
        problem = validation.check_hostname(self.query_one("#hostname", Input).value)
        return {"hostname": problem} if problem else {}

    def refresh_hints(self) -> None:
        target = self.container.domain_name or "(the container's endpoint, once deployed)"
        host = self._hostname() or "<hostname>"
        dot = "." if self.container.domain_name else ""
        line = Text.assemble((clean(host), "bold"), "  CNAME  ", (clean(target) + dot, "bold"))
        update_if_changed(self.query_one("#cname", Label), line)

    def build_request(self) -> dict[str, Any]:
        return {"hostname": self._hostname(), "container_id": self.container.id}

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        return [], []

    def cname_text(self) -> str:
        rendered = self.query_one("#cname", Label).render()
        return rendered.plain if isinstance(rendered, Text) else str(rendered)
