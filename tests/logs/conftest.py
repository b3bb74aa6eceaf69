"""Fixtures of the log tests: a client on the in-process demo emulator, and helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from tui.api import ContainersClient, RetryPolicy
from tui.emulator.testing import TEST_SECRET_KEY

# Retries as the real client does them, without the real waits (the tests must stay fast).
FAST_RETRY = RetryPolicy(max_retries=4, backoff_base=0.001, backoff_max=0.005)


@pytest.fixture
async def log_client(emulator_app: Starlette) -> AsyncIterator[ContainersClient]:
    client = ContainersClient.for_emulator(
        emulator_app, secret_key=TEST_SECRET_KEY, retry=FAST_RETRY
    )
    async with client:
        yield client
