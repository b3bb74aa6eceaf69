"""Call a container's endpoint and show status, time and body as plain text."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pydantic import SecretStr
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from tui.api.models import Container
from tui.resources import style_path
from tui.text import safe_text
from tui.widgets.form_field import FormField
from tui.widgets.safe_input import SafeInput

MAX_BODY_CHARS = 20_000


@dataclass(frozen=True)
class InvokeResult:
    status_code: int
    reason: str
    elapsed_s: float
    body: str
    content_type: str = ""
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)


# (method, path, body or None, token or None) -> result; raises on a transport failure.
InvokeFn = Callable[[str, str, str | None, SecretStr | None], Awaitable[InvokeResult]]


def safe_lines(text: str) -> Text:
    """Multi-line untrusted text: each line made safe, the line breaks kept."""
    return Text("\n").join(safe_text(line) for line in text.splitlines())


def pretty_body(body: str, content_type: str) -> str:
    if "json" in content_type or body.lstrip().startswith(("{", "[")):
        try:
            return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        except ValueError:
            pass
    return body


class InvokeScreen(ModalScreen[None]):
    CSS_PATH = str(style_path("forms.tcss"))
    BINDINGS = [
        Binding("escape", "close", "Close", id="invoke.close"),
        Binding("ctrl+s", "send", "Send", id="invoke.send"),
    ]

    def __init__(self, container: Container, invoke: InvokeFn, *, target: str) -> None:
        super().__init__(classes="dialog-screen")
        self.container = container
        self._invoke = invoke
        self.target = target
        self.last_result: InvokeResult | None = None

    @property
    def private(self) -> bool:
        return self.container.privacy == "private"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog invoke-dialog"):
            title = Text("Invoke ")
            title.append_text(safe_text(self.container.name, "bold"))
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(safe_text(self.target, "dim"), classes="dialog-line", markup=False)
            yield FormField(
                "Request",
                Select(
                    [(m, m) for m in ("GET", "POST", "PUT", "DELETE")],
                    value="GET",
                    allow_blank=False,
                    id="invoke-method",
                    compact=True,
                ),
                SafeInput("/", placeholder="/path?query", id="invoke-path", compact=True),
                field="path",
                classes="invoke-request",
            )
            yield FormField(
                "Body",
                SafeInput(placeholder="sent with POST/PUT", id="invoke-body", compact=True),
                field="body",
            )
            if self.private:
                yield FormField(
                    "Token",
                    SafeInput(
                        placeholder="paste a token (X-Auth-Token)",
                        password=True,
                        id="invoke-token",
                        compact=True,
                    ),
                    field="token",
                    hint="private container: the token stays in this screen's memory only",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Send", id="invoke-send", variant="primary", compact=True)
                yield Button("Close", id="invoke-close", compact=True)
            yield Static("", id="invoke-status", classes="invoke-status", markup=False)
            with VerticalScroll(classes="invoke-body"):
                yield Static("", id="invoke-response", markup=False)

    def on_mount(self) -> None:
        self.query_one("#invoke-path", Input).focus()

    def action_close(self) -> None:
        if self.private:
            self.query_one("#invoke-token", Input).value = ""
        self.dismiss(None)

    @on(Button.Pressed, "#invoke-close")
    def _close_pressed(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#invoke-send")
    @on(Input.Submitted)
    def action_send(self) -> None:
        self._send()

    @work(group="invoke", exclusive=True, exit_on_error=False)
    async def _send(self) -> None:
        method = str(self.query_one("#invoke-method", Select).value)
        path = self.query_one("#invoke-path", Input).value.strip() or "/"
        body = self.query_one("#invoke-body", Input).value
        token: SecretStr | None = None
        if self.private:
            typed = self.query_one("#invoke-token", Input).value.strip()
            token = SecretStr(typed) if typed else None
        status = self.query_one("#invoke-status", Static)
        response = self.query_one("#invoke-response", Static)
        status.update(Text(f"{method} {path} …", style="dim"))
        try:
            result = await self._invoke(method, path, body if body else None, token)
        except Exception as exc:
            status.update(safe_text(f"✗ {type(exc).__name__}: {exc}", "red"))
            response.update("")
            return
        self.last_result = result
        style = "green" if result.status_code < 400 else "red"
        line = Text()
        line.append(f"{result.status_code} {result.reason}", style=f"bold {style}")
        line.append(f"  ·  {result.elapsed_s * 1000:.0f} ms")
        if result.content_type:
            line.append(f"  ·  {result.content_type}", style="dim")
        status.update(line)
        text = pretty_body(result.body, result.content_type)
        if len(text) > MAX_BODY_CHARS:
            text = text[:MAX_BODY_CHARS] + f"\n… ({len(result.body)} characters in all)"
        response.update(safe_lines(text))

    @property
    def status_text(self) -> str:
        rendered = self.query_one("#invoke-status", Static).render()
        return rendered.plain if isinstance(rendered, Text) else str(rendered)

    @property
    def body_text(self) -> str:
        rendered = self.query_one("#invoke-response", Static).render()
        return rendered.plain if isinstance(rendered, Text) else str(rendered)
