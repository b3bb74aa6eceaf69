"""Bad requests: the right status, JSON naming the field, and no change to the state."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tui.emulator import create_app
from tui.emulator.testing import EmulatorControl, asgi_client

API = "/containers/v1beta1/regions/fr-par"
UNKNOWN = "00000000-0000-4000-8000-00000000beef"


@dataclass
class World:
    client: httpx.AsyncClient
    app: Any
    ns: str
    ready: str
    pending: str
    cron_deleting: str
    pending_ns: str


def snapshot(app: Any) -> str:
    data = app.state.emulator.to_json()
    data.pop("clock")
    return json.dumps(data, sort_keys=True)


@pytest.fixture
async def world() -> Any:
    app = create_app(seed="empty")
    async with asgi_client(app) as client, EmulatorControl.for_app(app) as control:
        await control.freeze()
        ns = (await client.post(f"{API}/namespaces", json={"name": "shop"})).json()["id"]
        await control.force_status(ns, "ready")
        pending_ns = (await client.post(f"{API}/namespaces", json={"name": "fresh"})).json()["id"]

        async def container(name: str) -> str:
            body = {"namespace_id": ns, "name": name, "registry_image": "nginx:latest"}
            response = await client.post(f"{API}/containers", json=body)
            assert response.status_code == 200, response.text
            cid: str = response.json()["id"]
            return cid

        ready = await container("web")
        await control.force_status(ready, "ready")
        pending = await container("busy")
        await client.post(f"{API}/containers/{pending}/deploy", json={})
        await client.post(
            f"{API}/domains", json={"hostname": "taken.example.com", "container_id": ready}
        )
        cron = (
            await client.post(f"{API}/crons", json={"container_id": ready, "schedule": "* * * * *"})
        ).json()["id"]
        await client.delete(f"{API}/crons/{cron}")
        yield World(client, app, ns, ready, pending, cron, pending_ns)


def container_body(w: World, **fields: Any) -> dict[str, Any]:
    return {"namespace_id": w.ns, "name": "new-one", **fields}


# (id, method, path template, body or raw bytes, status, field or error type)
CASES: list[tuple[str, str, str, Any, int, str]] = [
    ("bad-uuid", "GET", API + "/namespaces/not-a-uuid", None, 400, "namespace_id"),
    ("unknown-region", "GET", "/containers/v1beta1/regions/xx-yyy/namespaces", None, 400, "region"),
    ("name-uppercase", "POST", API + "/namespaces", {"name": "Bad_Name"}, 400, "name"),
    ("name-too-long", "POST", API + "/namespaces", {"name": "a" * 35}, 400, "name"),
    ("name-missing", "POST", API + "/namespaces", {}, 400, "name"),
    ("name-trailing-hyphen", "POST", API + "/containers", "NAME:x-", 400, "name"),
    ("duplicate-namespace", "POST", API + "/namespaces", {"name": "shop"}, 409, "already_exists"),
    ("duplicate-container", "POST", API + "/containers", "NAME:web", 409, "already_exists"),
    (
        "min-over-max",
        "POST",
        API + "/containers",
        {"min_scale": 6, "max_scale": 2},
        400,
        "min_scale",
    ),
    ("max-scale-51", "PATCH", API + "/containers/{ready}", {"max_scale": 51}, 400, "max_scale"),
    ("memory-1000", "POST", API + "/containers", {"memory_limit": 1000}, 400, "memory_limit"),
    ("cpu-7000", "POST", API + "/containers", {"cpu_limit": 7000}, 400, "cpu_limit"),
    ("port-0", "POST", API + "/containers", {"port": 0}, 400, "port"),
    ("port-70000", "POST", API + "/containers", {"port": 70000}, 400, "port"),
    ("timeout-abc", "POST", API + "/containers", {"timeout": "abc"}, 400, "timeout"),
    ("timeout-901s", "PATCH", API + "/containers/{ready}", {"timeout": "901s"}, 400, "timeout"),
    (
        "concurrency-81",
        "POST",
        API + "/containers",
        {"max_concurrency": 81},
        400,
        "max_concurrency",
    ),
    ("privacy-bogus", "POST", API + "/containers", {"privacy": "secret"}, 400, "privacy"),
    (
        "env-key",
        "POST",
        API + "/containers",
        {"environment_variables": {"1BAD": "x"}},
        400,
        "environment_variables",
    ),
    (
        "secret-too-big",
        "POST",
        API + "/containers",
        {"secret_environment_variables": [{"key": "K", "value": "x" * 65537}]},
        400,
        "secret_environment_variables",
    ),
    (
        "description-256",
        "POST",
        API + "/containers",
        {"description": "d" * 256},
        400,
        "description",
    ),
    (
        "bad-image",
        "POST",
        API + "/containers",
        {"registry_image": "Not An Image!"},
        400,
        "registry_image",
    ),
    ("broken-json", "POST", API + "/namespaces", b'{"name": "x",', 400, "body"),
    ("body-not-object", "POST", API + "/namespaces", b"[1, 2]", 400, "body"),
    ("unknown-id", "GET", API + "/containers/" + UNKNOWN, None, 404, "not_found"),
    (
        "unknown-namespace-in-body",
        "POST",
        API + "/containers",
        {"namespace_id": UNKNOWN, "name": "x"},
        404,
        "not_found",
    ),
    ("list-without-namespace", "GET", API + "/containers", None, 400, "namespace_id"),
    ("list-without-container", "GET", API + "/crons", None, 400, "container_id"),
    ("page-size-101", "GET", API + "/namespaces?page_size=101", None, 400, "page_size"),
    ("page-0", "GET", API + "/namespaces?page=0", None, 400, "page"),
    ("order-bogus", "GET", API + "/namespaces?order_by=size_asc", None, 400, "order_by"),
    (
        "deploy-while-pending",
        "POST",
        API + "/containers/{pending}/deploy",
        {},
        409,
        "transient_state",
    ),
    (
        "update-while-pending",
        "PATCH",
        API + "/containers/{pending}",
        {"port": 81},
        409,
        "transient_state",
    ),
    (
        "update-pending-namespace",
        "PATCH",
        API + "/namespaces/{pending_ns}",
        {"description": "x"},
        409,
        "transient_state",
    ),
    ("delete-deleting", "DELETE", API + "/crons/{cron_deleting}", None, 409, "transient_state"),
    (
        "cron-schedule",
        "POST",
        API + "/crons",
        {"container_id": "{ready}", "schedule": "often"},
        400,
        "schedule",
    ),
    (
        "cron-six-fields",
        "POST",
        API + "/crons",
        {"container_id": "{ready}", "schedule": "* * * * * *"},
        400,
        "schedule",
    ),
    (
        "cron-args",
        "POST",
        API + "/crons",
        {"container_id": "{ready}", "schedule": "* * * * *", "args": "x"},
        400,
        "args",
    ),
    (
        "hostname",
        "POST",
        API + "/domains",
        {"container_id": "{ready}", "hostname": "not a host"},
        400,
        "hostname",
    ),
    (
        "duplicate-hostname",
        "POST",
        API + "/domains",
        {"container_id": "{ready}", "hostname": "taken.example.com"},
        409,
        "already_exists",
    ),
    (
        "token-both-scopes",
        "POST",
        API + "/tokens",
        {"container_id": "{ready}", "namespace_id": "{ns}"},
        400,
        "container_id",
    ),
    ("token-no-scope", "POST", API + "/tokens", {"description": "x"}, 400, "container_id"),
    (
        "token-expired",
        "POST",
        API + "/tokens",
        {"container_id": "{ready}", "expires_at": "2001-01-01T00:00:00Z"},
        400,
        "expires_at",
    ),
    (
        "token-bad-date",
        "POST",
        API + "/tokens",
        {"container_id": "{ready}", "expires_at": "tomorrow"},
        400,
        "expires_at",
    ),
    ("wrong-method", "PUT", API + "/namespaces", {}, 405, "method_not_allowed"),
    (
        "unknown-route",
        "GET",
        "/containers/v1beta1/regions/fr-par/functions",
        None,
        404,
        "not_found",
    ),
]


def fill(value: Any, w: World) -> Any:
    ids = {
        "ns": w.ns,
        "ready": w.ready,
        "pending": w.pending,
        "cron_deleting": w.cron_deleting,
        "pending_ns": w.pending_ns,
    }
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, w) for k, v in value.items()}
    return value


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
async def test_bad_request_is_refused_and_changes_nothing(
    world: World, method: str, path: str, body: Any, status: int, expected: str
) -> None:
    w = world
    path = fill(path, w)
    if isinstance(body, str) and body.startswith("NAME:"):
        body = container_body(w, name=body[5:])
    elif (
        path.endswith("/containers")
        and method == "POST"
        and isinstance(body, dict)
        and "namespace_id" not in body
    ):
        body = container_body(w, **body)
    before = snapshot(w.app)
    if isinstance(body, bytes):
        response = await w.client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
    else:
        response = await w.client.request(method, path, json=fill(body, w))
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"]
    payload = response.json()
    assert isinstance(payload.get("message"), str) and payload["message"]
    if status == 400:
        assert payload["type"] == "invalid_arguments"
        detail = payload["details"][0]
        assert detail["argument_name"] == expected
        assert detail["reason"] in ("unknown", "required", "format", "constraint")
        assert detail["help_message"]
        assert expected in payload["message"]
    else:
        assert payload["type"] == expected
    if status == 404 and expected == "not_found":
        assert {"resource", "resource_id"} <= set(payload)
    if expected == "transient_state":
        assert {"resource", "resource_id", "current_state"} <= set(payload)
    if expected == "already_exists":
        assert {"resource", "resource_id", "help_message"} <= set(payload)
    assert snapshot(w.app) == before


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


async def test_several_errors_are_reported_together(world: World) -> None:
    response = await world.client.post(
        f"{API}/containers",
        json=container_body(world, port=0, memory_limit=3, timeout="x"),
    )
    assert response.status_code == 400
    names = {d["argument_name"] for d in response.json()["details"]}
    assert names == {"port", "memory_limit", "timeout"}


async def test_auth_is_required_and_checked(world: World) -> None:
    before = snapshot(world.app)
    async with asgi_client(world.app, secret_key=None) as anonymous:
        response = await anonymous.post(f"{API}/namespaces", json={"name": "anon"})
    assert response.status_code == 401
    body = response.json()
    assert body["type"] == "denied_authentication"
    assert body["method"] == "api_key"
    async with asgi_client(world.app, secret_key="not-a-uuid") as bad:
        response = await bad.get(f"{API}/namespaces")
    assert response.status_code == 401 and response.json()["reason"] == "invalid_argument"
    assert snapshot(world.app) == before


async def test_configured_secret_key_refuses_any_other() -> None:
    key = "12345678-1234-4234-8234-123456789012"
    app = create_app(secret_key=key)
    async with asgi_client(app, secret_key=key) as good:
        assert (await good.get(f"{API}/namespaces")).status_code == 200
    async with asgi_client(app) as other:  # another valid UUID
        response = await other.get(f"{API}/namespaces")
    assert response.status_code == 401
    assert response.json()["type"] == "denied_authentication"


async def test_unknown_enum_values_mean_not_set(world: World) -> None:
    response = await world.client.post(
        f"{API}/containers",
        json=container_body(
            world,
            privacy="unknown_privacy",
            protocol="unknown_protocol",
            http_option="unknown_http_option",
        ),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["privacy"], body["protocol"], body["http_option"]) == (
        "public",
        "http1",
        "enabled",
    )


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2030-01-01T12:00:00Z", "2030-01-01T12:00:00Z"),
        ("2030-01-01T13:00:00+01:00", "2030-01-01T12:00:00Z"),
        ("2030-01-01 12:00:00", "2030-01-01T12:00:00Z"),
        ("2030-01-01T12:00:00.123456789Z", "2030-01-01T12:00:00.123456Z"),
    ],
)
async def test_dates_in_every_spelling(world: World, spelling: str, expected: str) -> None:
    response = await world.client.post(
        f"{API}/tokens", json={"container_id": world.ready, "expires_at": spelling}
    )
    assert response.status_code == 200, response.text
    assert response.json()["expires_at"] == expected


@pytest.mark.parametrize("spelling", ["300s", "2.5s", "300.000000000s"])
async def test_timeout_spellings(world: World, spelling: str) -> None:
    response = await world.client.post(
        f"{API}/containers", json=container_body(world, timeout=spelling)
    )
    assert response.status_code == 200, response.text
    assert response.json()["timeout"] == {"2.5s": "2.5s"}.get(spelling, "300s")
