"""Helpers for driving the emulator from tests, benchmarks and demos.

Everything here talks to a real emulator (in process through ``httpx.ASGITransport``, or over
loopback HTTP) — never a mock of it.

- :func:`asgi_client` — an ``httpx.AsyncClient`` bound to an in-process emulator app.
- :class:`EmulatorControl` — async wrapper of the control API (``/_emulator/...``).
- :class:`EmulatorProcess` — the emulator CLI in a subprocess (for ``kill -9`` tests).
- :class:`CountingASGI` — wraps an in-process emulator and records every request it answers.
- :class:`tui.emulator.server.BackgroundServer` — uvicorn in a thread (re-exported here).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from tui.emulator.server import BackgroundServer

__all__ = [
    "TEST_ACCESS_KEY",
    "TEST_SECRET_KEY",
    "BackgroundServer",
    "EmulatorControl",
    "EmulatorProcess",
    "asgi_client",
    "control_sync",
]

#: A well-formed secret key (a UUID); the emulator accepts any UUID unless started with one.
TEST_SECRET_KEY = "11111111-2222-4333-8444-555555555555"
#: A well-formed access key (``SCW`` + 17 of ``[A-Z0-9]``), for the official SDK's client.
TEST_ACCESS_KEY = "SCWXXXXXXXXXXXXXXXXX"


def asgi_client(
    app: Starlette,
    secret_key: str | None = TEST_SECRET_KEY,
    *,
    base_url: str = "http://emulator",
    timeout: float = 10.0,
) -> httpx.AsyncClient:
    """An async HTTP client calling ``app`` in process, with ``X-Auth-Token`` set.

    ``secret_key=None`` sends no auth header (to see the 401). Close it (``async with``).
    """
    headers = {"X-Auth-Token": secret_key} if secret_key is not None else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=base_url,
        headers=headers,
        timeout=timeout,
    )


class EmulatorControl:
    """The control API (``/_emulator/...``) of one emulator, from async code.

    Build it with :meth:`for_app` (in process) or :meth:`for_url` (a served emulator); it owns
    its HTTP client, so ``await control.aclose()`` (or use ``async with``).
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    @classmethod
    def for_app(cls, app: Starlette) -> EmulatorControl:
        return cls(asgi_client(app, secret_key=None))

    @classmethod
    def for_url(cls, url: str) -> EmulatorControl:
        return cls(httpx.AsyncClient(base_url=url, timeout=10.0))

    async def __aenter__(self) -> EmulatorControl:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        """Call ``/_emulator/<path>``; raise on an HTTP error; return the JSON answer."""
        response = await self.client.request(
            method, "/_emulator/" + path.lstrip("/"), json=body if body is not None else None
        )
        response.raise_for_status()
        return response.json()

    async def health(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.call("GET", "health")
        return result

    async def reset(self, seed: str | None = None) -> Any:
        return await self.call("POST", "reset", {"seed": seed} if seed else {})

    async def append_logs(self, container_id: str, lines: list[dict[str, Any] | str]) -> Any:
        """Append log lines to a container; a plain string is ``{"message": s}``."""
        items = [{"message": line} if isinstance(line, str) else line for line in lines]
        return await self.call("POST", f"containers/{container_id}/logs", {"lines": items})

    async def faults(self, **settings: Any) -> Any:
        """Set faults (``error_rate``, ``statuses``, ``mode``, ``latency_ms``, ``jitter_ms``,
        ``rate_limit_per_s``); with no argument, clear them."""
        return await self.call("POST", "faults", settings)

    async def clear_faults(self) -> Any:
        return await self.call("POST", "faults", {})

    async def freeze(self, frozen: bool = True) -> Any:
        return await self.call("POST", "clock", {"freeze": frozen})

    async def unfreeze(self) -> Any:
        return await self.freeze(False)

    async def advance(self, seconds: float) -> Any:
        """Move the emulator clock forward (applies every transition and cron now due)."""
        return await self.call("POST", "clock", {"advance_s": seconds})

    async def image_missing(self, image: str, missing: bool = True) -> Any:
        return await self.call("POST", "images/missing", {"image": image, "missing": missing})

    async def force_status(
        self, resource_id: str, status: str, error_message: str | None = None
    ) -> Any:
        body: dict[str, Any] = {"status": status}
        if error_message is not None:
            body["error_message"] = error_message
        return await self.call("POST", f"status/{resource_id}", body)

    async def invoke(
        self,
        container_id: str,
        path: str = "",
        *,
        method: str = "GET",
        token: str | None = None,
        body: Any = None,
    ) -> httpx.Response:
        """Call the container's own endpoint; returns the raw response (may be a 403)."""
        headers = {"X-Auth-Token": token} if token else {}
        return await self.client.request(
            method,
            f"/_emulator/invoke/{container_id}/{path.lstrip('/')}",
            headers=headers,
            json=body,
        )


def control_sync(url: str, method: str, path: str, body: Any = None) -> Any:
    """Call the control API of a served emulator from synchronous code (e.g. SDK tests)."""
    response = httpx.request(
        method, url.rstrip("/") + "/_emulator/" + path.lstrip("/"), json=body, timeout=10.0
    )
    response.raise_for_status()
    return response.json()


_LISTENING = re.compile(r"^listening on (http://\S+)$")


class EmulatorProcess:
    """``python -m tui.emulator.server ...`` in a subprocess; ``.url`` once it listens.

    ``kill()`` sends SIGKILL (nothing flushed, like a crash); ``stop()`` asks it to end.
    """

    def __init__(self, *args: str, secret_key: str | None = TEST_SECRET_KEY) -> None:
        self.secret_key = secret_key
        argv = [sys.executable, "-m", "tui.emulator.server", "--port", "0", *args]
        if secret_key is not None and "--secret-key" not in args:
            argv += ["--secret-key", secret_key]
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.url = self._read_url()

    def _read_url(self, timeout: float = 20.0) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = _LISTENING.match(line.strip())
            if match:
                return match.group(1)
        self.process.kill()
        raise RuntimeError("emulator did not start: " + "".join(seen))

    def kill(self) -> None:
        """SIGKILL, and wait for it to be gone."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop_process(self.process)

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_process(process: subprocess.Popen[str]) -> None:
    """Terminate a served emulator (kill it after 10 s) and close its output pipe."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


class CountingASGI:
    """Wraps an ASGI app and records every HTTP request (time, method, path, query)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.calls: list[tuple[float, str, str, dict[str, list[str]]]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = parse_qs(scope.get("query_string", b"").decode())
            self.calls.append((time.monotonic(), scope["method"], scope["path"], query))
        await self.app(scope, receive, send)

    def container_lists(self, since: float = 0.0) -> list[tuple[float, str]]:
        """(time, namespace id) of each list of a namespace's containers since `since`."""
        return [
            (at, q["namespace_id"][0])
            for at, method, path, q in self.calls
            if at >= since and method == "GET" and path.endswith("/containers")
            if "namespace_id" in q
        ]

    def namespace_lists(self, region: str, since: float = 0.0) -> list[float]:
        suffix = f"/regions/{region}/namespaces"
        return [at for at, method, path, _ in self.calls if at >= since and path.endswith(suffix)]
