"""Small pieces shared by the forms: env review rows, secrets to send, select helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import SecretStr
from rich.text import Text
from textual.widgets import Input, Select

from tui.api.models import SecretInput
from tui.config import applog
from tui.screens.forms.review import Change
from tui.widgets.env_editor import MASK, EnvEditor, SecretChange
from tui.widgets.form_field import FormField
from tui.widgets.safe_input import SafeInput


def text_input(
    field: str, value: str = "", placeholder: str = "", *, password: bool = False
) -> Input:
    return SafeInput(value, placeholder=placeholder, id=field, compact=True, password=password)


def select(field: str, options: Sequence[tuple[str, Any]], value: Any) -> Select[Any]:
    return Select(options, value=value, id=field, allow_blank=False, compact=True)


def select_value(widget: Select[Any]) -> Any:
    value = widget.value
    return None if value is Select.NULL else value


def env_fields(resource: Any | None) -> Iterator[FormField]:
    """The env and secret env editors of a namespace or container form (`#env`, `#secrets`);
    `resource` is the one being edited, or None on create."""
    yield FormField(
        "Env vars",
        EnvEditor(resource.environment_variables if resource else None, id="env"),
        field="environment_variables",
        classes="env-field",
    )
    yield FormField(
        "Secret vars",
        EnvEditor(
            secret=True,
            existing_secret_keys=(
                [s.key for s in resource.secret_environment_variables] if resource else ()
            ),
            id="secrets",
        ),
        field="secret_environment_variables",
        classes="env-field",
        hint=Text("write-only: values are never shown again", style="dim"),
    )


def env_errors(env: EnvEditor, secrets: EnvEditor, shows: Callable[[str], bool]) -> dict[str, str]:
    """The first problem of each env editor, by the request field it concerns."""
    errors: dict[str, str] = {}
    editors = (("environment_variables", env), ("secret_environment_variables", secrets))
    for field, editor in editors:
        problems = editor.validate(show=shows(field))
        if problems:
            errors[field] = problems[0]
    return errors


def secret_inputs(changes: Sequence[SecretChange]) -> list[SecretInput]:
    """What the client sends: `{"key": K, "value": V}`, or `{"key": K}` to delete K.

    Each value is registered with the app log's redactor first, so that no log line and no
    state file can ever hold it, whatever later code does with it.
    """
    applog.register_secrets(c.value for c in changes)
    return [
        SecretInput(key=c.key, value=SecretStr(c.value) if c.value is not None else None)
        for c in changes
    ]


def env_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    rows: list[Change] = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        rows.append(
            Change(
                f"env {key}",
                "(none)" if before is None else repr(before),
                "(removed)" if after is None else repr(after),
            )
        )
    return rows


def secret_changes(existing: Sequence[str], changes: Sequence[SecretChange]) -> list[Change]:
    known = set(existing)
    rows: list[Change] = []
    for change in changes:
        old = MASK if change.key in known else "(none)"
        if change.value is None:
            rows.append(Change(f"secret {change.key}", old, "(removed)"))
        else:
            rows.append(Change(f"secret {change.key}", old, "•••• (new value)"))
    return rows


def redeploy_note(names: Sequence[str]) -> str:
    if not names:
        return "No ready container in this namespace: nothing redeploys."
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"These ready containers will redeploy: {shown}."
