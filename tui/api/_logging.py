"""Keep secrets out of every log record the HTTP stack may write.

What httpx 0.28 / httpcore 1.0 log, checked in their sources:
- `httpx` (INFO): method, full URL and status of each request — no headers, no body. Our URLs
  carry ids and filters only, never a secret.
- `httpcore.http11`/`http2`/`connection`/`proxy`/`socks` (DEBUG): trace events. Requests are
  logged as `<Request [b'GET']>` (no headers); *response* headers are logged in full
  (`receive_response_headers.complete return_value=(..., [(b'name', b'value'), ...])`).
- `hpack` (DEBUG, only with HTTP/2, which this client does not enable) logs header lists.

So a header echoed back by a server or a proxy could reach a log. The filter below, attached to
each of those loggers (a filter on a parent logger does not see its children's records),
redacts the value of any `x-auth-token` header and every secret registered by a live client.
Our own logger (`tui.api`) logs method, path, status, timing and request id only.
"""

from __future__ import annotations

import logging
import re
import threading

HTTP_LOGGERS = (
    "tui.api",
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "hpack.hpack",
    "hpack.table",
)

REDACTED = "[redacted]"

_AUTH_HEADER = re.compile(
    r"""(x-auth-token['"]?\s*[,:=]\s*b?['"]?)([^'"\s,)\]]+)""",
    re.IGNORECASE,
)


class SecretRedactingFilter(logging.Filter):
    """Rewrites a record whose text holds a registered secret or an X-Auth-Token value."""

    def __init__(self) -> None:
        super().__init__("tui.api.redact")
        self._lock = threading.Lock()
        self._secrets: dict[str, int] = {}  # secret → number of clients holding it

    def register(self, secret: str) -> None:
        if len(secret) < 4:  # redacting tiny strings would garble every log line
            return
        with self._lock:
            self._secrets[secret] = self._secrets.get(secret, 0) + 1

    def unregister(self, secret: str) -> None:
        with self._lock:
            count = self._secrets.get(secret, 0) - 1
            if count <= 0:
                self._secrets.pop(secret, None)
            else:
                self._secrets[secret] = count

    def redact(self, text: str) -> str:
        text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
        with self._lock:
            secrets = list(self._secrets)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix; let logging report it
            return True
        redacted = self.redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


REDACTOR = SecretRedactingFilter()
_installed = False
_install_lock = threading.Lock()


def install_redaction() -> None:
    """Attach the filter to the HTTP stack's loggers (once per process)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        for name in HTTP_LOGGERS:
            logging.getLogger(name).addFilter(REDACTOR)
        _installed = True
