"""wait_for_status: each status seen, until a terminal one; error is a result."""

from __future__ import annotations

import pytest

from tests.api.support import Env
from tui.api import errors, models
from tui.emulator import seed as demo

FAST = {"interval": 0.02, "max_interval": 0.05}


async def test_pending_to_ready(env: Env) -> None:
    client = env.client
    created = await client.create_container(
        namespace_id=demo.DEMO_NAMESPACE_ID,
        name="fresh",
        registry_image="rg.fr-par.scw.cloud/shop/fresh:1",
    )
    await client.deploy_container(container_id=created.id)
    seen = [s async for s in client.wait_for_status("container", created.id, timeout=10, **FAST)]
    assert seen == ["pending", "ready"]


async def test_pending_to_error(env: Env) -> None:
    client = env.client
    created = await client.create_container(
        namespace_id=demo.DEMO_NAMESPACE_ID,
        name="broken",
        registry_image="rg.fr-par.scw.cloud/shop/broken:missing",
    )
    await client.deploy_container(container_id=created.id)
    seen = [s async for s in client.wait_for_status("container", created.id, timeout=10, **FAST)]
    assert seen == ["pending", "error"]  # no exception: error is a terminal status
    final = await client.get_container(container_id=created.id)
    assert final.error_message


async def test_terminal_at_once_and_typed_waiters(asgi_env: Env) -> None:
    client = asgi_env.client
    seen = [s async for s in client.wait_for_status("container", demo.DEMO_READY_CONTAINER_ID)]
    assert seen == ["ready"]
    created = [s async for s in client.wait_for_status("container", demo.DEMO_CREATED_CONTAINER_ID)]
    assert created == ["created"]  # waiting for a deploy is not a transient state
    ns = await client.create_namespace(name="typed")
    ready = await client.wait_for_namespace(namespace_id=ns.id, interval=0.02)
    assert isinstance(ready, models.Namespace) and ready.status == "ready"


async def test_every_poll_repeats_and_timeout(asgi_env: Env) -> None:
    client = asgi_env.client
    await asgi_env.control.freeze()  # the pending container stays pending
    seen: list[str] = []
    with pytest.raises(errors.WaitTimeoutError) as info:
        async for status in client.wait_for_status(
            "container", demo.DEMO_PENDING_CONTAINER_ID, timeout=0.15, every_poll=True, **FAST
        ):
            seen.append(status)
    assert len(seen) >= 2 and set(seen) == {"pending"}
    assert info.value.last_status == "pending"
    assert isinstance(info.value, TimeoutError)


async def test_not_found_on_first_poll_raises(asgi_env: Env) -> None:
    with pytest.raises(errors.NotFoundError):
        async for _ in asgi_env.client.wait_for_status(
            "namespace", "10000000-0000-4000-8000-00000000ffff"
        ):
            pass
    with pytest.raises(ValueError):
        async for _ in asgi_env.client.wait_for_status("volume", "x"):  # type: ignore[arg-type]
            pass


async def test_backoff_between_polls(asgi_env: Env) -> None:
    """Polls back off from `interval` towards `max_interval` (sleeps recorded, not slept)."""
    from tui.api import ContainersClient

    delays: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        delays.append(seconds)
        await asgi_env.control.advance(0)  # let the emulator see the time pass
        if len(delays) == 7:
            await asgi_env.control.force_status(demo.DEMO_PENDING_CONTAINER_ID, "ready")

    await asgi_env.control.freeze()
    client = ContainersClient.for_emulator(asgi_env.recorder, sleep=fake_sleep)
    async with client:
        seen = [
            s
            async for s in client.wait_for_status(
                "container", demo.DEMO_PENDING_CONTAINER_ID, interval=1.0, max_interval=4.0
            )
        ]
    assert seen == ["pending", "ready"] and len(delays) == 7
    assert all(0.8 <= d <= 4.0 * 1.2 for d in delays)
    assert delays[0] <= 1.2 and max(delays) > 2.5  # grows, capped
