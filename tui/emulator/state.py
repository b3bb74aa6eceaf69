"""The emulator's state and behaviour, independent of HTTP.

Resources are plain dicts (so the whole state saves as JSON). Time moves lazily: every request
first calls :meth:`Emulator.tick`, which applies every scheduled event now due (status
transitions, cron firings) in time order. Operations raise :class:`ApiError` for error answers
and return the JSON of the answer otherwise. Callers hold :attr:`Emulator.lock`.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import secrets
import threading
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.emulator import errors, rules
from tui.emulator.clock import Clock, rfc3339
from tui.emulator.rules import FieldError

DEFAULT_ORGANIZATION_ID = "5f6a2b1c-3d4e-4f5a-8b6c-7d8e9f0a1b2c"
DEFAULT_PROJECT_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"

STATE_VERSION = 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Resource = dict[str, Any]
Query = Mapping[str, str]


class RawJSON(bytes):
    """An answer already encoded as JSON."""


def dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def _us(ts: float) -> int:
    return round(ts * 1_000_000)


def _us_to_rfc3339(us: int) -> str:
    return (_EPOCH + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _log_id(seq: int) -> str:
    """Log ids sort as text in creation order (a zero-padded sequence in UUID shape)."""
    h = f"{seq:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _slug(name: str, resource_id: str) -> str:
    return name.replace("-", "")[:20] + resource_id.replace("-", "")[:8]


def _body_errors(*checks: FieldError | None) -> None:
    found = [c for c in checks if c is not None]
    if found:
        raise errors.invalid_arguments(*found)


class Emulator:
    """All resources of one emulator, with their timed lifecycle."""

    def __init__(
        self,
        *,
        speed: float = 1.0,
        organization_id: str | None = None,
        project_id: str | None = None,
        quotas: bool = True,
        clock: Clock | None = None,
        state_file: str | None = None,
    ) -> None:
        if not speed > 0:
            raise ValueError("speed must be greater than 0")
        self.speed = float(speed)
        self.organization_id = organization_id or DEFAULT_ORGANIZATION_ID
        self.project_id = project_id or DEFAULT_PROJECT_ID
        self.quotas = quotas
        self.clock = clock or Clock()
        self.state_file = state_file
        # One lock for everything: handlers are synchronous under it, so a threading lock
        # works whatever event loop (or thread) a request arrives on.
        self.lock = threading.RLock()
        self.dirty = False
        self.seed = "empty"
        self._clear()

    # --- state -------------------------------------------------------------------------------

    def _clear(self) -> None:
        self.namespaces: dict[str, Resource] = {}
        self.containers: dict[str, Resource] = {}
        self.crons: dict[str, Resource] = {}
        self.domains: dict[str, Resource] = {}
        self.tokens: dict[str, Resource] = {}
        self.logs: dict[str, list[Resource]] = {}
        self.log_last_us: dict[str, int] = {}
        self.log_seq = 0
        self.events: list[tuple[float, int, str, str, int]] = []
        self.event_seq = 0
        self.missing_images: set[str] = set()
        self.log_quota: dict[str, list[int]] = {}
        # Per organization, so the demo seed's hashed secrets are the same on every run.
        self.render_cache: dict[str, bytes] = {}
        self.salt = hashlib.sha256(self.organization_id.encode()).hexdigest()[:16]

    def reset(self, seed: str = "empty") -> None:
        from tui.emulator.seed import seed_demo

        if seed not in ("empty", "demo"):
            raise errors.invalid_argument("seed", "constraint", "seed must be empty or demo")
        self._clear()
        self.clock.reset()
        self.seed = seed
        if seed == "demo":
            seed_demo(self)
        self.dirty = True

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "seed": self.seed,
            "organization_id": self.organization_id,
            "project_id": self.project_id,
            "clock": self.clock.to_json(),
            "namespaces": list(self.namespaces.values()),
            "containers": list(self.containers.values()),
            "crons": list(self.crons.values()),
            "domains": list(self.domains.values()),
            "tokens": list(self.tokens.values()),
            "logs": self.logs,
            "log_last_us": self.log_last_us,
            "log_seq": self.log_seq,
            "events": self.events,
            "event_seq": self.event_seq,
            "missing_images": sorted(self.missing_images),
            "log_quota": self.log_quota,
            "salt": self.salt,
        }

    def restore(self, data: dict[str, Any]) -> None:
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported state file version: {data.get('version')!r}")
        self._clear()
        self.seed = data.get("seed", "empty")
        self.organization_id = data.get("organization_id", self.organization_id)
        self.project_id = data.get("project_id", self.project_id)
        self.clock.restore(data.get("clock", {}))
        self.namespaces = {r["id"]: r for r in data["namespaces"]}
        self.containers = {r["id"]: r for r in data["containers"]}
        self.crons = {r["id"]: r for r in data["crons"]}
        self.domains = {r["id"]: r for r in data["domains"]}
        self.tokens = {r["id"]: r for r in data["tokens"]}
        self.logs = {k: list(v) for k, v in data["logs"].items()}
        self.log_last_us = {k: int(v) for k, v in data["log_last_us"].items()}
        self.log_seq = int(data["log_seq"])
        self.events = [(e[0], e[1], e[2], e[3], e[4]) for e in data["events"]]
        heapq.heapify(self.events)
        self.event_seq = int(data["event_seq"])
        self.missing_images = set(data.get("missing_images", []))
        self.log_quota = {k: list(v) for k, v in data.get("log_quota", {}).items()}
        self.salt = data.get("salt", self.salt)

    # --- time --------------------------------------------------------------------------------

    def now(self) -> float:
        return self.clock.now()

    def delay(self, seconds: float) -> float:
        """A lifecycle delay at this speed, never under the minimum visible phase."""
        return max(seconds / self.speed, rules.MIN_PHASE_S)

    def schedule(self, due: float, kind: str, resource: Resource) -> None:
        self.event_seq += 1
        heapq.heappush(self.events, (due, self.event_seq, kind, resource["id"], resource["gen"]))

    def tick(self) -> None:
        """Apply every event due by now, in time order (each at its own due time)."""
        if not self.events:
            return
        now = self.now()
        fired: dict[str, int] = {}
        if self.events[0][0] <= now:
            self.invalidate()
        while self.events and self.events[0][0] <= now:
            due, _, kind, rid, gen = heapq.heappop(self.events)
            self.dirty = True
            self._apply(kind, rid, gen, due, now, fired)

    def _apply(
        self, kind: str, rid: str, gen: int, at: float, now: float, fired: dict[str, int]
    ) -> None:
        store = {
            "ns": self.namespaces,
            "ct": self.containers,
            "cron": self.crons,
            "domain": self.domains,
            "token": self.tokens,
        }[kind.split("_", 1)[0]]
        resource = store.get(rid)
        if resource is None or resource["gen"] != gen:
            return  # superseded (deleted, redeployed, forced)
        handler = getattr(self, "_on_" + kind)
        if kind == "cron_fire":
            handler(resource, at, now, fired)
        else:
            handler(resource, at)

    def _bump(self, resource: Resource, status: str, at: float) -> None:
        resource["status"] = status
        resource["gen"] += 1
        if "updated_at" in resource:
            resource["updated_at"] = at

    # --- event handlers ----------------------------------------------------------------------

    def _on_ns_ready(self, ns: Resource, at: float) -> None:
        self._bump(ns, "ready", at)
        self._fill_registry(ns)

    def _fill_registry(self, ns: Resource) -> None:
        ns["registry_namespace_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, "registry:" + ns["id"]))
        ns["registry_endpoint"] = f"rg.{ns['region']}.scw.cloud/funcscw{ns['slug']}"

    def _on_ns_gone(self, ns: Resource, at: float) -> None:
        for ct in [c for c in self.containers.values() if c["namespace_id"] == ns["id"]]:
            self._remove_container(ct)
        for token in [t for t in self.tokens.values() if t.get("namespace_id") == ns["id"]]:
            del self.tokens[token["id"]]
        del self.namespaces[ns["id"]]

    def _remove_container(self, ct: Resource) -> None:
        cid = ct["id"]
        for store in (self.crons, self.domains, self.tokens):
            for rid in [r["id"] for r in store.values() if r.get("container_id") == cid]:
                del store[rid]
        self.logs.pop(cid, None)
        self.log_last_us.pop(cid, None)
        del self.containers[cid]

    def _on_ct_pulled(self, ct: Resource, at: float) -> None:
        image = ct["registry_image"]
        if self.image_is_missing(image):
            self._bump(ct, "error", at)
            ct["error_message"] = (
                f"failed to pull image {image}: manifest unknown (image not found in registry)"
            )
            self.log(
                ct["id"], f"Failed to pull image {image}: not found", at, "error", "core", "stderr"
            )
            self.log(ct["id"], "Deployment failed: image not found", at, "error", "core", "stderr")
            return
        self.log(ct["id"], f"Image {image} pulled", at, source="core")
        self.log(
            ct["id"],
            f"Starting container: {ct['memory_limit']} MB, {ct['cpu_limit']} mvCPU, "
            f"port {ct['port']}",
            at,
            source="core",
        )
        self.schedule(at + self.delay(rules.DELAY_CONTAINER_START), "ct_ready", ct)

    def _on_ct_ready(self, ct: Resource, at: float) -> None:
        self._bump(ct, "ready", at)
        ct["error_message"] = None
        self.log(ct["id"], f"Listening on port {ct['port']}", at, source="user")
        self.log(ct["id"], f"Container {ct['name']} is ready", at, source="core")

    def _on_ct_gone(self, ct: Resource, at: float) -> None:
        self._remove_container(ct)

    def _on_cron_ready(self, cron: Resource, at: float) -> None:
        self._bump(cron, "ready", at)
        self._arm_cron(cron, at)

    def _arm_cron(self, cron: Resource, at: float) -> None:
        """Fire per croniter in UTC, in a virtual time running ``speed`` times faster."""
        cron["anchor"] = at
        cron["next_virtual"] = self._cron_next(cron["schedule"], at)
        self.schedule(self._cron_real(cron, cron["next_virtual"]), "cron_fire", cron)

    def _cron_next(self, schedule: str, after: float) -> float:
        from croniter import croniter

        start = datetime.fromtimestamp(after, UTC)
        nxt: datetime = croniter(schedule, start).get_next(datetime)
        return nxt.timestamp()

    def _cron_real(self, cron: Resource, virtual: float) -> float:
        anchor: float = cron["anchor"]
        return anchor + (virtual - anchor) / self.speed

    def _on_cron_fire(self, cron: Resource, at: float, now: float, fired: dict[str, int]) -> None:
        count = fired.get(cron["id"], 0) + 1
        fired[cron["id"]] = count
        self._invoke_by_cron(cron, at)
        anchor: float = cron["anchor"]
        virtual_after = cron["next_virtual"]
        if count >= rules.CRON_MAX_CATCH_UP:
            # Long pause: skip the backlog rather than replay it.
            virtual_after = max(virtual_after, anchor + (now - anchor) * self.speed)
        cron["next_virtual"] = self._cron_next(cron["schedule"], virtual_after)
        self.schedule(self._cron_real(cron, cron["next_virtual"]), "cron_fire", cron)

    def _invoke_by_cron(self, cron: Resource, at: float) -> None:
        ct = self.containers.get(cron["container_id"])
        if ct is None:
            return
        body = json.dumps(cron["args"], separators=(",", ":"), sort_keys=True)
        self.log(
            ct["id"],
            f"Cron {cron['name']} ({cron['schedule']} UTC) invoked the container: POST / {body}",
            at,
            source="core",
        )
        if ct["status"] == "ready":
            self.log(ct["id"], f"POST / 200 (cron {cron['name']})", at, source="user")
        else:
            self.log(
                ct["id"],
                f"Cron {cron['name']} invocation failed: container is {ct['status']}",
                at,
                "error",
                "core",
                "stderr",
            )

    def _on_cron_gone(self, cron: Resource, at: float) -> None:
        del self.crons[cron["id"]]

    def _on_domain_ready(self, domain: Resource, at: float) -> None:
        if domain["hostname"].endswith(rules.UNREACHABLE_TLD):
            self._bump(domain, "error", at)
            domain["error_message"] = (
                f"HTTP-01 challenge failed for {domain['hostname']}: "
                "no CNAME record points to the container"
            )
            return
        self._bump(domain, "ready", at)
        domain["error_message"] = None

    def _on_domain_gone(self, domain: Resource, at: float) -> None:
        del self.domains[domain["id"]]

    def _on_token_ready(self, token: Resource, at: float) -> None:
        self._bump(token, "ready", at)

    def _on_token_gone(self, token: Resource, at: float) -> None:
        del self.tokens[token["id"]]

    # --- logs --------------------------------------------------------------------------------

    def log(
        self,
        container_id: str,
        message: str,
        at: float,
        level: str = "info",
        source: str = "core",
        stream: str = "stdout",
    ) -> Resource:
        """Append one line; timestamps never go backwards within a container."""
        us = max(_us(at), self.log_last_us.get(container_id, 0))
        self.log_last_us[container_id] = us
        self.log_seq += 1
        line = {
            "id": _log_id(self.log_seq),
            "message": message,
            "ts": us,
            "level": level,
            "source": source,
            "stream": stream,
        }
        lines = self.logs.setdefault(container_id, [])
        lines.append(line)
        if len(lines) > rules.LOG_LINES_KEPT_PER_CONTAINER:
            del lines[: len(lines) // 10]
        self.dirty = True
        return line

    @staticmethod
    def log_json(line: Resource) -> Resource:
        return {
            "id": line["id"],
            "message": line["message"],
            "timestamp": _us_to_rfc3339(line["ts"]),
            "level": line["level"],
            "source": line["source"],
            "stream": line["stream"],
        }

    # --- helpers -----------------------------------------------------------------------------

    def image_is_missing(self, image: str) -> bool:
        return image.endswith(rules.MISSING_IMAGE_TAG) or image in self.missing_images

    def hash_secret(self, key: str, value: str) -> str:
        digest = hashlib.sha256(f"{self.salt}:{key}:{value}".encode()).hexdigest()
        return f"$sha256${self.salt}${digest}"

    def _secrets_json(self, resource: Resource) -> list[dict[str, str]]:
        return [{"key": k, "hashed_value": v} for k, v in resource["secrets"].items()]

    def _apply_secrets(self, resource: Resource, items: list[dict[str, Any]] | None) -> bool:
        if items is None:
            return False
        for item in items:
            key = item["key"]
            value = item.get("value")
            if value is None:
                resource["secrets"].pop(key, None)
            else:
                resource["secrets"][key] = self.hash_secret(key, value)
        return True

    def _region(self, region: str) -> None:
        error = rules.check_region(region)
        if error:
            raise errors.invalid_arguments(error)

    def _id(self, value: str, field: str) -> None:
        error = rules.check_uuid(value, field)
        if error:
            raise errors.invalid_arguments(error)

    def _get(self, store: dict[str, Resource], kind: str, region: str, rid: str) -> Resource:
        self._region(region)
        self._id(rid, f"{kind}_id")
        resource = store.get(rid)
        if resource is None or resource["region"] != region:
            raise errors.not_found(kind, rid)
        return resource

    def _mutable(self, kind: str, resource: Resource) -> None:
        """Update/deploy refused mid-transition (409) or while locked (423)."""
        status = resource["status"]
        if status in rules.TRANSIENT_STATUSES[kind]:
            raise errors.transient_state(kind, resource["id"], status)
        if status == "locked":
            raise errors.locked(kind, resource["id"])

    def _deletable(self, kind: str, resource: Resource) -> None:
        if resource["status"] == "deleting":
            raise errors.transient_state(kind, resource["id"], "deleting")
        if resource["status"] == "locked":
            raise errors.locked(kind, resource["id"])

    def _usable_parent(self, kind: str, resource: Resource) -> None:
        """A child cannot be created under a parent that is going away."""
        if resource["status"] == "deleting":
            raise errors.transient_state(kind, resource["id"], "deleting")

    @staticmethod
    def _page(items: list[Resource], query: Query, kind: str) -> tuple[list[Resource], int]:
        """The requested page (validated page, page_size, order_by) and the exact total."""
        page, e1 = rules.check_page(query.get("page"))
        size, e2 = rules.check_page_size(query.get("page_size"))
        order, e3 = rules.check_order(query.get("order_by"), kind)
        _body_errors(e1, e2, e3)
        if order.endswith("_desc"):
            items = items[::-1]
        field = order.rsplit("_", 1)[0]
        if field in ("name", "hostname"):
            items = sorted(items, key=lambda r: r[field], reverse=order.endswith("_desc"))
        start = (page - 1) * size
        return items[start : start + size], len(items)

    def invalidate(self) -> None:
        """Forget rendered JSON (after anything that may have changed a resource)."""
        self.render_cache.clear()

    def _raw_list(self, plural: str, kind: str, page: list[Resource], total: int) -> RawJSON:
        """A list answer built from each resource's cached JSON (lists are the hot path)."""
        cache = self.render_cache
        render = getattr(self, f"{kind}_json")
        parts = []
        for resource in page:
            encoded = cache.get(resource["id"])
            if encoded is None:
                encoded = cache[resource["id"]] = dumps(render(resource))
            parts.append(encoded)
        return RawJSON(b'{"%s":[%s],"total_count":%d}' % (plural.encode(), b",".join(parts), total))

    @staticmethod
    def _filter_ids(query: Query, *names: str) -> None:
        _body_errors(*(rules.check_uuid(query.get(n), n, required=False) for n in names))

    # --- namespaces --------------------------------------------------------------------------

    def namespace_json(self, ns: Resource) -> Resource:
        return {
            "id": ns["id"],
            "name": ns["name"],
            "environment_variables": dict(ns["environment_variables"]),
            "organization_id": ns["organization_id"],
            "project_id": ns["project_id"],
            "status": ns["status"],
            "registry_namespace_id": ns["registry_namespace_id"],
            "error_message": ns["error_message"],
            "registry_endpoint": ns["registry_endpoint"],
            "description": ns["description"],
            "secret_environment_variables": self._secrets_json(ns),
            "region": ns["region"],
            "created_at": rfc3339(ns["created_at"]),
            "updated_at": rfc3339(ns["updated_at"]),
        }

    def list_namespaces(self, region: str, query: Query) -> RawJSON:
        self._region(region)
        self._filter_ids(query, "organization_id", "project_id")
        name = query.get("name") or None
        org = query.get("organization_id") or None
        project = query.get("project_id") or None
        items = [
            ns
            for ns in self.namespaces.values()
            if ns["region"] == region
            and (name is None or name in ns["name"])
            and (org is None or ns["organization_id"] == org)
            and (project is None or ns["project_id"] == project)
        ]
        page, total = self._page(items, query, "namespace")
        return self._raw_list("namespaces", "namespace", page, total)

    def get_namespace(self, region: str, namespace_id: str) -> Resource:
        return self.namespace_json(self._get(self.namespaces, "namespace", region, namespace_id))

    def create_namespace(self, region: str, body: Resource) -> Resource:
        self._region(region)
        project_id = body.get("project_id") or self.project_id
        _body_errors(
            rules.check_name(body.get("name")),
            rules.check_uuid(body.get("project_id"), "project_id", required=False),
            rules.check_description(body.get("description")),
            rules.check_env(body.get("environment_variables")),
            rules.check_secrets(body.get("secret_environment_variables"), allow_delete=False),
        )
        name = body["name"]
        for ns in self.namespaces.values():
            if ns["name"] == name and ns["region"] == region and ns["project_id"] == project_id:
                raise errors.already_exists(
                    "namespace",
                    ns["id"],
                    f"a namespace named {name!r} already exists in this project and region",
                )
        if self.quotas:
            count = sum(1 for ns in self.namespaces.values() if ns["project_id"] == project_id)
            if count >= rules.QUOTA_NAMESPACES_PER_PROJECT:
                raise errors.quotas_exceeded(
                    "namespaces", rules.QUOTA_NAMESPACES_PER_PROJECT, count, project_id
                )
        now = self.now()
        ns = self.new_namespace(
            region=region,
            name=name,
            project_id=project_id,
            description=body.get("description"),
            environment_variables=body.get("environment_variables") or {},
            at=now,
        )
        self._apply_secrets(ns, body.get("secret_environment_variables"))
        self.schedule(now + self.delay(rules.DELAY_NAMESPACE_CREATE), "ns_ready", ns)
        return self.namespace_json(ns)

    def new_namespace(
        self,
        *,
        region: str,
        name: str,
        at: float,
        project_id: str | None = None,
        description: str | None = None,
        environment_variables: dict[str, str] | None = None,
        status: str = "pending",
        namespace_id: str | None = None,
    ) -> Resource:
        nid = namespace_id or str(uuid.uuid4())
        ns: Resource = {
            "id": nid,
            "name": name,
            "region": region,
            "organization_id": self.organization_id,
            "project_id": project_id or self.project_id,
            "status": status,
            "environment_variables": dict(environment_variables or {}),
            "secrets": {},
            "description": description,
            "error_message": None,
            "registry_namespace_id": "",
            "registry_endpoint": "",
            "slug": _slug(name, nid),
            "created_at": at,
            "updated_at": at,
            "gen": 0,
        }
        if status == "ready":
            self._fill_registry(ns)
        self.namespaces[nid] = ns
        self.dirty = True
        return ns

    def update_namespace(self, region: str, namespace_id: str, body: Resource) -> Resource:
        ns = self._get(self.namespaces, "namespace", region, namespace_id)
        _body_errors(
            rules.check_description(body.get("description")),
            rules.check_env(body.get("environment_variables")),
            rules.check_secrets(body.get("secret_environment_variables"), allow_delete=True),
        )
        self._mutable("namespace", ns)
        now = self.now()
        if "description" in body:
            ns["description"] = body["description"]
        env_changed = False
        env = body.get("environment_variables")
        if env is not None and env != ns["environment_variables"]:
            ns["environment_variables"] = dict(env)
            env_changed = True
        before = dict(ns["secrets"])
        self._apply_secrets(ns, body.get("secret_environment_variables"))
        env_changed = env_changed or before != ns["secrets"]
        ns["updated_at"] = now
        self.dirty = True
        if env_changed:
            for ct in self.containers.values():
                if ct["namespace_id"] == ns["id"] and ct["status"] == "ready":
                    self.log(
                        ct["id"],
                        "Namespace environment changed: redeploying",
                        now,
                        source="core",
                    )
                    self.start_deploy(ct, now)
        return self.namespace_json(ns)

    def delete_namespace(self, region: str, namespace_id: str) -> Resource:
        ns = self._get(self.namespaces, "namespace", region, namespace_id)
        self._deletable("namespace", ns)
        now = self.now()
        self._bump(ns, "deleting", now)
        for ct in self.containers.values():
            if ct["namespace_id"] == ns["id"]:
                self._mark_container_deleting(ct, now)
        for token in self.tokens.values():
            if token.get("namespace_id") == ns["id"]:
                self._bump(token, "deleting", now)
        self.schedule(now + self.delay(rules.DELAY_DELETE), "ns_gone", ns)
        self.dirty = True
        return self.namespace_json(ns)

    # --- containers --------------------------------------------------------------------------

    def container_json(self, ct: Resource) -> Resource:
        return {
            "id": ct["id"],
            "name": ct["name"],
            "namespace_id": ct["namespace_id"],
            "status": ct["status"],
            "environment_variables": dict(ct["environment_variables"]),
            "min_scale": ct["min_scale"],
            "max_scale": ct["max_scale"],
            "memory_limit": ct["memory_limit"],
            "cpu_limit": ct["cpu_limit"],
            "timeout": rules.format_timeout(ct["timeout"]),
            "error_message": ct["error_message"],
            "privacy": ct["privacy"],
            "description": ct["description"],
            "registry_image": ct["registry_image"],
            "max_concurrency": ct["max_concurrency"],
            "domain_name": ct["domain_name"],
            "protocol": ct["protocol"],
            "port": ct["port"],
            "secret_environment_variables": self._secrets_json(ct),
            "http_option": ct["http_option"],
            "region": ct["region"],
            "created_at": rfc3339(ct["created_at"]),
            "updated_at": rfc3339(ct["updated_at"]),
        }

    def list_containers(self, region: str, query: Query) -> RawJSON:
        self._region(region)
        namespace_id = query.get("namespace_id")
        _body_errors(rules.check_uuid(namespace_id, "namespace_id"))
        self._filter_ids(query, "organization_id", "project_id")
        assert namespace_id is not None
        ns = self.namespaces.get(namespace_id)
        if ns is None or ns["region"] != region:
            raise errors.not_found("namespace", namespace_id)
        name = query.get("name") or None
        org = query.get("organization_id") or None
        project = query.get("project_id") or None
        if (org is not None and ns["organization_id"] != org) or (
            project is not None and ns["project_id"] != project
        ):
            items: list[Resource] = []
        else:
            items = [
                ct
                for ct in self.containers.values()
                if ct["namespace_id"] == namespace_id and (name is None or name in ct["name"])
            ]
        page, total = self._page(items, query, "container")
        return self._raw_list("containers", "container", page, total)

    def get_container(self, region: str, container_id: str) -> Resource:
        return self.container_json(self._get(self.containers, "container", region, container_id))

    def _container_field_errors(self, body: Resource, *, creating: bool) -> list[FieldError]:
        _, timeout_error = rules.parse_timeout(body.get("timeout"))
        checks = [
            rules.check_int(body.get("min_scale"), "min_scale", rules.SCALE_MIN, rules.SCALE_MAX),
            rules.check_int(body.get("max_scale"), "max_scale", rules.SCALE_MIN, rules.SCALE_MAX),
            rules.check_memory(body.get("memory_limit")),
            rules.check_int(body.get("cpu_limit"), "cpu_limit", rules.CPU_MIN, rules.CPU_MAX),
            timeout_error,
            rules.check_enum(body.get("privacy"), "privacy", rules.PRIVACY),
            rules.check_enum(body.get("protocol"), "protocol", rules.PROTOCOLS),
            rules.check_enum(body.get("http_option"), "http_option", rules.HTTP_OPTIONS),
            rules.check_description(body.get("description")),
            rules.check_image(body.get("registry_image")),
            rules.check_int(
                body.get("max_concurrency"),
                "max_concurrency",
                rules.MAX_CONCURRENCY_MIN,
                rules.MAX_CONCURRENCY_MAX,
            ),
            rules.check_int(body.get("port"), "port", rules.PORT_MIN, rules.PORT_MAX),
            rules.check_env(body.get("environment_variables")),
            rules.check_secrets(
                body.get("secret_environment_variables"), allow_delete=not creating
            ),
        ]
        if body.get("redeploy") is not None and not isinstance(body["redeploy"], bool):
            checks.append(FieldError("redeploy", "format", "redeploy must be a boolean"))
        return [c for c in checks if c is not None]

    def create_container(self, region: str, body: Resource) -> Resource:
        self._region(region)
        found = [
            e
            for e in (
                rules.check_uuid(body.get("namespace_id"), "namespace_id"),
                rules.check_name(body.get("name")),
            )
            if e is not None
        ]
        found += self._container_field_errors(body, creating=True)
        min_scale = body.get("min_scale")
        max_scale = body.get("max_scale")
        if not found:
            low = min_scale if min_scale is not None else rules.CONTAINER_DEFAULTS["min_scale"]
            high = max_scale if max_scale is not None else rules.CONTAINER_DEFAULTS["max_scale"]
            if low > high:
                found.append(
                    FieldError(
                        "min_scale",
                        "constraint",
                        f"min_scale ({low}) must be less than or equal to max_scale ({high})",
                    )
                )
        if found:
            raise errors.invalid_arguments(*found)
        ns = self.namespaces.get(body["namespace_id"])
        if ns is None or ns["region"] != region:
            raise errors.not_found("namespace", body["namespace_id"])
        self._usable_parent("namespace", ns)
        name = body["name"]
        for ct in self.containers.values():
            if ct["namespace_id"] == ns["id"] and ct["name"] == name:
                raise errors.already_exists(
                    "container",
                    ct["id"],
                    f"a container named {name!r} already exists in this namespace",
                )
        if self.quotas:
            count = len(self.containers)
            if count >= rules.QUOTA_CONTAINERS_PER_ORGANIZATION:
                raise errors.quotas_exceeded(
                    "containers", rules.QUOTA_CONTAINERS_PER_ORGANIZATION, count, ns["project_id"]
                )
        now = self.now()
        fields = {k: v for k, v in body.items() if v is not None}
        ct = self.new_container(ns, name, at=now, **_container_options(fields))
        self._apply_secrets(ct, body.get("secret_environment_variables"))
        self.log(ct["id"], f"Container {name} created", now, source="core")
        return self.container_json(ct)

    def new_container(
        self,
        ns: Resource,
        name: str,
        *,
        at: float,
        status: str = "created",
        container_id: str | None = None,
        **options: Any,
    ) -> Resource:
        cid = container_id or str(uuid.uuid4())
        values = dict(rules.CONTAINER_DEFAULTS)
        values.update(options)
        memory = values["memory_limit"]
        timeout_s, _ = rules.parse_timeout(values["timeout"])
        region = ns["region"]
        image = values.get("registry_image") or (
            f"rg.{region}.scw.cloud/funcscw{ns['slug']}/{name}:latest"
        )
        ct: Resource = {
            "id": cid,
            "name": name,
            "namespace_id": ns["id"],
            "region": region,
            "status": status,
            "environment_variables": dict(values.get("environment_variables") or {}),
            "secrets": {},
            "min_scale": values["min_scale"],
            "max_scale": values["max_scale"],
            "memory_limit": memory,
            "cpu_limit": values.get("cpu_limit") or rules.MEMORY_TO_CPU[memory],
            "timeout": timeout_s,
            "error_message": values.get("error_message"),
            "privacy": values["privacy"],
            "description": values.get("description"),
            "registry_image": image,
            "max_concurrency": values["max_concurrency"],
            "domain_name": f"{ns['slug']}-{name}.functions.fnc.{region}.scw.cloud",
            "protocol": values["protocol"],
            "port": values["port"],
            "http_option": values["http_option"],
            "created_at": at,
            "updated_at": at,
            "gen": 0,
        }
        self.containers[cid] = ct
        self.dirty = True
        return ct

    def start_deploy(self, ct: Resource, at: float) -> None:
        self._bump(ct, "pending", at)
        ct["error_message"] = None
        image = ct["registry_image"]
        self.log(ct["id"], f"Deploying container {ct['name']}", at, source="core")
        self.log(ct["id"], f"Pulling image {image}", at, source="core")
        self.schedule(at + self.delay(rules.DELAY_CONTAINER_PULL), "ct_pulled", ct)

    def update_container(self, region: str, container_id: str, body: Resource) -> Resource:
        ct = self._get(self.containers, "container", region, container_id)
        found = self._container_field_errors(body, creating=False)
        if not found:
            low = body.get("min_scale")
            high = body.get("max_scale")
            low = ct["min_scale"] if low is None else low
            high = ct["max_scale"] if high is None else high
            if low > high:
                field = "min_scale" if body.get("min_scale") is not None else "max_scale"
                found.append(
                    FieldError(
                        field,
                        "constraint",
                        f"min_scale ({low}) must be less than or equal to max_scale ({high})",
                    )
                )
        if found:
            raise errors.invalid_arguments(*found)
        self._mutable("container", ct)
        now = self.now()
        options = _container_options({k: v for k, v in body.items() if v is not None})
        if "description" in body:
            options["description"] = body["description"]
        if "memory_limit" in options and "cpu_limit" not in options:
            options["cpu_limit"] = rules.MEMORY_TO_CPU[options["memory_limit"]]
        if "timeout" in options:
            options["timeout"], _ = rules.parse_timeout(options["timeout"])
        if "environment_variables" in options:
            options["environment_variables"] = dict(options["environment_variables"])
        ct.update(options)
        self._apply_secrets(ct, body.get("secret_environment_variables"))
        ct["updated_at"] = now
        self.dirty = True
        if ct["status"] != "created":
            self.log(ct["id"], f"Container {ct['name']} updated: redeploying", now)
            self.start_deploy(ct, now)
        return self.container_json(ct)

    def deploy_container(self, region: str, container_id: str) -> Resource:
        ct = self._get(self.containers, "container", region, container_id)
        self._mutable("container", ct)
        self.start_deploy(ct, self.now())
        return self.container_json(ct)

    def _mark_container_deleting(self, ct: Resource, at: float) -> None:
        self._bump(ct, "deleting", at)
        self.log(ct["id"], f"Deleting container {ct['name']}", at, source="core")
        for store in (self.crons, self.domains, self.tokens):
            for child in store.values():
                if child.get("container_id") == ct["id"]:
                    self._bump(child, "deleting", at)

    def delete_container(self, region: str, container_id: str) -> Resource:
        ct = self._get(self.containers, "container", region, container_id)
        self._deletable("container", ct)
        now = self.now()
        self._mark_container_deleting(ct, now)
        self.schedule(now + self.delay(rules.DELAY_DELETE), "ct_gone", ct)
        return self.container_json(ct)

    # --- logs --------------------------------------------------------------------------------

    def list_logs(self, region: str, container_id: str, query: Query) -> Resource:
        self._get(self.containers, "container", region, container_id)
        lines = self.logs.get(container_id, [])
        page, e1 = rules.check_page(query.get("page"))
        size, e2 = rules.check_page_size(query.get("page_size"))
        order, e3 = rules.check_order(query.get("order_by"), "log")
        _body_errors(e1, e2, e3)
        total = len(lines)
        start = (page - 1) * size
        if order == "timestamp_asc":
            chosen = lines[start : start + size]
        else:
            end = total - start
            chosen = lines[max(0, end - size) : max(0, end)][::-1]
        return {"logs": [self.log_json(x) for x in chosen], "total_count": total}

    def append_logs(self, container_id: str, body: Resource) -> Resource:
        ct = self.containers.get(container_id)
        if ct is None:
            raise errors.not_found("container", container_id)
        lines = body.get("lines")
        if not isinstance(lines, list):
            raise errors.invalid_argument("lines", "required", "lines must be a list of objects")
        for index, item in enumerate(lines):
            field = f"lines[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("message"), str):
                raise errors.invalid_argument(
                    f"{field}.message", "required", "each line needs a message string"
                )
            if len(item["message"].encode()) > rules.LOG_MESSAGE_MAX_BYTES:
                raise errors.invalid_argument(
                    f"{field}.message",
                    "constraint",
                    f"message must be at most {rules.LOG_MESSAGE_MAX_BYTES} bytes",
                )
            for key in ("level", "source", "stream"):
                if key in item and not isinstance(item[key], str):
                    raise errors.invalid_argument(
                        f"{field}.{key}", "format", f"{key} must be a string"
                    )
            if "stream" in item and item["stream"] not in rules.LOG_STREAMS:
                raise errors.invalid_argument(
                    f"{field}.stream",
                    "constraint",
                    "stream must be one of " + ", ".join(rules.LOG_STREAMS),
                )
        now = self.now()
        project_id = self.namespaces[ct["namespace_id"]]["project_id"]
        if self.quotas:
            minute = int(now // 60)
            window = self.log_quota.get(project_id)
            if window is None or window[0] != minute:
                window = [minute, 0]
            if window[1] + len(lines) > rules.QUOTA_LOG_LINES_PER_MINUTE:
                raise errors.quotas_exceeded(
                    "log_lines_per_minute", rules.QUOTA_LOG_LINES_PER_MINUTE, window[1], project_id
                )
            window[1] += len(lines)
            self.log_quota[project_id] = window
        written = [
            self.log(
                container_id,
                item["message"],
                now,
                item.get("level") or rules.LOG_DEFAULTS["level"],
                item.get("source") or rules.LOG_DEFAULTS["source"],
                item.get("stream") or rules.LOG_DEFAULTS["stream"],
            )
            for item in lines
        ]
        return {"logs": [self.log_json(x) for x in written], "total_count": len(written)}

    # --- crons -------------------------------------------------------------------------------

    @staticmethod
    def cron_json(cron: Resource) -> Resource:
        return {
            "id": cron["id"],
            "container_id": cron["container_id"],
            "schedule": cron["schedule"],
            "args": cron["args"],
            "status": cron["status"],
            "name": cron["name"],
        }

    def _child_list(
        self, region: str, query: Query, store: dict[str, Resource], kind: str, plural: str
    ) -> Resource:
        self._region(region)
        container_id = query.get("container_id")
        _body_errors(rules.check_uuid(container_id, "container_id"))
        assert container_id is not None
        ct = self.containers.get(container_id)
        if ct is None or ct["region"] != region:
            raise errors.not_found("container", container_id)
        items = [r for r in store.values() if r["container_id"] == container_id]
        render = getattr(self, f"{kind}_json")
        page, total = self._page(items, query, kind)
        return {plural: [render(r) for r in page], "total_count": total}

    def list_crons(self, region: str, query: Query) -> Resource:
        return self._child_list(region, query, self.crons, "cron", "crons")

    def get_cron(self, region: str, cron_id: str) -> Resource:
        return self.cron_json(self._get(self.crons, "cron", region, cron_id))

    def _parent_container(self, region: str, container_id: Any) -> Resource:
        _body_errors(rules.check_uuid(container_id, "container_id"))
        ct = self.containers.get(container_id)
        if ct is None or ct["region"] != region:
            raise errors.not_found("container", container_id)
        self._usable_parent("container", ct)
        return ct

    def create_cron(self, region: str, body: Resource) -> Resource:
        self._region(region)
        _body_errors(
            rules.check_uuid(body.get("container_id"), "container_id"),
            rules.check_cron_schedule(body.get("schedule")),
            rules.check_cron_args(body.get("args")),
            rules.check_name(body.get("name"), required=False),
        )
        ct = self._parent_container(region, body["container_id"])
        now = self.now()
        cron = self.new_cron(ct, body["schedule"], body.get("args") or {}, body.get("name"), at=now)
        self.schedule(now + self.delay(rules.DELAY_CRON), "cron_ready", cron)
        return self.cron_json(cron)

    def new_cron(
        self,
        ct: Resource,
        schedule: str,
        args: dict[str, Any],
        name: str | None,
        *,
        at: float,
        status: str = "creating",
        cron_id: str | None = None,
    ) -> Resource:
        rid = cron_id or str(uuid.uuid4())
        cron: Resource = {
            "id": rid,
            "container_id": ct["id"],
            "region": ct["region"],
            "schedule": schedule,
            "args": args,
            "status": status,
            "name": name or f"cron-{rid[:8]}",
            "created_at": at,
            "anchor": at,
            "next_virtual": at,
            "gen": 0,
        }
        self.crons[rid] = cron
        if status == "ready":
            self._arm_cron(cron, at)
        self.dirty = True
        return cron

    def update_cron(self, region: str, cron_id: str, body: Resource) -> Resource:
        cron = self._get(self.crons, "cron", region, cron_id)
        checks = [rules.check_name(body.get("name"), required=False)]
        if body.get("schedule") is not None:
            checks.append(rules.check_cron_schedule(body.get("schedule")))
        if "args" in body:
            checks.append(rules.check_cron_args(body.get("args")))
        if body.get("container_id") is not None:
            checks.append(rules.check_uuid(body.get("container_id"), "container_id"))
        _body_errors(*checks)
        self._mutable("cron", cron)
        target = cron["container_id"]
        if body.get("container_id") is not None and body["container_id"] != target:
            target = self._parent_container(region, body["container_id"])["id"]
        now = self.now()
        cron["container_id"] = target
        if body.get("schedule") is not None:
            cron["schedule"] = body["schedule"]
        if body.get("args") is not None:
            cron["args"] = body["args"]
        if body.get("name") is not None:
            cron["name"] = body["name"]
        self._bump(cron, "pending", now)
        self.schedule(now + self.delay(rules.DELAY_CRON), "cron_ready", cron)
        self.dirty = True
        return self.cron_json(cron)

    def delete_cron(self, region: str, cron_id: str) -> Resource:
        cron = self._get(self.crons, "cron", region, cron_id)
        self._deletable("cron", cron)
        now = self.now()
        self._bump(cron, "deleting", now)
        self.schedule(now + self.delay(rules.DELAY_CRON), "cron_gone", cron)
        self.dirty = True
        return self.cron_json(cron)

    # --- domains -----------------------------------------------------------------------------

    @staticmethod
    def domain_json(domain: Resource) -> Resource:
        return {
            "id": domain["id"],
            "hostname": domain["hostname"],
            "container_id": domain["container_id"],
            "url": domain["url"],
            "status": domain["status"],
            "error_message": domain["error_message"],
        }

    def list_domains(self, region: str, query: Query) -> Resource:
        return self._child_list(region, query, self.domains, "domain", "domains")

    def get_domain(self, region: str, domain_id: str) -> Resource:
        return self.domain_json(self._get(self.domains, "domain", region, domain_id))

    def create_domain(self, region: str, body: Resource) -> Resource:
        self._region(region)
        hostname = body.get("hostname")
        if isinstance(hostname, str):
            hostname = hostname.lower()
        _body_errors(
            rules.check_hostname(hostname),
            rules.check_uuid(body.get("container_id"), "container_id"),
        )
        ct = self._parent_container(region, body["container_id"])
        for domain in self.domains.values():
            if domain["hostname"] == hostname:
                raise errors.already_exists(
                    "domain", domain["id"], f"the hostname {hostname} is already in use"
                )
        if self.quotas:
            count = sum(1 for d in self.domains.values() if d["container_id"] == ct["id"])
            if count >= rules.QUOTA_DOMAINS_PER_CONTAINER:
                project_id = self.namespaces[ct["namespace_id"]]["project_id"]
                raise errors.quotas_exceeded(
                    "domains", rules.QUOTA_DOMAINS_PER_CONTAINER, count, project_id
                )
        now = self.now()
        domain = self.new_domain(ct, str(hostname), at=now)
        self.schedule(now + self.delay(rules.DELAY_DOMAIN), "domain_ready", domain)
        return self.domain_json(domain)

    def new_domain(
        self,
        ct: Resource,
        hostname: str,
        *,
        at: float,
        status: str = "pending",
        error_message: str | None = None,
        domain_id: str | None = None,
    ) -> Resource:
        rid = domain_id or str(uuid.uuid4())
        domain: Resource = {
            "id": rid,
            "hostname": hostname,
            "container_id": ct["id"],
            "region": ct["region"],
            "url": f"https://{hostname}",
            "status": status,
            "error_message": error_message,
            "created_at": at,
            "gen": 0,
        }
        self.domains[rid] = domain
        self.dirty = True
        return domain

    def delete_domain(self, region: str, domain_id: str) -> Resource:
        domain = self._get(self.domains, "domain", region, domain_id)
        self._deletable("domain", domain)
        now = self.now()
        self._bump(domain, "deleting", now)
        self.schedule(now + self.delay(rules.DELAY_DELETE), "domain_gone", domain)
        self.dirty = True
        return self.domain_json(domain)

    # --- tokens ------------------------------------------------------------------------------

    @staticmethod
    def token_json(token: Resource, secret: str | None = None) -> Resource:
        expires = token["expires_at"]
        return {
            "id": token["id"],
            "token": secret,
            "container_id": token["container_id"],
            "namespace_id": token["namespace_id"],
            "public_key": token["public_key"],
            "status": token["status"],
            "description": token["description"],
            "expires_at": rfc3339(expires).replace(".000000Z", "Z") if expires else None,
        }

    def list_tokens(self, region: str, query: Query) -> Resource:
        self._region(region)
        container_id = query.get("container_id") or None
        namespace_id = query.get("namespace_id") or None
        self._filter_ids(query, "container_id", "namespace_id")
        items = [
            t
            for t in self.tokens.values()
            if t["region"] == region
            and (container_id is None or t["container_id"] == container_id)
            and (namespace_id is None or t["namespace_id"] == namespace_id)
        ]
        page, total = self._page(items, query, "token")
        return {"tokens": [self.token_json(t) for t in page], "total_count": total}

    def get_token(self, region: str, token_id: str) -> Resource:
        return self.token_json(self._get(self.tokens, "token", region, token_id))

    def _token_scope(self, region: str, params: Mapping[str, Any]) -> tuple[Resource, str]:
        container_id = params.get("container_id") or None
        namespace_id = params.get("namespace_id") or None
        if container_id and namespace_id:
            raise errors.invalid_argument(
                "container_id",
                "constraint",
                "only one of container_id and namespace_id may be set",
            )
        if not container_id and not namespace_id:
            raise errors.invalid_argument(
                "container_id",
                "required",
                "one of container_id or namespace_id is required",
            )
        if container_id:
            return self._parent_container(region, container_id), "container"
        _body_errors(rules.check_uuid(namespace_id, "namespace_id"))
        ns = self.namespaces.get(namespace_id or "")
        if ns is None or ns["region"] != region:
            raise errors.not_found("namespace", str(namespace_id))
        self._usable_parent("namespace", ns)
        return ns, "namespace"

    def _expiry(self, value: Any) -> float | None:
        if value is None or value == "":
            return None
        parsed = rules.parse_datetime(value)
        if parsed is None:
            raise errors.invalid_argument(
                "expires_at", "format", "expires_at must be an RFC 3339 date-time"
            )
        if parsed.timestamp() <= self.now():
            raise errors.invalid_argument(
                "expires_at", "constraint", "expires_at must be in the future"
            )
        return parsed.timestamp()

    def create_token(self, region: str, body: Resource, *, status: str = "creating") -> Resource:
        self._region(region)
        _body_errors(rules.check_description(body.get("description")))
        parent, kind = self._token_scope(region, body)
        expires_at = self._expiry(body.get("expires_at"))
        now = self.now()
        token, secret = self.new_token(
            parent,
            kind,
            description=body.get("description"),
            expires_at=expires_at,
            at=now,
            status=status,
        )
        if status == "creating":
            self.schedule(now + self.delay(rules.DELAY_TOKEN), "token_ready", token)
        return self.token_json(token, secret)

    def issue_jwt(self, region: str, query: Query) -> Resource:
        return self.create_token(region, dict(query), status="ready")

    def new_token(
        self,
        parent: Resource,
        kind: str,
        *,
        at: float,
        description: str | None = None,
        expires_at: float | None = None,
        status: str = "creating",
        token_id: str | None = None,
        secret: str | None = None,
    ) -> tuple[Resource, str]:
        rid = token_id or str(uuid.uuid4())
        if secret is None:
            header = _b64({"alg": "EdDSA", "typ": "JWT"})
            claims = {"sub": parent["id"], "scope": kind, "jti": rid}
            if expires_at:
                claims["exp"] = int(expires_at)
            secret = f"{header}.{_b64(claims)}.{secrets.token_urlsafe(48)}"
        token: Resource = {
            "id": rid,
            "container_id": parent["id"] if kind == "container" else None,
            "namespace_id": parent["id"] if kind == "namespace" else None,
            "region": parent["region"],
            "public_key": "",
            "status": status,
            "description": description,
            "expires_at": expires_at,
            "hash": hashlib.sha256(secret.encode()).hexdigest(),
            "created_at": at,
            "gen": 0,
        }
        self.tokens[rid] = token
        self.dirty = True
        return token, secret

    def delete_token(self, region: str, token_id: str) -> Resource:
        token = self._get(self.tokens, "token", region, token_id)
        self._deletable("token", token)
        now = self.now()
        self._bump(token, "deleting", now)
        self.schedule(now + self.delay(rules.DELAY_TOKEN), "token_gone", token)
        self.dirty = True
        return self.token_json(token)

    def token_allows(self, secret: str, ct: Resource) -> bool:
        digest = hashlib.sha256(secret.encode()).hexdigest()
        now = self.now()
        for token in self.tokens.values():
            if token["hash"] != digest or token["status"] not in ("creating", "ready"):
                continue
            if token["expires_at"] is not None and token["expires_at"] <= now:
                continue
            if token["container_id"] == ct["id"] or token["namespace_id"] == ct["namespace_id"]:
                return True
        return False

    # --- control API -------------------------------------------------------------------------

    def find(self, resource_id: str) -> tuple[str, Resource] | None:
        for kind, store in (
            ("namespace", self.namespaces),
            ("container", self.containers),
            ("cron", self.crons),
            ("domain", self.domains),
            ("token", self.tokens),
        ):
            if resource_id in store:
                return kind, store[resource_id]
        return None

    def render(self, kind: str, resource: Resource) -> Resource:
        result: Resource = getattr(self, f"{kind}_json")(resource)
        return result

    def force_status(self, resource_id: str, body: Resource) -> Resource:
        found = self.find(resource_id)
        if found is None:
            raise errors.not_found("resource", resource_id)
        kind, resource = found
        status = body.get("status")
        if status not in rules.STATUSES[kind]:
            raise errors.invalid_argument(
                "status",
                "constraint",
                f"status of a {kind} must be one of " + ", ".join(rules.STATUSES[kind]),
            )
        message = body.get("error_message")
        if message is not None and not isinstance(message, str):
            raise errors.invalid_argument("error_message", "format", "must be a string")
        now = self.now()
        self._bump(resource, status, now)  # cancels whatever was scheduled
        if "error_message" in resource:
            resource["error_message"] = message
        if kind == "namespace" and status == "ready" and not resource["registry_endpoint"]:
            self._fill_registry(resource)
        if kind == "cron" and status == "ready":
            self._arm_cron(resource, now)
        if kind == "container":
            note = f": {message}" if message else ""
            self.log(resource_id, f"Status forced to {status}{note}", now, source="core")
        self.dirty = True
        return {"kind": kind, "resource": self.render(kind, resource)}

    def set_image_missing(self, body: Resource) -> Resource:
        image = body.get("image")
        if image is None:
            raise errors.invalid_argument("image", "required", "image is required")
        _body_errors(rules.check_image(image, "image"))
        image = str(image)
        missing = body.get("missing", True)
        if not isinstance(missing, bool):
            raise errors.invalid_argument("missing", "format", "missing must be a boolean")
        if missing:
            self.missing_images.add(image)
        else:
            self.missing_images.discard(image)
        self.dirty = True
        return {"image": image, "missing": self.image_is_missing(image)}

    def invoke(
        self, container_id: str, method: str, path: str, token: str | None, query: str
    ) -> tuple[int, Resource]:
        ct = self.containers.get(container_id)
        if ct is None:
            raise errors.not_found("container", container_id)
        now = self.now()
        target = "/" + path + (f"?{query}" if query else "")
        if ct["status"] != "ready":
            self.log(
                container_id,
                f"{method} {target} 503: container is {ct['status']}",
                now,
                "error",
                "core",
                "stderr",
            )
            raise errors.ApiError(
                503,
                {
                    "type": "service_unavailable",
                    "message": f"container is not ready (status {ct['status']})",
                },
            )
        if ct["privacy"] == "private" and not (token and self.token_allows(token, ct)):
            self.log(
                container_id,
                f"{method} {target} 403: " + ("invalid token" if token else "missing token"),
                now,
                "warning",
                "core",
                "stderr",
            )
            raise errors.permissions_denied(
                "container",
                "invoke",
                "this container is private: a valid X-Auth-Token from its tokens is required",
            )
        self.log(container_id, f"{method} {target} 200", now, source="user")
        return 200, {
            "message": f"Hello from {ct['name']}",
            "container_id": container_id,
            "method": method,
            "path": "/" + path,
        }

    def counts(self) -> dict[str, int]:
        return {
            "namespaces": len(self.namespaces),
            "containers": len(self.containers),
            "crons": len(self.crons),
            "domains": len(self.domains),
            "tokens": len(self.tokens),
            "log_lines": sum(len(v) for v in self.logs.values()),
        }


def _b64(data: dict[str, Any]) -> str:
    return urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


_CONTAINER_OPTION_FIELDS = (
    "environment_variables",
    "min_scale",
    "max_scale",
    "memory_limit",
    "cpu_limit",
    "timeout",
    "privacy",
    "description",
    "registry_image",
    "max_concurrency",
    "protocol",
    "port",
    "http_option",
)


def _container_options(body: Mapping[str, Any]) -> dict[str, Any]:
    """Known, set fields of a container body; ``unknown_*`` enum values mean "not set"."""
    options = {}
    for key in _CONTAINER_OPTION_FIELDS:
        if key not in body:
            continue
        value = body[key]
        if isinstance(value, str) and value == f"unknown_{key}":
            continue
        options[key] = value
    return options


def iter_resources(emulator: Emulator) -> Iterable[tuple[str, Resource]]:
    for kind, store in (
        ("namespace", emulator.namespaces),
        ("container", emulator.containers),
        ("cron", emulator.crons),
        ("domain", emulator.domains),
        ("token", emulator.tokens),
    ):
        for resource in store.values():
            yield kind, resource
