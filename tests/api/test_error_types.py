"""Each error the emulator answers arrives as its exception, with status, message, request id."""

from __future__ import annotations

import asyncio

import pytest

from tests.api.support import Env, make_env
from tui.api import ContainersClient, RetryPolicy, errors
from tui.emulator import seed as demo
from tui.emulator.testing import TEST_SECRET_KEY

MISSING_ID = "20000000-0000-4000-8000-00000000ffff"


def _common(exc: errors.ApiError, status: int, type_: str) -> None:
    assert exc.status_code == status and exc.type == type_
    assert exc.request_id and exc.request_id in str(exc)
    assert exc.message


async def test_invalid_arguments_with_field_errors(env: Env) -> None:
    with pytest.raises(errors.InvalidArgumentsError) as info:
        await env.client.create_container(
            namespace_id=demo.DEMO_NAMESPACE_ID, name="Bad_Name", max_scale=99, port=0
        )
    _common(info.value, 400, "invalid_arguments")
    fields = info.value.field_errors()
    assert {"name", "max_scale", "port"} <= set(fields)
    assert all(isinstance(v, str) and v for v in fields.values())
    assert not info.value.maybe_applied


async def test_not_found(env: Env) -> None:
    with pytest.raises(errors.NotFoundError) as info:
        await env.client.get_container(container_id=MISSING_ID)
    _common(info.value, 404, "not_found")
    assert info.value.resource_id == MISSING_ID and info.value.resource == "container"


async def test_transient_state(env: Env) -> None:
    with pytest.raises(errors.TransientStateError) as info:
        await env.client.deploy_container(container_id=demo.DEMO_PENDING_CONTAINER_ID)
    _common(info.value, 409, "transient_state")
    assert info.value.current_state == "pending"


async def test_already_exists(env: Env) -> None:
    with pytest.raises(errors.AlreadyExistsError) as info:
        await env.client.create_namespace(name=demo.DEMO_NAMESPACE_NAME)
    _common(info.value, 409, "already_exists")


async def test_locked(env: Env) -> None:
    with pytest.raises(errors.ResourceLockedError) as info:
        await env.client.update_container(container_id=demo.DEMO_LOCKED_CONTAINER_ID, max_scale=2)
    _common(info.value, 423, "locked")


async def test_quotas_exceeded(asgi_env: Env) -> None:
    client = asgi_env.client
    cid = demo.DEMO_TOOLS_CONTAINER_ID
    have = (await client.list_domains(container_id=cid)).total_count
    await asyncio.gather(
        *(
            client.create_domain(hostname=f"d{i}.quota.example.com", container_id=cid)
            for i in range(50 - have)
        )
    )
    with pytest.raises(errors.QuotasExceededError) as info:
        await client.create_domain(hostname="one-too-many.example.com", container_id=cid)
    _common(info.value, 403, "quotas_exceeded")
    assert info.value.details and info.value.details[0].quota == 50


async def test_denied_authentication() -> None:
    env, close = await make_env("loopback", secret_key=TEST_SECRET_KEY)
    try:
        wrong = ContainersClient(api_url=env.url, secret_key="99999999-2222-4333-8444-555555555555")
        none = ContainersClient(api_url=env.url, secret_key=None)
        async with wrong, none:
            for client in (wrong, none):
                with pytest.raises(errors.DeniedAuthenticationError) as info:
                    await client.list_namespaces()
                _common(info.value, 401, "denied_authentication")
                assert info.value.auth_method == "api_key"
                assert client.stats.retries == 0  # a refusal is not retried
    finally:
        await close()


async def test_too_many_requests_after_retries(asgi_env: Env) -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    await asgi_env.control.faults(error_rate=1.0, statuses=[429])
    client = ContainersClient.for_emulator(
        asgi_env.recorder, retry=RetryPolicy(max_retries=2), sleep=record
    )
    async with client:
        with pytest.raises(errors.TooManyRequestsError) as info:
            await client.list_namespaces()
    _common(info.value, 429, "too_many_requests")
    assert info.value.retry_after == 1
    assert client.stats.requests == 3 and client.stats.retries == 2
    assert all(1.0 <= s <= 1.5 for s in slept)  # Retry-After honoured, jitter added


async def test_rate_limit_honoured_then_success(asgi_env: Env) -> None:
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)
        await asyncio.sleep(0)

    await asgi_env.control.faults(error_rate=1.0, statuses=[429])
    client = ContainersClient.for_emulator(asgi_env.recorder, sleep=record)
    calls = 0

    async def clear_after_first(seconds: float) -> None:
        nonlocal calls
        calls += 1
        await record(seconds)
        await asgi_env.control.clear_faults()

    client._http._sleep = clear_after_first
    async with client:
        result = await client.create_namespace(name="after-429")  # a POST refused is retried
    assert result.name == "after-429" and calls == 1 and slept[0] >= 1.0
    assert client.stats.faults_seen == 1


async def test_server_error_after_retries(asgi_env: Env) -> None:
    await asgi_env.control.faults(error_rate=1.0, statuses=[503])
    with pytest.raises(errors.ServerError) as info:
        await asgi_env.client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)
    assert info.value.status_code == 503 and info.value.attempts == 5
    assert asgi_env.client.stats.retries == 4
    # A POST that got a 503 is not repeated (its answer may have been lost).
    before = asgi_env.client.stats.requests
    with pytest.raises(errors.ServerError) as post_info:
        await asgi_env.client.create_namespace(name="maybe")
    assert asgi_env.client.stats.requests - before == 1
    assert post_info.value.maybe_applied


async def test_unknown_route_and_method_are_typed(asgi_env: Env) -> None:
    with pytest.raises(errors.NotFoundError):
        await asgi_env.client._http.request("GET", "/containers/v1beta1/nowhere")
    with pytest.raises(errors.ApiError) as info:
        await asgi_env.client._http.request("PUT", "/containers/v1beta1/regions/fr-par/namespaces")
    assert info.value.status_code == 405
