"""Connection failures, timeouts and cancellation, against real sockets and the emulator."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.api.support import FAST_RETRY, make_env
from tui.api import ContainersClient, RetryPolicy, errors
from tui.emulator import seed as demo


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    sock.close()  # nothing listens there now: connections are refused
    return port


async def test_connection_refused_is_retried_then_typed() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with ContainersClient(api_url=url, secret_key="k-1234", retry=FAST_RETRY) as client:
        with pytest.raises(errors.ConnectionFailedError) as info:
            await client.list_namespaces()
        assert client.stats.requests == 5 and client.stats.retries == 4
        assert client.stats.faults_seen == 5
        assert info.value.status_code is None and info.value.attempts == 5
        assert not info.value.maybe_applied
        # A POST whose connection never opened surely did not reach the server: retried too.
        with pytest.raises(errors.ConnectionFailedError) as post:
            await client.create_namespace(name="never")
        assert post.value.attempts == 5 and not post.value.maybe_applied


async def test_request_timeout_get_retried_post_not() -> None:
    env, close = await make_env("loopback", timeout=0.05)
    try:
        await env.control.faults(latency_ms=300)
        with pytest.raises(errors.RequestTimeoutError) as info:
            await env.client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)
        assert info.value.attempts == 5 and not info.value.maybe_applied
        before = env.client.stats.requests
        with pytest.raises(errors.RequestTimeoutError) as post:
            await env.client.create_namespace(name="slow")
        assert env.client.stats.requests - before == 1  # sent: may exist, never repeated
        assert post.value.maybe_applied
        await env.control.clear_faults()
        await asyncio.sleep(0.35)  # let the slow create land server-side
        names = [n.name for n in await env.client.list_namespaces_all()]
        assert names.count("slow") == 1
    finally:
        await close()


async def test_cancellation_leaves_the_client_usable() -> None:
    env, close = await make_env("loopback")
    try:
        await env.control.faults(latency_ms=200)
        task = asyncio.create_task(env.client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # A cancelled iterator and a cancelled wait leave nothing running either.
        waiter = asyncio.create_task(
            _drain(
                env.client.wait_for_status(
                    "container", demo.DEMO_PENDING_CONTAINER_ID, interval=0.01
                )
            )
        )
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await env.control.clear_faults()
        stats_before = env.client.stats.requests
        got = await env.client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)
        assert got.id == demo.DEMO_NAMESPACE_ID
        assert env.client.stats.requests == stats_before + 1
        assert not env.client.is_closed
    finally:
        await close()


async def _drain(iterator: object) -> None:
    async for _ in iterator:  # type: ignore[attr-defined]
        pass


async def test_cancelled_backoff_does_not_retry_later() -> None:
    env, close = await make_env(
        "asgi", retry=RetryPolicy(max_retries=4, backoff_base=0.2, backoff_max=0.2)
    )
    try:
        await env.control.faults(error_rate=1.0, statuses=[503])
        task = asyncio.create_task(env.client.list_namespaces())
        while env.client.stats.requests == 0:
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sent = env.client.stats.requests
        await asyncio.sleep(0.3)
        assert env.client.stats.requests == sent  # no ghost retry after cancellation
    finally:
        await close()


async def test_closed_client_and_bad_arguments() -> None:
    client = ContainersClient(api_url="http://127.0.0.1:9", secret_key=None)
    await client.aclose()
    await client.aclose()  # idempotent
    assert client.is_closed
    with pytest.raises(ValueError):
        ContainersClient(api_url="not a url")
    with pytest.raises(ValueError):
        ContainersClient(region="france")
    async with ContainersClient(api_url="http://127.0.0.1:9") as fresh:
        with pytest.raises(ValueError):
            await fresh.get_container(container_id="")
        with pytest.raises(ValueError):
            await fresh.create_container(namespace_id="n", name="x", timeout="forever")


async def test_api_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCW_API_URL", "http://127.0.0.1:4000/")
    async with ContainersClient() as from_env:
        assert from_env.api_url == "http://127.0.0.1:4000"
    async with ContainersClient(api_url="https://x.example") as explicit:
        assert explicit.api_url == "https://x.example"
    monkeypatch.delenv("SCW_API_URL")
    async with ContainersClient() as default:
        assert default.api_url == "https://api.scaleway.com"
        assert repr(default) == (
            "ContainersClient(api_url='https://api.scaleway.com', region='fr-par', secret_key=none)"
        )
