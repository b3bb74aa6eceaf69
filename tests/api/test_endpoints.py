"""Every endpoint of the API page, against the real emulator, in process and over loopback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from tests.api.support import Env
from tui import __version__
from tui.api import errors, models
from tui.emulator import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID
from tui.emulator import seed as demo

FAST = {"interval": 0.02, "max_interval": 0.05, "timeout": 10.0}


async def statuses(env: Env, kind: str, resource_id: str, region: str | None = None) -> list[str]:
    return [
        s
        async for s in env.client.wait_for_status(kind, resource_id, region=region, **FAST)  # type: ignore[arg-type]
    ]


async def test_namespaces(env: Env) -> None:
    client = env.client
    listed = await client.list_namespaces()
    assert {n.name for n in listed.namespaces} == {
        demo.DEMO_NAMESPACE_NAME,
        demo.DEMO_TOOLS_NAMESPACE_NAME,
    }
    assert listed.total_count == 2
    ams = await client.list_namespaces(region="nl-ams")
    assert [n.id for n in ams.namespaces] == [demo.DEMO_AMS_NAMESPACE_ID]
    shop = await client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)
    assert shop.name == demo.DEMO_NAMESPACE_NAME and shop.region == "fr-par"
    by_name = await client.list_namespaces(name=demo.DEMO_TOOLS_NAMESPACE_NAME)
    assert [n.id for n in by_name.namespaces] == [demo.DEMO_TOOLS_NAMESPACE_ID]
    assert (await client.list_namespaces(project_id=DEFAULT_PROJECT_ID)).total_count == 2
    assert (await client.list_namespaces(organization_id=DEFAULT_ORGANIZATION_ID)).total_count == 2

    created = await client.create_namespace(
        name="billing",
        description="invoices",
        environment_variables={"MODE": "prod"},
        secret_environment_variables={"DB_PASSWORD": "hunter2", "API_KEY": SecretStr("k-123")},
    )
    assert created.status in ("pending", "creating")
    assert created.environment_variables == {"MODE": "prod"}
    assert sorted(s.key for s in created.secret_environment_variables) == ["API_KEY", "DB_PASSWORD"]
    assert created.project_id == DEFAULT_PROJECT_ID
    assert await statuses(env, "namespace", created.id) == [created.status, "ready"]
    ready = await client.get_namespace(namespace_id=created.id)
    assert ready.registry_endpoint and ready.registry_namespace_id

    updated = await client.update_namespace(
        namespace_id=created.id,
        description="",
        environment_variables={"MODE": "dev"},
        secret_environment_variables=[models.SecretInput(key="API_KEY")],  # delete one
    )
    assert updated.description in ("", None)
    assert updated.environment_variables == {"MODE": "dev"}
    assert [s.key for s in updated.secret_environment_variables] == ["DB_PASSWORD"]

    deleted = await client.delete_namespace(namespace_id=created.id)
    assert deleted.status == "deleting"
    assert await statuses(env, "namespace", created.id) == ["deleting", models.STATUS_DELETED]
    with pytest.raises(errors.NotFoundError):
        await client.get_namespace(namespace_id=created.id)


async def test_containers_and_deploy(env: Env) -> None:
    client = env.client
    listed = await client.list_containers(namespace_id=demo.DEMO_NAMESPACE_ID)
    names = {c.name for c in listed.containers}
    assert {demo.DEMO_READY_CONTAINER_NAME, demo.DEMO_ERROR_CONTAINER_NAME} <= names
    error = await client.get_container(container_id=demo.DEMO_ERROR_CONTAINER_ID)
    assert error.status == "error" and error.error_message == demo.DEMO_ERROR_MESSAGE

    created = await client.create_container(
        namespace_id=demo.DEMO_NAMESPACE_ID,
        name="cart",
        registry_image="rg.fr-par.scw.cloud/shop/cart:1.0",
        environment_variables={"A": "1"},
        secret_environment_variables=[models.SecretInput(key="S", value=SecretStr("v"))],
        min_scale=1,
        max_scale=3,
        memory_limit=1024,
        timeout=timedelta(seconds=90),
        privacy=models.ContainerPrivacy.PRIVATE,
        protocol="h2c",
        http_option="redirected",
        port=9000,
        max_concurrency=10,
        description="the cart",
    )
    assert created.status == "created"
    assert (created.min_scale, created.max_scale, created.memory_limit) == (1, 3, 1024)
    assert created.cpu_limit == models.memory_to_cpu(1024)
    assert created.timeout == timedelta(seconds=90)
    assert (created.privacy, created.protocol, created.http_option) == (
        "private",
        "h2c",
        "redirected",
    )
    assert [s.key for s in created.secret_environment_variables] == ["S"]

    by_name = await client.list_containers(namespace_id=demo.DEMO_NAMESPACE_ID, name="cart")
    assert [c.id for c in by_name.containers] == [created.id]

    deployed = await client.deploy_container(container_id=created.id)
    assert deployed.status == "pending"
    assert await statuses(env, "container", created.id) == ["pending", "ready"]

    updated = await client.update_container(
        container_id=created.id, max_scale=4, timeout="2.5s", redeploy=True
    )
    assert updated.max_scale == 4 and updated.timeout == timedelta(seconds=2.5)
    assert (
        await statuses(env, "container", created.id)
        == [updated.status, "ready"][updated.status == "ready" :]
    )
    fetched = await client.get_container(container_id=created.id)
    assert fetched.status == "ready" and fetched.max_scale == 4

    deleted = await client.delete_container(container_id=created.id)
    assert deleted.status == "deleting"
    assert await statuses(env, "container", created.id) == ["deleting", models.STATUS_DELETED]


async def test_logs(env: Env) -> None:
    client = env.client
    cid = demo.DEMO_READY_CONTAINER_ID
    await env.control.append_logs(cid, ["first", {"message": "second", "level": "error"}])
    newest = await client.list_logs(container_id=cid, page_size=2)
    assert [log.message for log in newest.logs] == ["second", "first"]
    assert newest.logs[0].level == "error" and newest.logs[0].timestamp.tzinfo is not None
    assert newest.total_count >= 2
    oldest = await client.list_logs(container_id=cid, order_by="timestamp_asc", page_size=1)
    assert oldest.logs[0].timestamp <= newest.logs[-1].timestamp
    every = await client.list_logs_all(container_id=cid, page_size=7)
    assert len(every) == newest.total_count
    assert len({log.id for log in every}) == len(every)


async def test_crons(env: Env) -> None:
    client = env.client
    cid = demo.DEMO_READY_CONTAINER_ID
    listed = await client.list_crons(container_id=cid)
    assert demo.DEMO_CRON_ID in {c.id for c in listed.crons}
    cron = await client.create_cron(
        container_id=cid, schedule="*/5 * * * *", args={"job": "sync", "n": 3}, name="sync"
    )
    assert cron.args == {"job": "sync", "n": 3} and cron.name == "sync"
    assert await statuses(env, "cron", cron.id) == [cron.status, "ready"][cron.status == "ready" :]
    updated = await client.update_cron(cron_id=cron.id, schedule="0 * * * *", args={})
    assert updated.schedule == "0 * * * *" and updated.args == {}
    assert (await client.get_cron(cron_id=cron.id)).schedule == "0 * * * *"
    assert cron.id in {c.id for c in await client.list_crons_all(container_id=cid)}
    deleted = await client.delete_cron(cron_id=cron.id)
    assert deleted.id == cron.id
    assert (await statuses(env, "cron", cron.id))[-1] == models.STATUS_DELETED


async def test_domains(env: Env) -> None:
    client = env.client
    cid = demo.DEMO_READY_CONTAINER_ID
    listed = await client.list_domains(container_id=cid)
    assert {demo.DEMO_DOMAIN_ID, demo.DEMO_ERROR_DOMAIN_ID} <= {d.id for d in listed.domains}
    bad = await client.get_domain(domain_id=demo.DEMO_ERROR_DOMAIN_ID)
    assert bad.status == "error" and bad.error_message
    domain = await client.create_domain(hostname="cart.example.com", container_id=cid)
    assert domain.hostname == "cart.example.com"
    assert await statuses(env, "domain", domain.id) == ["pending", "ready"]
    assert (await client.get_domain(domain_id=domain.id)).status == "ready"
    ordered = await client.list_domains_all(container_id=cid, order_by="hostname_asc")
    assert [d.hostname for d in ordered] == sorted(d.hostname for d in ordered)
    await client.delete_domain(domain_id=domain.id)
    assert (await statuses(env, "domain", domain.id))[-1] == models.STATUS_DELETED


async def test_tokens_and_issue_jwt(env: Env) -> None:
    client = env.client
    cid = demo.DEMO_PRIVATE_CONTAINER_ID
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    token = await client.create_token(container_id=cid, description="ci", expires_at=expires)
    assert token.token is not None and token.token.get_secret_value()
    assert token.container_id == cid and token.namespace_id is None
    assert token.expires_at == expires
    assert (
        await statuses(env, "token", token.id) == [token.status, "ready"][token.status == "ready" :]
    )
    # The token's secret opens the private container.
    answer = await env.control.invoke(cid, token=token.token.get_secret_value())
    assert answer.status_code == 200

    ns_token = await client.create_token(namespace_id=demo.DEMO_NAMESPACE_ID)
    assert ns_token.namespace_id == demo.DEMO_NAMESPACE_ID

    by_container = await client.list_tokens(container_id=cid)
    assert token.id in {t.id for t in by_container.tokens}
    by_namespace = await client.list_tokens_all(namespace_id=demo.DEMO_NAMESPACE_ID)
    assert ns_token.id in {t.id for t in by_namespace}
    got = await client.get_token(token_id=token.id)
    assert got.id == token.id and got.description == "ci"

    jwt = await client.issue_jwt(container_id=cid, expires_at=expires)
    assert jwt.token is not None and jwt.container_id == cid
    assert jwt.expires_at == expires

    deleted = await client.delete_token(token_id=token.id)
    assert deleted.id == token.id
    assert (await statuses(env, "token", token.id))[-1] == models.STATUS_DELETED
    with pytest.raises(ValueError):
        await client.create_token(container_id=cid, namespace_id=demo.DEMO_NAMESPACE_ID)


async def test_default_region_and_per_call_region(env: Env) -> None:
    from tui.api import ContainersClient

    ams_client = ContainersClient(
        api_url=env.url,
        secret_key=env.client._http._secret_key,
        region="nl-ams",
        transport=env.client._http._http._transport if env.kind == "asgi" else None,
    )
    async with ams_client:
        names = [n.name for n in (await ams_client.list_namespaces()).namespaces]
        assert names == [demo.DEMO_AMS_NAMESPACE_NAME]
        fr = await ams_client.list_namespaces(region="fr-par")
        assert fr.total_count == 2
        assert (
            await ams_client.get_container(container_id=demo.DEMO_AMS_CONTAINER_ID)
        ).region == "nl-ams"
    with pytest.raises(ValueError):
        await env.client.list_namespaces(region="mars")


async def test_wire_headers(env: Env) -> None:
    await env.client.create_namespace(name="headers-check")
    await env.client.get_namespace(namespace_id=demo.DEMO_NAMESPACE_ID)
    await env.client.deploy_container(container_id=demo.DEMO_CREATED_CONTAINER_ID)
    post, get, deploy = env.recorder.api_requests()[-3:]
    for request in (post, get, deploy):
        assert request.headers["user-agent"] == f"scw-containers/{__version__}"
        assert request.headers["x-auth-token"]
        assert request.headers["accept"] == "application/json"
    assert post.headers["content-type"] == "application/json"
    assert post.json() == {"name": "headers-check"}  # only what was set
    assert get.body == b"" and "content-type" not in get.headers
    assert deploy.json() == {}
