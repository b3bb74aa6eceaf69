"""The HTTP face of the emulator: routing, auth, faults, the control API, JSON answers."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import random
import re
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.types import Receive, Scope, Send

from tui.emulator import errors, persist, rules
from tui.emulator.clock import Clock, rfc3339
from tui.emulator.errors import ApiError
from tui.emulator.state import Emulator, RawJSON, dumps

__all__ = ["create_app"]

JSON = "application/json"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
FAULT_STATUSES = (429, 500, 502, 503, 504)

Handler = Callable[..., Any]


# --- faults ----------------------------------------------------------------------------------


@dataclass
class Faults:
    error_rate: float = 0.0
    statuses: list[int] = field(default_factory=lambda: [500, 502, 503, 504])
    mode: str = "before"
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    rate_limit_per_s: float = 0.0

    @classmethod
    def parse(cls, body: dict[str, Any]) -> Faults:
        faults = cls()
        found: list[rules.FieldError] = []
        for name in ("error_rate", "latency_ms", "jitter_ms", "rate_limit_per_s"):
            if name not in body or body[name] is None:
                continue
            value = body[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                found.append(rules.FieldError(name, "constraint", f"{name} must be a number >= 0"))
                continue
            setattr(faults, name, float(value))
        if faults.error_rate > 1:
            found.append(rules.FieldError("error_rate", "constraint", "error_rate must be 0..1"))
        if body.get("statuses") is not None:
            statuses = body["statuses"]
            if (
                not isinstance(statuses, list)
                or not statuses
                or any(s not in FAULT_STATUSES for s in statuses)
            ):
                found.append(
                    rules.FieldError(
                        "statuses",
                        "constraint",
                        "statuses must be a non-empty list of "
                        + ", ".join(map(str, FAULT_STATUSES)),
                    )
                )
            else:
                faults.statuses = list(statuses)
        if body.get("mode") is not None:
            if body["mode"] not in ("before", "after"):
                found.append(rules.FieldError("mode", "constraint", "mode must be before or after"))
            else:
                faults.mode = body["mode"]
        if found:
            raise errors.invalid_arguments(*found)
        return faults


class RateLimiter:
    """A fixed one-second window over real (monotonic) time."""

    def __init__(self) -> None:
        self.window = 0
        self.count = 0

    def allow(self, limit: float) -> tuple[bool, int]:
        now = time.monotonic()
        window = int(now)
        if window != self.window:
            self.window, self.count = window, 0
        if self.count >= limit:
            return False, max(1, int(window + 1 - now + 0.999))
        self.count += 1
        return True, 0


# --- routing ---------------------------------------------------------------------------------

_API = r"^/containers/v1beta1/regions/(?P<region>[^/]+)"


def _route(pattern: str, **methods: Handler) -> tuple[re.Pattern[str], dict[str, Handler]]:
    return re.compile(pattern + "$"), {m.upper(): h for m, h in methods.items()}


# Handlers get (emulator, request-like context) and return the JSON answer.
_API_ROUTES = [
    _route(
        _API + r"/namespaces",
        get=lambda e, c: e.list_namespaces(c.region, c.query),
        post=lambda e, c: e.create_namespace(c.region, c.body),
    ),
    _route(
        _API + r"/namespaces/(?P<id>[^/]+)",
        get=lambda e, c: e.get_namespace(c.region, c.id),
        patch=lambda e, c: e.update_namespace(c.region, c.id, c.body),
        delete=lambda e, c: e.delete_namespace(c.region, c.id),
    ),
    _route(
        _API + r"/containers",
        get=lambda e, c: e.list_containers(c.region, c.query),
        post=lambda e, c: e.create_container(c.region, c.body),
    ),
    _route(
        _API + r"/containers/(?P<id>[^/]+)",
        get=lambda e, c: e.get_container(c.region, c.id),
        patch=lambda e, c: e.update_container(c.region, c.id, c.body),
        delete=lambda e, c: e.delete_container(c.region, c.id),
    ),
    _route(
        _API + r"/containers/(?P<id>[^/]+)/deploy",
        post=lambda e, c: e.deploy_container(c.region, c.id),
    ),
    _route(
        _API + r"/containers/(?P<id>[^/]+)/logs",
        get=lambda e, c: e.list_logs(c.region, c.id, c.query),
    ),
    _route(
        _API + r"/crons",
        get=lambda e, c: e.list_crons(c.region, c.query),
        post=lambda e, c: e.create_cron(c.region, c.body),
    ),
    _route(
        _API + r"/crons/(?P<id>[^/]+)",
        get=lambda e, c: e.get_cron(c.region, c.id),
        patch=lambda e, c: e.update_cron(c.region, c.id, c.body),
        delete=lambda e, c: e.delete_cron(c.region, c.id),
    ),
    _route(
        _API + r"/domains",
        get=lambda e, c: e.list_domains(c.region, c.query),
        post=lambda e, c: e.create_domain(c.region, c.body),
    ),
    _route(
        _API + r"/domains/(?P<id>[^/]+)",
        get=lambda e, c: e.get_domain(c.region, c.id),
        delete=lambda e, c: e.delete_domain(c.region, c.id),
    ),
    _route(
        _API + r"/tokens",
        get=lambda e, c: e.list_tokens(c.region, c.query),
        post=lambda e, c: e.create_token(c.region, c.body),
    ),
    _route(
        _API + r"/tokens/(?P<id>[^/]+)",
        get=lambda e, c: e.get_token(c.region, c.id),
        delete=lambda e, c: e.delete_token(c.region, c.id),
    ),
    _route(_API + r"/issue-jwt", get=lambda e, c: e.issue_jwt(c.region, c.query)),
]


@dataclass
class Call:
    """What a handler needs from the request."""

    method: str
    path: str
    region: str = ""
    id: str = ""
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    raw_query: str = ""
    sub: str = ""


def _match(
    routes: list[tuple[re.Pattern[str], dict[str, Handler]]], method: str, path: str
) -> tuple[Handler, dict[str, str]]:
    lookup = "GET" if method == "HEAD" else method
    for pattern, methods in routes:
        match = pattern.match(path)
        if match is None:
            continue
        handler = methods.get(lookup)
        if handler is None:
            allowed = sorted(methods)
            raise errors.method_not_allowed(method, path, allowed)
        return handler, match.groupdict()
    raise errors.route_not_found(path)


def _loopback_only(request: Request) -> None:
    """The control API has no auth: refuse it to anyone but this machine (--host 0.0.0.0)."""
    host = request.client.host if request.client else None
    if host is None:
        return
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return  # not an IP: an in-process transport ("testclient")
    if not address.is_loopback:
        raise errors.permissions_denied(
            "control_api", "call", "the emulator's control API answers loopback clients only"
        )


def _parse_body(raw: bytes, method: str) -> dict[str, Any]:
    """POST/PATCH bodies must be a JSON object; GET/DELETE bodies (``{}`` or none) are ignored."""
    if method not in ("POST", "PATCH", "PUT") or not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.invalid_argument(
            "body", "format", f"the request body is not valid JSON: {exc}"
        ) from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise errors.invalid_argument("body", "format", "the request body must be a JSON object")
    return body


# --- the app ---------------------------------------------------------------------------------


class EmulatorService:
    """One emulator behind HTTP: the state, its lock, faults and persistence."""

    def __init__(
        self,
        emulator: Emulator,
        *,
        seed: str,
        secret_key: str | None,
        state_file: str | None,
    ) -> None:
        self.emulator = emulator
        self.initial_seed = seed
        self.secret_key = secret_key
        self.state_file = state_file
        self.faults = Faults()
        self.random = random.Random()
        self.limiter = RateLimiter()
        self.control_routes = [
            _route(r"^/_emulator/health", get=self.health),
            _route(r"^/_emulator/reset", post=self.reset),
            _route(r"^/_emulator/containers/(?P<id>[^/]+)/logs", post=self.append_logs),
            _route(r"^/_emulator/faults", get=self.get_faults, post=self.set_faults),
            _route(r"^/_emulator/clock", get=self.get_clock, post=self.set_clock),
            _route(r"^/_emulator/images/missing", post=self.image_missing),
            _route(r"^/_emulator/status/(?P<id>[^/]+)", post=self.force_status),
            _route(
                r"^/_emulator/invoke/(?P<id>[^/]+)(?:/(?P<sub>.*))?",
                **{m.lower(): self.invoke for m in ALL_METHODS if m != "HEAD"},
            ),
        ]

    # --- plumbing ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.state_file and self.emulator.dirty:
            persist.save(self.state_file, self.emulator.to_json())
        self.emulator.dirty = False

    def run_locked(self, handler: Handler, call: Call) -> Any:
        emulator = self.emulator
        with emulator.lock:
            emulator.tick()
            try:
                result = handler(emulator, call)
                emulator.tick()
            finally:
                if call.method != "GET" or call.path.startswith("/_emulator"):
                    emulator.invalidate()
                # Whatever was changed is on disk before anyone hears about it.
                self.save()
        return result

    def authenticate(self, token: str | None) -> None:
        if not token:
            raise errors.denied_authentication(
                "not_found", "authentication is denied: no X-Auth-Token header"
            )
        if self.secret_key is not None:
            if token != self.secret_key:
                raise errors.denied_authentication(
                    "not_found", "authentication is denied: unknown secret key"
                )
        elif not rules.is_uuid(token):
            raise errors.denied_authentication(
                "invalid_argument", "authentication is denied: the secret key must be a UUID"
            )

    def fault_error(self) -> ApiError:
        status = self.random.choice(self.faults.statuses)
        if status == 429:
            return errors.too_many_requests(int(self.faults.rate_limit_per_s or 1), 1)
        return errors.server_error(status, "injected by the emulator")

    # --- API requests ------------------------------------------------------------------------

    async def api(self, request: Request, call: Call) -> tuple[int, Any, dict[str, str]]:
        faults = self.faults
        if faults.rate_limit_per_s > 0:
            allowed, retry_after = self.limiter.allow(faults.rate_limit_per_s)
            if not allowed:
                raise errors.too_many_requests(int(faults.rate_limit_per_s), retry_after)
        delay_ms = faults.latency_ms + (
            self.random.uniform(0, faults.jitter_ms) if faults.jitter_ms else 0.0
        )
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)
        failing = faults.error_rate > 0 and self.random.random() < faults.error_rate
        if failing:
            fault = self.fault_error()
            # A 429 is a refusal, never a lost answer: clients rightly retry a POST refused with
            # 429, so serving it after the change would make them create things twice.
            if faults.mode == "before" or fault.status == 429:
                raise fault
        handler, params = _match(_API_ROUTES, call.method, call.path)
        call.region = params.get("region", "")
        call.id = params.get("id") or ""
        self.authenticate(call.token)
        call.body = _parse_body(await request.body(), call.method)
        result = self.run_locked(handler, call)
        if failing:
            raise fault  # "after": the change is made, the answer is lost
        return 200, result, {}

    # --- control API -------------------------------------------------------------------------

    async def control(self, request: Request, call: Call) -> tuple[int, Any, dict[str, str]]:
        handler, params = _match(self.control_routes, call.method, call.path)
        call.id = params.get("id") or ""
        call.sub = params.get("sub") or ""
        raw = await request.body()
        if handler is self.invoke:
            try:
                call.body = json.loads(raw) if raw.strip() else {}
            except ValueError:
                call.body = {"raw": raw.decode(errors="replace")}
        else:
            call.body = _parse_body(raw, call.method)
        result = self.run_locked(handler, call)
        if isinstance(result, tuple):
            status, payload = result
            return status, payload, {}
        return 200, result, {}

    def health(self, e: Emulator, call: Call) -> Any:
        import tui

        return {
            "status": "ok",
            "version": tui.__version__,
            "seed": e.seed,
            "speed": e.speed,
            "now": rfc3339(e.now()),
            "frozen": e.clock.frozen,
            "organization_id": e.organization_id,
            "project_id": e.project_id,
            "quotas": e.quotas,
            "auth": "secret_key" if self.secret_key else "any_uuid",
            "state_file": self.state_file,
            "counts": e.counts(),
            "faults": asdict(self.faults),
        }

    def reset(self, e: Emulator, call: Call) -> Any:
        seed = call.body.get("seed") or self.initial_seed
        e.reset(seed)
        self.faults = Faults()
        return self.health(e, call)

    def append_logs(self, e: Emulator, call: Call) -> Any:
        return e.append_logs(call.id, call.body)

    def get_faults(self, e: Emulator, call: Call) -> Any:
        return asdict(self.faults)

    def set_faults(self, e: Emulator, call: Call) -> Any:
        self.faults = Faults.parse(call.body)
        return asdict(self.faults)

    def get_clock(self, e: Emulator, call: Call) -> Any:
        return {"now": rfc3339(e.now()), "frozen": e.clock.frozen}

    def set_clock(self, e: Emulator, call: Call) -> Any:
        body = call.body
        freeze = body.get("freeze")
        advance = body.get("advance_s")
        if freeze is not None and not isinstance(freeze, bool):
            raise errors.invalid_argument("freeze", "format", "freeze must be a boolean")
        if advance is not None and (
            isinstance(advance, bool) or not isinstance(advance, int | float) or advance < 0
        ):
            raise errors.invalid_argument("advance_s", "constraint", "advance_s must be >= 0")
        if freeze is None and advance is None:
            raise errors.invalid_argument(
                "freeze", "required", "send {'freeze': true|false} or {'advance_s': N}"
            )
        if freeze is True:
            e.clock.freeze()
        elif freeze is False:
            e.clock.unfreeze()
        if advance:
            e.clock.advance(float(advance))
        e.dirty = True
        return self.get_clock(e, call)

    def image_missing(self, e: Emulator, call: Call) -> Any:
        return e.set_image_missing(call.body)

    def force_status(self, e: Emulator, call: Call) -> Any:
        return e.force_status(call.id, call.body)

    def invoke(self, e: Emulator, call: Call) -> Any:
        return e.invoke(call.id, call.method, call.sub, call.token, call.raw_query)

    # --- ASGI entry --------------------------------------------------------------------------

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        request_id = str(uuid.uuid4())
        path = request.url.path
        call = Call(
            method=request.method,
            path=path,
            query=dict(request.query_params),
            token=request.headers.get("x-auth-token"),
            raw_query=request.url.query,
        )
        headers: dict[str, str] = {}
        try:
            if path == "/_emulator" or path.startswith("/_emulator/"):
                _loopback_only(request)
                status, payload, headers = await self.control(request, call)
            else:
                status, payload, headers = await self.api(request, call)
        except ApiError as exc:
            status, payload, headers = exc.status, exc.body, exc.headers
        except ClientDisconnect:
            # The client gave up before its body was read (cancelled, timed out): nothing was
            # changed and nobody is left to answer, so no traceback. 499 as nginx logs it.
            return Response(b"", status_code=499)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            error = errors.server_error(500, "unexpected emulator failure")
            status, payload = error.status, error.body
        body = payload if isinstance(payload, RawJSON) else dumps(payload)
        response = Response(body, status_code=status, media_type=JSON)
        response.headers["X-Request-Id"] = request_id
        for key, value in headers.items():
            response.headers[key] = value
        return response


def create_app(
    *,
    seed: str = "empty",
    speed: float = 1.0,
    state_file: str | None = None,
    secret_key: str | None = None,
    organization_id: str | None = None,
    project_id: str | None = None,
    quotas: bool = True,
    clock: Callable[[], float] | Clock | None = None,
) -> Starlette:
    """The emulator as a Starlette app (no lifespan needed: time moves on each request).

    ``seed``: "empty" or "demo" (ignored when ``state_file`` exists: the file wins).
    ``speed``: every lifecycle delay is divided by it. ``clock``: a wall-time source
    (``time.time`` by default) or a :class:`Clock`. ``app.state.emulator`` is the state.
    """
    if seed not in ("empty", "demo"):
        raise ValueError(f"unknown seed {seed!r}: use 'empty' or 'demo'")
    for name, value in (
        ("secret_key", secret_key),
        ("organization_id", organization_id),
        ("project_id", project_id),
    ):
        if value is not None and not rules.is_uuid(value):
            raise ValueError(f"{name} must be a UUID")
    the_clock = clock if isinstance(clock, Clock) else Clock(clock)
    state_path = str(state_file) if state_file is not None else None
    emulator = Emulator(
        speed=speed,
        organization_id=organization_id,
        project_id=project_id,
        quotas=quotas,
        clock=the_clock,
        state_file=state_path,
    )
    saved = persist.load(state_path) if state_path else None
    if saved is not None:
        emulator.restore(saved)
        emulator.dirty = False
    else:
        emulator.reset(seed)
    service = EmulatorService(emulator, seed=seed, secret_key=secret_key, state_file=state_path)
    if state_path and saved is None:
        service.save()
    emulator.dirty = False
    # Every path and method reaches handle(), which answers 404/405 as JSON itself.
    app = Starlette(routes=[Mount("", app=service.asgi)])
    app.state.emulator = emulator
    app.state.service = service
    return app
