"""Helpers of the client tests: a `ContainersClient` on a real emulator, in process or over
loopback, plus a recording ASGI wrapper to see exactly what went over the wire."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette

from tui.api import ContainersClient, RetryPolicy
from tui.emulator import create_app
from tui.emulator.testing import TEST_SECRET_KEY, BackgroundServer, EmulatorControl

# Lifecycle delays divided by this: a deploy (8 s at speed 1) takes the 100 ms floor.
SPEED = 200.0
# Retries without real waiting: the tests are about decisions, not about the clock.
FAST_RETRY = RetryPolicy(max_retries=4, backoff_base=0.001, backoff_max=0.01)


@dataclass
class Recorded:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class RecordingApp:
    """ASGI wrapper that keeps every request (method, path, query, headers, body) it passes on."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.state = app.state  # BackgroundServer.emulator reads app.state.emulator
        self.requests: list[Recorded] = []

    def api_requests(self) -> list[Recorded]:
        return [r for r in self.requests if not r.path.startswith("/_emulator")]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        self.requests.append(
            Recorded(
                method=scope["method"],
                path=scope["path"],
                query=parse_qsl(scope["query_string"].decode(), keep_blank_values=True),
                headers={k.decode().lower(): v.decode() for k, v in scope["headers"]},
                body=body,
            )
        )
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return dict(await receive())

        await self.app(scope, replay, send)


@dataclass
class Env:
    """A client and the control API of the emulator it talks to."""

    kind: str  # "asgi" or "loopback"
    client: ContainersClient
    control: EmulatorControl
    app: Starlette
    recorder: RecordingApp
    url: str = "http://emulator"
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def emulator(self) -> Any:
        return self.app.state.emulator


async def make_env(
    kind: str,
    *,
    seed: str = "demo",
    speed: float = SPEED,
    secret_key: str | None = None,
    retry: RetryPolicy = FAST_RETRY,
    **client_kw: Any,
) -> tuple[Env, Callable[[], Awaitable[None]]]:
    app = create_app(seed=seed, speed=speed, secret_key=secret_key)
    recorder = RecordingApp(app)
    key = secret_key or TEST_SECRET_KEY
    server: BackgroundServer | None = None
    if kind == "asgi":
        client = ContainersClient.for_emulator(recorder, secret_key=key, retry=retry, **client_kw)
        control = EmulatorControl.for_app(app)
        url = "http://emulator"
    else:
        server = BackgroundServer(recorder, secret_key=secret_key).start()  # type: ignore[arg-type]
        client = ContainersClient(api_url=server.url, secret_key=key, retry=retry, **client_kw)
        control = EmulatorControl.for_url(server.url)
        url = server.url
    env = Env(kind=kind, client=client, control=control, app=app, recorder=recorder, url=url)

    async def close() -> None:
        await client.aclose()
        await control.aclose()
        if server is not None:
            server.stop()

    return env, close
