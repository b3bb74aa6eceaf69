"""Namespace form: name, description, env vars and secret env vars (create and edit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from tui import validation
from tui.api.models import Namespace
from tui.screens.forms.base import ResourceForm, SubmitFn
from tui.screens.forms.common import (
    env_changes,
    env_errors,
    env_fields,
    redeploy_note,
    secret_changes,
    secret_inputs,
    select,
    select_value,
    text_input,
)
from tui.screens.forms.review import Change
from tui.text import safe_text
from tui.widgets.env_editor import EnvEditor
from tui.widgets.form_field import FormField


class NamespaceForm(ResourceForm):
    kind: ClassVar[str] = "namespace"

    def __init__(
        self,
        *,
        submit: SubmitFn,
        original: Namespace | None = None,
        region: str = "fr-par",
        regions: Sequence[str] = validation.REGIONS,
        redeploy_names: Sequence[str] = (),
        draft_key: str | None = None,
        draft_context: Mapping[str, Any] | None = None,
        initial: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            submit=submit,
            original=original,
            draft_key=draft_key,
            draft_context=draft_context,
            initial=initial,
        )
        self.namespace: Namespace | None = original
        self.target_region = original.region if original is not None and original.region else region
        self.regions = (
            list(regions) if self.target_region in regions else [self.target_region, *regions]
        )
        self.redeploy_names = list(redeploy_names)

    def title_text(self) -> str:
        if self.namespace is None:
            return "Create namespace"
        return f"Edit namespace {self.namespace.name}"

    def compose_fields(self) -> ComposeResult:
        ns = self.namespace
        if ns is None:
            yield FormField(
                "Region",
                select("region", [(r, r) for r in self.regions], self.target_region),
                field="region",
            )
            yield FormField(
                "Name",
                text_input("name", placeholder="my-namespace"),
                field="name",
                hint="lowercase letters, digits, '-'; 1-34 characters",
            )
        else:
            yield FormField("Name", Label(safe_text(ns.name), classes="field-static"), field="name")
            yield FormField(
                "Region",
                Label(safe_text(self.target_region), classes="field-static"),
                field="region",
            )
        yield FormField(
            "Description",
            text_input("description", (ns.description or "") if ns else "", "optional"),
            field="description",
        )
        yield from env_fields(ns)

    # ------------------------------------------------------------------ values

    def _env(self) -> EnvEditor:
        return self.query_one("#env", EnvEditor)

    def _secrets(self) -> EnvEditor:
        return self.query_one("#secrets", EnvEditor)

    def field_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "description": self.query_one("#description", Input).value,
            "env": self._env().draft(),
            # Only key names and decisions: secret values never reach a draft.
            "sealed_env": self._secrets().draft(),
        }
        if self.namespace is None:
            values["region"] = select_value(self.query_one("#region", Select))
            values["name"] = self.query_one("#name", Input).value
        return values

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        if self.namespace is None:
            if values.get("region") in self.regions:
                self.query_one("#region", Select).value = values["region"]
            self.query_one("#name", Input).value = str(values.get("name", ""))
        self.query_one("#description", Input).value = str(values.get("description", ""))
        await self._env().restore(values.get("env") or {})
        await self._secrets().restore(values.get("sealed_env") or {})

    def check(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.namespace is None:
            problem = validation.check_name(self.query_one("#name", Input).value)
            if problem:
                errors["name"] = problem
        problem = validation.check_description(self.query_one("#description", Input).value)
        if problem:
            errors["description"] = problem
        errors.update(env_errors(self._env(), self._secrets(), self.shows_errors_for))
        return errors

    def build_request(self) -> dict[str, Any]:
        description = self.query_one("#description", Input).value
        env = self._env().env()
        secrets = self._secrets().secret_changes()
        ns = self.namespace
        request: dict[str, Any] = {}
        if ns is None:
            request["region"] = select_value(self.query_one("#region", Select))
            request["name"] = self.query_one("#name", Input).value
            if description:
                request["description"] = description
            if env:
                request["environment_variables"] = env
            if secrets:
                request["secret_environment_variables"] = secret_inputs(secrets)
            return request
        if description != (ns.description or ""):
            request["description"] = description
        if env != ns.environment_variables:
            request["environment_variables"] = env
        if secrets:
            request["secret_environment_variables"] = secret_inputs(secrets)
        return request

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        ns = self.namespace
        assert ns is not None
        changes: list[Change] = []
        if "description" in request:
            changes.append(
                Change("description", repr(ns.description or ""), repr(request["description"]))
            )
        if "environment_variables" in request:
            changes += env_changes(ns.environment_variables, request["environment_variables"])
        secrets = self._secrets().secret_changes()
        if secrets:
            changes += secret_changes([s.key for s in ns.secret_environment_variables], secrets)
        notes: list[str] = []
        if "environment_variables" in request or "secret_environment_variables" in request:
            notes.append(redeploy_note(self.redeploy_names))
        return changes, notes
