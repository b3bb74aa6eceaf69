"""The app's own settings: a TOML file in the platform's user config folder.

```toml
theme = "textual-dark"
timestamps = "local"          # utc | local | relative
bell_on_deploy_end = true

[logs]
buffer_lines = 100000         # lines kept per log view
buffer_bytes = "64MiB"        # or a number of bytes
history_lines = 1000          # lines of history loaded when a log view opens

[poll]
transient_s = 1.0             # while anything is creating/pending/deleting...
settled_s = 5.0               # when everything is settled

[keys]                        # binding id = key(s), as Textual names keys
refresh = "f5"
```

A value that cannot be used is reported (file, key, why) and its default is used instead, so a
typo never keeps the console from starting. Unknown keys are reported too: they are usually
typos. The file is written atomically and only when the user changes a setting.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import tomli_w

from tui.config.atomic import atomic_write_text
from tui.config.paths import AppPaths
from tui.text import clean, truncate

TimestampStyle = Literal["utc", "local", "relative"]
TIMESTAMP_STYLES: tuple[str, ...] = ("utc", "local", "relative")

MIB = 1024 * 1024


def _frozen_keys(keys: Mapping[str, str] | None = None) -> Mapping[str, str]:
    return MappingProxyType(dict(keys or {}))


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    timestamp_style: TimestampStyle = "local"
    bell_on_deploy_end: bool = True
    log_buffer_lines: int = 100_000
    log_buffer_bytes: int = 64 * MIB
    log_history_lines: int = 1_000
    poll_transient_s: float = 1.0
    poll_settled_s: float = 5.0
    # Namespaces out of view (collapsed, scrolled away, or under the log view) are listed at
    # this slower pace, so a large account idles calmly; visible ones keep poll_settled_s.
    # Coming back to the tree lists everything at once, so this only delays the toasts of
    # changes made elsewhere to namespaces nobody looks at.
    poll_background_s: float = 60.0
    keys: Mapping[str, str] = field(default_factory=_frozen_keys)  # binding id -> key(s)

    def with_changes(self, **changes: Any) -> Settings:
        if "keys" in changes:
            changes["keys"] = _frozen_keys(changes["keys"])
        return replace(self, **changes)

    def key_for(self, binding_id: str, default: str) -> str:
        return self.keys.get(binding_id, default)


# -- parsing one value -----------------------------------------------------------------------


class _Invalid(ValueError):
    pass


def _shown(value: object) -> str:
    return truncate(clean(repr(value)), 60)


def _int_in(low: int, high: int) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(f"must be a whole number from {low:,} to {high:,}, not {_shown(value)}")
        if not low <= value <= high:
            raise _Invalid(f"must be from {low:,} to {high:,}, not {value:,}")
        return value

    return parse


def _seconds_in(low: float, high: float) -> Callable[[object], float]:
    def parse(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Invalid(f"must be a number of seconds from {low} to {high}, not {_shown(value)}")
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            raise _Invalid(f"must be from {low} to {high} seconds, not {value}")
        return number

    return parse


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*$", re.IGNORECASE)
_UNITS = {
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
}


def _bytes_in(low: int, high: int) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, bool):
            raise _Invalid(f"must be a size like 64MiB or a number of bytes, not {_shown(value)}")
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and (match := _SIZE.match(value)):
            unit = (match.group(2) or "b").lower()
            number = int(float(match.group(1)) * _UNITS[unit])
        else:
            raise _Invalid(f"must be a size like 64MiB or a number of bytes, not {_shown(value)}")
        if not low <= number <= high:
            raise _Invalid(
                f"must be from {low // MIB} MiB to {high // MIB} MiB, not {_shown(value)}"
            )
        return number

    return parse


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"must be true or false, not {_shown(value)}")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[object], str]:
    def parse(value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            raise _Invalid(f"must be one of {', '.join(choices)}, not {_shown(value)}")
        return value

    return parse


_THEME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _theme(value: object) -> str:
    # Which themes exist is the app's business (it knows Textual's list); here only the shape.
    if not isinstance(value, str) or not _THEME.match(value):
        raise _Invalid(f"must be a theme name like textual-dark, not {_shown(value)}")
    return value


BINDING_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
# Textual key names: letters, digits, named keys (f5, question_mark), modifiers joined by "+",
# several keys separated by commas.
KEY_SPEC = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*(,[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*)*$")


def normalise_key_spec(value: str) -> str:
    return ",".join(part.strip() for part in value.split(","))


# (attribute, section or "" for the top level, key in the file, parser)
_FIELDS: tuple[tuple[str, str, str, Callable[[object], Any]], ...] = (
    ("theme", "", "theme", _theme),
    ("timestamp_style", "", "timestamps", _choice(TIMESTAMP_STYLES)),
    ("bell_on_deploy_end", "", "bell_on_deploy_end", _bool),
    ("log_buffer_lines", "logs", "buffer_lines", _int_in(1_000, 10_000_000)),
    ("log_buffer_bytes", "logs", "buffer_bytes", _bytes_in(1 * MIB, 4096 * MIB)),
    ("log_history_lines", "logs", "history_lines", _int_in(0, 100_000)),
    ("poll_transient_s", "poll", "transient_s", _seconds_in(0.1, 60.0)),
    ("poll_settled_s", "poll", "settled_s", _seconds_in(0.5, 600.0)),
    ("poll_background_s", "poll", "background_s", _seconds_in(0.5, 3600.0)),
)
_SECTIONS = ("logs", "poll", "keys")


def _dotted(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


# -- the file --------------------------------------------------------------------------------


def default_settings_path() -> Path:
    return AppPaths.default().settings_file


def parse_settings(data: Mapping[str, Any], *, path: Path) -> tuple[Settings, list[str]]:
    """Settings from parsed TOML, with one problem message per value that was not used."""
    problems: list[str] = []

    def problem(dotted: str, message: str) -> None:
        problems.append(f"{path}: {dotted}: {message}; using the default")

    values: dict[str, Any] = {}
    known_top = {key for _, section, key, _ in _FIELDS if not section} | set(_SECTIONS)
    for key in data:
        if key not in known_top:
            problems.append(f"{path}: unknown key {_shown(key)} (ignored)")
    for section in _SECTIONS:
        if section in data and not isinstance(data[section], dict):
            problem(section, f"must be a table ([{section}]), not {_shown(data[section])}")
    for section in ("logs", "poll"):
        table = data.get(section)
        if isinstance(table, dict):
            known = {key for _, s, key, _ in _FIELDS if s == section}
            for key in table:
                if key not in known:
                    problems.append(f"{path}: unknown key {section}.{_shown(key)} (ignored)")

    for attr, section, key, parse in _FIELDS:
        table = data.get(section) if section else data
        if not isinstance(table, dict) or key not in table:
            continue
        try:
            values[attr] = parse(table[key])
        except _Invalid as exc:
            problem(_dotted(section, key), str(exc))

    settled = values.get("poll_settled_s", Settings.poll_settled_s)
    transient = values.get("poll_transient_s", Settings.poll_transient_s)
    if settled < transient:
        problem("poll.settled_s", f"must not be shorter than poll.transient_s ({transient})")
        values.pop("poll_settled_s", None)
        values.pop("poll_transient_s", None)
    settled = values.get("poll_settled_s", Settings.poll_settled_s)
    if "poll_background_s" in values and values["poll_background_s"] < settled:
        problem("poll.background_s", f"must not be shorter than poll.settled_s ({settled})")
        values.pop("poll_background_s")
    if "poll_background_s" not in values and settled > Settings.poll_background_s:
        values["poll_background_s"] = settled  # out of view is never polled faster than in view

    keys: dict[str, str] = {}
    raw_keys = data.get("keys")
    if isinstance(raw_keys, dict):
        for binding_id, spec in raw_keys.items():
            dotted = f"keys.{binding_id}"
            if not BINDING_ID.match(binding_id):
                problems.append(f"{path}: {_shown(dotted)}: not a binding id (ignored)")
                continue
            if not isinstance(spec, str) or not KEY_SPEC.match(normalise_key_spec(spec)):
                problems.append(
                    f'{path}: {dotted}: {_shown(spec)} is not a key like "f5", "ctrl+r" '
                    'or "j,down" (ignored; the default key stays)'
                )
                continue
            keys[binding_id] = normalise_key_spec(spec)
    values["keys"] = _frozen_keys(keys)
    return Settings(**values), problems


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """The settings from `path` (default: the user config dir) and the problems found.

    A missing file gives the defaults with no problem; an unreadable or broken file gives the
    defaults with one problem naming the file (and the line, for TOML syntax errors).
    """
    path = Path(path) if path is not None else default_settings_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [f"{path}: cannot be read ({exc.strerror or exc}); using the defaults"]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Settings(), [f"{path}: is not UTF-8 text; using the defaults"]
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line L, column C)".
        return Settings(), [f"{path}: invalid TOML: {clean(str(exc))}; using the defaults"]
    return parse_settings(data, path=path)


def settings_to_toml(settings: Settings) -> str:
    top: dict[str, Any] = {}
    tables: dict[str, dict[str, Any]] = {"logs": {}, "poll": {}}
    for attr, section, key, _ in _FIELDS:
        value = getattr(settings, attr)
        (tables[section] if section else top)[key] = value
    document: dict[str, Any] = {**top, **tables, "keys": dict(settings.keys)}
    header = "# scw-containers settings (written by the app; edit freely)\n"
    return header + tomli_w.dumps(document)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write every setting to `path` (default: the user config dir) atomically."""
    path = Path(path) if path is not None else default_settings_path()
    atomic_write_text(path, settings_to_toml(settings))
    return path


def setting_names() -> list[str]:
    """The dotted names of the settings as the file spells them (for help and palettes)."""
    return [_dotted(section, key) for _, section, key, _ in _FIELDS] + ["keys.<binding id>"]


__all__ = [
    "TIMESTAMP_STYLES",
    "Settings",
    "TimestampStyle",
    "default_settings_path",
    "load_settings",
    "parse_settings",
    "save_settings",
    "setting_names",
    "settings_to_toml",
]


# -- checks that need the app's bindings and themes (the app passes them in) -----------------

# Ids the app binds everywhere: their keys clash with every screen's.
GLOBAL_BINDING_IDS = frozenset({"help", "refresh"})


def _binding_family(binding_id: str) -> str:
    """Which screen a binding id belongs to: bindings of different screens never meet."""
    head = binding_id.split(".", 1)[0]
    if "." not in binding_id or head in ("tree", "related"):
        return "main"
    return head


def keymap_conflicts(
    keys: Mapping[str, str], defaults: Mapping[str, str], *, path: Path
) -> list[str]:
    """One problem per key the user's `[keys]` gives to two actions of one screen.

    `defaults` is every binding id of the app with its default key spec. Keys the defaults
    already share (a list's `c` in front of the screen's `c`) are by design, not reported.
    """
    problems: list[str] = []

    def split(spec: str) -> set[str]:
        return {part.strip() for part in spec.split(",") if part.strip()}

    effective = {
        binding_id: split(keys.get(binding_id, spec)) for binding_id, spec in defaults.items()
    }
    reported: set[tuple[str, str]] = set()
    for binding_id, spec in keys.items():
        if binding_id not in defaults:
            continue
        family = _binding_family(binding_id)
        for other, other_keys in effective.items():
            if other == binding_id or (other, binding_id) in reported:
                continue
            meets = (
                _binding_family(other) == family
                or other in GLOBAL_BINDING_IDS
                or binding_id in GLOBAL_BINDING_IDS
            )
            shared = split(spec) & other_keys
            by_design = split(defaults[binding_id]) & split(defaults[other])
            if not meets or not shared or shared <= by_design:
                continue
            reported.add((binding_id, other))
            both = ", ".join(f'"{key}"' for key in sorted(shared - by_design))
            problems.append(
                f"{path}: keys.{binding_id}: {both} is also the key of {other}; "
                "one of them will not work"
            )
    return problems


def unknown_theme_problem(theme: str, available: Iterable[str], *, path: Path) -> str | None:
    """The problem to report when the settings name a theme the app doesn't have."""
    names = sorted(available)
    if theme in names:
        return None
    shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
    return f"{path}: theme: no theme called {_shown(theme)} (known: {shown}); using the default"
