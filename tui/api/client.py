"""`ContainersClient`: every endpoint of Serverless Containers v1beta1 as a coroutine.

Method and argument names follow Scaleway's official SDK (`scaleway.container.v1beta1`),
keyword-only. Differences, all deliberate:
- truly async (one `httpx.AsyncClient`), typed pydantic models, typed errors (`errors.py`);
- `privacy`, `protocol`, `http_option` are optional (sent only when given);
- `timeout` takes a `timedelta`, seconds or a duration string and is sent as `"300s"`;
- `secret_environment_variables` takes `SecretInput`s or a `{key: value | None}` mapping;
- `create_namespace` sends the client's `default_project_id` when no `project_id` is given (the
  SDK sends none), so a namespace lands in the project the lists are filtered by;
- `iter_*` async iterators walk all pages; `*_all` collect them;
- `wait_for_status` yields each status seen until a terminal one.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from pydantic import SecretStr

from tui import __version__
from tui.api import errors, models
from tui.api._retry import RetryPolicy
from tui.api._transport import BodyModel, ClientStats, HttpTransport, Sleep

__all__ = ["DEFAULT_API_URL", "EMULATOR_SECRET_KEY", "USER_AGENT", "ContainersClient"]

DEFAULT_API_URL = "https://api.scaleway.com"
# Any UUID opens an emulator started without --secret-key; this one is used when none is given.
EMULATOR_SECRET_KEY = "00000000-0000-4000-8000-000000000000"
USER_AGENT = f"scw-containers/{__version__}"

_REGION = re.compile(r"^[a-z]{2}-[a-z]{3}$")
_API = "/containers/v1beta1/regions/{region}"
_MAX_PAGES = 10_000  # a server that never ends its pages must not hang us

M = TypeVar("M", bound=pydantic.BaseModel)
Item = TypeVar("Item", bound=models.ApiModel)

SecretsArg = Sequence[models.SecretInput] | Mapping[str, str | SecretStr | None] | None
TimeoutArg = timedelta | float | int | str | None
Kind = models.ResourceKind


class ContainersClient:
    """Async client of the Serverless Containers API v1beta1.

    Use it as `async with ContainersClient(...) as client:` or call `await client.aclose()`.
    """

    def __init__(
        self,
        *,
        api_url: str | None = None,
        secret_key: str | SecretStr | None = None,
        region: str = "fr-par",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        max_retries: int = 4,
        default_project_id: str | None = None,
        default_organization_id: str | None = None,
        retry: RetryPolicy | None = None,
        user_agent: str = USER_AGENT,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        # First of all, so that even a traceback printed with locals shows it masked.
        if isinstance(secret_key, str):
            secret_key = SecretStr(secret_key) if secret_key else None
        url = api_url or os.environ.get("SCW_API_URL") or DEFAULT_API_URL
        if not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"api_url needs a scheme and a host: {url!r}")
        self.api_url = url.rstrip("/")
        self.region = _check_region(region)
        self.default_project_id = default_project_id or None
        self.default_organization_id = default_organization_id or None
        self._has_secret_key = secret_key is not None
        if retry is None:
            retry = RetryPolicy(max_retries=max_retries)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = rng or random.Random()
        self._http = HttpTransport(
            base_url=self.api_url,
            secret_key=secret_key,
            user_agent=user_agent,
            transport=transport,
            timeout=timeout,
            retry=retry,
            sleep=self._sleep,
            rng=self._rng,
        )

    @classmethod
    def for_emulator(
        cls,
        app: Any,
        secret_key: str | SecretStr | None = None,
        region: str = "fr-par",
        **kwargs: Any,
    ) -> ContainersClient:
        """A client calling an in-process emulator app (a Starlette/ASGI app), no port."""
        return cls(
            api_url=kwargs.pop("api_url", "http://emulator"),
            secret_key=secret_key if secret_key is not None else EMULATOR_SECRET_KEY,
            region=region,
            transport=httpx.ASGITransport(app=app),
            **kwargs,
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def is_closed(self) -> bool:
        return self._http.is_closed

    @property
    def stats(self) -> ClientStats:
        return self._http.stats

    @property
    def retry_policy(self) -> RetryPolicy:
        return self._http.retry

    @property
    def has_secret_key(self) -> bool:
        return self._has_secret_key

    def __repr__(self) -> str:
        key = "set" if self._has_secret_key else "none"
        return (
            f"ContainersClient(api_url={self.api_url!r}, region={self.region!r}, secret_key={key})"
        )

    # -- plumbing ----------------------------------------------------------------------------

    def _base(self, region: str | None) -> str:
        return _API.format(region=_check_region(region or self.region))

    async def _call(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: BodyModel | Mapping[str, Any] | None = None,
    ) -> M:
        data = await self._http.request(method, path, params=params, body=body)
        return _parse(model, data, method, path)

    # -- namespaces ----------------------------------------------------------------------------

    async def list_namespaces(
        self,
        *,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        name: str | None = None,
        organization_id: str | None = None,
        project_id: str | None = None,
    ) -> models.ListNamespacesResponse:
        params = {
            "page": page,
            "page_size": page_size,
            "order_by": order_by,
            "name": name,
            "organization_id": organization_id or self.default_organization_id,
            "project_id": project_id or self.default_project_id,
        }
        return await self._call(
            models.ListNamespacesResponse, "GET", f"{self._base(region)}/namespaces", params=params
        )

    def iter_namespaces(
        self,
        *,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        name: str | None = None,
        organization_id: str | None = None,
        project_id: str | None = None,
    ) -> AsyncIterator[models.Namespace]:
        async def fetch(p: int, size: int) -> tuple[list[models.Namespace], int]:
            res = await self.list_namespaces(
                region=region,
                page=p,
                page_size=size,
                order_by=order_by,
                name=name,
                organization_id=organization_id,
                project_id=project_id,
            )
            return res.namespaces, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_namespaces_all(self, **filters: Any) -> list[models.Namespace]:
        """Every namespace matching the filters of `list_namespaces`, all pages."""
        return [item async for item in self.iter_namespaces(**filters)]

    async def get_namespace(
        self, *, namespace_id: str, region: str | None = None
    ) -> models.Namespace:
        path = f"{self._base(region)}/namespaces/{_id('namespace_id', namespace_id)}"
        return await self._call(models.Namespace, "GET", path)

    async def create_namespace(
        self,
        *,
        name: str,
        region: str | None = None,
        description: str | None = None,
        environment_variables: Mapping[str, str] | None = None,
        project_id: str | None = None,
        secret_environment_variables: SecretsArg = None,
    ) -> models.Namespace:
        # Rebound at once: a traceback printed with locals shows masked values only.
        secret_environment_variables = _secrets(secret_environment_variables)
        request = _request(
            models.CreateNamespaceRequest,
            name=name,
            description=description,
            environment_variables=_env(environment_variables),
            project_id=project_id or self.default_project_id,
            secret_environment_variables=secret_environment_variables,
        )
        return await self._call(
            models.Namespace,
            "POST",
            f"{self._base(region)}/namespaces",
            body=request,
        )

    async def update_namespace(
        self,
        *,
        namespace_id: str,
        region: str | None = None,
        environment_variables: Mapping[str, str] | None = None,
        description: str | None = None,
        secret_environment_variables: SecretsArg = None,
    ) -> models.Namespace:
        # Rebound at once: a traceback printed with locals shows masked values only.
        secret_environment_variables = _secrets(secret_environment_variables)
        request = _request(
            models.UpdateNamespaceRequest,
            environment_variables=_env(environment_variables),
            description=description,
            secret_environment_variables=secret_environment_variables,
        )
        path = f"{self._base(region)}/namespaces/{_id('namespace_id', namespace_id)}"
        return await self._call(models.Namespace, "PATCH", path, body=request)

    async def delete_namespace(
        self, *, namespace_id: str, region: str | None = None
    ) -> models.Namespace:
        path = f"{self._base(region)}/namespaces/{_id('namespace_id', namespace_id)}"
        return await self._delete(
            models.Namespace,
            path,
            lambda: self.get_namespace(namespace_id=namespace_id, region=region),
        )

    # -- containers ----------------------------------------------------------------------------

    async def list_containers(
        self,
        *,
        namespace_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        name: str | None = None,
        organization_id: str | None = None,
        project_id: str | None = None,
    ) -> models.ListContainersResponse:
        params = {
            "namespace_id": _id("namespace_id", namespace_id),
            "page": page,
            "page_size": page_size,
            "order_by": order_by,
            "name": name,
            "organization_id": organization_id or self.default_organization_id,
            "project_id": project_id or self.default_project_id,
        }
        return await self._call(
            models.ListContainersResponse, "GET", f"{self._base(region)}/containers", params=params
        )

    async def list_containers_data(
        self,
        *,
        namespace_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
    ) -> Any:
        """The decoded JSON answer of `list_containers`, not parsed into models: a poller
        compares it with its previous answer and parses only what changed
        (`parse_list_containers`), which is most of a settled round's work."""
        params = {
            "namespace_id": _id("namespace_id", namespace_id),
            "page": page,
            "page_size": page_size,
            "organization_id": self.default_organization_id,
            "project_id": self.default_project_id,
        }
        return await self._http.request("GET", f"{self._base(region)}/containers", params=params)

    def parse_list_containers(self, data: Any) -> models.ListContainersResponse:
        """An answer of `list_containers_data` as `list_containers` returns it."""
        return _parse(models.ListContainersResponse, data, "GET", "/containers")

    def iter_containers(
        self,
        *,
        namespace_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        name: str | None = None,
        organization_id: str | None = None,
        project_id: str | None = None,
    ) -> AsyncIterator[models.Container]:
        async def fetch(p: int, size: int) -> tuple[list[models.Container], int]:
            res = await self.list_containers(
                namespace_id=namespace_id,
                region=region,
                page=p,
                page_size=size,
                order_by=order_by,
                name=name,
                organization_id=organization_id,
                project_id=project_id,
            )
            return res.containers, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_containers_all(self, **filters: Any) -> list[models.Container]:
        """Every container matching the filters of `list_containers`, all pages."""
        return [item async for item in self.iter_containers(**filters)]

    async def get_container(
        self, *, container_id: str, region: str | None = None
    ) -> models.Container:
        path = f"{self._base(region)}/containers/{_id('container_id', container_id)}"
        return await self._call(models.Container, "GET", path)

    async def create_container(
        self,
        *,
        namespace_id: str,
        name: str,
        region: str | None = None,
        environment_variables: Mapping[str, str] | None = None,
        min_scale: int | None = None,
        max_scale: int | None = None,
        memory_limit: int | None = None,
        cpu_limit: int | None = None,
        timeout: TimeoutArg = None,
        privacy: str | None = None,
        description: str | None = None,
        registry_image: str | None = None,
        max_concurrency: int | None = None,
        protocol: str | None = None,
        port: int | None = None,
        secret_environment_variables: SecretsArg = None,
        http_option: str | None = None,
    ) -> models.Container:
        # Rebound at once: a traceback printed with locals shows masked values only.
        secret_environment_variables = _secrets(secret_environment_variables)
        request = _request(
            models.CreateContainerRequest,
            namespace_id=namespace_id,
            name=name,
            environment_variables=_env(environment_variables),
            min_scale=min_scale,
            max_scale=max_scale,
            memory_limit=memory_limit,
            cpu_limit=cpu_limit,
            timeout=timeout,
            privacy=privacy,
            description=description,
            registry_image=registry_image,
            max_concurrency=max_concurrency,
            protocol=protocol,
            port=port,
            secret_environment_variables=secret_environment_variables,
            http_option=http_option,
        )
        return await self._call(
            models.Container,
            "POST",
            f"{self._base(region)}/containers",
            body=request,
        )

    async def update_container(
        self,
        *,
        container_id: str,
        region: str | None = None,
        environment_variables: Mapping[str, str] | None = None,
        min_scale: int | None = None,
        max_scale: int | None = None,
        memory_limit: int | None = None,
        cpu_limit: int | None = None,
        timeout: TimeoutArg = None,
        redeploy: bool | None = None,
        privacy: str | None = None,
        description: str | None = None,
        registry_image: str | None = None,
        max_concurrency: int | None = None,
        protocol: str | None = None,
        port: int | None = None,
        secret_environment_variables: SecretsArg = None,
        http_option: str | None = None,
    ) -> models.Container:
        # Rebound at once: a traceback printed with locals shows masked values only.
        secret_environment_variables = _secrets(secret_environment_variables)
        request = _request(
            models.UpdateContainerRequest,
            environment_variables=_env(environment_variables),
            min_scale=min_scale,
            max_scale=max_scale,
            memory_limit=memory_limit,
            cpu_limit=cpu_limit,
            timeout=timeout,
            redeploy=redeploy,
            privacy=privacy,
            description=description,
            registry_image=registry_image,
            max_concurrency=max_concurrency,
            protocol=protocol,
            port=port,
            secret_environment_variables=secret_environment_variables,
            http_option=http_option,
        )
        path = f"{self._base(region)}/containers/{_id('container_id', container_id)}"
        return await self._call(models.Container, "PATCH", path, body=request)

    async def delete_container(
        self, *, container_id: str, region: str | None = None
    ) -> models.Container:
        path = f"{self._base(region)}/containers/{_id('container_id', container_id)}"
        return await self._delete(
            models.Container,
            path,
            lambda: self.get_container(container_id=container_id, region=region),
        )

    async def deploy_container(
        self, *, container_id: str, region: str | None = None
    ) -> models.Container:
        path = f"{self._base(region)}/containers/{_id('container_id', container_id)}/deploy"
        return await self._call(models.Container, "POST", path, body={})

    # -- logs ----------------------------------------------------------------------------------

    async def list_logs(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> models.ListLogsResponse:
        path = f"{self._base(region)}/containers/{_id('container_id', container_id)}/logs"
        params = {"page": page, "page_size": page_size, "order_by": order_by}
        return await self._call(models.ListLogsResponse, "GET", path, params=params)

    def iter_logs(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> AsyncIterator[models.Log]:
        async def fetch(p: int, size: int) -> tuple[list[models.Log], int]:
            res = await self.list_logs(
                container_id=container_id, region=region, page=p, page_size=size, order_by=order_by
            )
            return res.logs, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_logs_all(self, **filters: Any) -> list[models.Log]:
        return [item async for item in self.iter_logs(**filters)]

    # -- crons ---------------------------------------------------------------------------------

    async def list_crons(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> models.ListCronsResponse:
        params = {
            "container_id": _id("container_id", container_id),
            "page": page,
            "page_size": page_size,
            "order_by": order_by,
        }
        return await self._call(
            models.ListCronsResponse, "GET", f"{self._base(region)}/crons", params=params
        )

    def iter_crons(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> AsyncIterator[models.Cron]:
        async def fetch(p: int, size: int) -> tuple[list[models.Cron], int]:
            res = await self.list_crons(
                container_id=container_id, region=region, page=p, page_size=size, order_by=order_by
            )
            return res.crons, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_crons_all(self, **filters: Any) -> list[models.Cron]:
        return [item async for item in self.iter_crons(**filters)]

    async def get_cron(self, *, cron_id: str, region: str | None = None) -> models.Cron:
        path = f"{self._base(region)}/crons/{_id('cron_id', cron_id)}"
        return await self._call(models.Cron, "GET", path)

    async def create_cron(
        self,
        *,
        container_id: str,
        schedule: str,
        region: str | None = None,
        args: Mapping[str, Any] | None = None,
        name: str | None = None,
    ) -> models.Cron:
        request = _request(
            models.CreateCronRequest,
            container_id=container_id,
            schedule=schedule,
            args=dict(args) if args is not None else None,
            name=name,
        )
        return await self._call(models.Cron, "POST", f"{self._base(region)}/crons", body=request)

    async def update_cron(
        self,
        *,
        cron_id: str,
        region: str | None = None,
        container_id: str | None = None,
        schedule: str | None = None,
        args: Mapping[str, Any] | None = None,
        name: str | None = None,
    ) -> models.Cron:
        request = _request(
            models.UpdateCronRequest,
            container_id=container_id,
            schedule=schedule,
            args=dict(args) if args is not None else None,
            name=name,
        )
        path = f"{self._base(region)}/crons/{_id('cron_id', cron_id)}"
        return await self._call(models.Cron, "PATCH", path, body=request)

    async def delete_cron(self, *, cron_id: str, region: str | None = None) -> models.Cron:
        path = f"{self._base(region)}/crons/{_id('cron_id', cron_id)}"
        return await self._delete(
            models.Cron, path, lambda: self.get_cron(cron_id=cron_id, region=region)
        )

    # -- domains -------------------------------------------------------------------------------

    async def list_domains(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> models.ListDomainsResponse:
        params = {
            "container_id": _id("container_id", container_id),
            "page": page,
            "page_size": page_size,
            "order_by": order_by,
        }
        return await self._call(
            models.ListDomainsResponse, "GET", f"{self._base(region)}/domains", params=params
        )

    def iter_domains(
        self,
        *,
        container_id: str,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
    ) -> AsyncIterator[models.Domain]:
        async def fetch(p: int, size: int) -> tuple[list[models.Domain], int]:
            res = await self.list_domains(
                container_id=container_id, region=region, page=p, page_size=size, order_by=order_by
            )
            return res.domains, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_domains_all(self, **filters: Any) -> list[models.Domain]:
        return [item async for item in self.iter_domains(**filters)]

    async def get_domain(self, *, domain_id: str, region: str | None = None) -> models.Domain:
        path = f"{self._base(region)}/domains/{_id('domain_id', domain_id)}"
        return await self._call(models.Domain, "GET", path)

    async def create_domain(
        self, *, hostname: str, container_id: str, region: str | None = None
    ) -> models.Domain:
        request = _request(models.CreateDomainRequest, hostname=hostname, container_id=container_id)
        return await self._call(
            models.Domain, "POST", f"{self._base(region)}/domains", body=request
        )

    async def delete_domain(self, *, domain_id: str, region: str | None = None) -> models.Domain:
        path = f"{self._base(region)}/domains/{_id('domain_id', domain_id)}"
        return await self._delete(
            models.Domain, path, lambda: self.get_domain(domain_id=domain_id, region=region)
        )

    # -- tokens --------------------------------------------------------------------------------

    async def list_tokens(
        self,
        *,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        container_id: str | None = None,
        namespace_id: str | None = None,
    ) -> models.ListTokensResponse:
        params = {
            "page": page,
            "page_size": page_size,
            "order_by": order_by,
            "container_id": container_id,
            "namespace_id": namespace_id,
        }
        return await self._call(
            models.ListTokensResponse, "GET", f"{self._base(region)}/tokens", params=params
        )

    def iter_tokens(
        self,
        *,
        region: str | None = None,
        page: int | None = None,
        page_size: int | None = None,
        order_by: str | None = None,
        container_id: str | None = None,
        namespace_id: str | None = None,
    ) -> AsyncIterator[models.Token]:
        async def fetch(p: int, size: int) -> tuple[list[models.Token], int]:
            res = await self.list_tokens(
                region=region,
                page=p,
                page_size=size,
                order_by=order_by,
                container_id=container_id,
                namespace_id=namespace_id,
            )
            return res.tokens, res.total_count

        return _iter_pages(fetch, page, page_size)

    async def list_tokens_all(self, **filters: Any) -> list[models.Token]:
        return [item async for item in self.iter_tokens(**filters)]

    async def get_token(self, *, token_id: str, region: str | None = None) -> models.Token:
        path = f"{self._base(region)}/tokens/{_id('token_id', token_id)}"
        return await self._call(models.Token, "GET", path)

    async def create_token(
        self,
        *,
        region: str | None = None,
        container_id: str | None = None,
        namespace_id: str | None = None,
        description: str | None = None,
        expires_at: datetime | None = None,
    ) -> models.Token:
        """A revocable token; its secret value (`token.token`) is readable in this answer only."""
        request = _request(
            models.CreateTokenRequest,
            container_id=container_id,
            namespace_id=namespace_id,
            description=description,
            expires_at=expires_at,
        )
        return await self._call(models.Token, "POST", f"{self._base(region)}/tokens", body=request)

    async def delete_token(self, *, token_id: str, region: str | None = None) -> models.Token:
        path = f"{self._base(region)}/tokens/{_id('token_id', token_id)}"
        return await self._delete(
            models.Token, path, lambda: self.get_token(token_id=token_id, region=region)
        )

    async def issue_jwt(
        self,
        *,
        region: str | None = None,
        container_id: str | None = None,
        namespace_id: str | None = None,
        expires_at: datetime | None = None,
    ) -> models.Token:
        """Deprecated by the API in favour of `create_token`; kept for completeness."""
        if container_id is not None and namespace_id is not None:
            raise ValueError("give container_id or namespace_id, not both")
        params = {
            "container_id": container_id,
            "namespace_id": namespace_id,
            "expires_at": _utc_iso(expires_at) if expires_at is not None else None,
        }
        return await self._call(
            models.Token, "GET", f"{self._base(region)}/issue-jwt", params=params
        )

    # -- deletes -------------------------------------------------------------------------------

    async def _delete(
        self, model: type[Item], path: str, refetch: Callable[[], Awaitable[Item]]
    ) -> Item:
        try:
            return await self._call(model, "DELETE", path)
        except errors.TransientStateError as exc:
            # Our first DELETE went through but its answer was lost; the retry finds the
            # resource already deleting: that is the outcome asked for.
            if exc.maybe_applied and exc.current_state == "deleting":
                return await refetch()
            raise

    # -- waiting -------------------------------------------------------------------------------

    async def wait_for_status(
        self,
        kind: Kind,
        resource_id: str,
        *,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
        every_poll: bool = False,
    ) -> AsyncIterator[str]:
        """Poll a resource; yield its status each time it changes, until a terminal one.

        The first status is yielded right away (no initial sleep). Polls back off from
        `interval` to `max_interval` (×1.5 each, with jitter). `error` is yielded like any
        terminal status, not raised. A resource seen before that then answers 404 yields
        `models.STATUS_DELETED` and ends; a 404 on the first poll raises `NotFoundError`.
        Past `timeout` seconds: `errors.WaitTimeoutError` (with `last_status`). A failure of a
        poll that outlives the client's retries (connection lost, 401…) is raised as is.
        `every_poll=True` yields every observed status, repeats included.
        """
        async for status, _resource in self._watch(
            kind,
            resource_id,
            region=region,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            every_poll=every_poll,
        ):
            yield status

    async def wait_for_resource(
        self,
        kind: Kind,
        resource_id: str,
        *,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.ApiModel | None:
        """Like the SDK's `wait_for_*`: the resource in its terminal status (None if deleted)."""
        last: models.ApiModel | None = None
        async for _status, resource in self._watch(
            kind,
            resource_id,
            region=region,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
            every_poll=True,
        ):
            last = resource
        return last

    async def _watch(
        self,
        kind: Kind,
        resource_id: str,
        *,
        region: str | None,
        timeout: float,
        interval: float,
        max_interval: float,
        every_poll: bool = False,
    ) -> AsyncIterator[tuple[str, models.ApiModel | None]]:
        getters: dict[str, Callable[[], Awaitable[models.ApiModel]]] = {
            "namespace": lambda: self.get_namespace(namespace_id=resource_id, region=region),
            "container": lambda: self.get_container(container_id=resource_id, region=region),
            "cron": lambda: self.get_cron(cron_id=resource_id, region=region),
            "domain": lambda: self.get_domain(domain_id=resource_id, region=region),
            "token": lambda: self.get_token(token_id=resource_id, region=region),
        }
        if kind not in getters:
            raise ValueError(f"unknown resource kind {kind!r}; one of {sorted(getters)}")
        get = getters[kind]
        deadline = time.monotonic() + timeout
        last_status: str | None = None
        polls = 0
        while True:
            try:
                resource = await get()
            except errors.NotFoundError:
                if polls == 0:
                    raise
                yield models.STATUS_DELETED, None
                return
            polls += 1
            status = getattr(resource, "status", "unknown")
            if every_poll or status != last_status:
                yield status, resource
            last_status = status
            if not models.is_transient(kind, status):
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise errors.WaitTimeoutError(
                    f"{kind} {resource_id} still {status} after {timeout:g} s",
                    last_status=status,
                )
            step = min(max_interval, interval * (1.5 ** min(polls - 1, 40)))
            delay = step * (0.8 + 0.4 * self._rng.random())
            await self._sleep(min(delay, remaining))

    async def wait_for_namespace(
        self,
        *,
        namespace_id: str,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.Namespace:
        return await self._wait_typed(
            models.Namespace, "namespace", namespace_id, region, timeout, interval, max_interval
        )

    async def wait_for_container(
        self,
        *,
        container_id: str,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.Container:
        return await self._wait_typed(
            models.Container, "container", container_id, region, timeout, interval, max_interval
        )

    async def wait_for_cron(
        self,
        *,
        cron_id: str,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.Cron:
        return await self._wait_typed(
            models.Cron, "cron", cron_id, region, timeout, interval, max_interval
        )

    async def wait_for_domain(
        self,
        *,
        domain_id: str,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.Domain:
        return await self._wait_typed(
            models.Domain, "domain", domain_id, region, timeout, interval, max_interval
        )

    async def wait_for_token(
        self,
        *,
        token_id: str,
        region: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        max_interval: float = 10.0,
    ) -> models.Token:
        return await self._wait_typed(
            models.Token, "token", token_id, region, timeout, interval, max_interval
        )

    async def _wait_typed(
        self,
        model: type[Item],
        kind: Kind,
        resource_id: str,
        region: str | None,
        timeout: float,
        interval: float,
        max_interval: float,
    ) -> Item:
        """The SDK's `wait_for_*`: the resource once terminal; NotFoundError if it went away."""
        resource = await self.wait_for_resource(
            kind,
            resource_id,
            region=region,
            timeout=timeout,
            interval=interval,
            max_interval=max_interval,
        )
        if resource is None:
            raise errors.NotFoundError(
                message=f"{kind} {resource_id} was deleted while waiting",
                body={"resource": kind, "resource_id": resource_id},
            )
        assert isinstance(resource, model)
        return resource


# ---------------------------------------------------------------------------------------------


async def _iter_pages(
    fetch: Callable[[int, int], Awaitable[tuple[list[Item], int]]],
    page: int | None,
    page_size: int | None,
) -> AsyncIterator[Item]:
    """Ask page 1, 2, … until a page is empty or short, or `total_count` items were seen.

    Items already yielded (same id) are skipped: a resource created while we page can shift
    the pages by one.
    """
    size = page_size or 100
    current = page or 1
    seen: set[str] = set()
    for _ in range(_MAX_PAGES):
        items, total = await fetch(current, size)
        new = 0
        for item in items:
            item_id = getattr(item, "id", None)
            if item_id is not None:
                if item_id in seen:
                    continue
                seen.add(item_id)
            new += 1
            yield item
        if len(items) < size or new == 0 or len(seen) >= total > 0:
            return
        current += 1


def _parse(model: type[M], data: Any, method: str, path: str) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[:1]
        where = ".".join(str(p) for p in first[0]["loc"]) if first else "?"
        why = first[0]["msg"] if first else "invalid"
        raise errors.InvalidResponseError(
            f"unexpected answer for {model.__name__}: {where}: {why} "
            f"({exc.error_count()} problem{'s' if exc.error_count() != 1 else ''})",
            status_code=200,
            method=method,
            path=path,
        ) from None


def _request(model: type[M], **fields: Any) -> M:
    """Validate a request body; a bad argument is the caller's bug: `ValueError`."""
    try:
        return model.model_validate(fields)
    except pydantic.ValidationError as exc:
        raise ValueError(str(exc)) from None


def _check_region(region: str) -> str:
    if not isinstance(region, str) or not _REGION.match(region):
        raise ValueError(f"invalid region {region!r} (expected e.g. 'fr-par')")
    return region


def _id(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    return quote(value, safe="")


def _env(value: Mapping[str, str] | None) -> dict[str, str] | None:
    return dict(value) if value is not None else None


def _secrets(value: SecretsArg) -> list[models.SecretInput] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return [
            models.SecretInput(
                key=key,
                value=secret if isinstance(secret, SecretStr | None) else SecretStr(secret),
            )
            for key, secret in value.items()
        ]
    return [
        item if isinstance(item, models.SecretInput) else models.SecretInput.model_validate(item)
        for item in value
    ]


def _utc_iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()
