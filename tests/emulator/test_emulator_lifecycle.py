"""Timed lifecycle, crons, domains, tokens, invoke, logs, lists and quotas — on a frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from croniter import croniter

from tui.emulator import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID, create_app
from tui.emulator.testing import EmulatorControl, asgi_client

API = "/containers/v1beta1/regions/fr-par"
OTHER_PROJECT = "22222222-3333-4444-8555-666666666666"


@dataclass
class Env:
    app: Any
    client: httpx.AsyncClient
    control: EmulatorControl

    async def ok(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        response = await self.client.request(method, API + path, json=body, params=params or None)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        return response.json()

    async def fail(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        response = await self.client.request(method, API + path, json=body)
        assert response.status_code >= 400
        assert response.headers["content-type"] == "application/json"
        return response.status_code, response.json()

    async def namespace(self, name: str = "ns", **body: Any) -> dict[str, Any]:
        ns: dict[str, Any] = await self.ok("POST", "/namespaces", {"name": name, **body})
        await self.control.force_status(ns["id"], "ready")
        return ns

    async def container(self, ns: str, name: str = "web", **body: Any) -> dict[str, Any]:
        ct: dict[str, Any] = await self.ok(
            "POST", "/containers", {"namespace_id": ns, "name": name, **body}
        )
        return ct

    async def ready_container(self, ns: str, name: str = "web", **body: Any) -> dict[str, Any]:
        ct = await self.container(ns, name, **body)
        await self.ok("POST", f"/containers/{ct['id']}/deploy", {})
        await self.control.advance(8)
        got: dict[str, Any] = await self.ok("GET", f"/containers/{ct['id']}")
        assert got["status"] == "ready"
        return got

    async def status(self, kind: str, rid: str) -> str:
        response = await self.client.get(f"{API}/{kind}/{rid}")
        if response.status_code == 404:
            return "gone"
        status: str = response.json()["status"]
        return status

    async def logs(self, cid: str, **params: Any) -> list[dict[str, Any]]:
        result = await self.ok("GET", f"/containers/{cid}/logs", page_size=100, **params)
        lines: list[dict[str, Any]] = result["logs"]
        return lines


async def make_env(**options: Any) -> AsyncIterator[Env]:
    app = create_app(**options)
    async with asgi_client(app) as client, EmulatorControl.for_app(app) as control:
        await control.freeze()
        yield Env(app, client, control)


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    async for e in make_env():
        yield e


async def test_namespace_becomes_ready_after_two_seconds(env: Env) -> None:
    ns = await env.ok("POST", "/namespaces", {"name": "fresh", "description": "d"})
    assert ns["status"] == "pending"
    assert (ns["registry_namespace_id"], ns["registry_endpoint"]) == ("", "")
    assert ns["organization_id"] == DEFAULT_ORGANIZATION_ID
    assert ns["project_id"] == DEFAULT_PROJECT_ID
    await env.control.advance(1.9)
    assert await env.status("namespaces", ns["id"]) == "pending"
    await env.control.advance(0.2)
    ready = await env.ok("GET", f"/namespaces/{ns['id']}")
    assert ready["status"] == "ready"
    assert ready["registry_endpoint"].startswith("rg.fr-par.scw.cloud/funcscwfresh")
    assert ready["registry_namespace_id"]


async def test_deploy_pulls_for_three_seconds_then_starts_for_five(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.container(ns["id"], registry_image="nginx:latest")
    assert ct["status"] == "created"
    assert (await env.ok("POST", f"/containers/{ct['id']}/deploy", {}))["status"] == "pending"
    await env.control.advance(2.9)
    assert "Image nginx:latest pulled" not in [x["message"] for x in await env.logs(ct["id"])]
    await env.control.advance(0.2)
    assert "Image nginx:latest pulled" in [x["message"] for x in await env.logs(ct["id"])]
    await env.control.advance(4.8)  # 7.9 s
    assert await env.status("containers", ct["id"]) == "pending"
    await env.control.advance(0.2)
    assert await env.status("containers", ct["id"]) == "ready"


async def test_speed_divides_delays_but_phases_last_at_least_100ms() -> None:
    async for env in make_env(speed=4):
        ns = await env.ok("POST", "/namespaces", {"name": "quick"})
        await env.control.advance(0.49)
        assert await env.status("namespaces", ns["id"]) == "pending"
        await env.control.advance(0.02)
        assert await env.status("namespaces", ns["id"]) == "ready"
    async for env in make_env(speed=1e9):
        ns = await env.ok("POST", "/namespaces", {"name": "instant"})
        await env.control.advance(0.09)
        assert await env.status("namespaces", ns["id"]) == "pending"
        await env.control.advance(0.02)
        assert await env.status("namespaces", ns["id"]) == "ready"
        ct = await env.container(ns["id"])
        await env.ok("POST", f"/containers/{ct['id']}/deploy", {})
        await env.control.advance(0.15)  # pull 0.1 s done, start 0.1 s not yet
        assert await env.status("containers", ct["id"]) == "pending"
        await env.control.advance(0.06)
        assert await env.status("containers", ct["id"]) == "ready"


async def test_update_redeploys_but_a_created_container_stays_created(env: Env) -> None:
    ns = await env.namespace()
    created = await env.container(ns["id"], "idle")
    updated = await env.ok("PATCH", f"/containers/{created['id']}", {"memory_limit": 512})
    assert updated["status"] == "created"
    assert (updated["memory_limit"], updated["cpu_limit"]) == (512, 280)
    ct = await env.ready_container(ns["id"])
    updated = await env.ok("PATCH", f"/containers/{ct['id']}", {"description": "new"})
    assert updated["status"] == "pending"
    assert updated["description"] == "new"
    await env.control.advance(8)
    assert await env.status("containers", ct["id"]) == "ready"


async def test_update_keeps_explicit_cpu_and_validates_merged_scale(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.container(ns["id"], cpu_limit=3000, max_scale=3)
    assert ct["cpu_limit"] == 3000
    status, body = await env.fail("PATCH", f"/containers/{ct['id']}", {"min_scale": 4})
    assert status == 400 and body["details"][0]["argument_name"] == "min_scale"


async def test_unpullable_image_and_control_api_missing(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.container(ns["id"], "bad", registry_image="rg.fr-par.scw.cloud/x/y:missing")
    await env.ok("POST", f"/containers/{ct['id']}/deploy", {})
    await env.control.advance(3.1)
    got = await env.ok("GET", f"/containers/{ct['id']}")
    assert got["status"] == "error"
    assert "rg.fr-par.scw.cloud/x/y:missing" in got["error_message"]
    ok = await env.container(ns["id"], "good", registry_image="nginx:1")
    await env.control.image_missing("nginx:1")
    await env.ok("POST", f"/containers/{ok['id']}/deploy", {})
    await env.control.advance(8)
    assert await env.status("containers", ok["id"]) == "error"
    await env.control.image_missing("nginx:1", missing=False)
    redeployed = await env.ok("POST", f"/containers/{ok['id']}/deploy", {})
    assert redeployed["error_message"] is None
    await env.control.advance(8)
    assert await env.status("containers", ok["id"]) == "ready"


async def test_delete_and_cascade(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.ready_container(ns["id"])
    pending = await env.container(ns["id"], "pending")
    await env.ok("POST", f"/containers/{pending['id']}/deploy", {})
    cron = await env.ok("POST", "/crons", {"container_id": ct["id"], "schedule": "* * * * *"})
    domain = await env.ok("POST", "/domains", {"container_id": ct["id"], "hostname": "a.b.com"})
    token = await env.ok("POST", "/tokens", {"namespace_id": ns["id"]})
    # Delete is allowed mid-transition (pending), refused only when already deleting.
    assert (await env.ok("DELETE", f"/containers/{pending['id']}"))["status"] == "deleting"
    status, body = await env.fail("DELETE", f"/containers/{pending['id']}")
    assert status == 409 and body["current_state"] == "deleting"
    assert (await env.ok("DELETE", f"/namespaces/{ns['id']}"))["status"] == "deleting"
    assert await env.status("containers", ct["id"]) == "deleting"
    assert await env.status("crons", cron["id"]) == "deleting"
    await env.control.advance(2.1)
    for kind, rid in (
        ("namespaces", ns["id"]),
        ("containers", ct["id"]),
        ("containers", pending["id"]),
        ("crons", cron["id"]),
        ("domains", domain["id"]),
        ("tokens", token["id"]),
    ):
        assert await env.status(kind, rid) == "gone", kind
    assert env.app.state.emulator.counts()["log_lines"] == 0


async def test_namespace_env_change_redeploys_its_ready_containers(env: Env) -> None:
    ns = await env.namespace()
    ready = await env.ready_container(ns["id"], "ready")
    idle = await env.container(ns["id"], "idle")
    await env.ok("PATCH", f"/namespaces/{ns['id']}", {"description": "only text"})
    assert await env.status("containers", ready["id"]) == "ready"
    await env.ok("PATCH", f"/namespaces/{ns['id']}", {"environment_variables": {"X": "1"}})
    assert await env.status("containers", ready["id"]) == "pending"
    assert await env.status("containers", idle["id"]) == "created"
    await env.control.advance(8)
    assert await env.status("containers", ready["id"]) == "ready"
    await env.ok(
        "PATCH",
        f"/namespaces/{ns['id']}",
        {"secret_environment_variables": [{"key": "S", "value": "v"}]},
    )
    assert await env.status("containers", ready["id"]) == "pending"
    got = await env.ok("GET", f"/namespaces/{ns['id']}")
    assert [s["key"] for s in got["secret_environment_variables"]] == ["S"]
    assert got["secret_environment_variables"][0]["hashed_value"] != "v"


async def test_crons_fire_per_croniter_in_utc(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.ready_container(ns["id"])
    cron = await env.ok(
        "POST", "/crons", {"container_id": ct["id"], "schedule": "*/5 * * * *", "args": {"k": 1}}
    )
    assert cron["status"] == "creating" and cron["name"]
    await env.control.advance(1)
    assert await env.status("crons", cron["id"]) == "ready"
    start = datetime.fromisoformat((await env.control.call("GET", "clock"))["now"])
    await env.control.advance(3600)
    expected = []
    it = croniter("*/5 * * * *", start.astimezone(UTC))
    while (nxt := it.get_next(datetime)).timestamp() <= start.timestamp() + 3600:
        expected.append(nxt)
    fired = [
        x for x in await env.logs(ct["id"], order_by="timestamp_asc") if "Cron" in x["message"]
    ]
    assert len(fired) == len(expected) == 12
    stamps = [datetime.fromisoformat(x["timestamp"]) for x in fired]
    assert stamps == expected
    assert '{"k":1}' in fired[0]["message"]


async def test_cron_intervals_are_divided_by_speed() -> None:
    async for env in make_env(speed=60):
        ns = await env.namespace()
        ct = await env.ready_container(ns["id"])
        await env.ok("POST", "/crons", {"container_id": ct["id"], "schedule": "* * * * *"})
        await env.control.advance(1)
        await env.control.advance(10)  # 10 s at speed 60 = 10 virtual minutes
        lines = [x for x in await env.logs(ct["id"]) if x["message"].startswith("Cron")]
        assert len(lines) in (9, 10, 11)


async def test_cron_update_and_catch_up_is_bounded(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.ready_container(ns["id"])
    cron = await env.ok("POST", "/crons", {"container_id": ct["id"], "schedule": "* * * * *"})
    await env.control.advance(1)
    updated = await env.ok("PATCH", f"/crons/{cron['id']}", {"args": {"v": 2}, "name": "renamed"})
    assert updated["status"] == "pending" and updated["name"] == "renamed"
    status, body = await env.fail("PATCH", f"/crons/{cron['id']}", {"name": "again"})
    assert status == 409 and body["type"] == "transient_state"
    await env.control.advance(1)
    await env.control.advance(86400 * 7)  # a week of minutes: the backlog is skipped
    lines = [x for x in await env.logs(ct["id"]) if x["message"].startswith("Cron")]
    total = (await env.ok("GET", f"/containers/{ct['id']}/logs"))["total_count"]
    assert 0 < len(lines) <= 100 and total < 200


async def test_domains_ready_or_error_and_quota() -> None:
    async for env in make_env():
        ns = await env.namespace()
        ct = await env.container(ns["id"])
        good = await env.ok("POST", "/domains", {"container_id": ct["id"], "hostname": "A.Ex.com"})
        bad = await env.ok("POST", "/domains", {"container_id": ct["id"], "hostname": "x.invalid"})
        assert good["hostname"] == "a.ex.com" and good["status"] == "pending"
        await env.control.advance(5)
        assert await env.status("domains", good["id"]) == "ready"
        failed = await env.ok("GET", f"/domains/{bad['id']}")
        assert failed["status"] == "error" and "HTTP-01" in failed["error_message"]
        for i in range(48):
            await env.ok("POST", "/domains", {"container_id": ct["id"], "hostname": f"h{i}.io"})
        status, body = await env.fail(
            "POST", "/domains", {"container_id": ct["id"], "hostname": "one-more.io"}
        )
        assert status == 403 and body["type"] == "quotas_exceeded"
        assert body["details"][0]["quota"] == 50
        assert body["details"][0]["project_id"] == DEFAULT_PROJECT_ID
    async for env in make_env(quotas=False):
        ns = await env.namespace()
        ct = await env.container(ns["id"])
        for i in range(51):
            await env.ok("POST", "/domains", {"container_id": ct["id"], "hostname": f"h{i}.io"})


async def test_tokens_and_invoke_of_private_containers(env: Env) -> None:
    ns = await env.namespace()
    public = await env.ready_container(ns["id"], "public")
    private = await env.ready_container(ns["id"], "private", privacy="private")
    response = await env.control.invoke(public["id"], "hello", method="POST", body={"a": 1})
    assert response.status_code == 200 and response.json()["path"] == "/hello"
    assert response.headers["content-type"] == "application/json"
    denied = await env.control.invoke(private["id"])
    assert denied.status_code == 403 and denied.json()["type"] == "permissions_denied"
    assert (await env.control.invoke(private["id"], token="nope")).status_code == 403
    token = await env.ok("POST", "/tokens", {"container_id": private["id"], "description": "t"})
    assert token["status"] == "creating" and token["token"]
    assert token["namespace_id"] is None
    assert (await env.control.invoke(private["id"], token=token["token"])).status_code == 200
    other = await env.ready_container(ns["id"], "other", privacy="private")
    assert (await env.control.invoke(other["id"], token=token["token"])).status_code == 403
    ns_token = await env.ok(
        "POST", "/tokens", {"namespace_id": ns["id"], "expires_at": "2099-01-01T00:00:00Z"}
    )
    assert (await env.control.invoke(other["id"], token=ns_token["token"])).status_code == 200
    short = await env.ok("GET", "/issue-jwt", container_id=other["id"], expires_at=_in(60))
    assert short["status"] == "ready"
    assert (await env.control.invoke(other["id"], token=short["token"])).status_code == 200
    await env.control.advance(61)
    assert (await env.control.invoke(other["id"], token=short["token"])).status_code == 403
    await env.ok("DELETE", f"/tokens/{token['id']}")
    await env.control.advance(1.1)
    assert (await env.control.invoke(private["id"], token=token["token"])).status_code == 403
    listed = await env.ok("GET", "/tokens", namespace_id=ns["id"])
    assert [t["id"] for t in listed["tokens"]] == [ns_token["id"]]
    assert listed["tokens"][0]["token"] is None
    messages = [x["message"] for x in await env.logs(private["id"])]
    assert any("403" in m for m in messages) and any("GET / 200" in m for m in messages)
    idle = await env.container(ns["id"], "idle")
    assert (await env.control.invoke(idle["id"])).status_code == 503


def _in(seconds: float) -> str:
    import time

    return datetime.fromtimestamp(time.time() + seconds + 10, UTC).isoformat()


async def test_logs_order_paging_and_monotonic_ids(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.ready_container(ns["id"])
    await env.control.append_logs(
        ct["id"],
        [{"message": f"m{i}", "level": "debug", "stream": "stderr"} for i in range(30)] + ["plain"],
    )
    asc = await env.logs(ct["id"], order_by="timestamp_asc")
    desc = await env.logs(ct["id"])
    assert [x["id"] for x in desc] == [x["id"] for x in reversed(asc)]
    assert [x["id"] for x in asc] == sorted(x["id"] for x in asc)
    keys = [(x["timestamp"], x["id"]) for x in asc]
    assert keys == sorted(keys)
    assert asc[-1] | {"id": "", "timestamp": ""} == {
        "id": "",
        "timestamp": "",
        "message": "plain",
        "level": "info",
        "stream": "stdout",
        "source": "user",
    }
    total = len(asc)
    page = await env.ok("GET", f"/containers/{ct['id']}/logs", page=2, page_size=10)
    assert page["total_count"] == total
    assert [x["id"] for x in page["logs"]] == [x["id"] for x in desc[10:20]]
    past = await env.ok("GET", f"/containers/{ct['id']}/logs", page=99, page_size=10)
    assert past == {"logs": [], "total_count": total}


async def test_log_quota_per_minute() -> None:
    async for env in make_env():
        ns = await env.namespace()
        ct = await env.container(ns["id"])
        lines = [{"message": "x"}] * 15000
        await env.control.append_logs(ct["id"], lines)
        await env.control.append_logs(ct["id"], lines)
        response = await env.control.client.post(
            f"/_emulator/containers/{ct['id']}/logs", json={"lines": [{"message": "y"}]}
        )
        assert response.status_code == 403
        assert response.json()["type"] == "quotas_exceeded"
        await env.control.advance(60)
        await env.control.append_logs(ct["id"], ["z"])


async def test_lists_order_filters_and_pages(env: Env) -> None:
    names = ["delta", "alpha", "charlie", "bravo", "echo"]
    ids = [(await env.ok("POST", "/namespaces", {"name": n}))["id"] for n in names]
    other = await env.ok("POST", "/namespaces", {"name": "zulu", "project_id": OTHER_PROJECT})
    await env.client.post(
        "/containers/v1beta1/regions/nl-ams/namespaces", json={"name": "amsterdam"}
    )

    async def listed(**params: Any) -> list[str]:
        result = await env.ok("GET", "/namespaces", **params)
        return [n["name"] for n in result["namespaces"]]

    assert await listed() == [*names, "zulu"]
    assert await listed(order_by="created_at_desc") == ["zulu", *reversed(names)]
    assert await listed(order_by="name_asc") == sorted([*names, "zulu"])
    assert await listed(order_by="name_desc") == sorted([*names, "zulu"], reverse=True)
    assert await listed(project_id=DEFAULT_PROJECT_ID) == names
    assert await listed(project_id=OTHER_PROJECT) == ["zulu"]
    assert await listed(organization_id=OTHER_PROJECT) == []
    assert await listed(organization_id=DEFAULT_ORGANIZATION_ID, name="a") == [
        "delta",
        "alpha",
        "charlie",
        "bravo",
    ]
    page = await env.ok("GET", "/namespaces", page=2, page_size=4)
    assert [n["id"] for n in page["namespaces"]] == [ids[4], other["id"]]
    assert page["total_count"] == 6
    assert await env.ok("GET", "/namespaces", page=3, page_size=4) == {
        "namespaces": [],
        "total_count": 6,
    }
    # Children inherit the project of their namespace; filters apply exactly.
    await env.control.force_status(other["id"], "ready")
    await env.container(other["id"], "child")
    found = await env.ok("GET", "/containers", namespace_id=other["id"], project_id=OTHER_PROJECT)
    assert [c["name"] for c in found["containers"]] == ["child"]
    empty = await env.ok(
        "GET", "/containers", namespace_id=other["id"], project_id=DEFAULT_PROJECT_ID
    )
    assert empty == {"containers": [], "total_count": 0}
    # Another region is another world.
    response = await env.client.get(f"/containers/v1beta1/regions/nl-ams/namespaces/{ids[0]}")
    assert response.status_code == 404
    ams = await env.client.get("/containers/v1beta1/regions/nl-ams/namespaces")
    assert [n["name"] for n in ams.json()["namespaces"]] == ["amsterdam"]


async def test_namespace_quota_per_project() -> None:
    async for env in make_env():
        for i in range(100):
            await env.ok("POST", "/namespaces", {"name": f"n{i}"})
        status, body = await env.fail("POST", "/namespaces", {"name": "n100"})
        assert status == 403 and body["type"] == "quotas_exceeded"
        assert body["details"][0] == {
            "resource": "namespaces",
            "quota": 100,
            "current": 100,
            "project_id": DEFAULT_PROJECT_ID,
        }
        # Another project has its own quota.
        await env.ok("POST", "/namespaces", {"name": "n100", "project_id": OTHER_PROJECT})


async def test_container_quota_per_organization_and_no_quotas() -> None:
    for quotas in (True, False):
        async for env in make_env(quotas=quotas):
            ns = await env.namespace()
            emulator = env.app.state.emulator
            namespace = emulator.namespaces[ns["id"]]
            for i in range(1000):
                emulator.new_container(namespace, f"c{i}", at=emulator.now())
            response = await env.client.post(
                f"{API}/containers", json={"namespace_id": ns["id"], "name": "extra"}
            )
            if quotas:
                assert response.status_code == 403
                assert response.json()["type"] == "quotas_exceeded"
                assert response.json()["details"][0]["quota"] == 1000
            else:
                assert response.status_code == 200


async def test_forced_status_health_reset_and_clock(env: Env) -> None:
    ns = await env.namespace()
    ct = await env.container(ns["id"])
    forced = await env.control.force_status(ct["id"], "error", "boom")
    assert forced["resource"]["status"] == "error"
    assert forced["resource"]["error_message"] == "boom"
    response = await env.control.client.post(
        f"/_emulator/status/{ct['id']}", json={"status": "weird"}
    )
    assert response.status_code == 400
    assert response.json()["details"][0]["argument_name"] == "status"
    health = await env.control.health()
    assert health["status"] == "ok" and health["frozen"] is True
    assert health["counts"]["containers"] == 1
    clock = await env.control.call("GET", "clock")
    await env.control.advance(10)
    later = await env.control.call("GET", "clock")
    delta = datetime.fromisoformat(later["now"]) - datetime.fromisoformat(clock["now"])
    assert delta.total_seconds() == pytest.approx(10)
    await env.control.reset("demo")
    health = await env.control.health()
    assert health["seed"] == "demo" and health["frozen"] is False
    assert health["counts"]["namespaces"] == 3
    await env.control.reset()
    assert (await env.control.health())["counts"]["namespaces"] == 0


async def test_every_answer_is_json_with_a_request_id(env: Env) -> None:
    seen = set()
    for method, path in (
        ("GET", "/"),
        ("GET", "/favicon.ico"),
        ("DELETE", API + "/namespaces"),
        ("GET", "/_emulator/nothing"),
        ("DELETE", "/_emulator/health"),
        ("GET", API + "/namespaces"),
        ("OPTIONS", API + "/namespaces"),
        ("POST", "/_emulator/clock"),
    ):
        response = await env.client.request(method, path)
        assert response.headers["content-type"] == "application/json", (method, path)
        assert isinstance(response.json(), dict)
        seen.add(response.headers["x-request-id"])
    assert len(seen) == 8
