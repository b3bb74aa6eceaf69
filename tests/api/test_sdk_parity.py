"""For the same calls, our request equals what the official SDK `scaleway==1.8.0` sends.

Both talk to one emulator served over loopback behind a recording ASGI wrapper; each pair of
calls (SDK first, then ours with the same arguments) is compared: method, path, JSON body,
and every query parameter we send (the SDK adds its defaults, e.g. `order_by`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scaleway import Client
from scaleway.container.v1beta1 import ContainerV1Beta1API
from scaleway.container.v1beta1.types import Secret

from tests.api.support import Env, make_env
from tui.api import errors, models
from tui.emulator import DEFAULT_PROJECT_ID
from tui.emulator import seed as demo
from tui.emulator.testing import TEST_ACCESS_KEY, TEST_SECRET_KEY

EXPIRES = datetime(2031, 6, 1, 12, 30, tzinfo=UTC)
NS = demo.DEMO_NAMESPACE_ID
CT = demo.DEMO_READY_CONTAINER_ID


@pytest.fixture
def utc_local_time() -> Iterator[None]:
    """The SDK writes `expires_at` in local time (`astimezone()`); we write UTC. Same instant;
    with TZ=UTC the same text too."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def _pairs() -> list[tuple[str, Callable[[ContainerV1Beta1API], Any], Callable[[Any], Any]]]:
    ct_fields_sdk = {
        "environment_variables": {"A": "1"},
        "min_scale": 1,
        "max_scale": 4,
        "memory_limit": 512,
        "cpu_limit": 280,
        "description": "parity",
        "registry_image": "rg.fr-par.scw.cloud/shop/parity:1",
        "max_concurrency": 20,
        "port": 8081,
        "secret_environment_variables": [Secret(key="S", value="v1"), Secret(key="T", value=None)],
    }
    ct_fields_ours = {
        **ct_fields_sdk,
        "secret_environment_variables": [
            models.SecretInput(key="S", value="v1"),
            models.SecretInput(key="T"),
        ],
    }
    enums = {"privacy": "private", "protocol": "h2c", "http_option": "redirected"}
    return [
        (
            "create_namespace",
            lambda s: s.create_namespace(
                name="parity-ns",
                description="d",
                environment_variables={"K": "v"},
                project_id=DEFAULT_PROJECT_ID,
                secret_environment_variables=[Secret(key="S", value="x")],
            ),
            lambda c: c.create_namespace(
                name="parity-ns",
                description="d",
                environment_variables={"K": "v"},
                project_id=DEFAULT_PROJECT_ID,
                secret_environment_variables={"S": "x"},
            ),
        ),
        (
            "create_namespace minimal",
            lambda s: s.create_namespace(name="parity-min"),
            lambda c: c.create_namespace(name="parity-min"),
        ),
        (
            "update_namespace",
            lambda s: s.update_namespace(
                namespace_id=NS,
                description="",
                environment_variables={},
                secret_environment_variables=[Secret(key="S", value=None)],
            ),
            lambda c: c.update_namespace(
                namespace_id=NS,
                description="",
                environment_variables={},
                secret_environment_variables={"S": None},
            ),
        ),
        (
            "create_container",
            lambda s: s.create_container(
                namespace_id=NS, name="parity-ct", timeout="60s", **enums, **ct_fields_sdk
            ),
            lambda c: c.create_container(
                namespace_id=NS,
                name="parity-ct",
                timeout=timedelta(seconds=60),
                **enums,
                **ct_fields_ours,
            ),
        ),
        (
            "update_container",
            lambda s: s.update_container(
                container_id=CT, timeout="2.5s", redeploy=False, **enums, **ct_fields_sdk
            ),
            lambda c: c.update_container(
                container_id=CT, timeout=2.5, redeploy=False, **enums, **ct_fields_ours
            ),
        ),
        (
            "deploy_container",
            lambda s: s.deploy_container(container_id=demo.DEMO_CREATED_CONTAINER_ID),
            lambda c: c.deploy_container(container_id=demo.DEMO_CREATED_CONTAINER_ID),
        ),
        (
            "create_cron",
            lambda s: s.create_cron(
                container_id=CT,
                schedule="*/10 * * * *",
                args={"a": [1, {"b": None}]},
                name="parity-cron",
            ),
            lambda c: c.create_cron(
                container_id=CT,
                schedule="*/10 * * * *",
                args={"a": [1, {"b": None}]},
                name="parity-cron",
            ),
        ),
        (
            "update_cron",
            lambda s: s.update_cron(
                cron_id=demo.DEMO_CRON_ID,
                schedule="0 3 * * *",
                args={},
                name="renamed",
                container_id=CT,
            ),
            lambda c: c.update_cron(
                cron_id=demo.DEMO_CRON_ID,
                schedule="0 3 * * *",
                args={},
                name="renamed",
                container_id=CT,
            ),
        ),
        (
            "create_domain",
            lambda s: s.create_domain(hostname="parity.example.com", container_id=CT),
            lambda c: c.create_domain(hostname="parity.example.com", container_id=CT),
        ),
        (
            "create_token container",
            lambda s: s.create_token(container_id=CT, description="ci", expires_at=EXPIRES),
            lambda c: c.create_token(container_id=CT, description="ci", expires_at=EXPIRES),
        ),
        (
            "create_token namespace",
            lambda s: s.create_token(namespace_id=NS),
            lambda c: c.create_token(namespace_id=NS),
        ),
        (
            "issue_jwt",
            lambda s: s.issue_jwt(container_id=CT, expires_at=EXPIRES),
            lambda c: c.issue_jwt(container_id=CT, expires_at=EXPIRES),
        ),
        (
            "list_namespaces",
            lambda s: s.list_namespaces(page=2, page_size=5, name="shop", order_by="name_desc"),
            lambda c: c.list_namespaces(page=2, page_size=5, name="shop", order_by="name_desc"),
        ),
        (
            "list_containers",
            lambda s: s.list_containers(namespace_id=NS, page_size=3),
            lambda c: c.list_containers(namespace_id=NS, page_size=3),
        ),
        (
            "list_logs",
            lambda s: s.list_logs(container_id=CT, order_by="timestamp_asc", page=1),
            lambda c: c.list_logs(container_id=CT, order_by="timestamp_asc", page=1),
        ),
        (
            "list_crons",
            lambda s: s.list_crons(container_id=CT),
            lambda c: c.list_crons(container_id=CT),
        ),
        (
            "list_domains",
            lambda s: s.list_domains(container_id=CT, order_by="hostname_asc"),
            lambda c: c.list_domains(container_id=CT, order_by="hostname_asc"),
        ),
        (
            "list_tokens",
            lambda s: s.list_tokens(namespace_id=NS),
            lambda c: c.list_tokens(namespace_id=NS),
        ),
        (
            "get_namespace",
            lambda s: s.get_namespace(namespace_id=NS),
            lambda c: c.get_namespace(namespace_id=NS),
        ),
        (
            "get_container",
            lambda s: s.get_container(container_id=CT),
            lambda c: c.get_container(container_id=CT),
        ),
        (
            "get_cron",
            lambda s: s.get_cron(cron_id=demo.DEMO_CRON_ID),
            lambda c: c.get_cron(cron_id=demo.DEMO_CRON_ID),
        ),
        (
            "get_domain",
            lambda s: s.get_domain(domain_id=demo.DEMO_DOMAIN_ID),
            lambda c: c.get_domain(domain_id=demo.DEMO_DOMAIN_ID),
        ),
        (
            "get_token",
            lambda s: s.get_token(token_id=demo.DEMO_TOKEN_ID),
            lambda c: c.get_token(token_id=demo.DEMO_TOKEN_ID),
        ),
        (
            "delete_token",
            lambda s: s.delete_token(token_id=demo.DEMO_NAMESPACE_TOKEN_ID),
            lambda c: c.delete_token(token_id=demo.DEMO_NAMESPACE_TOKEN_ID),
        ),
        (
            "delete_domain",
            lambda s: s.delete_domain(domain_id=demo.DEMO_ERROR_DOMAIN_ID),
            lambda c: c.delete_domain(domain_id=demo.DEMO_ERROR_DOMAIN_ID),
        ),
        (
            "delete_cron",
            lambda s: s.delete_cron(cron_id=demo.DEMO_HEARTBEAT_CRON_ID),
            lambda c: c.delete_cron(cron_id=demo.DEMO_HEARTBEAT_CRON_ID),
        ),
        (
            "delete_container",
            lambda s: s.delete_container(container_id=demo.DEMO_ERROR_CONTAINER_ID),
            lambda c: c.delete_container(container_id=demo.DEMO_ERROR_CONTAINER_ID),
        ),
        (
            "delete_namespace",
            lambda s: s.delete_namespace(namespace_id=demo.DEMO_TOOLS_NAMESPACE_ID),
            lambda c: c.delete_namespace(namespace_id=demo.DEMO_TOOLS_NAMESPACE_ID),
        ),
    ]


async def test_requests_equal_the_official_sdk(utc_local_time: None) -> None:
    env, close = await make_env("loopback", secret_key=TEST_SECRET_KEY)
    try:
        await _compare_all(env)
    finally:
        await close()


async def _compare_all(env: Env) -> None:
    sdk = ContainerV1Beta1API(
        Client(
            access_key=TEST_ACCESS_KEY,
            secret_key=TEST_SECRET_KEY,
            api_url=env.url,
            default_region="fr-par",
        )
    )
    compared = []
    for name, sdk_call, our_call in _pairs():
        start = len(env.recorder.requests)
        # The requests are compared, not the answers: our identical call often gets e.g.
        # already_exists or transient_state because the SDK's call got there first.
        with contextlib.suppress(Exception):
            await asyncio.to_thread(sdk_call, sdk)
        with contextlib.suppress(errors.ApiError):
            await our_call(env.client)
        theirs, ours = env.recorder.requests[start:]
        assert (ours.method, ours.path) == (theirs.method, theirs.path), name
        if name == "issue_jwt":
            # GET query: the SDK writes str(datetime) ("2031-06-01 12:30:00+00:00"), we write
            # RFC 3339 with "T"; the API reads both. Same instant.
            their_q, our_q = dict(theirs.query), dict(ours.query)
            assert models.parse_datetime(our_q.pop("expires_at")) == models.parse_datetime(
                their_q.pop("expires_at")
            )
            assert our_q == their_q
        else:
            assert set(ours.query) <= set(theirs.query), (name, ours.query, theirs.query)
        if theirs.method in ("GET", "DELETE"):
            assert ours.body == theirs.body == b"", name
        else:
            assert ours.json() == theirs.json(), (name, ours.json(), theirs.json())
        assert ours.headers["x-auth-token"] == theirs.headers["x-auth-token"]
        compared.append(name)
    assert len(compared) == len(_pairs())
