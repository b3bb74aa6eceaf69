"""The official SDK (scaleway==1.8.0) against the emulator served by uvicorn over loopback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from scaleway import Client
from scaleway.container.v1beta1 import (
    ContainerHttpOption,
    ContainerPrivacy,
    ContainerProtocol,
    ContainerV1Beta1API,
    ListLogsRequestOrderBy,
    Secret,
)
from scaleway_core.api import ScalewayException

from tui.emulator import DEFAULT_ORGANIZATION_ID, DEFAULT_PROJECT_ID, create_app
from tui.emulator.server import BackgroundServer
from tui.emulator.testing import TEST_ACCESS_KEY, TEST_SECRET_KEY, control_sync

SPEED = 100.0
UNKNOWN_ID = "00000000-0000-4000-8000-00000000dead"
MISSING = "00000000-0000-4000-8000-000000000404"


@dataclass
class Sdk:
    server: BackgroundServer
    api: ContainerV1Beta1API
    namespace_id: str

    def control(self, path: str, body: Any = None) -> Any:
        return control_sync(self.server.url, "POST", path, body)


def make_api(url: str, secret_key: str = TEST_SECRET_KEY) -> ContainerV1Beta1API:
    client = Client(
        access_key=TEST_ACCESS_KEY,
        secret_key=secret_key,
        api_url=url,
        default_region="fr-par",
        default_project_id=DEFAULT_PROJECT_ID,
        default_organization_id=DEFAULT_ORGANIZATION_ID,
    )
    return ContainerV1Beta1API(client)


@pytest.fixture(scope="module")
def sdk() -> Iterator[Sdk]:
    app = create_app(speed=SPEED, secret_key=TEST_SECRET_KEY)
    with BackgroundServer(app, secret_key=TEST_SECRET_KEY) as server:
        api = make_api(server.url)
        namespace = api.create_namespace(name="sdk-shared", environment_variables={"A": "1"})
        assert namespace.status == "pending"
        assert namespace.registry_endpoint == ""
        namespace = api.wait_for_namespace(namespace_id=namespace.id)
        assert namespace.status == "ready"
        assert namespace.registry_endpoint.startswith("rg.fr-par.scw.cloud/funcscw")
        yield Sdk(server, api, namespace.id)


def create_container(sdk: Sdk, name: str, **options: Any) -> Any:
    options.setdefault("privacy", ContainerPrivacy.UNKNOWN_PRIVACY)
    options.setdefault("protocol", ContainerProtocol.UNKNOWN_PROTOCOL)
    options.setdefault("http_option", ContainerHttpOption.UNKNOWN_HTTP_OPTION)
    return sdk.api.create_container(namespace_id=sdk.namespace_id, name=name, **options)


def update_container(sdk: Sdk, container_id: str, **options: Any) -> Any:
    options.setdefault("privacy", ContainerPrivacy.UNKNOWN_PRIVACY)
    options.setdefault("protocol", ContainerProtocol.UNKNOWN_PROTOCOL)
    options.setdefault("http_option", ContainerHttpOption.UNKNOWN_HTTP_OPTION)
    return sdk.api.update_container(container_id=container_id, **options)


def wait_gone(get: Callable[[], Any], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get()
        except ScalewayException as exc:
            assert exc.status_code == 404
            return
        time.sleep(0.05)
    raise AssertionError("resource still there")


def error_json(call: Callable[[], Any]) -> tuple[int, dict[str, Any]]:
    with pytest.raises(ScalewayException) as info:
        call()
    response = info.value.response
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Request-Id"]
    body: dict[str, Any] = response.json()
    return response.status_code, body


def test_container_create_deploy_wait_ready_and_logs(sdk: Sdk) -> None:
    container = create_container(sdk, "web", registry_image="nginx:1.27", timeout="2.5s")
    assert container.status == "created"
    assert container.timeout == "2.5s"
    assert (container.min_scale, container.max_scale, container.memory_limit) == (0, 5, 2048)
    assert container.cpu_limit == 1120
    assert container.privacy == "public" and container.protocol == "http1"
    assert container.port == 8080 and container.max_concurrency == 50
    assert container.http_option == "enabled"
    assert container.domain_name.endswith("-web.functions.fnc.fr-par.scw.cloud")
    deployed = sdk.api.deploy_container(container_id=container.id)
    assert deployed.status == "pending"
    ready = sdk.api.wait_for_container(container_id=container.id)
    assert ready.status == "ready"
    assert ready.error_message is None

    newest_first = sdk.api.list_logs_all(container_id=container.id)
    oldest_first = sdk.api.list_logs_all(
        container_id=container.id, order_by=ListLogsRequestOrderBy.TIMESTAMP_ASC
    )
    assert [x.id for x in newest_first] == [x.id for x in reversed(oldest_first)]
    messages = [x.message for x in oldest_first]
    assert messages[0] == "Container web created"
    assert any("Pulling image nginx:1.27" in m for m in messages)
    assert messages[-1] == "Container web is ready"
    stamps = [(x.timestamp, x.id) for x in oldest_first]
    assert stamps == sorted(stamps)


def test_unpullable_image_ends_in_error_with_message(sdk: Sdk) -> None:
    broken = create_container(sdk, "broken", registry_image="registry.example.com/app:missing")
    sdk.api.deploy_container(container_id=broken.id)
    result = sdk.api.wait_for_container(container_id=broken.id)
    assert result.status == "error"
    assert result.error_message and "registry.example.com/app:missing" in result.error_message

    # An image marked missing through the control API fails the same way.
    image = "registry.example.com/other:1.0"
    sdk.control("images/missing", {"image": image, "missing": True})
    other = create_container(sdk, "other", registry_image=image)
    sdk.api.deploy_container(container_id=other.id)
    assert sdk.api.wait_for_container(container_id=other.id).status == "error"
    logs = sdk.api.list_logs(container_id=other.id).logs
    assert logs[0].level == "error" and logs[0].stream == "stderr"


def test_env_and_secret_updates(sdk: Sdk) -> None:
    container = create_container(
        sdk,
        "secrets",
        registry_image="nginx:latest",
        environment_variables={"MODE": "a"},
        secret_environment_variables=[
            Secret(key="TOKEN", value="s3cret"),
            Secret(key="OTHER", value="x"),
        ],
    )
    hashed = {s.key: s.hashed_value for s in container.secret_environment_variables}
    assert set(hashed) == {"TOKEN", "OTHER"}
    assert all(h and "s3cret" not in h for h in hashed.values())
    sdk.api.deploy_container(container_id=container.id)
    sdk.api.wait_for_container(container_id=container.id)

    updated = update_container(
        sdk,
        container.id,
        environment_variables={"MODE": "b", "EXTRA": "1"},
        secret_environment_variables=[
            Secret(key="OTHER", value=None),
            Secret(key="NEW", value="n"),
        ],
    )
    assert updated.status == "pending"  # an update redeploys
    assert updated.environment_variables == {"MODE": "b", "EXTRA": "1"}
    keys = {s.key: s.hashed_value for s in updated.secret_environment_variables}
    assert set(keys) == {"TOKEN", "NEW"}  # OTHER deleted by a key without value
    assert keys["TOKEN"] == hashed["TOKEN"]  # unchanged keys stay
    ready = sdk.api.wait_for_container(container_id=container.id)
    assert ready.status == "ready"
    raw = httpx.get(
        f"{sdk.server.url}/containers/v1beta1/regions/fr-par/containers/{container.id}",
        headers={"X-Auth-Token": TEST_SECRET_KEY},
    ).text
    assert "s3cret" not in raw and '"n"' not in raw


def test_cron_domain_token_crud_with_waits(sdk: Sdk) -> None:
    container = create_container(sdk, "children", registry_image="nginx:latest")
    api = sdk.api

    cron = api.create_cron(container_id=container.id, schedule="*/5 * * * *", args={"a": 1})
    assert cron.status == "creating"
    assert api.wait_for_cron(cron_id=cron.id).status == "ready"
    assert api.get_cron(cron_id=cron.id).args == {"a": 1}
    assert [c.id for c in api.list_crons_all(container_id=container.id)] == [cron.id]
    updated = api.update_cron(cron_id=cron.id, schedule="0 * * * *", name="hourly")
    assert (updated.schedule, updated.name) == ("0 * * * *", "hourly")
    assert api.delete_cron(cron_id=cron.id).status == "deleting"
    wait_gone(lambda: api.get_cron(cron_id=cron.id))

    domain = api.create_domain(hostname="app.example.org", container_id=container.id)
    assert domain.status == "pending" and domain.url == "https://app.example.org"
    assert api.wait_for_domain(domain_id=domain.id).status == "ready"
    assert api.get_domain(domain_id=domain.id).hostname == "app.example.org"
    assert [d.id for d in api.list_domains_all(container_id=container.id)] == [domain.id]
    assert api.delete_domain(domain_id=domain.id).status == "deleting"
    wait_gone(lambda: api.get_domain(domain_id=domain.id))

    token = api.create_token(container_id=container.id, description="ci")
    assert token.token  # readable once, at creation
    assert api.wait_for_token(token_id=token.id).status == "ready"
    fetched = api.get_token(token_id=token.id)
    assert fetched.token is None and fetched.description == "ci"
    assert [t.id for t in api.list_tokens_all(container_id=container.id)] == [token.id]
    assert api.delete_token(token_id=token.id).status == "deleting"
    wait_gone(lambda: api.get_token(token_id=token.id))

    jwt = api.issue_jwt(namespace_id=sdk.namespace_id)
    assert jwt.token and jwt.namespace_id == sdk.namespace_id


def test_every_list_all_across_more_than_two_pages(sdk: Sdk) -> None:
    api = sdk.api
    count = 45  # the default page size is 20: three pages
    namespace = api.create_namespace(name="pages")
    sdk.control(f"status/{namespace.id}", {"status": "ready"})
    names = [f"p{i:02d}" for i in range(count)]
    created = [
        api.create_container(
            namespace_id=namespace.id,
            name=name,
            privacy=ContainerPrivacy.UNKNOWN_PRIVACY,
            protocol=ContainerProtocol.UNKNOWN_PROTOCOL,
            http_option=ContainerHttpOption.UNKNOWN_HTTP_OPTION,
        )
        for name in names
    ]
    assert [c.name for c in api.list_containers_all(namespace_id=namespace.id)] == names
    parent = created[0].id
    crons = [api.create_cron(container_id=parent, schedule="0 0 * * *") for _ in range(count)]
    domains = [
        api.create_domain(hostname=f"d{i}.example.net", container_id=parent) for i in range(count)
    ]
    tokens = [api.create_token(container_id=parent) for _ in range(count)]
    sdk.control(f"containers/{parent}/logs", {"lines": [{"message": f"l{i}"} for i in range(50)]})
    extra_namespaces = [api.create_namespace(name=f"page-ns-{i:02d}").id for i in range(count)]

    assert [c.id for c in api.list_crons_all(container_id=parent)] == [c.id for c in crons]
    assert [d.id for d in api.list_domains_all(container_id=parent)] == [d.id for d in domains]
    assert [t.id for t in api.list_tokens_all(container_id=parent)] == [t.id for t in tokens]
    logs = api.list_logs_all(container_id=parent)
    assert len(logs) == 51  # "created" + 50 appended
    assert logs[0].message == "l49"
    all_namespaces = [n.id for n in api.list_namespaces_all()]
    assert set(extra_namespaces) <= set(all_namespaces)
    assert len(all_namespaces) == len(set(all_namespaces))
    small_pages = api.list_namespaces_all(page_size=7, name="page-ns-")
    assert [n.id for n in small_pages] == extra_namespaces


def test_namespace_delete_removes_children(sdk: Sdk) -> None:
    api = sdk.api
    namespace = api.create_namespace(name="doomed")
    sdk.control(f"status/{namespace.id}", {"status": "ready"})
    container = api.create_container(
        namespace_id=namespace.id,
        name="child",
        privacy=ContainerPrivacy.UNKNOWN_PRIVACY,
        protocol=ContainerProtocol.UNKNOWN_PROTOCOL,
        http_option=ContainerHttpOption.UNKNOWN_HTTP_OPTION,
    )
    cron = api.create_cron(container_id=container.id, schedule="* * * * *")
    domain = api.create_domain(hostname="doomed.example.com", container_id=container.id)
    token = api.create_token(container_id=container.id)
    ns_token = api.create_token(namespace_id=namespace.id)

    deleting = api.delete_namespace(namespace_id=namespace.id)
    assert deleting.status == "deleting"
    assert api.get_container(container_id=container.id).status == "deleting"
    wait_gone(lambda: api.get_namespace(namespace_id=namespace.id))
    for get in (
        lambda: api.get_container(container_id=container.id),
        lambda: api.get_cron(cron_id=cron.id),
        lambda: api.get_domain(domain_id=domain.id),
        lambda: api.get_token(token_id=token.id),
        lambda: api.get_token(token_id=ns_token.id),
    ):
        status, body = error_json(get)
        assert status == 404 and body["type"] == "not_found"


def test_each_4xx_carries_the_documented_json(sdk: Sdk) -> None:
    api = sdk.api
    status, body = error_json(lambda: api.create_namespace(name="Bad_Name"))
    assert status == 400 and body["type"] == "invalid_arguments"
    assert body["details"][0]["argument_name"] == "name"
    assert body["details"][0]["reason"] in ("format", "constraint")
    assert body["details"][0]["help_message"]

    status, body = error_json(lambda: api.get_namespace(namespace_id=MISSING))
    assert status == 404
    assert body == {
        "type": "not_found",
        "message": body["message"],
        "resource": "namespace",
        "resource_id": MISSING,
    }

    status, body = error_json(lambda: api.create_namespace(name="sdk-shared"))
    assert status == 409 and body["type"] == "already_exists"
    assert body["resource"] == "namespace" and body["resource_id"] == sdk.namespace_id
    assert body["help_message"]

    container = create_container(sdk, "busy", registry_image="nginx:latest")
    api.deploy_container(container_id=container.id)
    status, body = error_json(lambda: api.deploy_container(container_id=container.id))
    assert status == 409
    assert body["type"] == "transient_state"
    assert (body["resource"], body["resource_id"], body["current_state"]) == (
        "container",
        container.id,
        "pending",
    )

    wrong_key = make_api(sdk.server.url, secret_key="99999999-2222-4333-8444-555555555555")
    status, body = error_json(lambda: wrong_key.list_namespaces())
    assert status == 401 and body["type"] == "denied_authentication"
    assert body["method"] == "api_key" and body["reason"]

    demo_locked = create_container(sdk, "locked-one", registry_image="nginx:latest")
    sdk.control(f"status/{demo_locked.id}", {"status": "locked"})
    status, body = error_json(lambda: api.deploy_container(container_id=demo_locked.id))
    assert status == 423 and body["type"] == "locked" and body["resource_id"] == demo_locked.id
