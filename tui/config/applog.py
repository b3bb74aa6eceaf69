"""The app's own log file, rotated, with secrets redacted by value.

Redaction works on known VALUES (the secret key, secret env values, tokens), registered with
`register_secret` as soon as the app learns them, so resource ids, names and URLs stay readable
while a secret is cut out wherever it appears: in a message, its arguments, an exception's text
or a traceback. As a second net, the value after `X-Auth-Token`, `secret_key`, `password`, ... in
"name: value" or "name=value" form is redacted even when it was never registered.

Values shorter than `MIN_SECRET_LENGTH` are not registered: redacting every "on" or "1" would make
the log unreadable and protect nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import threading
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from pydantic import SecretStr

from tui.config.atomic import PRIVATE_FILE_MODE, ensure_private_dir
from tui.config.paths import LOG_FILE_NAME, AppPaths

REDACTED = "[REDACTED]"
MIN_SECRET_LENGTH = 4
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_BACKUP_COUNT = 3
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_NAMED_SECRET = re.compile(
    r"(?i)((?:x-auth-token|secret[_-]?key|authorization|password|passwd|api[_-]?token)"
    r"[\"']?\s*[:=]\s*(?:b?[\"'])?\s*(?:bearer\s+)?)"
    r"([^\s\"',;}&)\]]+)"
)


class _SecretRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._variants: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str) -> None:
        if len(value) < MIN_SECRET_LENGTH:
            return
        # The same secret as it appears once escaped in JSON, in a repr or in a URL.
        variants = {value, json.dumps(value)[1:-1], repr(value)[1:-1], quote(value, safe="")}
        with self._lock:
            if value in self._values:
                return
            self._values.add(value)
            self._variants.update(v for v in variants if len(v) >= MIN_SECRET_LENGTH)
            # Longest first, so a secret that contains another is cut out whole.
            ordered = sorted(self._variants, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._variants.clear()
            self._pattern = None

    def values(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._values)

    def redact(self, text: str) -> str:
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
        return _NAMED_SECRET.sub(lambda m: m.group(1) + REDACTED, text)


_registry = _SecretRegistry()


def register_secret(value: str | SecretStr | None) -> None:
    """Never write `value` to the log (nor to the state file, see `tui.config.state`)."""
    if value is None:
        return
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if text:
        _registry.add(text)


def register_secrets(values: Iterable[str | SecretStr | None]) -> None:
    for value in values:
        register_secret(value)


def forget_secrets() -> None:
    """Drop every registered secret (tests; a profile switch keeps them, which is harmless)."""
    _registry.clear()


def secret_values() -> frozenset[str]:
    return _registry.values()


def redact(text: str) -> str:
    """`text` with every registered secret, and every named credential value, replaced."""
    return _registry.redact(text)


class RedactingFilter(logging.Filter):
    """Redacts a record in place (message with its arguments, exception and stack text).

    In place, so every handler after this one sees the redacted record too.
    """

    _plain = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what can be kept
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._plain.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the formatted output too: the last word, whatever a record carried."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatException(self, ei: Any) -> str:
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created readable by the user only."""

    def _open(self) -> io.TextIOWrapper:
        def opener(path: str, flags: int) -> int:
            return os.open(path, flags, PRIVATE_FILE_MODE)

        stream = open(  # noqa: SIM115 - the handler owns and closes the stream
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=opener
        )
        return cast(io.TextIOWrapper, stream)


_handler: PrivateRotatingFileHandler | None = None
_handler_lock = threading.Lock()


def setup_logging(
    log_dir: Path | None = None,
    *,
    debug: bool = False,
    secrets: Iterable[str | SecretStr | None] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    backup_count: int = DEFAULT_BACKUP_COUNT,
) -> Path:
    """Send the app's logging to a rotated file in `log_dir` (default: the user log dir).

    Registers `secrets` first, so nothing is logged before they are known. Calling it again
    replaces the previous handler (e.g. `--debug` toggled). Returns the log file's path.
    """
    global _handler
    register_secrets(secrets)
    folder = Path(log_dir) if log_dir is not None else AppPaths.default().log_dir
    ensure_private_dir(folder)
    path = folder / LOG_FILE_NAME
    handler = PrivateRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8", delay=True
    )
    handler.addFilter(RedactingFilter())
    handler.setFormatter(RedactingFormatter(LOG_FORMAT))
    handler.setLevel(logging.DEBUG if debug else logging.INFO)
    with _handler_lock:
        shutdown_logging()
        root = logging.getLogger()
        root.addHandler(handler)
        _handler = handler
        level = logging.DEBUG if debug else logging.INFO
        root.setLevel(level)
        logging.getLogger("tui").setLevel(level)
        # One line per HTTP request is useful when debugging and noise otherwise.
        for chatty in ("httpx", "httpcore", "asyncio", "markdown_it"):
            logging.getLogger(chatty).setLevel(logging.DEBUG if debug else logging.WARNING)
        logging.captureWarnings(True)
    return path


def shutdown_logging() -> None:
    """Detach and close the handler `setup_logging` installed (no-op when there is none)."""
    global _handler
    handler, _handler = _handler, None
    if handler is None:
        return
    logging.getLogger().removeHandler(handler)
    with contextlib.suppress(Exception):
        handler.close()


def current_log_file() -> Path | None:
    return Path(_handler.baseFilename) if _handler is not None else None


def log_files(log_dir: Path) -> list[Path]:
    """The log file and its rotated copies, newest first."""
    base = Path(log_dir) / LOG_FILE_NAME
    rotated = sorted(
        (p for p in Path(log_dir).glob(LOG_FILE_NAME + ".*") if p.suffix[1:].isdigit()),
        key=lambda p: int(p.suffix[1:]),
    )
    return ([base] if base.exists() else []) + rotated
