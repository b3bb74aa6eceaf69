"""One HTTP exchange with retries: auth header, JSON in and out, error mapping, counters.

Knows nothing of the API's resources: `client.py` (the v1beta1 adapter) builds paths and
models on top of it, so another API version could reuse it unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from pydantic import SecretStr

from tui.api import errors
from tui.api._logging import REDACTOR, install_redaction
from tui.api._retry import IDEMPOTENT_METHODS, RetryPolicy, parse_retry_after

logger = logging.getLogger("tui.api")

# Never sent by httpx before the failure: safe to repeat whatever the method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Configuration mistakes, not a flaky link: repeating them cannot help.
_NOT_RETRYABLE = (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.LocalProtocolError)


@dataclass(slots=True)
class ClientStats:
    """Counters since the client was made (plain ints; read them, do not write them)."""

    requests: int = 0  # HTTP attempts sent (a retried call counts each attempt)
    retries: int = 0  # attempts that repeated an earlier one
    faults_seen: int = 0  # 429/502/503/504 answers, connection failures, timeouts
    errors: int = 0  # calls that ended in an exception
    last_request_id: str | None = None
    last_success_monotonic: float | None = None  # time.monotonic() of the last 2xx


Sleep = Callable[[float], Awaitable[None]]


class _MaskedHeaders(dict[str, str]):
    """Request headers whose repr hides values: Textual prints a crash's traceback with its
    frames' locals (rich `show_locals=True`), and ours would otherwise show X-Auth-Token."""

    def __repr__(self) -> str:
        return f"<headers {sorted(self)} (values hidden)>"


class _Body:
    """The encoded request body (it may hold secret env values), hidden the same way."""

    __slots__ = ("data",)

    def __init__(self, data: bytes | None) -> None:
        self.data = data

    def __repr__(self) -> str:
        return "<no body>" if self.data is None else f"<body: {len(self.data)} bytes>"


class BodyModel(Protocol):
    """A request model able to render its JSON body (see `models.RequestModel`)."""

    def request_body(self) -> dict[str, Any]: ...


class HttpTransport:
    """Sends requests on one `httpx.AsyncClient`; returns decoded JSON or raises `ScwError`."""

    def __init__(
        self,
        *,
        base_url: str,
        secret_key: SecretStr | None,
        user_agent: str,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        install_redaction()
        self.retry = retry or RetryPolicy()
        self.stats = ClientStats()
        self._secret_key = secret_key
        if secret_key is not None:
            REDACTOR.register(secret_key.get_secret_value())
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._timeout = httpx.Timeout(timeout)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            transport=transport,
            timeout=self._timeout,
            # The auth header is added per request (see _headers), so it never sits in the
            # client's default headers where a repr or a debugger would show it.
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            follow_redirects=False,
        )
        self._closed = False

    @property
    def base_url(self) -> str:
        return str(self._http.base_url).rstrip("/")

    @property
    def is_closed(self) -> bool:
        return self._closed

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._http.aclose()
        if self._secret_key is not None:
            REDACTOR.unregister(self._secret_key.get_secret_value())

    def _headers(self, has_body: bool) -> _MaskedHeaders:
        headers = _MaskedHeaders()
        if self._secret_key is not None:
            headers["X-Auth-Token"] = self._secret_key.get_secret_value()
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: BodyModel | Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Send, retrying per the policy; return the decoded JSON of a 2xx answer.

        `body` is a request model (rendered here, so its revealed secrets never sit in a
        local variable of any frame) or a plain mapping without secrets.
        """
        method = method.upper()
        query = {k: _param(v) for k, v in (params or {}).items() if v is not None}
        content = _Body(_encode(body))
        headers = self._headers(content.data is not None)
        request_timeout = self._timeout if timeout is None else httpx.Timeout(timeout)
        policy = self.retry
        # Set once an attempt of a mutation may have reached the server without its answer
        # reaching us: from then on, a failure must say the change may have happened.
        ambiguous = False
        attempt = 0
        while True:
            attempt += 1
            if attempt > 1:
                self.stats.retries += 1
            self.stats.requests += 1
            started = time.perf_counter()
            try:
                response = await self._http.request(
                    method,
                    path,
                    params=query,
                    content=content.data,
                    headers=headers,
                    timeout=request_timeout,
                )
            except httpx.TransportError as exc:
                sent = not isinstance(exc, _NOT_SENT)
                ambiguous = ambiguous or (sent and method != "GET")
                retryable = not isinstance(exc, _NOT_RETRYABLE) and (
                    not sent or method in IDEMPOTENT_METHODS
                )
                self.stats.faults_seen += 1
                logger.debug(
                    "%s %s failed after %.0f ms (attempt %d): %s",
                    method,
                    path,
                    (time.perf_counter() - started) * 1000,
                    attempt,
                    type(exc).__name__,
                )
                if retryable and attempt <= policy.max_retries:
                    await self._sleep(policy.backoff(attempt - 1, self._rng))
                    continue
                self.stats.errors += 1
                # `from None`: httpx's exception holds the request and its headers, and a
                # traceback printed with locals would show them.
                raise _transport_error(exc, method, path, attempt, ambiguous) from None

            status = response.status_code
            request_id = response.headers.get("x-request-id")
            self.stats.last_request_id = request_id
            logger.debug(
                "%s %s -> %d in %.0f ms (attempt %d, request id %s)",
                method,
                path,
                status,
                (time.perf_counter() - started) * 1000,
                attempt,
                request_id,
            )
            if status < 400:
                self.stats.last_success_monotonic = time.monotonic()
                try:
                    return _decode_json(response)
                except errors.InvalidResponseError as exc:
                    self.stats.errors += 1
                    exc.request_id = request_id
                    exc.method, exc.path, exc.attempts = method, path, attempt
                    raise

            text = response.text
            try:
                data: Any = json.loads(text) if text else None
            except (ValueError, RecursionError):
                data = None
            error_type = data.get("type") if isinstance(data, dict) else None
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if status == 429 and retry_after is None and isinstance(data, dict):
                retry_after = _seconds(data.get("reset_seconds"))
            if status in policy.retry_statuses or status in policy.read_retry_statuses:
                self.stats.faults_seen += 1
            # A gateway error may hide a change the server made (the answer was lost).
            if status in (500, 502, 503, 504) and method != "GET" and error_type != "out_of_stock":
                ambiguous = True
            if (
                policy.status_is_retryable(status, method, _str(error_type))
                and attempt <= policy.max_retries
                and (retry_after is None or retry_after <= policy.max_retry_after)
            ):
                delay = policy.backoff(attempt - 1, self._rng)
                if retry_after is not None:
                    # Honour the server's wait, plus a little jitter so clients spread out.
                    delay = retry_after + self._rng.random() * min(1.0, policy.backoff_base)
                await self._sleep(delay)
                continue
            self.stats.errors += 1
            raise errors.error_from_response(
                status,
                data,
                text=text,
                request_id=request_id,
                retry_after=retry_after,
                method=method,
                path=path,
                attempts=attempt,
                maybe_applied=ambiguous,
            )


def _encode(body: BodyModel | Mapping[str, Any] | None) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, Mapping):
        return json.dumps(body, separators=(",", ":")).encode()
    return json.dumps(body.request_body(), separators=(",", ":")).encode()


def _decode_json(response: httpx.Response) -> Any:
    content = response.content
    if not content:
        raise errors.InvalidResponseError(
            "empty answer where JSON was expected", status_code=response.status_code
        )
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        ctype = response.headers.get("content-type", "unknown type")
        raise errors.InvalidResponseError(
            f"answer is not JSON ({_clip(ctype)}, {len(content)} bytes)",
            status_code=response.status_code,
        ) from None


def _transport_error(
    exc: httpx.TransportError, method: str, path: str, attempts: int, ambiguous: bool
) -> errors.TransportError:
    common: dict[str, Any] = {
        "method": method,
        "path": path,
        "attempts": attempts,
        "maybe_applied": ambiguous,
    }
    detail = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return errors.RequestTimeoutError(f"request timed out ({detail})", **common)
    text = str(exc)
    return errors.ConnectionFailedError(
        f"connection failed ({detail}{': ' + _clip(text) if text else ''})", **common
    )


def _param(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _seconds(value: Any) -> float | None:
    return errors._float_or_none(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
