"""What the app remembers between runs: last selection, open panes, form drafts, small choices.

One JSON file in the platform's user state folder, rewritten atomically on every change (it is
small). Drafts are meant to hold what a user typed into a form so that a crash or a closed
terminal loses nothing; the caller removes secret values first, and this module strips, as a
second line of defence, every key whose name looks like a secret, every `SecretStr`, and every
string equal to a secret registered with `tui.config.applog.register_secret`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from tui.config import applog
from tui.config.atomic import atomic_write_text
from tui.config.paths import AppPaths

STATE_VERSION = 1
MAX_DRAFTS = 50

# Key names that hold secrets in forms, env var maps and API payloads.
SECRET_KEY_NAME = re.compile(
    r"secret|passw|passphrase|token|api[_-]?key|private[_-]?key|credential|auth",
    re.IGNORECASE,
)


def looks_secret(key: str) -> bool:
    return bool(SECRET_KEY_NAME.search(key))


def strip_secrets(value: Any, *, _path: str = "") -> tuple[Any, list[str]]:
    """`value` as JSON-ready data without secrets, and the dotted paths that were removed."""
    removed: list[str] = []
    known = applog.secret_values()

    def walk(item: Any, path: str) -> Any:
        if isinstance(item, SecretStr):
            removed.append(path)
            return _DROP
        if isinstance(item, Mapping):
            out: dict[str, Any] = {}
            for key, sub in item.items():
                key_text = str(key)
                sub_path = f"{path}.{key_text}" if path else key_text
                if looks_secret(key_text):
                    removed.append(sub_path)
                    continue
                cleaned = walk(sub, sub_path)
                if cleaned is not _DROP:
                    out[key_text] = cleaned
            return out
        if isinstance(item, list | tuple):
            items = []
            for index, sub in enumerate(item):
                cleaned = walk(sub, f"{path}[{index}]")
                if cleaned is not _DROP:
                    items.append(cleaned)
            return items
        if isinstance(item, str):
            if item and any(secret in item for secret in known):
                removed.append(path)
                return _DROP
            return item
        if item is None or isinstance(item, bool | int | float):
            return item
        # datetimes, enums, paths...: remembered by their text, checked like any string.
        return walk(str(item), path)

    cleaned = walk(value, _path)
    return ({} if cleaned is _DROP else cleaned), removed


class _Drop:
    pass


_DROP = _Drop()


class StateStore:
    """The remembered state, loaded once and written through on each change.

    Thread-safe; two app instances share the file, and the last write wins (a lost draft from a
    second window is acceptable, a corrupt file is not).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else AppPaths.default().state_file
        self._lock = threading.RLock()
        self.problems: list[str] = []
        self._data = self._read()

    # -- file ------------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._empty()
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(f"{self.path}: cannot be read ({exc}); starting afresh")
            return self._empty()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            # Keep the unreadable file for a post-mortem instead of overwriting it.
            self.problems.append(
                f"{self.path}: not valid JSON (line {exc.lineno}); moved aside, starting afresh"
            )
            with contextlib.suppress(OSError):
                os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
            return self._empty()
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            self.problems.append(f"{self.path}: unknown format; starting afresh")
            return self._empty()
        if not isinstance(data.get("drafts"), dict):
            data["drafts"] = {}
        if not isinstance(data.get("values"), dict):
            data["values"] = {}
        return data

    @staticmethod
    def _empty() -> dict[str, Any]:
        return {"version": STATE_VERSION, "values": {}, "drafts": {}}

    def _write(self) -> None:
        atomic_write_text(self.path, json.dumps(self._data, indent=2, sort_keys=True) + "\n")

    def reload(self) -> None:
        with self._lock:
            self._data = self._read()

    # -- small remembered values -----------------------------------------------------------

    def remember(self, key: str, value: Any) -> list[str]:
        """Keep a JSON-able `value` under `key` (None forgets it). Returns stripped paths."""
        with self._lock:
            if value is None:
                self._data["values"].pop(key, None)
                removed: list[str] = []
            else:
                cleaned, removed = strip_secrets(value, _path=key)
                self._data["values"][key] = cleaned
            self._write()
            return removed

    def recall(self, key: str, default: Any = None) -> Any:
        with self._lock:
            return self._data["values"].get(key, default)

    def set_last_selection(self, selection: Mapping[str, Any] | None) -> None:
        """Plain ids, e.g. {"kind": "container", "region": "fr-par", "container_id": ...}."""
        self.remember("last_selection", dict(selection) if selection is not None else None)

    def last_selection(self) -> dict[str, Any] | None:
        value = self.recall("last_selection")
        return value if isinstance(value, dict) else None

    def set_open_panes(self, panes: list[str]) -> None:
        self.remember("open_panes", list(panes))

    def open_panes(self) -> list[str]:
        value = self.recall("open_panes", [])
        return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []

    # -- drafts ----------------------------------------------------------------------------

    def save_draft(self, form_id: str, data: Mapping[str, Any]) -> list[str]:
        """Remember a form's input; returns the paths of values removed as secrets."""
        cleaned, removed = strip_secrets(data)
        with self._lock:
            drafts: dict[str, Any] = self._data["drafts"]
            drafts[form_id] = {"saved_at": datetime.now(UTC).isoformat(), "data": cleaned}
            if len(drafts) > MAX_DRAFTS:
                oldest = sorted(drafts, key=lambda k: str(drafts[k].get("saved_at", "")))
                for stale in oldest[: len(drafts) - MAX_DRAFTS]:
                    del drafts[stale]
            self._write()
        return removed

    def load_drafts(self) -> dict[str, dict[str, Any]]:
        """Every saved draft: form id -> the data saved."""
        with self._lock:
            return {
                form_id: dict(entry["data"])
                for form_id, entry in self._data["drafts"].items()
                if isinstance(entry, dict) and isinstance(entry.get("data"), dict)
            }

    def load_draft(self, form_id: str) -> dict[str, Any] | None:
        return self.load_drafts().get(form_id)

    def clear_draft(self, form_id: str) -> None:
        with self._lock:
            if self._data["drafts"].pop(form_id, None) is not None:
                self._write()
