"""Fixtures of the client tests (helpers in `tests/api/support.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.api.support import Env, make_env


@pytest.fixture(params=["asgi", "loopback"])
async def env(request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    """Demo-seeded emulator at SPEED, in process and over loopback HTTP."""
    made, close = await make_env(request.param)
    yield made
    await close()


@pytest.fixture
async def asgi_env() -> AsyncIterator[Env]:
    made, close = await make_env("asgi")
    yield made
    await close()


@pytest.fixture
async def empty_env() -> AsyncIterator[Env]:
    made, close = await make_env("asgi", seed="empty")
    yield made
    await close()
