"""Server text with control sequences and Rich markup is shown literally, never executed."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from tui.api import ContainersClient
from tui.emulator import create_app as create_emulator

from .helpers import loaded, screen_lines, screen_text, terminal_output, wait_until

HOSTILE = "\x1b[2J\x07[bold red]x[/]"
SHOWN = "^[[2J^G[bold red]x[/]"  # what tui.text.clean makes of it


class HostileNames:
    """A server that sends a container name the real API would refuse (names are validated),
    to prove the console does not trust even that: it rewrites one name in every answer."""

    def __init__(self, app: Any, name: str, replacement: str) -> None:
        self.app = app
        self.old = json.dumps(name).encode()
        self.new = json.dumps(replacement).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_emulator"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body = b""

        async def capture(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            body += message.get("body", b"")
            if message.get("more_body"):
                return
            body = body.replace(self.old, self.new)
            assert start is not None
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


async def test_hostile_name_description_and_env_are_neutralised(make_app: Any) -> None:
    emulator = create_emulator(seed="empty")
    async with ContainersClient.for_emulator(emulator) as client:
        ns = await client.create_namespace(
            name="hostile",
            description="ns " + HOSTILE,
            environment_variables={"EVIL": HOSTILE},
        )
        container = await client.create_container(
            namespace_id=ns.id,
            name="victim",
            registry_image="nginx:latest",
            description="desc " + HOSTILE,
            environment_variables={"EVIL2": "v" + HOSTILE},
        )
    app = make_app(HostileNames(emulator, "victim", "victim" + HOSTILE))
    width, height = 140, 50
    async with app.run_test(size=(width, height), notifications=True) as pilot:
        await loaded(pilot)
        tree = app.main_screen.resource_tree
        assert tree.select_key(container.id)
        await wait_until(pilot, lambda: "desc " in screen_text(app))
        lines = screen_lines(app)
        text = "\n".join(lines)
        # Shown literally (markup not parsed), with the control characters made visible.
        assert "victim" + SHOWN in text  # tree label and details title
        assert "desc " + SHOWN in text
        assert "v" + SHOWN in text
        # Nothing reached the terminal raw: no clear-screen, no bell.
        raw = terminal_output(app)
        assert "\x1b[2J" not in raw and "\x07" not in raw
        # Layout intact: every row is the full width, the header is still on top.
        assert len(lines) == height and all(len(line) == width for line in lines)
        assert "DEMO" in lines[0]
        # The namespace's description and env value too.
        assert tree.select_key(ns.id)
        await wait_until(pilot, lambda: "ns " + SHOWN in screen_text(app))
        assert SHOWN in screen_text(app)
        raw = terminal_output(app)
        assert "\x1b[2J" not in raw and "\x07" not in raw
        # Toasts and the palette get the same treatment.
        app.notify("boom " + HOSTILE)
        await wait_until(pilot, lambda: "boom " + SHOWN in screen_text(app))
        assert "\x07" not in terminal_output(app) and "\x1b[2J" not in terminal_output(app)
        assert app.notification_log[-1].message == "boom " + SHOWN
