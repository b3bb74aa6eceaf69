"""Every failure the API client can raise, as one exception tree.

```
ScwError                              status_code, message, request_id (all may be None)
├── ApiError                          the server answered with an error status
│   ├── InvalidArgumentsError         400 invalid_arguments / legacy "Validation Error"
│   ├── DeniedAuthenticationError     401 denied_authentication
│   ├── PermissionsDeniedError        403 permissions_denied
│   ├── QuotasExceededError           403 quotas_exceeded
│   ├── NotFoundError                 404 not_found
│   ├── TransientStateError           409 transient_state
│   ├── AlreadyExistsError            409 already_exists
│   ├── PreconditionFailedError       412 precondition_failed
│   ├── ResourceLockedError           423 locked
│   ├── TooManyRequestsError          429 too_many_requests
│   ├── OutOfStockError               503 out_of_stock
│   └── ServerError                   any other 5xx (502/503/504 were retried first)
├── TransportError                    no usable answer came back
│   ├── ConnectionFailedError         connect refused, DNS, reset, protocol error
│   └── RequestTimeoutError           the per-request timeout expired
├── InvalidResponseError              a success answer that is not JSON or not the expected shape
└── WaitTimeoutError                  wait_for_status gave up (also a TimeoutError)
```

An error whose `type` is unknown (or absent, as in the legacy `{"message": ...}` shape) is
mapped by HTTP status; a status with no class of its own gives a plain `ApiError`.

The string of an exception is the server's message plus status and request id: never the
request, its headers or body, so no secret can reach a log or a traceback through it. The
server's message is untrusted text: show it with `tui.text.safe_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AlreadyExistsError",
    "ApiError",
    "ConnectionFailedError",
    "DeniedAuthenticationError",
    "FieldError",
    "InvalidArgumentsError",
    "InvalidResponseError",
    "NotFoundError",
    "OutOfStockError",
    "PermissionDetail",
    "PermissionsDeniedError",
    "PreconditionFailedError",
    "QuotaDetail",
    "QuotasExceededError",
    "RequestTimeoutError",
    "ResourceLockedError",
    "ScwError",
    "ServerError",
    "TooManyRequestsError",
    "TransientStateError",
    "TransportError",
    "WaitTimeoutError",
    "error_from_response",
]


class ScwError(Exception):
    """Base of every error raised by `tui.api`."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        method: str | None = None,
        path: str | None = None,
        attempts: int = 1,
        maybe_applied: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.request_id = request_id
        # Method and path (no host, no query) say which call failed without carrying headers.
        self.method = method
        self.path = path
        self.attempts = attempts
        # True when this mutation may have taken effect although it is reported as failed: an
        # attempt's answer was lost after the request was sent (gateway 5xx, read error,
        # timeout). Refresh before telling the user it did not happen.
        self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        parts = []
        if self.status_code is not None:
            parts.append(f"HTTP {self.status_code}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        suffix = f" ({', '.join(parts)})" if parts else ""
        return f"{self.message}{suffix}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"request_id={self.request_id!r})"
        )


class ApiError(ScwError):
    """The server answered with an error status (4xx/5xx).

    Arguments in the order of the team contract: `ApiError(status_code, message, type,
    request_id, body)`; a subclass fills in its usual status and type when they are omitted.
    """

    default_status: int = 0
    default_type: str | None = None

    def __init__(
        self,
        status_code: int | None = None,
        message: str = "",
        type: str | None = None,
        request_id: str | None = None,
        body: Mapping[str, Any] | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        attempts: int = 1,
        maybe_applied: bool = False,
    ) -> None:
        status = self.default_status if status_code is None else status_code
        super().__init__(
            message or f"HTTP {status} error",
            status_code=status,
            request_id=request_id,
            method=method,
            path=path,
            attempts=attempts,
            maybe_applied=maybe_applied,
        )
        self.status_code: int = status
        self.type = type if type is not None else self.default_type
        # The parsed JSON error body (empty when it was not JSON); kept out of str and repr.
        self.body: Mapping[str, Any] = dict(body) if body else {}

    @property
    def resource(self) -> str | None:
        return _str_or_none(self.body.get("resource"))

    @property
    def resource_id(self) -> str | None:
        return _str_or_none(self.body.get("resource_id"))

    @property
    def help_message(self) -> str | None:
        return _str_or_none(self.body.get("help_message"))


class InvalidArgumentsError(ApiError):
    """400: one or more arguments were refused; `details` says which and why."""

    default_status = 400
    default_type = "invalid_arguments"

    def __init__(self, *args: Any, details: list[FieldError] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.details: list[FieldError] = list(details or [])

    def field_errors(self) -> dict[str, str]:
        """argument name → message to show next to that field of a form."""
        out: dict[str, str] = {}
        for detail in self.details:
            text = detail.help_message or detail.reason or "invalid value"
            if detail.argument_name in out:
                out[detail.argument_name] = f"{out[detail.argument_name]}; {text}"
            else:
                out[detail.argument_name] = text
        return out


class DeniedAuthenticationError(ApiError):
    """401: the secret key is missing, unknown or expired."""

    default_status = 401
    default_type = "denied_authentication"

    @property
    def auth_method(self) -> str | None:
        return _str_or_none(self.body.get("method"))

    @property
    def reason(self) -> str | None:
        return _str_or_none(self.body.get("reason"))


class PermissionsDeniedError(ApiError):
    """403: the key is valid but not allowed to do this."""

    default_status = 403
    default_type = "permissions_denied"

    def __init__(
        self, *args: Any, details: list[PermissionDetail] | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.details: list[PermissionDetail] = list(details or [])


class QuotasExceededError(ApiError):
    """403: a quota (namespaces per project, containers per organization, …) is reached."""

    default_status = 403
    default_type = "quotas_exceeded"

    def __init__(self, *args: Any, details: list[QuotaDetail] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.details: list[QuotaDetail] = list(details or [])


class NotFoundError(ApiError):
    """404: the resource does not exist (or no longer)."""

    default_status = 404
    default_type = "not_found"


class TransientStateError(ApiError):
    """409: the resource is busy (creating, pending, deleting…); try again when it settles."""

    default_status = 409
    default_type = "transient_state"

    @property
    def current_state(self) -> str | None:
        return _str_or_none(self.body.get("current_state"))


class AlreadyExistsError(ApiError):
    """409: a resource with this name (or hostname) already exists."""

    default_status = 409
    default_type = "already_exists"


class PreconditionFailedError(ApiError):
    """412."""

    default_status = 412
    default_type = "precondition_failed"

    @property
    def precondition(self) -> str | None:
        return _str_or_none(self.body.get("precondition"))


class ResourceLockedError(ApiError):
    """423: the resource is locked (e.g. by Scaleway for abuse or billing)."""

    default_status = 423
    default_type = "locked"


class TooManyRequestsError(ApiError):
    """429: rate limited, still refused after the retries; `retry_after` in seconds if known."""

    default_status = 429
    default_type = "too_many_requests"

    def __init__(self, *args: Any, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.retry_after = retry_after


class OutOfStockError(ApiError):
    """503 out_of_stock: no capacity for this resource right now."""

    default_status = 503
    default_type = "out_of_stock"


class ServerError(ApiError):
    """5xx: the server (or a gateway in front of it) failed."""

    default_status = 500
    default_type = None


class TransportError(ScwError):
    """No usable HTTP answer: the connection failed or the request timed out."""


class ConnectionFailedError(TransportError):
    """Could not connect, or the connection broke before a full answer came back."""


class RequestTimeoutError(TransportError):
    """The per-request timeout expired."""


class InvalidResponseError(ScwError):
    """A success answer whose body is not JSON or does not have the expected shape."""


class WaitTimeoutError(ScwError, TimeoutError):
    """`wait_for_status` did not see a terminal status in time; `last_status` is the last seen."""

    def __init__(self, message: str, *, last_status: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.last_status = last_status


@dataclass(frozen=True, slots=True)
class FieldError:
    """One refused argument of an `invalid_arguments` answer."""

    argument_name: str
    reason: str = ""  # unknown / required / format / constraint (or anything newer)
    help_message: str = ""


@dataclass(frozen=True, slots=True)
class PermissionDetail:
    resource: str = ""
    action: str = ""


@dataclass(frozen=True, slots=True)
class QuotaDetail:
    resource: str = ""
    quota: int | None = None
    current: int | None = None
    project_id: str | None = None


_TYPE_TO_CLASS: dict[str, type[ApiError]] = {
    "invalid_arguments": InvalidArgumentsError,
    "denied_authentication": DeniedAuthenticationError,
    "authentication_denied": DeniedAuthenticationError,
    "permissions_denied": PermissionsDeniedError,
    "quotas_exceeded": QuotasExceededError,
    "not_found": NotFoundError,
    "transient_state": TransientStateError,
    "already_exists": AlreadyExistsError,
    "precondition_failed": PreconditionFailedError,
    "locked": ResourceLockedError,
    "resource_locked": ResourceLockedError,
    "too_many_requests": TooManyRequestsError,
    "out_of_stock": OutOfStockError,
}

# Used when the body has no (known) `type`: the legacy shapes and non-JSON bodies.
_STATUS_TO_CLASS: dict[int, type[ApiError]] = {
    400: InvalidArgumentsError,
    401: DeniedAuthenticationError,
    403: PermissionsDeniedError,
    404: NotFoundError,
    412: PreconditionFailedError,
    423: ResourceLockedError,
    429: TooManyRequestsError,
}


def error_from_response(
    status_code: int,
    body: Any,
    *,
    text: str = "",
    request_id: str | None = None,
    retry_after: float | None = None,
    method: str | None = None,
    path: str | None = None,
    attempts: int = 1,
    maybe_applied: bool = False,
) -> ApiError:
    """Build the exception for an error answer, whatever its shape.

    `body` is the decoded JSON (anything, or None when the body was not JSON); `text` is the
    raw body text, only used for a short message when there is no JSON message.
    """
    data: dict[str, Any] = body if isinstance(body, dict) else {}
    err_type = _str_or_none(data.get("type"))
    message = _str_or_none(data.get("message"))
    if not message:
        snippet = " ".join(text.split())[:200] if text and not data else ""
        message = snippet or f"HTTP {status_code} error"

    cls: type[ApiError]
    if err_type is not None and err_type in _TYPE_TO_CLASS:
        cls = _TYPE_TO_CLASS[err_type]
    elif status_code in _STATUS_TO_CLASS:
        cls = _STATUS_TO_CLASS[status_code]
    elif status_code == 409 and "transient" in message.lower():
        cls = TransientStateError
    elif status_code == 409 and "exist" in message.lower():
        cls = AlreadyExistsError
    elif status_code >= 500:
        cls = ServerError
    else:
        cls = ApiError

    common: dict[str, Any] = {
        "message": message,
        "status_code": status_code,
        "type": err_type,
        "request_id": request_id,
        "body": data,
        "method": method,
        "path": path,
        "attempts": attempts,
        "maybe_applied": maybe_applied,
    }
    if cls is InvalidArgumentsError:
        return InvalidArgumentsError(details=_field_errors(data), **common)
    if cls is PermissionsDeniedError:
        details = [
            PermissionDetail(resource=_s(d.get("resource")), action=_s(d.get("action")))
            for d in _dicts(data.get("details"))
        ]
        return PermissionsDeniedError(details=details, **common)
    if cls is QuotasExceededError:
        quotas = [
            QuotaDetail(
                resource=_s(d.get("resource")),
                quota=_int_or_none(d.get("quota")),
                current=_int_or_none(d.get("current")),
                project_id=_str_or_none(d.get("project_id")),
            )
            for d in _dicts(data.get("details"))
        ]
        return QuotasExceededError(details=quotas, **common)
    if cls is TooManyRequestsError:
        if retry_after is None:
            retry_after = _float_or_none(data.get("reset_seconds"))
        return TooManyRequestsError(retry_after=retry_after, **common)
    return cls(**common)


def _field_errors(data: Mapping[str, Any]) -> list[FieldError]:
    out = [
        FieldError(
            argument_name=_s(d.get("argument_name")),
            reason=_s(d.get("reason")),
            help_message=_s(d.get("help_message")),
        )
        for d in _dicts(data.get("details"))
    ]
    # Legacy shape: {"message": "Validation Error", "fields": {"name": ["msg", ...]}}.
    fields = data.get("fields")
    if isinstance(fields, dict):
        for name, msgs in fields.items():
            if isinstance(msgs, list):
                text = "; ".join(str(m) for m in msgs)
            else:
                text = "" if msgs is None else str(msgs)
            out.append(FieldError(argument_name=str(name), reason="constraint", help_message=text))
    return out


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [d for d in value if isinstance(d, dict)] if isinstance(value, list) else []


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _str_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _float_or_none(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if result == result and result >= 0 else None  # reject NaN and negatives
