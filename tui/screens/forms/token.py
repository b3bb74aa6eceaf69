"""Token form: scope (the container or its namespace), description and expiry."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Select

from tui import validation
from tui.api.models import Container, Namespace
from tui.screens.forms.base import ResourceForm, SubmitFn
from tui.screens.forms.common import select, select_value, text_input
from tui.screens.forms.review import Change
from tui.widgets.form_field import FormField


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TokenForm(ResourceForm):
    kind: ClassVar[str] = "token"
    UNIQUE_FIELD: ClassVar[str | None] = None
    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "expires_at": "expires",
        "container_id": "scope",
        "namespace_id": "scope",
    }

    def __init__(
        self,
        *,
        submit: SubmitFn,
        container: Container | None = None,
        namespace: Namespace | None = None,
        now: Callable[[], datetime] = _utc_now,
        local_tz: tzinfo | None = None,
        draft_key: str | None = None,
        draft_context: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        if container is None and namespace is None:
            raise ValueError("a token belongs to a container or a namespace")
        super().__init__(
            submit=submit, draft_key=draft_key, draft_context=draft_context, initial=initial
        )
        self.container = container
        self.namespace = namespace
        self._now = now
        self._local_tz = local_tz

    def title_text(self) -> str:
        target = self.container.name if self.container else self.namespace.name  # type: ignore[union-attr]
        return f"Create a token for {target}"

    def _scopes(self) -> list[tuple[str, str]]:
        scopes = []
        if self.container is not None:
            scopes.append((f"container {self.container.name}", "container"))
        if self.namespace is not None:
            scopes.append((f"namespace {self.namespace.name} (all its containers)", "namespace"))
        return scopes

    def compose_fields(self) -> ComposeResult:
        scopes = self._scopes()
        yield FormField("Scope", select("scope", scopes, scopes[0][1]), field="scope")
        yield FormField(
            "Description",
            text_input("description", placeholder="optional, e.g. CI deploys"),
            field="description",
        )
        yield FormField(
            "Expires",
            text_input("expires", placeholder='never; or "30d", "12h", 2030-01-31'),
            field="expires",
        )

    def field_values(self) -> dict[str, Any]:
        return {
            "scope": select_value(self.query_one("#scope", Select)),
            "description": self.query_one("#description", Input).value,
            "expires": self.query_one("#expires", Input).value,
        }

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        if values.get("scope") in {v for _, v in self._scopes()}:
            self.query_one("#scope", Select).value = values["scope"]
        self.query_one("#description", Input).value = str(values.get("description", ""))
        self.query_one("#expires", Input).value = str(values.get("expires", ""))

    def _expiry(self) -> tuple[datetime | None, str | None]:
        return validation.parse_expiry(self.query_one("#expires", Input).value, self._now())

    def check(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        _, problem = self._expiry()
        if problem:
            errors["expires"] = problem
        problem = validation.check_description(self.query_one("#description", Input).value)
        if problem:
            errors["description"] = problem
        return errors

    def refresh_hints(self) -> None:
        when, problem = self._expiry()
        expires_field = self.query_one("#ff-expires", FormField)
        if problem:
            expires_field.set_hint('a date, a date and time, or "30d" / "12h" / "2w"')
        elif when is None:
            expires_field.set_hint(Text("never expires", style="dim"))
        else:
            days = (when - self._now()).total_seconds() / 86400
            expires_field.set_hint(
                Text(
                    f"expires {validation.format_utc(when)} "
                    f"({validation.format_local(when, self._local_tz)} local, in {days:.1f} days)"
                )
            )

    def build_request(self) -> dict[str, Any]:
        scope = select_value(self.query_one("#scope", Select))
        request: dict[str, Any] = {}
        if scope == "namespace" and self.namespace is not None:
            request["namespace_id"] = self.namespace.id
        elif self.container is not None:
            request["container_id"] = self.container.id
        description = self.query_one("#description", Input).value.strip()
        if description:
            request["description"] = description
        when, _ = self._expiry()
        if when is not None:
            request["expires_at"] = when
        return request

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        return [], []
