"""Invoke a container's endpoint through the emulator: public, private without and with a token."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from tui.emulator.seed import (
    DEMO_PRIVATE_CONTAINER_ID,
    DEMO_READY_CONTAINER_ID,
    DEMO_TOKEN_SECRET,
)
from tui.screens.forms import flows
from tui.screens.forms.invoke import InvokeScreen

from .conftest import screen_text, set_input, wait_for_screen, wait_until


async def test_invoke_private_container_without_then_with_token(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await h.app.client.get_container(
            container_id=DEMO_PRIVATE_CONTAINER_ID, region="fr-par"
        )
        assert container.privacy == "private" and container.status == "ready"
        h.app.run_flow(flows.invoke_flow(h.app, container), "invoke")
        screen = await wait_for_screen(pilot, InvokeScreen)
        await set_input(pilot, "#invoke-path", "hello?x=1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.last_result is not None)
        assert screen.last_result.status_code == 403
        assert screen.status_text.startswith("403")
        assert " ms" in screen.status_text
        assert "private" in screen.body_text
        assert (
            "GET",
            f"/_emulator/invoke/{DEMO_PRIVATE_CONTAINER_ID}/hello",
        ) in h.counter.requests

        token = screen.query_one("#invoke-token", Input)
        token.value = DEMO_TOKEN_SECRET
        screen.last_result = None
        screen.query_one("#invoke-send").press()
        await wait_until(pilot, lambda: screen.last_result is not None)
        assert screen.last_result.status_code == 200
        assert screen.status_text.startswith("200 OK")
        assert "Hello from api" in screen.body_text
        assert DEMO_TOKEN_SECRET not in screen_text(pilot.app)  # a password field
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, InvokeScreen))
        assert h.counter.mutations() == []  # invoking is not an API mutation


async def test_invoke_public_container_with_post_body(make_app: Any) -> None:
    h = make_app()
    async with h.app.run_test(size=(100, 40)) as pilot:
        container = await h.app.client.get_container(
            container_id=DEMO_READY_CONTAINER_ID, region="fr-par"
        )
        h.app.run_flow(flows.invoke_flow(h.app, container), "invoke")
        screen = await wait_for_screen(pilot, InvokeScreen)
        assert not screen.private
        screen.query_one("#invoke-method").value = "POST"
        screen.query_one("#invoke-body", Input).value = '{"a": 1}'
        screen.query_one("#invoke-send").press()
        await wait_until(pilot, lambda: screen.last_result is not None)
        assert screen.last_result.status_code == 200
        assert '"method": "POST"' in screen.body_text  # pretty-printed JSON
