"""Shared fixtures: every test talks to the real built-in emulator (never a mock of it).

In-process apps (no port; call them through ``httpx.ASGITransport``):
- ``emulator_app`` — a fresh demo-seeded emulator app per test (``tui.emulator.create_app``).
  Demo ids/names: ``from tui.emulator.seed import DEMO_READY_CONTAINER_ID, ...``.
  Its state: ``emulator_app.state.emulator`` (white-box checks only; after changing a resource
  dict by hand, call ``emulator.invalidate()`` — list answers cache each resource's JSON).
- ``empty_emulator_app`` — a fresh empty emulator app per test.
- ``emulator_client`` / ``empty_emulator_client`` — an ``httpx.AsyncClient`` on the app above
  (base url ``http://emulator``, ``X-Auth-Token`` = ``TEST_SECRET_KEY``), closed after the test.
- ``asgi_client`` — the factory ``asgi_client(app, secret_key=TEST_SECRET_KEY)`` returning an
  ``httpx.AsyncClient`` bound to any app (``secret_key=None``: no auth header); clients made
  through the fixture are closed after the test. Outside fixtures use
  ``from tui.emulator.testing import asgi_client`` (same function, you close it).
- ``emulator_control`` — ``EmulatorControl`` on ``emulator_app``: async ``advance(s)``,
  ``freeze()``, ``unfreeze()``, ``reset(seed)``, ``faults(**kw)``, ``clear_faults()``,
  ``append_logs(id, lines)``, ``image_missing(ref)``, ``force_status(id, status, msg)``,
  ``invoke(id, path, token=)``, ``health()``, ``call(method, path, body)``.
  For another app: ``EmulatorControl.for_app(app)`` / ``.for_url(url)`` (tui.emulator.testing).

Served over loopback HTTP (uvicorn on 127.0.0.1, a free port, in a background thread):
- ``emulator_server`` — demo seed, speed 1, started with ``--secret-key TEST_SECRET_KEY``;
  the object has ``.url``, ``.secret_key``, ``.app``, ``.emulator``, ``.port``.
- ``emulator_server_factory`` — ``factory(seed="empty", speed=1.0, state_file=None,
  secret_key=TEST_SECRET_KEY, organization_id=None, project_id=None, quotas=True,
  subprocess=False)``; ``subprocess=True`` runs ``python -m tui.emulator.server`` instead
  (an ``EmulatorProcess`` with ``.url``, ``.kill()`` = SIGKILL). All are stopped after the test.
- ``control_sync(url, method, path, body)`` (tui.emulator.testing) calls the control API of a
  served emulator from synchronous code.

Constants: ``TEST_SECRET_KEY`` (a UUID), ``TEST_ACCESS_KEY`` (``SCW`` + 17 chars) from
``tui.emulator.testing``; ``DEFAULT_ORGANIZATION_ID`` / ``DEFAULT_PROJECT_ID`` from
``tui.emulator``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tui.emulator import create_app
from tui.emulator.testing import (
    TEST_ACCESS_KEY,
    TEST_SECRET_KEY,
    BackgroundServer,
    EmulatorControl,
    EmulatorProcess,
    control_sync,
)
from tui.emulator.testing import (
    asgi_client as _asgi_client,
)

__all__ = ["TEST_ACCESS_KEY", "TEST_SECRET_KEY", "control_sync"]


@pytest.fixture
def emulator_app() -> Starlette:
    """A fresh in-process emulator with the deterministic demo seed."""
    return create_app(seed="demo")


@pytest.fixture
def empty_emulator_app() -> Starlette:
    """A fresh in-process emulator with no resources."""
    return create_app(seed="empty")


@pytest.fixture
async def asgi_client() -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """Factory ``(app, secret_key=TEST_SECRET_KEY) -> httpx.AsyncClient`` (closed after)."""
    made: list[httpx.AsyncClient] = []

    def factory(app: Starlette, secret_key: str | None = TEST_SECRET_KEY) -> httpx.AsyncClient:
        client = _asgi_client(app, secret_key=secret_key)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def emulator_client(emulator_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with _asgi_client(emulator_app) as client:
        yield client


@pytest.fixture
async def empty_emulator_client(
    empty_emulator_app: Starlette,
) -> AsyncIterator[httpx.AsyncClient]:
    async with _asgi_client(empty_emulator_app) as client:
        yield client


@pytest.fixture
async def emulator_control(emulator_app: Starlette) -> AsyncIterator[EmulatorControl]:
    async with EmulatorControl.for_app(emulator_app) as control:
        yield control


@pytest.fixture
def emulator_server_factory() -> Iterator[Callable[..., Any]]:
    """Start emulators over loopback HTTP; each is stopped after the test."""
    started: list[BackgroundServer | EmulatorProcess] = []

    def factory(
        seed: str = "empty",
        speed: float = 1.0,
        state_file: str | None = None,
        secret_key: str | None = TEST_SECRET_KEY,
        organization_id: str | None = None,
        project_id: str | None = None,
        quotas: bool = True,
        subprocess: bool = False,
    ) -> BackgroundServer | EmulatorProcess:
        server: BackgroundServer | EmulatorProcess
        if subprocess:
            args = ["--seed", seed, "--speed", str(speed)]
            if state_file:
                args += ["--state", str(state_file)]
            if organization_id:
                args += ["--organization-id", organization_id]
            if project_id:
                args += ["--project-id", project_id]
            if not quotas:
                args.append("--no-quotas")
            server = EmulatorProcess(*args, secret_key=secret_key)
        else:
            app = create_app(
                seed=seed,
                speed=speed,
                state_file=state_file,
                secret_key=secret_key,
                organization_id=organization_id,
                project_id=project_id,
                quotas=quotas,
            )
            server = BackgroundServer(app, secret_key=secret_key).start()
        started.append(server)
        return server

    yield factory
    for server in reversed(started):
        server.stop()


@pytest.fixture
def emulator_server(emulator_server_factory: Callable[..., Any]) -> BackgroundServer:
    """A demo-seeded emulator on 127.0.0.1:<free port>, key ``TEST_SECRET_KEY`` required."""
    server: BackgroundServer = emulator_server_factory(seed="demo")
    return server
