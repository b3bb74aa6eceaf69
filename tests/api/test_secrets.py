"""With logging at DEBUG, a session using a secret key, secret env values and a token prints
none of them: not in logs (ours, httpx, httpcore), reprs, strs, model dumps or exceptions."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from tests.api.support import FAST_RETRY, make_env
from tui.api import ContainersClient, errors
from tui.api._logging import REDACTOR, SecretRedactingFilter
from tui.emulator import seed as demo

SECRET_KEY = "7e57c0de-1234-4abc-8def-0123456789ab"
SECRET_VALUE = "s3cr3t-env-VALUE-do-not-print"


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged anywhere, at DEBUG, into one buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


async def test_session_at_debug_never_shows_secrets(debug_log: io.StringIO) -> None:
    env, close = await make_env("loopback", secret_key=SECRET_KEY)
    client = env.client
    seen: list[str] = []  # every text a user or a log could get from this session
    try:
        ns = await client.create_namespace(
            name="secretive", secret_environment_variables={"DB_PASSWORD": SECRET_VALUE}
        )
        seen += [repr(ns), str(ns), ns.model_dump_json()]
        ct = await client.create_container(
            namespace_id=ns.id,
            name="vault",
            secret_environment_variables={"TOKEN": SecretStr(SECRET_VALUE)},
        )
        seen += [repr(ct), ct.model_dump_json()]
        updated = await client.update_container(
            container_id=ct.id, secret_environment_variables={"TOKEN": SECRET_VALUE + "2"}
        )
        seen.append(repr(updated))
        token = await client.create_token(container_id=demo.DEMO_PRIVATE_CONTAINER_ID)
        assert token.token is not None
        token_value = token.token.get_secret_value()
        seen += [repr(token), str(token), token.model_dump_json(), str(token.model_dump())]
        jwt = await client.issue_jwt(container_id=demo.DEMO_PRIVATE_CONTAINER_ID)
        assert jwt.token is not None
        jwt_value = jwt.token.get_secret_value()
        seen += [repr(jwt), jwt.model_dump_json()]
        seen += [repr(client), str(client.stats)]
        # Errors: a refused secret, a 404, a validation error on a secret value.
        try:
            await client.update_namespace(
                namespace_id=ns.id,
                secret_environment_variables={"bad key!": SECRET_VALUE},
            )
        except errors.ScwError as exc:
            seen += [str(exc), repr(exc), str(exc.body)]
        try:
            await client.get_token(token_id="50000000-0000-4000-8000-00000000ffff")
        except errors.ScwError as exc:
            seen += [str(exc), repr(exc)]
        try:
            await client.create_container(
                namespace_id=ns.id,
                name="x",
                secret_environment_variables=[
                    {"key": 1, "value": SECRET_VALUE, "extra": SECRET_VALUE}
                ],  # type: ignore[list-item]
            )
        except (ValueError, errors.ScwError) as exc:
            seen += [str(exc), repr(exc)]
        wrong = ContainersClient(api_url=env.url, secret_key="00000000-0000-4000-8000-0000000000aa")
        async with wrong:
            try:
                await wrong.list_namespaces()
            except errors.ScwError as exc:
                seen += [str(exc), repr(exc)]
    finally:
        await close()

    logged = debug_log.getvalue()
    assert "httpcore" in logged and "tui.api" in logged  # the HTTP stack did log at DEBUG
    assert "HTTP Request" in logged
    everything = logged + "\n".join(seen)
    for secret in (SECRET_KEY, SECRET_VALUE, token_value, jwt_value):
        assert secret not in everything


def test_redacting_filter_rewrites_auth_headers_and_registered_secrets() -> None:
    log = logging.getLogger("httpcore.http11")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    old = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    REDACTOR.register("very-secret-value")
    try:
        from tui.api._logging import install_redaction

        install_redaction()
        log.debug("headers=%r", [(b"X-Auth-Token", b"abc-123-def"), (b"Host", b"h")])
        log.debug("echo %s", "very-secret-value")
        log.debug("x-auth-token: plain-value-42")
    finally:
        REDACTOR.unregister("very-secret-value")
        log.removeHandler(handler)
        log.setLevel(old)
    text = buffer.getvalue()
    assert "abc-123-def" not in text and "plain-value-42" not in text
    assert "very-secret-value" not in text
    assert text.count("[redacted]") == 3 and "b'Host'" in text


def test_registration_is_counted() -> None:
    f = SecretRedactingFilter()
    f.register("abcd-1")
    f.register("abcd-1")
    f.unregister("abcd-1")
    assert f.redact("x abcd-1 y") == "x [redacted] y"
    f.unregister("abcd-1")
    assert f.redact("x abcd-1 y") == "x abcd-1 y"


async def test_crash_tracebacks_with_locals_show_no_secret() -> None:
    """Textual prints an unhandled error with every frame's locals (rich, show_locals=True)."""
    import socket

    from rich.console import Console
    from rich.traceback import Traceback

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()

    rendered = []
    env, close = await make_env("asgi", secret_key=SECRET_KEY)
    down = ContainersClient(
        api_url=f"http://127.0.0.1:{port}", secret_key=SECRET_KEY, retry=FAST_RETRY
    )
    try:
        for call in (
            # Refused by the server (the name exists), and never sent (connection refused).
            lambda: env.client.create_namespace(
                name=demo.DEMO_NAMESPACE_NAME,
                secret_environment_variables={"DB": SECRET_VALUE},
            ),
            lambda: down.update_container(
                container_id=demo.DEMO_READY_CONTAINER_ID,
                secret_environment_variables={"DB": SECRET_VALUE},
            ),
        ):
            try:
                await call()
            except errors.ScwError:
                console = Console(record=True, width=200, file=io.StringIO())
                console.print(Traceback(show_locals=True, locals_max_length=5))
                rendered.append(console.export_text())
    finally:
        await down.aclose()
        await close()
    assert len(rendered) == 2
    assert "headers" in rendered[0] or "request" in rendered[0]  # locals were printed
    for text in rendered:
        assert SECRET_KEY not in text and SECRET_VALUE not in text
