"""Mapping of every error shape in api-facts.md to its exception (pure function)."""

from __future__ import annotations

import pytest

from tui.api import errors

CASES = [
    (
        400,
        {
            "type": "invalid_arguments",
            "message": "bad",
            "details": [
                {"argument_name": "name", "reason": "constraint", "help_message": "too long"}
            ],
        },
        errors.InvalidArgumentsError,
    ),
    (
        401,
        {
            "type": "denied_authentication",
            "message": "no",
            "method": "api_key",
            "reason": "invalid_argument",
        },
        errors.DeniedAuthenticationError,
    ),
    (
        403,
        {
            "type": "permissions_denied",
            "message": "no",
            "details": [{"resource": "container", "action": "write"}],
        },
        errors.PermissionsDeniedError,
    ),
    (
        403,
        {
            "type": "quotas_exceeded",
            "message": "full",
            "details": [
                {"resource": "namespaces", "quota": 100, "current": 100, "project_id": "p"}
            ],
        },
        errors.QuotasExceededError,
    ),
    (
        404,
        {"type": "not_found", "message": "nope", "resource": "container", "resource_id": "c1"},
        errors.NotFoundError,
    ),
    (
        409,
        {
            "type": "transient_state",
            "message": "busy",
            "resource": "container",
            "resource_id": "c1",
            "current_state": "pending",
        },
        errors.TransientStateError,
    ),
    (
        409,
        {
            "type": "already_exists",
            "message": "dup",
            "resource": "namespace",
            "resource_id": "n",
            "help_message": "pick another name",
        },
        errors.AlreadyExistsError,
    ),
    (
        412,
        {"type": "precondition_failed", "message": "pre", "precondition": "x", "help_message": "h"},
        errors.PreconditionFailedError,
    ),
    (
        423,
        {"type": "locked", "message": "locked", "resource": "container", "resource_id": "c1"},
        errors.ResourceLockedError,
    ),
    (
        429,
        {
            "type": "too_many_requests",
            "message": "slow down",
            "help_message": "h",
            "limit": {"quota": 10, "window_seconds": 1},
            "reset_seconds": 3,
        },
        errors.TooManyRequestsError,
    ),
    (
        503,
        {"type": "out_of_stock", "message": "none left", "resource": "cpu"},
        errors.OutOfStockError,
    ),
    (500, {"message": "boom"}, errors.ServerError),
    (502, None, errors.ServerError),
    # Legacy shapes: message only, mapped by status.
    (404, {"message": "Namespace was not found"}, errors.NotFoundError),
    (401, {"message": "authentication is denied"}, errors.DeniedAuthenticationError),
    (
        400,
        {"message": "Validation Error", "fields": {"name": ["invalid name"]}},
        errors.InvalidArgumentsError,
    ),
    (409, {"message": "resource is in a transient state"}, errors.TransientStateError),
    (418, {"type": "teapot", "message": "?"}, errors.ApiError),
]


@pytest.mark.parametrize(("status", "body", "cls"), CASES)
def test_mapping(status: int, body: object, cls: type[errors.ApiError]) -> None:
    err = errors.error_from_response(status, body, text="<html>bad gateway</html>", request_id="r1")
    assert type(err) is cls
    assert err.status_code == status and err.request_id == "r1"
    assert "r1" in str(err) and str(status) in str(err)
    assert err.message


def test_details() -> None:
    err = errors.error_from_response(*CASES[0][:2])
    assert isinstance(err, errors.InvalidArgumentsError)
    assert err.details == [errors.FieldError("name", "constraint", "too long")]
    assert err.field_errors() == {"name": "too long"}

    legacy = errors.error_from_response(400, CASES[15][1])
    assert isinstance(legacy, errors.InvalidArgumentsError)
    assert legacy.field_errors() == {"name": "invalid name"}

    quota = errors.error_from_response(*CASES[3][:2])
    assert isinstance(quota, errors.QuotasExceededError)
    assert quota.details[0].quota == 100 and quota.details[0].project_id == "p"

    busy = errors.error_from_response(*CASES[5][:2])
    assert isinstance(busy, errors.TransientStateError)
    assert (busy.current_state, busy.resource, busy.resource_id) == ("pending", "container", "c1")

    slow = errors.error_from_response(*CASES[9][:2])
    assert isinstance(slow, errors.TooManyRequestsError) and slow.retry_after == 3

    auth = errors.error_from_response(*CASES[1][:2])
    assert isinstance(auth, errors.DeniedAuthenticationError)
    assert (auth.auth_method, auth.reason) == ("api_key", "invalid_argument")


def test_non_json_body_gives_a_short_message() -> None:
    err = errors.error_from_response(502, None, text="<html>\n  Bad   Gateway </html>")
    assert err.message == "<html> Bad Gateway </html>"
    assert errors.error_from_response(503, None).message == "HTTP 503 error"


def test_field_errors_join_repeated_arguments() -> None:
    err = errors.InvalidArgumentsError(
        details=[
            errors.FieldError("port", "constraint", "must be ≥ 1"),
            errors.FieldError("port", "format", ""),
        ]
    )
    assert err.status_code == 400 and err.type == "invalid_arguments"
    assert err.field_errors() == {"port": "must be ≥ 1; format"}


def test_contract_argument_order_and_defaults() -> None:
    err = errors.ApiError(404, "gone", "not_found", "rid", {"resource": "container"})
    assert (err.status_code, err.message, err.type, err.request_id) == (
        404,
        "gone",
        "not_found",
        "rid",
    )
    assert err.resource == "container"
    assert errors.NotFoundError(message="x").status_code == 404
    assert isinstance(errors.WaitTimeoutError("late"), TimeoutError)
