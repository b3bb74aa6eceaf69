"""Writing files so that a crash or `kill -9` never leaves half of one behind.

The new content goes to a temporary file in the same folder, is flushed to disk, and then takes
the old file's place with `os.replace`, which is atomic on POSIX and Windows: a reader sees the
old file or the new one, never a mixture. Files are private to the user (0600): settings and
state are the user's business, and drafts may hold data they typed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) if missing; a folder we create is private to the user."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (temp file + fsync + os.replace)."""
    path = Path(path)
    ensure_private_dir(path.parent)
    # mkstemp creates the file with mode 0600, so the content is never readable by others,
    # not even for the moment between creation and rename.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    # The rename itself lives in the folder's entry table: sync it so the new name survives a
    # power cut. Not possible on Windows (folders cannot be opened), where it is not needed.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
