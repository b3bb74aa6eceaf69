"""The emulator for benchmarks, in its own process (started by `_common.ServedEmulator`).

    python tests/benchmarks/_served_emulator.py --namespaces 100 --containers 10

Seeds N namespaces × M containers (quotas off; every container deployed and ready: the clock
is advanced past the lifecycle), wraps the app in a request counter, serves it with uvicorn on
a free loopback port and prints `listening on http://HOST:PORT`. Extra routes, outside the API:
- `GET /_bench/requests` → `{"counts": {kind: n}, "since": unix time, "log": [[unix time,
  kind], ...]}` (the log holds the last 100,000 requests); `DELETE` resets both;
- `GET /_bench/info` → the seeded ids (`namespace_ids`, `container_ids` of the first namespace).
A kind is the method and the route with ids removed, e.g. `GET containers`, `GET containers/{id}`,
`GET containers/{id}/logs`... ; `/_emulator/...` calls count as `control`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import socket
import sys
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = re.compile(r"^/containers/v1beta1/regions/[^/]+/")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def request_kind(method: str, path: str) -> str:
    if path.startswith("/_emulator"):
        return "control"
    route = UUID.sub("{id}", API_PREFIX.sub("", path)).rstrip("/")
    return f"{method} {route}"


class RequestCounter:
    """ASGI middleware: counts every request by kind, and answers `/_bench/...` itself."""

    def __init__(self, app: ASGIApp, info: dict[str, Any]) -> None:
        self.app = app
        self.info = info
        self.counts: Counter[str] = Counter()
        self.log: deque[tuple[float, str]] = deque(maxlen=100_000)
        self.since = time.time()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith("/_bench/"):
            await self._bench(scope, send, path)
            return
        kind = request_kind(scope["method"], path)
        self.counts[kind] += 1
        self.log.append((time.time(), kind))
        await self.app(scope, receive, send)

    async def _bench(self, scope: Scope, send: Send, path: str) -> None:
        if path == "/_bench/requests":
            if scope["method"] == "DELETE":
                self.counts.clear()
                self.log.clear()
                self.since = time.time()
            body: Any = {"counts": dict(self.counts), "since": self.since, "log": list(self.log)}
        elif path == "/_bench/info":
            body = self.info
        else:
            body = {"message": "unknown"}
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})


def seed(app: Any, namespaces: int, containers: int, region: str = "fr-par") -> dict[str, Any]:
    """N × M containers through the emulator's own state (fast), deployed; then the clock
    moves past the lifecycle, so every one is ready."""
    from tui.emulator.testing import EmulatorControl

    emulator = app.state.emulator
    namespace_ids: list[str] = []
    container_ids: list[str] = []
    first_containers: list[str] = []
    with emulator.lock:
        for n in range(namespaces):
            ns = emulator.create_namespace(region, {"name": f"ns-{n:03d}"})
            namespace_ids.append(ns["id"])
            created: list[str] = []
            for i in range(containers):
                ct = emulator.create_container(
                    region,
                    {"namespace_id": ns["id"], "name": f"c-{i:03d}", "registry_image": "nginx:1"},
                )
                created.append(ct["id"])
            container_ids.extend(created)
            if n == 0:
                first_containers = created

    async def settle() -> None:
        async with EmulatorControl.for_app(app) as control:
            await control.advance(5)  # namespaces ready: their containers may deploy
            with emulator.lock:
                for container_id in container_ids:
                    emulator.deploy_container(region, container_id)
                emulator.invalidate()
            await control.advance(60)

    asyncio.run(settle())
    return {"namespace_ids": namespace_ids, "container_ids": first_containers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--namespaces", type=int, default=0)
    parser.add_argument("--containers", type=int, default=0)
    parser.add_argument("--seed", choices=("empty", "demo"), default="empty")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--secret-key", default=None)
    args = parser.parse_args()

    import uvicorn

    from tui.emulator import create_app

    app = create_app(seed=args.seed, speed=args.speed, quotas=False, secret_key=args.secret_key)
    info = seed(app, args.namespaces, args.containers)
    counted = RequestCounter(app, info)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    port = sock.getsockname()[1]
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    config = uvicorn.Config(counted, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
