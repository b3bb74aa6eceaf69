"""``--state FILE``: the whole state as JSON, replaced atomically (a ``kill -9`` loses nothing)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def save(path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write to a temp file beside ``path``, fsync it, then ``os.replace`` it into place."""
    target = Path(path)
    payload = json.dumps(data, separators=(",", ":")).encode()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    # Make the rename itself durable.
    with contextlib.suppress(OSError):
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def remove_stale_temp_files(target: Path) -> None:
    """Remove temp files a killed emulator left mid-save: they never become the state file.

    One emulator owns a state file, so at start every temp file beside it is stale.
    """
    for stale in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def load(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The saved state, or None when there is no (or an empty) file."""
    target = Path(path)
    remove_stale_temp_files(target)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"state file {target} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"state file {target} does not hold an emulator state")
    return data
