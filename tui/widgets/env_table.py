"""The effective environment of a container: namespace and container variables merged.

Each row says where it comes from and whether it is the value the container gets. Precedence,
highest first: a container secret, a container variable, a namespace secret, a namespace
variable (the container's own settings override its namespace's, as on Scaleway; a secret and a
plain variable of the same key at one level: the secret is assumed to win). Secret values are
never readable: they show as ••••.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text

from tui.text import clean, truncate

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

MASK = "••••"
Origin = Literal["namespace", "container"]
VALUE_MAX = 80


@dataclass(frozen=True, slots=True)
class EnvRow:
    key: str
    value: str  # MASK for a secret
    origin: Origin
    secret: bool
    wins: bool
    overridden_by: str | None = None  # e.g. "container secret"

    @property
    def source(self) -> str:
        return f"{self.origin} secret" if self.secret else self.origin


def _entries(resource: Any, origin: Origin) -> list[tuple[str, str, Origin, bool]]:
    if resource is None:
        return []
    rows = [(k, v, origin, False) for k, v in (resource.environment_variables or {}).items()]
    rows += [(s.key, MASK, origin, True) for s in resource.secret_environment_variables or []]
    return rows


def _rank(origin: Origin, secret: bool) -> int:
    return (2 if origin == "container" else 0) + (1 if secret else 0)


def effective_env(namespace: Namespace | None, container: Container | None) -> list[EnvRow]:
    """Every variable the container sees or that is shadowed, sorted by key, winner first."""
    entries = _entries(namespace, "namespace") + _entries(container, "container")
    by_key: dict[str, list[tuple[str, str, Origin, bool]]] = {}
    for entry in entries:
        by_key.setdefault(entry[0], []).append(entry)
    rows: list[EnvRow] = []
    for key in sorted(by_key):
        ranked = sorted(by_key[key], key=lambda e: _rank(e[2], e[3]), reverse=True)
        winner = ranked[0]
        winner_source = f"{winner[2]} secret" if winner[3] else winner[2]
        for index, (k, value, origin, secret) in enumerate(ranked):
            rows.append(
                EnvRow(
                    key=k,
                    value=value,
                    origin=origin,
                    secret=secret,
                    wins=index == 0,
                    overridden_by=None if index == 0 else winner_source,
                )
            )
    return rows


KEY_MAX = 32


def env_renderable(rows: list[EnvRow], palette_success: str = "green") -> Text:
    """Aligned columns KEY, VALUE, FROM as one `Text` (cheap to render, unlike a Table)."""
    if not rows:
        return Text("No environment variables.", style="dim")
    keys = [truncate(clean(row.key), KEY_MAX) for row in rows]
    values = [truncate(clean(row.value), VALUE_MAX) for row in rows]
    key_width = max(3, *(len(k) for k in keys))
    value_width = max(5, *(len(v) for v in values))
    text = Text()
    text.append(f"{'KEY'.ljust(key_width)}  {'VALUE'.ljust(value_width)}  FROM", style="bold")
    shadowed_keys = {row.key for row in rows if not row.wins}
    for row, key, value in zip(rows, keys, values, strict=True):
        shadowed = not row.wins
        text.append("\n")
        text.append(key.ljust(key_width), style="dim" if shadowed else "bold")
        text.append("  ")
        text.append(value, style="dim strike" if shadowed else "")
        text.append(" " * (value_width - len(value)) + "  ")
        text.append(row.source, style="dim" if shadowed else "")
        if shadowed:
            text.append(f" · overridden by {row.overridden_by}", style="dim italic")
        elif row.key in shadowed_keys:
            text.append(" · wins", style=f"bold {palette_success}")
    return text
