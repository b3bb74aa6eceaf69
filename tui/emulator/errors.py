"""The API's error answers: one exception carrying the HTTP status and the JSON body."""

from __future__ import annotations

from typing import Any

from tui.emulator.rules import FieldError


class ApiError(Exception):
    """An error answer: ``status`` and the JSON ``body`` exactly as the real API sends it."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.headers = headers or {}


def invalid_arguments(*errors: FieldError) -> ApiError:
    described = "; ".join(f"{e.argument_name}: {e.help_message}" for e in errors)
    return ApiError(
        400,
        {
            "type": "invalid_arguments",
            "message": f"invalid argument(s): {described}",
            "details": [e.as_json() for e in errors],
        },
    )


def invalid_argument(argument_name: str, reason: str, help_message: str) -> ApiError:
    return invalid_arguments(FieldError(argument_name, reason, help_message))


def not_found(resource: str, resource_id: str) -> ApiError:
    return ApiError(
        404,
        {
            "type": "not_found",
            "message": f"resource is not found: {resource} {resource_id}",
            "resource": resource,
            "resource_id": resource_id,
        },
    )


def transient_state(resource: str, resource_id: str, current_state: str) -> ApiError:
    return ApiError(
        409,
        {
            "type": "transient_state",
            "message": f"resource is in a transient state: {resource} is {current_state}",
            "resource": resource,
            "resource_id": resource_id,
            "current_state": current_state,
        },
    )


def already_exists(resource: str, resource_id: str, help_message: str) -> ApiError:
    return ApiError(
        409,
        {
            "type": "already_exists",
            "message": f"resource already exists: {help_message}",
            "resource": resource,
            "resource_id": resource_id,
            "help_message": help_message,
        },
    )


def locked(resource: str, resource_id: str) -> ApiError:
    return ApiError(
        423,
        {
            "type": "locked",
            "message": f"resource is locked: {resource} {resource_id}",
            "resource": resource,
            "resource_id": resource_id,
        },
    )


def quotas_exceeded(resource: str, quota: int, current: int, project_id: str) -> ApiError:
    return ApiError(
        403,
        {
            "type": "quotas_exceeded",
            "message": f"quota(s) exceeded for this resource: {resource} ({current}/{quota})",
            "details": [
                {
                    "resource": resource,
                    "quota": quota,
                    "current": current,
                    "project_id": project_id,
                }
            ],
        },
    )


def permissions_denied(resource: str, action: str, message: str) -> ApiError:
    return ApiError(
        403,
        {
            "type": "permissions_denied",
            "message": message,
            "details": [{"resource": resource, "action": action}],
        },
    )


def denied_authentication(reason: str, message: str) -> ApiError:
    return ApiError(
        401,
        {
            "type": "denied_authentication",
            "message": message,
            "method": "api_key",
            "reason": reason,
        },
    )


def too_many_requests(limit: int, reset_seconds: int) -> ApiError:
    return ApiError(
        429,
        {
            "type": "too_many_requests",
            "message": "too many requests",
            "help_message": f"slow down: at most {limit} requests per second",
            "limit": {"quota": limit, "window_seconds": 1},
            "reset_seconds": reset_seconds,
        },
        headers={"Retry-After": str(reset_seconds)},
    )


_SERVER_ERRORS = {
    500: ("internal_error", "internal server error"),
    502: ("bad_gateway", "bad gateway"),
    503: ("service_unavailable", "service unavailable"),
    504: ("gateway_timeout", "gateway timeout"),
}


def server_error(status: int, note: str = "") -> ApiError:
    kind, message = _SERVER_ERRORS.get(status, ("internal_error", "server error"))
    return ApiError(status, {"type": kind, "message": message + (f" ({note})" if note else "")})


def route_not_found(path: str) -> ApiError:
    return ApiError(
        404,
        {
            "type": "not_found",
            "message": f"no such route: {path}",
            "resource": "route",
            "resource_id": path,
        },
    )


def method_not_allowed(method: str, path: str, allowed: list[str]) -> ApiError:
    return ApiError(
        405,
        {
            "type": "method_not_allowed",
            "message": f"method {method} is not allowed on {path}; allowed: {', '.join(allowed)}",
        },
        headers={"Allow": ", ".join(allowed)},
    )
