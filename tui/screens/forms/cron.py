"""Cron form: schedule read back in plain words with its next runs, JSON args checked as typed."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label

from tui import validation
from tui.api.models import Container, Cron
from tui.screens.forms.base import ResourceForm, SubmitFn
from tui.screens.forms.common import text_input
from tui.screens.forms.review import Change
from tui.text import safe_text
from tui.widgets.form_field import FormField
from tui.widgets.safe_input import SafeTextArea


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CronForm(ResourceForm):
    kind: ClassVar[str] = "cron"

    def __init__(
        self,
        *,
        submit: SubmitFn,
        container: Container,
        original: Cron | None = None,
        now: Callable[[], datetime] = _utc_now,
        local_tz: tzinfo | None = None,
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
        self.container = container
        self.cron: Cron | None = original
        self._now = now
        self._local_tz = local_tz
        # Readable as stored (no \u escapes for "é"): the text area escapes what is unsafe.
        self._start_args = (
            json.dumps(original.args, indent=2, ensure_ascii=False)
            if original and original.args
            else ""
        )

    def title_text(self) -> str:
        if self.cron is None:
            return f"Create cron on {self.container.name}"
        return f"Edit cron {self.cron.name or self.cron.id}"

    def compose_fields(self) -> ComposeResult:
        cron = self.cron
        yield FormField(
            "Container",
            Label(safe_text(self.container.name), classes="field-static"),
            field="container_id",
        )
        yield FormField(
            "Schedule",
            text_input("schedule", cron.schedule if cron else "", "*/5 * * * *"),
            field="schedule",
            hint="minute hour day-of-month month day-of-week, in UTC",
        )
        yield FormField(
            "Args (JSON)",
            # JSON from the server, a draft or a paste may hold ESC/BEL/bidi characters: the
            # safe text area stores them escaped, never raw.
            SafeTextArea(
                self._start_args,
                id="args",
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
                placeholder='{"key": "value"}',
            ),
            field="args",
            hint="a JSON object, sent as the body of the POST; blank: {}",
        )
        yield FormField(
            "Name",
            text_input("name", cron.name if cron else "", "optional, e.g. nightly-report"),
            field="name",
        )

    def _schedule(self) -> str:
        return self.query_one("#schedule", Input).value.strip()

    def _args_text(self) -> str:
        return self.query_one("#args", SafeTextArea).text

    def field_values(self) -> dict[str, Any]:
        return {
            "schedule": self.query_one("#schedule", Input).value,
            "args": self._args_text(),
            "name": self.query_one("#name", Input).value,
        }

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        self.query_one("#schedule", Input).value = str(values.get("schedule", ""))
        self.query_one("#args", SafeTextArea).text = str(values.get("args", ""))
        self.query_one("#name", Input).value = str(values.get("name", ""))

    def check(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        problem = validation.check_cron_schedule(self._schedule())
        if problem:
            errors["schedule"] = problem
        _, problem = validation.parse_cron_args(self._args_text())
        if problem:
            errors["args"] = problem
        name = self.query_one("#name", Input).value.strip()
        if name:
            problem = validation.check_name(name)
            if problem:
                errors["name"] = problem
        return errors

    def refresh_hints(self) -> None:
        schedule_field = self.query_one("#ff-schedule", FormField)
        schedule = self._schedule()
        if validation.check_cron_schedule(schedule) is None:
            hint = Text()
            hint.append(validation.describe_cron(schedule), style="bold")
            for index, when in enumerate(validation.next_runs(schedule, self._now(), 3)):
                hint.append("\nnext: " if index == 0 else "\n      ")
                hint.append(validation.format_utc(when))
                local = validation.format_local(when, self._local_tz)
                hint.append(f"  ({local} local)", style="dim")
            schedule_field.set_hint(hint)
        else:
            schedule_field.set_hint("minute hour day-of-month month day-of-week, in UTC")
        args_field = self.query_one("#ff-args", FormField)
        parsed, problem = validation.parse_cron_args(self._args_text())
        if parsed is not None and problem is None:
            # The keys are parsed: "\u001b" in the text is a raw ESC here.
            keys = ", ".join(sorted(parsed)) if parsed else "empty"
            args_field.set_hint(safe_text(f"✓ JSON object ({keys})", style="green"))
        # A problem shows as the field's error once the field was touched.

    def build_request(self) -> dict[str, Any]:
        args, _ = validation.parse_cron_args(self._args_text())
        name = self.query_one("#name", Input).value.strip()
        cron = self.cron
        if cron is None:
            request: dict[str, Any] = {
                "container_id": self.container.id,
                "schedule": self._schedule(),
                "args": args or {},
            }
            if name:
                request["name"] = name
            return request
        request = {}
        if self._schedule() != cron.schedule:
            request["schedule"] = self._schedule()
        if (args or {}) != cron.args:
            request["args"] = args or {}
        if name != cron.name:
            request["name"] = name
        return request

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        cron = self.cron
        assert cron is not None
        changes = []
        if "schedule" in request:
            changes.append(Change("schedule", cron.schedule, request["schedule"]))
        if "args" in request:
            changes.append(Change("args", json.dumps(cron.args), json.dumps(request["args"])))
        if "name" in request:
            changes.append(Change("name", cron.name, request["name"]))
        return changes, []
