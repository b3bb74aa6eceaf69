"""Serve the emulator over HTTP with uvicorn: ``scw-containers emulator ...``.

``run(argv)`` is the CLI handler; :class:`BackgroundServer` runs an app in a thread (tests).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import threading
import uuid
from typing import Any

import uvicorn
from starlette.applications import Starlette

__all__ = ["BackgroundServer", "build_parser", "main", "run", "serve"]


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a UUID: {value!r}") from None


def _speed(value: str) -> float:
    try:
        speed = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not speed > 0:
        raise argparse.ArgumentTypeError("speed must be greater than 0")
    return speed


def build_parser(prog: str = "scw-containers emulator") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve the built-in Scaleway Serverless Containers API (v1beta1) emulator.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=4000, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument("--seed", choices=("empty", "demo"), default="empty")
    parser.add_argument(
        "--speed", type=_speed, default=1.0, help="divide every lifecycle delay by F"
    )
    parser.add_argument("--state", metavar="FILE", default=None, help="persist state to FILE")
    parser.add_argument("--secret-key", type=_uuid, default=None, help="the only accepted key")
    parser.add_argument("--organization-id", type=_uuid, default=None)
    parser.add_argument("--project-id", type=_uuid, default=None)
    parser.add_argument(
        "--no-quotas", dest="quotas", action="store_false", help="lift the published quotas"
    )
    return parser


def _bind(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves, so the real port of ``--port 0`` is known."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _config(app: Starlette) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 4000,
    *,
    out: Any = None,
    **options: Any,
) -> int:
    """Build an emulator app with ``options`` (see ``create_app``) and serve it until stopped."""
    from tui.emulator.app import create_app

    out = out if out is not None else sys.stdout
    app = create_app(**options)
    sock = _bind(host, port)
    real_port = sock.getsockname()[1]
    emulator = app.state.emulator
    print(f"listening on {_url(host, real_port)}", file=out, flush=True)
    print(f"organization_id {emulator.organization_id}", file=out, flush=True)
    print(f"project_id {emulator.project_id}", file=out, flush=True)
    if emulator.state_file:
        print(f"state {emulator.state_file}", file=out, flush=True)
    server = uvicorn.Server(_config(app))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def run(argv: list[str]) -> int:
    """CLI handler of ``scw-containers emulator [options]``; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return serve(
            args.host,
            args.port,
            seed=args.seed,
            speed=args.speed,
            state_file=args.state,
            secret_key=args.secret_key,
            organization_id=args.organization_id,
            project_id=args.project_id,
            quotas=args.quotas,
        )
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def main() -> None:
    raise SystemExit(run(sys.argv[1:]))


class BackgroundServer:
    """Serve ``app`` with uvicorn in a daemon thread on a free loopback port.

    ``start()`` returns once it accepts connections; ``.url`` is its root; ``stop()`` ends it.
    """

    def __init__(
        self,
        app: Starlette,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        secret_key: str | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.secret_key = secret_key
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def emulator(self) -> Any:
        """The emulator behind the app (its state), for white-box checks."""
        return self.app.state.emulator

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self._sock = _bind(self.host, self.port)
        self.port = self._sock.getsockname()[1]
        self.url = _url(self.host, self.port)
        self._server = uvicorn.Server(_config(self.app))
        sock = self._sock
        server = self._server

        def target() -> None:
            asyncio.run(server.serve(sockets=[sock]))

        self._thread = threading.Thread(target=target, name="emulator-server", daemon=True)
        self._thread.start()
        ready = threading.Event()
        deadline = timeout
        step = 0.01
        while deadline > 0 and not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("emulator server thread died while starting")
            ready.wait(step)
            deadline -= step
        if not server.started:
            raise RuntimeError("emulator server did not start")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


if __name__ == "__main__":
    main()
