"""Whatever a server sends, a call ends in a model or a typed `ScwError` — never anything else.

The only test here that does not talk to the emulator: `httpx.MockTransport` plays a broken
server so hypothesis can feed it missing fields, nulls, extra fields, unknown enums, wrong
types, error bodies of every shape and bodies that are not JSON at all.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tui.api import ContainersClient, RetryPolicy, errors, models

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "",
            "300s",
            "2.5s",
            "abc",
            "2030-01-01 12:00:00",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "ready",
            "wat",
            "1e400",
        ]
    )
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)

CONTAINER = {
    "id": "c1",
    "name": "web",
    "namespace_id": "n1",
    "status": "ready",
    "environment_variables": {"A": "1"},
    "min_scale": 0,
    "max_scale": 5,
    "memory_limit": 2048,
    "cpu_limit": 1120,
    "timeout": "300s",
    "error_message": None,
    "privacy": "public",
    "description": "",
    "registry_image": "rg.fr-par.scw.cloud/x/y:1",
    "max_concurrency": 50,
    "domain_name": "d",
    "protocol": "http1",
    "port": 8080,
    "secret_environment_variables": [{"key": "K", "hashed_value": "h"}],
    "http_option": "enabled",
    "region": "fr-par",
}
TOKEN = {
    "id": "t1",
    "token": "s3cr3t",
    "container_id": "c1",
    "status": "ready",
    "expires_at": "2030-01-01T00:00:00Z",
    "description": None,
}
LOG = {
    "id": "l1",
    "message": "hi",
    "timestamp": "2030-01-01T00:00:00Z",
    "level": "info",
    "source": "user",
    "stream": "stdout",
}


def mutated(base: dict[str, Any]) -> st.SearchStrategy[Any]:
    """The base resource with fields dropped, nulled, retyped, and extra fields added."""
    keys = sorted(base)
    return st.builds(
        lambda drop, changes, extra: {
            **{k: v for k, v in base.items() if k not in drop},
            **changes,
            **extra,
        },
        st.sets(st.sampled_from(keys)),
        st.dictionaries(st.sampled_from(keys), JSON_VALUES, max_size=4),
        st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=2),
    )


ERROR_BODIES = st.fixed_dictionaries(
    {"message": JSON_VALUES},
    optional={
        "type": st.sampled_from(
            [
                "invalid_arguments",
                "denied_authentication",
                "permissions_denied",
                "quotas_exceeded",
                "not_found",
                "transient_state",
                "already_exists",
                "precondition_failed",
                "locked",
                "too_many_requests",
                "out_of_stock",
                "new_kind",
            ]
        )
        | JSON_VALUES,
        "details": JSON_VALUES
        | st.lists(
            st.dictionaries(
                st.sampled_from(
                    [
                        "argument_name",
                        "reason",
                        "help_message",
                        "resource",
                        "quota",
                        "current",
                        "project_id",
                        "action",
                    ]
                ),
                JSON_VALUES,
                max_size=4,
            ),
            max_size=3,
        ),
        "fields": JSON_VALUES | st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=2),
        "reset_seconds": JSON_VALUES,
        "current_state": JSON_VALUES,
    },
)

STATUSES = st.sampled_from(
    [200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 412, 423, 429, 500, 502, 503, 504, 418]
)


def body_strategy(base: dict[str, Any], list_key: str | None) -> st.SearchStrategy[bytes]:
    resource = mutated(base)
    good_json = (
        resource
        if list_key is None
        else st.fixed_dictionaries(
            {list_key: st.lists(resource, max_size=3) | JSON_VALUES, "total_count": JSON_VALUES}
        )
    )
    as_json = (good_json | ERROR_BODIES | JSON_VALUES).map(
        lambda v: json.dumps(v, allow_nan=True).encode()
    )
    return as_json | st.binary(max_size=40) | st.just(b"<html>502 Bad Gateway</html>")


RESPONSES = st.tuples(
    STATUSES,
    st.sampled_from(["application/json", "text/html", "application/json; charset=latin-1", ""]),
    st.none()
    | st.sampled_from(["1", "0", "-3", "abc", "1e308", "nan", "Wed, 21 Oct 2015 07:28:00 GMT"]),
)

CallFn = Callable[[ContainersClient], Awaitable[Any]]
CALLS: list[tuple[str, dict[str, Any], str | None, CallFn, type]] = [
    (
        "get_container",
        CONTAINER,
        None,
        lambda c: c.get_container(container_id="c1"),
        models.Container,
    ),
    (
        "list_containers",
        CONTAINER,
        "containers",
        lambda c: c.list_containers(namespace_id="n1"),
        models.ListContainersResponse,
    ),
    (
        "list_containers_all",
        CONTAINER,
        "containers",
        lambda c: c.list_containers_all(namespace_id="n1"),
        list,
    ),
    ("create_token", TOKEN, None, lambda c: c.create_token(container_id="c1"), models.Token),
    ("list_logs", LOG, "logs", lambda c: c.list_logs(container_id="c1"), models.ListLogsResponse),
    (
        "delete_container",
        CONTAINER,
        None,
        lambda c: c.delete_container(container_id="c1"),
        models.Container,
    ),
]


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


def _run(call: CallFn, expected: type, answers: list[tuple[int, str, str | None, bytes]]) -> None:
    pending = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        status, ctype, retry_after, content = pending.pop(0) if pending else answers[-1]
        headers = {"X-Request-Id": "req-1"}
        if ctype:
            headers["Content-Type"] = ctype
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        return httpx.Response(status, content=content, headers=headers)

    async def go() -> None:
        client = ContainersClient(
            api_url="http://broken.invalid",
            secret_key="00000000-0000-4000-8000-000000000001",
            transport=httpx.MockTransport(handler),
            retry=RetryPolicy(max_retries=2, max_retry_after=5),
            sleep=_no_sleep,
        )
        async with client:
            try:
                result = await call(client)
            except errors.ScwError as exc:
                event(type(exc).__name__)
                str(exc), repr(exc)  # rendering an error never fails either
                if isinstance(exc, errors.InvalidArgumentsError):
                    assert isinstance(exc.field_errors(), dict)
                return
            event("parsed")
            assert isinstance(result, expected)
            if isinstance(result, list):
                assert all(isinstance(item, models.Container) for item in result)

    asyncio.run(go())


def _make_test(index: int) -> Callable[..., None]:
    name, base, list_key, call, expected = CALLS[index]

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(st.tuples(RESPONSES, body_strategy(base, list_key)), min_size=1, max_size=3))
    def test(raw: list[tuple[tuple[int, str, str | None], bytes]]) -> None:
        answers = [(s, ct, ra, body) for (s, ct, ra), body in raw]
        _run(call, expected, answers)

    test.__name__ = f"test_malformed_{name}"
    return test


test_malformed_get_container = _make_test(0)
test_malformed_list_containers = _make_test(1)
test_malformed_list_containers_all = _make_test(2)
test_malformed_create_token = _make_test(3)
test_malformed_list_logs = _make_test(4)
test_malformed_delete_container = _make_test(5)


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=100, max_value=599), JSON_VALUES | ERROR_BODIES, st.text(max_size=30))
def test_error_from_any_body(status: int, body: Any, text: str) -> None:
    err = errors.error_from_response(status, body, text=text, request_id="r")
    assert isinstance(err, errors.ApiError)
    assert str(err) and repr(err)
    if isinstance(err, errors.InvalidArgumentsError):
        assert all(isinstance(v, str) for v in err.field_errors().values())
