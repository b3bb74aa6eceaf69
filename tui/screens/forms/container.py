"""Container form: every field of the API page plus cpu_limit; create deploys at once by default."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Switch

from tui import validation
from tui.api.models import Container, Namespace
from tui.screens.forms.base import ResourceForm, SubmitFn
from tui.screens.forms.common import (
    env_changes,
    env_errors,
    env_fields,
    secret_changes,
    secret_inputs,
    select,
    select_value,
    text_input,
)
from tui.screens.forms.review import Change
from tui.text import safe_text
from tui.widgets.env_editor import EnvEditor
from tui.widgets.form_field import FormField, update_if_changed
from tui.widgets.safe_input import SafeInput

_NUMBER_FIELDS = ("min_scale", "max_scale", "cpu_limit", "port", "max_concurrency")
_SELECT_FIELDS = ("memory_limit", "privacy", "protocol", "http_option")
_CHOICES: dict[str, tuple[str, ...]] = {
    "memory_limit": tuple(str(m) for m in validation.MEMORY_LIMITS),
    "privacy": validation.PRIVACY_VALUES,
    "protocol": validation.PROTOCOL_VALUES,
    "http_option": validation.HTTP_OPTION_VALUES,
}
_LABELS = {
    "registry_image": "registry image",
    "min_scale": "min scale",
    "max_scale": "max scale",
    "memory_limit": "memory limit",
    "cpu_limit": "CPU limit",
    "timeout": "timeout",
    "privacy": "privacy",
    "protocol": "protocol",
    "port": "port",
    "max_concurrency": "max concurrency",
    "http_option": "HTTP option",
    "description": "description",
}


def _known(value: str, allowed: Sequence[str], default: str) -> str:
    # "unknown_privacy" and values newer than this client fall back to the documented default.
    return value if value in allowed else default


class ContainerForm(ResourceForm):
    kind: ClassVar[str] = "container"
    FIELD_ALIASES: ClassVar[dict[str, str]] = {"min_scale": "scale", "max_scale": "scale"}

    def __init__(
        self,
        *,
        submit: SubmitFn,
        namespaces: Sequence[Namespace] = (),
        namespace_id: str | None = None,
        original: Container | None = None,
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
        self.container: Container | None = original
        self.namespaces = list(namespaces)
        self.namespace_id = original.namespace_id if original is not None else namespace_id
        if self.namespace_id is None and self.namespaces:
            self.namespace_id = self.namespaces[0].id
        self.start = self._start_values()

    def _start_values(self) -> dict[str, str]:
        """The values the form opens with, as the widgets hold them (text for inputs)."""
        ct = self.container
        d = validation.CONTAINER_DEFAULTS
        if ct is None:
            return {
                "registry_image": "",
                "min_scale": str(d["min_scale"]),
                "max_scale": str(d["max_scale"]),
                "memory_limit": str(d["memory_limit"]),
                "cpu_limit": "",
                "timeout": str(d["timeout_s"]),
                "privacy": d["privacy"],
                "protocol": d["protocol"],
                "port": str(d["port"]),
                "max_concurrency": str(d["max_concurrency"]),
                "http_option": d["http_option"],
                "description": "",
            }
        memory = (
            ct.memory_limit if ct.memory_limit in validation.MEMORY_TO_CPU else d["memory_limit"]
        )
        # A CPU limit equal to the table's value for the memory is "from memory": left blank so
        # that a new memory limit brings its own CPU.
        custom_cpu = ct.cpu_limit and ct.cpu_limit != validation.cpu_for_memory(ct.memory_limit)
        timeout_s = ct.timeout.total_seconds() if ct.timeout is not None else d["timeout_s"]
        return {
            "registry_image": ct.registry_image,
            "min_scale": str(ct.min_scale),
            "max_scale": str(ct.max_scale),
            "memory_limit": str(memory),
            "cpu_limit": str(ct.cpu_limit) if custom_cpu else "",
            "timeout": validation.format_timeout(timeout_s).removesuffix("s"),
            "privacy": _known(ct.privacy, validation.PRIVACY_VALUES, d["privacy"]),
            "protocol": _known(ct.protocol, validation.PROTOCOL_VALUES, d["protocol"]),
            "port": str(ct.port or d["port"]),
            "max_concurrency": str(ct.max_concurrency or d["max_concurrency"]),
            "http_option": _known(ct.http_option, validation.HTTP_OPTION_VALUES, d["http_option"]),
            "description": ct.description or "",
        }

    def title_text(self) -> str:
        if self.container is None:
            return "Create container"
        return f"Edit container {self.container.name}"

    def _namespace(self, namespace_id: str | None) -> Namespace | None:
        return next((ns for ns in self.namespaces if ns.id == namespace_id), None)

    # ------------------------------------------------------------------ layout

    def compose_fields(self) -> ComposeResult:
        ct = self.container
        start = self.start
        if ct is None:
            options = [(f"{ns.name} ({ns.region})", ns.id) for ns in self.namespaces]
            if not options and self.namespace_id:
                options = [(self.namespace_id, self.namespace_id)]
            yield FormField(
                "Namespace",
                Select(
                    options,
                    value=self.namespace_id if self.namespace_id else Select.NULL,
                    id="namespace_id",
                    allow_blank=not options,
                    compact=True,
                ),
                field="namespace_id",
            )
            yield FormField(
                "Name",
                text_input("name", placeholder="my-container"),
                field="name",
                hint="lowercase letters, digits, '-'; 1-34 characters",
            )
        else:
            ns = self._namespace(ct.namespace_id)
            where = f"{ct.name}  (namespace {ns.name if ns else ct.namespace_id})"
            yield FormField("Name", Label(safe_text(where), classes="field-static"), field="name")
        yield FormField(
            "Image",
            text_input("registry_image", start["registry_image"], "rg.fr-par.scw.cloud/ns/app:1.0"),
            field="registry_image",
        )
        yield FormField(
            "Scale",
            Label("min", classes="field-note inline"),
            SafeInput(start["min_scale"], id="min_scale", compact=True, classes="short"),
            Label("  max", classes="field-note inline"),
            SafeInput(start["max_scale"], id="max_scale", compact=True, classes="short"),
            field="scale",
            hint="0 ≤ min ≤ max ≤ 50 instances",
        )
        yield FormField(
            "Memory",
            select(
                "memory_limit",
                [(f"{m} MB", str(m)) for m in validation.MEMORY_LIMITS],
                start["memory_limit"],
            ),
            Label("", id="cpu-readout", classes="field-note"),
            field="memory_limit",
        )
        yield FormField(
            "CPU limit",
            SafeInput(
                start["cpu_limit"],
                placeholder="auto",
                id="cpu_limit",
                compact=True,
                classes="short",
            ),
            Label("mvCPU (70-6000); blank: from the memory", classes="field-note"),
            field="cpu_limit",
        )
        yield FormField(
            "Timeout",
            SafeInput(start["timeout"], id="timeout", compact=True, classes="short"),
            Label('seconds (1-900), or "5m"', classes="field-note"),
            field="timeout",
        )
        yield FormField(
            "Privacy",
            select("privacy", [("public", "public"), ("private", "private")], start["privacy"]),
            Label("private: calls need a token", classes="field-note"),
            field="privacy",
        )
        yield FormField(
            "Protocol",
            select("protocol", [("http1", "http1"), ("h2c", "h2c")], start["protocol"]),
            field="protocol",
        )
        yield FormField(
            "Port",
            SafeInput(start["port"], id="port", compact=True, classes="short"),
            Label("the port the image listens on", classes="field-note"),
            field="port",
        )
        yield FormField(
            "Concurrency",
            SafeInput(
                start["max_concurrency"], id="max_concurrency", compact=True, classes="short"
            ),
            Label("max requests per instance (1-80)", classes="field-note"),
            field="max_concurrency",
        )
        yield FormField(
            "HTTP option",
            select(
                "http_option",
                [("enabled (HTTP+HTTPS)", "enabled"), ("redirected (→ HTTPS)", "redirected")],
                start["http_option"],
            ),
            field="http_option",
        )
        yield FormField(
            "Description",
            text_input("description", start["description"], "optional"),
            field="description",
        )
        yield from env_fields(ct)
        if ct is None:
            yield FormField(
                "Deploy now",
                Switch(True, id="deploy"),
                Label("off: only create it (status created)", classes="field-note"),
                field="deploy",
            )

    # ------------------------------------------------------------------ values

    def _text(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _choice(self, field: str) -> str:
        value = select_value(self.query_one(f"#{field}", Select))
        return "" if value is None else str(value)

    def _current(self) -> dict[str, str]:
        values = {field: self._text(field) for field in self.start if field not in _SELECT_FIELDS}
        values.update({field: self._choice(field) for field in _SELECT_FIELDS})
        return values

    def field_values(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(self._current())
        values["env"] = self.query_one("#env", EnvEditor).draft()
        values["sealed_env"] = self.query_one("#secrets", EnvEditor).draft()
        if self.container is None:
            values["namespace_id"] = self._choice("namespace_id")
            values["name"] = self._text("name")
            values["deploy"] = self.query_one("#deploy", Switch).value
        return values

    async def apply_values(self, values: Mapping[str, Any]) -> None:
        for field in self.start:
            if field not in values:
                continue
            if field in _SELECT_FIELDS:
                if str(values[field]) in _CHOICES[field]:
                    self.query_one(f"#{field}", Select).value = str(values[field])
            else:
                self.query_one(f"#{field}", Input).value = str(values[field])
        if self.container is None:
            if any(ns.id == values.get("namespace_id") for ns in self.namespaces):
                self.query_one("#namespace_id", Select).value = values["namespace_id"]
            self.query_one("#name", Input).value = str(values.get("name", ""))
            self.query_one("#deploy", Switch).value = bool(values.get("deploy", True))
        await self.query_one("#env", EnvEditor).restore(values.get("env") or {})
        await self.query_one("#secrets", EnvEditor).restore(values.get("sealed_env") or {})

    def check(self) -> dict[str, str]:
        v = self._current()
        errors: dict[str, str] = {}

        def put(field: str, problem: str | None) -> None:
            if problem and field not in errors:
                errors[field] = problem

        if self.container is None:
            put("namespace_id", None if self._choice("namespace_id") else "choose a namespace")
            put("name", validation.check_name(self._text("name")))
        put("registry_image", validation.check_registry_image(v["registry_image"].strip()))
        for problem in validation.check_scale(v["min_scale"], v["max_scale"]).values():
            put("scale", problem)
        put("memory_limit", validation.check_memory(validation.parse_int(v["memory_limit"])))
        put("cpu_limit", validation.check_cpu_limit(v["cpu_limit"]))
        put("timeout", validation.check_timeout(v["timeout"]))
        put("port", validation.check_int_range(v["port"], validation.PORT_MIN, validation.PORT_MAX))
        put(
            "max_concurrency",
            validation.check_int_range(
                v["max_concurrency"], validation.CONCURRENCY_MIN, validation.CONCURRENCY_MAX
            ),
        )
        put("description", validation.check_description(v["description"]))
        env = self.query_one("#env", EnvEditor)
        secrets = self.query_one("#secrets", EnvEditor)
        for field, problem in env_errors(env, secrets, self.shows_errors_for).items():
            put(field, problem)
        return errors

    def refresh_hints(self) -> None:
        namespace_id = self._choice("namespace_id") if self.container is None else None
        namespace = self._namespace(namespace_id or self.namespace_id)
        if namespace is not None and namespace.registry_endpoint:
            hint = Text("this namespace's registry: ", style="dim")
            hint.append_text(safe_text(namespace.registry_endpoint, "dim"))
            self.query_one("#ff-registry_image", FormField).set_hint(hint)
        readout = self.query_one("#cpu-readout", Label)
        memory = validation.parse_int(self._choice("memory_limit"))
        cpu_text = self._text("cpu_limit").strip()
        if memory is None:
            update_if_changed(readout, Text(""), layout=False)
            return
        table_cpu = validation.cpu_for_memory(memory)
        if cpu_text and validation.check_cpu_limit(cpu_text) is None:
            text = Text(f"→ {int(cpu_text)} mvCPU (set; table: {table_cpu})")
        else:
            text = Text(f"→ {table_cpu} mvCPU")
        # The read-out has a fixed width (1fr of its row): no re-layout needed.
        update_if_changed(readout, text, layout=False)

    # ------------------------------------------------------------------ request

    def _typed(self, field: str, text: str) -> Any:
        """A field's text as the value the client sends."""
        text = text.strip()
        if field in _NUMBER_FIELDS or field == "memory_limit":
            return int(text) if text else None
        if field == "timeout":
            seconds = validation.parse_timeout(text)
            return timedelta(seconds=seconds) if seconds is not None else None
        return text

    def build_request(self) -> dict[str, Any]:
        current = self._current()
        env_editor = self.query_one("#env", EnvEditor)
        secrets = self.query_one("#secrets", EnvEditor).secret_changes()
        request: dict[str, Any] = {}
        ct = self.container
        if ct is None:
            request["namespace_id"] = self._choice("namespace_id")
            request["name"] = self._text("name")
            for field, text in current.items():
                value = self._typed(field, text)
                if value is not None and value != "":
                    request[field] = value
            env = env_editor.env()
            if env:
                request["environment_variables"] = env
            if secrets:
                request["secret_environment_variables"] = secret_inputs(secrets)
            request["deploy"] = self.query_one("#deploy", Switch).value
            return request
        for field, text in current.items():
            if text.strip() == self.start[field].strip():
                continue
            value = self._typed(field, text)
            if value is None:
                continue  # cpu_limit cleared: the server keeps its own; memory brings its CPU
            request[field] = value
        env = env_editor.env()
        if env != ct.environment_variables:
            request["environment_variables"] = env
        if secrets:
            request["secret_environment_variables"] = secret_inputs(secrets)
        return request

    def review(self, request: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
        ct = self.container
        assert ct is not None
        changes: list[Change] = []
        for field in self.start:
            if field not in request:
                continue
            old, new = self.start[field], self._current()[field]
            if field == "memory_limit":
                old_cpu = ct.cpu_limit or validation.cpu_for_memory(int(old))
                changes.append(Change(_LABELS[field], f"{old} MB", f"{new} MB"))
                if "cpu_limit" not in request and not self._text("cpu_limit").strip():
                    new_cpu = validation.cpu_for_memory(int(new))
                    changes.append(Change("CPU (from memory)", f"{old_cpu}", f"{new_cpu}"))
                continue
            if field == "timeout":
                old, new = f"{old} s", f"{validation.parse_timeout(new):g} s"
            changes.append(Change(_LABELS[field], old or "(none)", new or "(none)"))
        if "environment_variables" in request:
            changes += env_changes(ct.environment_variables, request["environment_variables"])
        secrets = self.query_one("#secrets", EnvEditor).secret_changes()
        if secrets:
            changes += secret_changes([s.key for s in ct.secret_environment_variables], secrets)
        notes = [f"Saving redeploys container {ct.name}: it goes pending, then ready or error."]
        return changes, notes
