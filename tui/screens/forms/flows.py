"""What the console's keys, panes and command palette run: create, edit, deploy, delete, invoke.

Every flow is a coroutine to run in a worker (it waits on dialogs with `push_screen_wait`):

    app.run_worker(create_flow(app, app.selected()), group="mutation")

Forms never call HTTP: the flows give them `submit` coroutines over `app.client`. Every flow
refuses, and sends nothing, when `app.read_only` is set. After a create, an edit or a deploy the
resource is followed (`app.follow`) until it is ready or fails.

The app must provide (see CONTRACTS.md): `client`, `read_only`, `emulator`, `selected()`,
`refresh_now()`, `follow(kind, region, resource_id)`, `known_containers(namespace_id)`, and
optionally `state_store` (a `tui.config.state.StateStore`) for drafts.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from tui.api.errors import NotFoundError, ScwError, TransientStateError
from tui.api.models import Container, Cron, Domain, Namespace, Token
from tui.config import applog
from tui.screens.forms import drafts
from tui.screens.forms.confirm import DeleteConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.cron import CronForm
from tui.screens.forms.domain import DomainForm
from tui.screens.forms.draft_offer import DraftsScreen
from tui.screens.forms.invoke import InvokeResult, InvokeScreen
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.token import TokenForm
from tui.screens.forms.token_created import TokenCreatedScreen
from tui.selection import Selected
from tui.text import clean

log = logging.getLogger(__name__)

PaletteAction = tuple[str, str, Callable[[], Awaitable[None]]]

MUTATING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


# --------------------------------------------------------------------------------- helpers


def _refused(app: Any, what: str) -> bool:
    """True (and say so) when the app is read-only: the flow must stop before any request."""
    if getattr(app, "read_only", False):
        app.notify(
            f"Read-only mode: {what} is disabled.", severity="warning", markup=False, timeout=4
        )
        return True
    return False


def _say(app: Any, message: str, *, severity: str = "information") -> None:
    app.notify(clean(message), severity=severity, markup=False)


def _failed(app: Any, what: str, exc: Exception) -> None:
    _say(app, f"{what} failed: {exc}", severity="error")


def _default_region(app: Any) -> str:
    region = getattr(getattr(app, "client", None), "region", None)
    return region if isinstance(region, str) else "fr-par"


def _region_of(resource: Namespace | Container | None, selected: Selected | None) -> str:
    if resource is not None and resource.region:
        return resource.region
    if selected is not None and selected.region and selected.region != "all":
        return selected.region
    return "fr-par"


def _follow(app: Any, kind: str, region: str, resource_id: str) -> None:
    try:
        app.follow(kind, region, resource_id)
    except Exception as exc:  # the console may not know the node yet: a refresh will show it
        log.debug("follow failed: %s", type(exc).__name__)
        app.refresh_now()


def _ready_container_names(app: Any, namespace_id: str) -> list[str]:
    try:
        known = app.known_containers(namespace_id)
    except Exception:
        return []
    return [c.name for c in known if c.status == "ready"]


async def _namespaces_in(app: Any, region: str, fallback: Namespace | None) -> list[Namespace]:
    try:
        found: list[Namespace] = await app.client.list_namespaces_all(region=region)
    except ScwError as exc:
        _say(app, f"Could not list the namespaces of {region}: {exc}", severity="warning")
        found = []
    if fallback is not None and all(ns.id != fallback.id for ns in found):
        found.insert(0, fallback)
    for ns in found:
        if not ns.region:
            ns.region = region
    return found


# --------------------------------------------------------------------------------- create


async def create_flow(app: Any, selected: Selected | None) -> None:
    """`c`: a region (or nothing) → a new namespace; a namespace or container → a new container."""
    if _refused(app, "creating"):
        return
    if selected is None or selected.kind == "region":
        region = selected.region if selected and selected.region != "all" else None
        await create_namespace_flow(app, region or _default_region(app))
        return
    namespace = selected.namespace
    namespace_id: str | None = namespace.id if namespace is not None else None
    if namespace_id is None and selected.container is not None:
        namespace_id = selected.container.namespace_id
    await create_container_flow(
        app, _region_of(namespace, selected), namespace=namespace, namespace_id=namespace_id
    )


async def create_namespace_flow(
    app: Any, region: str, *, initial: Mapping[str, Any] | None = None
) -> Namespace | None:
    if _refused(app, "creating a namespace"):
        return None

    async def submit(request: dict[str, Any]) -> Namespace:
        target = request.pop("region", None) or region
        created: Namespace = await app.client.create_namespace(region=target, **request)
        if not created.region:
            created.region = target
        return created

    form = NamespaceForm(
        submit=submit,
        region=region,
        draft_key="namespace:create",
        draft_context={"region": region},
        initial=initial,
    )
    result: Namespace | None = await app.push_screen_wait(form)
    if result is not None:
        _say(app, f"Namespace {result.name} created in {result.region}.")
        _follow(app, "namespace", result.region, result.id)
    return result


async def create_container_flow(
    app: Any,
    region: str,
    *,
    namespace: Namespace | None = None,
    namespace_id: str | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Container | None:
    if _refused(app, "creating a container"):
        return None
    namespaces = await _namespaces_in(app, region, namespace)
    if not namespaces:
        _say(app, f"No namespace in {region}: create one first.", severity="warning")
        return None
    region_by_namespace = {ns.id: ns.region or region for ns in namespaces}
    chosen = namespace_id or (namespace.id if namespace else None)

    async def submit(request: dict[str, Any]) -> Container:
        deploy = bool(request.pop("deploy", True))
        target = region_by_namespace.get(request["namespace_id"], region)
        created: Container = await app.client.create_container(region=target, **request)
        if not created.region:
            created.region = target
        if deploy:
            try:
                created = await app.client.deploy_container(container_id=created.id, region=target)
            except TransientStateError:
                pass  # newer servers start deploying on create
            except ScwError as exc:
                # The container exists: leaving the form open would make a retry a 409.
                _say(
                    app,
                    f"Container {created.name} created, but deploy failed: {exc}",
                    severity="error",
                )
            if not created.region:
                created.region = target
        return created

    form = ContainerForm(
        submit=submit,
        namespaces=namespaces,
        namespace_id=chosen,
        draft_key=f"container:create:{chosen or region}",
        draft_context={"region": region, "namespace_id": chosen},
        initial=initial,
    )
    result: Container | None = await app.push_screen_wait(form)
    if result is not None:
        verb = "deploying" if result.status in ("pending", "creating") else result.status
        _say(app, f"Container {result.name} created ({verb}).")
        _follow(app, "container", result.region or region, result.id)
    return result


# --------------------------------------------------------------------------------- edit


async def edit_flow(app: Any, selected: Selected | None) -> None:
    """`e`: edit the selected namespace or container (changed fields only, after a review)."""
    if _refused(app, "editing"):
        return
    if selected is None or selected.kind == "region":
        _say(app, "Select a namespace or a container to edit.", severity="warning")
        return
    if selected.kind == "container" and selected.container is not None:
        await edit_container_flow(
            app,
            selected.container,
            region=_region_of(selected.container, selected),
            namespace=selected.namespace,
        )
    elif selected.namespace is not None:
        await edit_namespace_flow(
            app, selected.namespace, region=_region_of(selected.namespace, selected)
        )


async def edit_namespace_flow(
    app: Any, namespace: Namespace, *, region: str, initial: Mapping[str, Any] | None = None
) -> Namespace | None:
    if _refused(app, "editing"):
        return None
    try:
        fresh: Namespace = await app.client.get_namespace(namespace_id=namespace.id, region=region)
    except ScwError as exc:
        _failed(app, f"Loading namespace {namespace.name}", exc)
        return None
    if not fresh.region:
        fresh.region = region

    async def submit(request: dict[str, Any]) -> Namespace:
        updated: Namespace = await app.client.update_namespace(
            namespace_id=fresh.id, region=region, **request
        )
        return updated

    form = NamespaceForm(
        submit=submit,
        original=fresh,
        region=region,
        redeploy_names=_ready_container_names(app, fresh.id),
        draft_key=f"namespace:edit:{fresh.id}",
        draft_context={"region": region, "namespace_id": fresh.id},
        initial=initial,
    )
    result: Namespace | None = await app.push_screen_wait(form)
    if result is not None:
        _say(app, f"Namespace {fresh.name} updated.")
        _follow(app, "namespace", region, fresh.id)
    return result


async def edit_container_flow(
    app: Any,
    container: Container,
    *,
    region: str,
    namespace: Namespace | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Container | None:
    if _refused(app, "editing"):
        return None
    try:
        fresh: Container = await app.client.get_container(container_id=container.id, region=region)
    except ScwError as exc:
        _failed(app, f"Loading container {container.name}", exc)
        return None

    async def submit(request: dict[str, Any]) -> Container:
        updated: Container = await app.client.update_container(
            container_id=fresh.id, region=region, **request
        )
        return updated

    form = ContainerForm(
        submit=submit,
        original=fresh,
        namespaces=[namespace] if namespace is not None else [],
        draft_key=f"container:edit:{fresh.id}",
        draft_context={"region": region, "container_id": fresh.id},
        initial=initial,
    )
    result: Container | None = await app.push_screen_wait(form)
    if result is not None:
        _say(app, f"Container {fresh.name} updated: redeploying.")
        _follow(app, "container", region, fresh.id)
    return result


# --------------------------------------------------------------------------------- deploy


async def deploy_flow(app: Any, selected: Selected | None) -> None:
    """`d`: deploy the selected container at once (no confirmation), then follow it."""
    if _refused(app, "deploying"):
        return
    container = selected.container if selected is not None else None
    if container is None:
        _say(app, "Select a container to deploy.", severity="warning")
        return
    region = _region_of(container, selected)
    try:
        await app.client.deploy_container(container_id=container.id, region=region)
    except TransientStateError as exc:
        state = exc.current_state or "busy"
        _say(
            app,
            f"Container {container.name} is {state}: deploy it once it settles.",
            severity="warning",
        )
        return
    except ScwError as exc:
        _failed(app, f"Deploying {container.name}", exc)
        return
    _say(app, f"Deploying container {container.name}…")
    _follow(app, "container", region, container.id)


# --------------------------------------------------------------------------------- delete


async def delete_flow(app: Any, selected: Selected | None) -> None:
    """`ctrl+d`: delete the selected container, or namespace (type its name to confirm)."""
    if _refused(app, "deleting"):
        return
    if selected is None or selected.kind == "region":
        _say(app, "Select a namespace or a container to delete.", severity="warning")
        return
    if selected.kind == "container" and selected.container is not None:
        container = selected.container
        region = _region_of(container, selected)
        confirmed = await app.push_screen_wait(
            DeleteConfirmScreen(
                "container",
                container.name,
                ["Its crons, domains and tokens are deleted with it."],
            )
        )
        if not confirmed:
            return
        try:
            await app.client.delete_container(container_id=container.id, region=region)
        except ScwError as exc:
            _failed(app, f"Deleting {container.name}", exc)
            return
        _say(app, f"Deleting container {container.name}…")
        app.refresh_now()
        return
    namespace = selected.namespace
    if namespace is None:
        return
    region = _region_of(namespace, selected)
    try:
        inside = [c.name for c in app.known_containers(namespace.id)]
    except Exception:
        inside = []
    if inside:
        shown = ", ".join(inside[:6]) + (f" and {len(inside) - 6} more" if len(inside) > 6 else "")
        consequences = [f"Its {len(inside)} container(s) are deleted with it: {shown}."]
    else:
        consequences = ["It holds no container that the console knows of."]
    confirmed = await app.push_screen_wait(
        DeleteConfirmScreen("namespace", namespace.name, consequences, require_name=True)
    )
    if not confirmed:
        return
    try:
        await app.client.delete_namespace(namespace_id=namespace.id, region=region)
    except ScwError as exc:
        _failed(app, f"Deleting {namespace.name}", exc)
        return
    _say(app, f"Deleting namespace {namespace.name}…")
    app.refresh_now()


async def delete_resource_flow(
    app: Any, kind: str, resource: Cron | Domain | Token, *, region: str
) -> bool:
    """Delete a cron, domain or token (from the detail pane's tabs), after a confirmation."""
    if _refused(app, "deleting"):
        return False
    if isinstance(resource, Cron):
        name = resource.name or resource.schedule
    elif isinstance(resource, Domain):
        name = resource.hostname
    else:
        name = resource.description or resource.id
    confirmed = await app.push_screen_wait(DeleteConfirmScreen(kind, name))
    if not confirmed:
        return False
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "cron": lambda: app.client.delete_cron(cron_id=resource.id, region=region),
        "domain": lambda: app.client.delete_domain(domain_id=resource.id, region=region),
        "token": lambda: app.client.delete_token(token_id=resource.id, region=region),
    }
    try:
        await calls[kind]()
    except ScwError as exc:
        _failed(app, f"Deleting {kind} {name}", exc)
        return False
    _say(app, f"Deleting {kind} {name}…")
    app.refresh_now()
    return True


# ------------------------------------------------------------------ cron, domain, token


async def create_cron_flow(
    app: Any,
    container: Container,
    *,
    region: str | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Cron | None:
    if _refused(app, "creating a cron"):
        return None
    target = region or container.region or _default_region(app)

    async def submit(request: dict[str, Any]) -> Cron:
        created: Cron = await app.client.create_cron(region=target, **request)
        return created

    form = CronForm(
        submit=submit,
        container=container,
        draft_key=f"cron:create:{container.id}",
        draft_context={"region": target, "container_id": container.id},
        initial=initial,
    )
    result: Cron | None = await app.push_screen_wait(form)
    if result is not None:
        _say(app, f"Cron {result.name or result.schedule} created on {container.name}.")
        app.refresh_now()
    return result


async def edit_cron_flow(
    app: Any,
    cron: Cron,
    container: Container,
    *,
    region: str | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Cron | None:
    """Change a cron's schedule, args or name (changed fields only, after a review)."""
    if _refused(app, "editing a cron"):
        return None
    target = region or container.region or _default_region(app)

    async def submit(request: dict[str, Any]) -> Cron:
        updated: Cron = await app.client.update_cron(cron_id=cron.id, region=target, **request)
        return updated

    form = CronForm(
        submit=submit,
        container=container,
        original=cron,
        draft_key=f"cron:edit:{cron.id}",
        draft_context={"region": target, "container_id": container.id, "cron_id": cron.id},
        initial=initial,
    )
    result: Cron | None = await app.push_screen_wait(form)
    if result is not None:
        _say(app, f"Cron {cron.name or cron.schedule} updated.")
        app.refresh_now()
    return result


async def create_domain_flow(
    app: Any,
    container: Container,
    *,
    region: str | None = None,
    initial: Mapping[str, Any] | None = None,
) -> Domain | None:
    if _refused(app, "adding a domain"):
        return None
    target = region or container.region or _default_region(app)

    async def submit(request: dict[str, Any]) -> Domain:
        created: Domain = await app.client.create_domain(region=target, **request)
        return created

    form = DomainForm(
        submit=submit,
        container=container,
        draft_key=f"domain:create:{container.id}",
        draft_context={"region": target, "container_id": container.id},
        initial=initial,
    )
    result: Domain | None = await app.push_screen_wait(form)
    if result is not None:
        _say(
            app,
            f"Domain {result.hostname} added: point its CNAME to {container.domain_name}.",
        )
        app.refresh_now()
    return result


async def create_token_flow(
    app: Any,
    container: Container | Namespace | None,
    *,
    namespace: Namespace | None = None,
    region: str | None = None,
    initial: Mapping[str, Any] | None = None,
) -> bool:
    """A token for a container (or its namespace), shown once in a dialog, then forgotten."""
    if _refused(app, "creating a token"):
        return False
    if isinstance(container, Namespace):
        namespace, container = container, None
    if container is None and namespace is None:
        _say(app, "Select a container or a namespace first.", severity="warning")
        return False
    anchor = container or namespace
    assert anchor is not None
    target = region or anchor.region or _default_region(app)

    async def submit(request: dict[str, Any]) -> Token:
        created: Token = await app.client.create_token(region=target, **request)
        return created

    key_id = container.id if container is not None else namespace.id  # type: ignore[union-attr]
    form = TokenForm(
        submit=submit,
        container=container,
        namespace=namespace,
        draft_key=f"token:create:{key_id}",
        draft_context={
            "region": target,
            "container_id": container.id if container else None,
            "namespace_id": namespace.id if namespace else None,
        },
        initial=initial,
    )
    created: Token | None = await app.push_screen_wait(form)
    if created is None:
        return False
    secret = created.token
    applog.register_secret(secret)  # redacted from the log and the state file from now on
    if created.container_id and container is not None:
        scope = f"container {container.name}"
    elif namespace is not None:
        scope = f"every container of namespace {namespace.name}"
    else:
        scope = "its container"
    del created
    if secret is None:
        _say(app, "Token created, but the server sent no value to show.", severity="warning")
        return True
    await app.push_screen_wait(TokenCreatedScreen(secret, scope=scope))
    del secret
    _say(app, "Token created. Its value is no longer shown anywhere.")
    app.refresh_now()
    return True


# --------------------------------------------------------------------------------- invoke


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def invoke_target(
    app: Any, container: Container
) -> tuple[str, str, httpx.AsyncBaseTransport | None]:
    """(base URL, path prefix, transport) to call `container`'s endpoint from this app.

    On the in-process emulator: its `/_emulator/invoke/{id}` route on the same ASGI app. On an
    emulator served on loopback (`--api-url http://127.0.0.1:PORT`): the same route there.
    Otherwise the container's real endpoint, `https://{domain_name}`.
    """
    if getattr(app, "emulator", None) is not None:
        return (
            "http://emulator",
            f"/_emulator/invoke/{container.id}",
            httpx.ASGITransport(app=app.emulator),
        )
    api_url = str(getattr(app.client, "api_url", ""))
    if api_url and _is_loopback(api_url):
        return api_url.rstrip("/"), f"/_emulator/invoke/{container.id}", None
    return f"https://{container.domain_name}", "", None


async def invoke_flow(app: Any, container: Container | None) -> None:
    """Call the container's endpoint (a token for a private one) and show status, time, body."""
    if _refused(app, "invoking"):
        return
    if container is None:
        _say(app, "Select a container to invoke.", severity="warning")
        return
    base, prefix, transport = invoke_target(app, container)
    if not prefix and not container.domain_name:
        _say(
            app,
            f"Container {container.name} has no endpoint yet: deploy it first.",
            severity="warning",
        )
        return

    async def invoke(
        method: str, path: str, body: str | None, token: SecretStr | None
    ) -> InvokeResult:
        headers = {"X-Auth-Token": token.get_secret_value()} if token is not None else {}
        url = f"{base}{prefix}/{path.lstrip('/')}"
        async with httpx.AsyncClient(transport=transport, timeout=30.0) as http:
            started = time.perf_counter()
            response = await http.request(method, url, headers=headers, content=body)
            elapsed = time.perf_counter() - started
        return InvokeResult(
            status_code=response.status_code,
            reason=response.reason_phrase,
            elapsed_s=elapsed,
            body=response.text,
            content_type=response.headers.get("content-type", ""),
            url=url,
        )

    shown = f"https://{container.domain_name}" if container.domain_name else base
    if prefix:
        shown += "  (through the emulator)"
    await app.push_screen_wait(InvokeScreen(container, invoke, target=shown))


# --------------------------------------------------------------------------------- palette


def palette_actions(app: Any) -> list[PaletteAction]:
    """Command palette entries for the current selection; none at all when read-only.

    Each entry is (title, help, coroutine factory); run the coroutine in a worker.
    """
    if getattr(app, "read_only", False):
        return []
    selected: Selected | None = app.selected()
    region = (
        selected.region
        if selected is not None and selected.region != "all"
        else _default_region(app)
    )

    async def create_namespace() -> None:
        await create_namespace_flow(app, region)

    actions: list[PaletteAction] = [
        ("Create namespace", f"A new namespace in {region}", create_namespace)
    ]
    if selected is None or selected.kind == "region":
        return actions
    namespace = selected.namespace
    container = selected.container
    ns_name = clean(namespace.name) if namespace else ""

    async def create_container() -> None:
        await create_flow(app, selected)

    async def edit() -> None:
        await edit_flow(app, selected)

    async def delete() -> None:
        await delete_flow(app, selected)

    actions.append(
        ("Create container", f"A new container in namespace {ns_name}".rstrip(), create_container)
    )
    if container is None and namespace is not None:

        async def token_for_namespace() -> None:
            await create_token_flow(app, namespace, region=_region_of(namespace, selected))

        actions += [
            ("Edit", f"Edit namespace {ns_name}", edit),
            ("Delete", f"Delete namespace {ns_name} and its containers", delete),
            ("Create token", f"A token for every container of {ns_name}", token_for_namespace),
        ]
        return actions
    if container is None:
        return actions
    name = clean(container.name)
    region_ct = _region_of(container, selected)

    async def deploy() -> None:
        await deploy_flow(app, selected)

    async def invoke() -> None:
        await invoke_flow(app, container)

    async def cron() -> None:
        await create_cron_flow(app, container, region=region_ct)

    async def domain() -> None:
        await create_domain_flow(app, container, region=region_ct)

    async def token() -> None:
        await create_token_flow(app, container, namespace=namespace, region=region_ct)

    actions += [
        ("Edit", f"Edit container {name}", edit),
        ("Deploy", f"Deploy container {name} now", deploy),
        ("Delete", f"Delete container {name}", delete),
        ("Invoke", f"Call the endpoint of {name}", invoke),
        ("Create cron", f"A schedule that calls {name}", cron),
        ("Create domain", f"A custom domain for {name}", domain),
        ("Create token", f"A token to call {name}", token),
    ]
    return actions


# --------------------------------------------------------------------------------- drafts


DRAFT_OFFER_WAIT_S = 60


async def offer_drafts(app: Any) -> None:
    """At start: offer back the forms left with input last time. Run it in a worker."""
    if getattr(app, "read_only", False):
        return
    # Offered over the tree only: a dialog popping up over a form being typed into would take
    # its keys. Wait for the user to be back on the tree (a minute at most, then next start).
    main = getattr(app, "main_screen", None)
    for _ in range(DRAFT_OFFER_WAIT_S * 2):
        if main is None or app.screen is main:
            break
        await asyncio.sleep(0.5)
    else:
        return
    declined: set[str] = set()
    while True:
        pending = {k: v for k, v in drafts.load_all(app).items() if k not in declined}
        if not pending:
            return
        choice = await app.push_screen_wait(DraftsScreen(pending))
        if choice is None:
            return
        action, key = choice
        if action == "discard":
            drafts.clear(app, key)
            continue
        declined.add(key)  # whatever happens in the form, do not offer it again this session
        await resume_draft(app, key, pending[key])


async def resume_draft(app: Any, key: str, draft: Mapping[str, Any]) -> None:
    """Open the form a draft came from, filled with what was typed."""
    form = draft.get("form")
    mode = draft.get("mode")
    context: Mapping[str, Any] = draft.get("context") or {}
    values: Mapping[str, Any] = draft.get("values") or {}
    region = str(context.get("region") or _default_region(app))
    try:
        if form == "namespace" and mode == "create":
            await create_namespace_flow(app, region, initial=values)
        elif form == "namespace" and mode == "edit":
            ns = await app.client.get_namespace(namespace_id=context["namespace_id"], region=region)
            await edit_namespace_flow(app, ns, region=region, initial=values)
        elif form == "container" and mode == "create":
            namespace_id = context.get("namespace_id")
            ns = None
            if namespace_id:
                ns = await app.client.get_namespace(namespace_id=namespace_id, region=region)
            await create_container_flow(
                app, region, namespace=ns, namespace_id=namespace_id, initial=values
            )
        elif form == "container" and mode == "edit":
            ct = await app.client.get_container(container_id=context["container_id"], region=region)
            await edit_container_flow(app, ct, region=region, initial=values)
        elif form in ("cron", "domain", "token"):
            container = None
            namespace = None
            if context.get("container_id"):
                container = await app.client.get_container(
                    container_id=context["container_id"], region=region
                )
            if context.get("namespace_id"):
                namespace = await app.client.get_namespace(
                    namespace_id=context["namespace_id"], region=region
                )
            if form == "cron" and mode == "edit" and container is not None:
                cron = await app.client.get_cron(cron_id=context["cron_id"], region=region)
                await edit_cron_flow(app, cron, container, region=region, initial=values)
            elif form == "cron" and container is not None:
                await create_cron_flow(app, container, region=region, initial=values)
            elif form == "domain" and container is not None:
                await create_domain_flow(app, container, region=region, initial=values)
            elif form == "token":
                await create_token_flow(
                    app, container, namespace=namespace, region=region, initial=values
                )
        else:
            _say(app, "This draft comes from another version of the console: discarded.")
            drafts.clear(app, key)
    except NotFoundError:
        _say(
            app, "What this draft was about no longer exists: draft discarded.", severity="warning"
        )
        drafts.clear(app, key)
    except (ScwError, KeyError) as exc:
        _failed(app, "Reopening the draft", exc)
