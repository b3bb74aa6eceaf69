"""The header line (who, where, connection state, "updated N s ago") and the lost-connection
banner with its retry countdown. Both repaint once a second, and only when their text changed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from tui.live.events import ConnectionState
from tui.text import clean, truncate


def _seen(widget: Widget) -> bool:
    """Whether the widget's screen can be seen: on top, or under screens with a see-through
    background (a modal). The once-a-second tick is skipped otherwise: a repaint of a covered
    screen still makes the top screen render again (the log screen, say), all for text nobody
    sees. The line is brought up to date at the first tick once the screen shows again."""
    stack = widget.app.screen_stack
    screen = widget.screen
    if screen not in stack:
        return False
    above = stack[stack.index(screen) + 1 :]
    return all(other.styles.background.a < 1 for other in above)


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


class ConnectionBar(Static):
    """One line: app │ DEMO or host │ profile │ project │ regions │ state · updated N s ago."""

    def __init__(
        self,
        *,
        host: str,
        demo: bool,
        profile: str | None,
        project: str | None,
        regions: tuple[str, ...],
        read_only: bool = False,
        **kwargs: object,
    ) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.host = host
        self.demo = demo
        self.profile = profile
        self.project = project
        self.regions = regions
        self.read_only = read_only
        self.state: ConnectionState = ConnectionState("connecting")
        self.state_at = time.monotonic()
        self.extra = ""  # sort / filter hints from the screen
        self._painted: Text | None = None

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.repaint()

    def _tick(self) -> None:
        if _seen(self):
            self.repaint()

    def set_state(self, state: ConnectionState) -> None:
        self.state = state
        self.state_at = time.monotonic()
        self.repaint()

    def set_extra(self, extra: str) -> None:
        self.extra = extra
        self.repaint()

    def updated_text(self) -> str | None:
        last = self.state.last_success
        if last is None:
            return None
        return "updated " + ago((datetime.now(UTC) - last).total_seconds())

    def build(self) -> Text:
        """The line, dropping the least useful parts first when the terminal is narrow."""
        variables = self.app.theme_variables if self.is_attached else {}
        parts: list[tuple[int, Text]] = []  # (drop order: higher goes first, text)

        def part(priority: int, *chunks: tuple[str, str] | str) -> None:
            parts.append((priority, Text.assemble(*chunks)))

        part(5, ("scw-containers", "bold"))
        # Narrow terminals keep a short name (after the project filter is dropped) rather
        # than none: the first word still says which tool this is.
        shorter = {0: (3, Text("scw", style="bold"))}
        if self.demo:
            part(0, (" DEMO ", f"bold reverse {variables.get('warning', 'yellow')}"))
        else:
            part(0, (truncate(clean(self.host), 40), "bold"))
        if self.read_only:
            part(1, ("read-only", "bold"))
        if self.profile:
            # Which account this is matters more than the project filter or the freshness
            # line: at 80 columns those go first.
            part(1, f"profile {truncate(clean(self.profile), 20)}")
        part(3, self.project[:8] + "…" if self.project else "all projects")
        part(2, " ".join(self.regions))
        state = self.state.state
        colours = {
            "connected": variables.get("success", "green"),
            "connecting": variables.get("warning", "yellow"),
            "retrying": variables.get("error", "red"),
            "unauthorized": variables.get("error", "red"),
        }
        words = {
            "connected": "● connected",
            "connecting": "◌ connecting…",
            "retrying": "✖ connection lost",
            "unauthorized": "✖ unauthorized",
        }
        status = Text(words.get(state, state), style=colours.get(state, ""))
        updated = self.updated_text()
        parts.append((0, status))
        if updated:
            part(2, (updated, "dim"))
        if self.extra:
            for index, chunk in enumerate(self.extra.split(" · ")):
                part(1 if index else 4, (chunk, "dim"))
        short_for = {id(parts[index][1]): alt for index, alt in shorter.items()}
        width = self.size.width or 200
        separator = Text(" │ ", style="dim")
        while True:
            line = Text(" ", no_wrap=True, overflow="ellipsis")
            line.append_text(separator.join(text for _, text in parts))
            if line.cell_len <= width or len(parts) <= 2:
                return line
            drop = max(range(len(parts)), key=lambda i: (parts[i][0], i))
            if parts[drop][0] == 0:
                return line
            if id(parts[drop][1]) in short_for:
                parts[drop] = short_for.pop(id(parts[drop][1]))
            else:
                del parts[drop]

    def repaint(self) -> None:
        text = self.build()
        if self._painted is None or text.plain != self._painted.plain:
            self._painted = text
            # One line of fixed size (main.tcss): no layout pass. With one, the "updated N s
            # ago" tick re-arranged the whole screen and repainted the tree's scrollbars
            # every second (most of the console's idle CPU).
            self.update(text, layout=False)


class ConnectionBanner(Static):
    """Shown only while polling fails and there is data on screen; counts down to the retry."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.state: ConnectionState | None = None
        self.state_at = time.monotonic()
        self._plain = ""

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self.display = False

    def _tick(self) -> None:
        if _seen(self):
            self.repaint()

    def set_state(self, state: ConnectionState) -> None:
        self.state = state
        self.state_at = time.monotonic()
        self.repaint()

    def retry_in(self) -> float | None:
        if self.state is None or self.state.retry_in_s is None:
            return None
        return max(0.0, self.state.retry_in_s - (time.monotonic() - self.state_at))

    def repaint(self) -> None:
        state = self.state
        show = state is not None and state.state in ("retrying", "unauthorized")
        self.display = show
        if not show or state is None:
            return
        text = Text(no_wrap=False)
        if state.state == "unauthorized":
            text.append("⚠ The API refused the secret key (401). ", style="bold")
        else:
            text.append("⚠ Connection lost", style="bold")
            if state.regions_down:
                text.append(f" ({', '.join(state.regions_down)})")
            text.append(". ")
        if state.error:
            text.append(truncate(clean(state.error), 160))
            text.append(" ")
        retry = self.retry_in()
        if retry is not None:
            text.append(f"Retrying in {retry:.0f} s", style="bold")
        if state.last_success is not None:
            shown = state.last_success.astimezone().strftime("%H:%M:%S")
            age = ago((datetime.now(UTC) - state.last_success).total_seconds())
            text.append(f" · showing data from {shown} ({age})")
        text.append(" · r retries now", style="italic")
        if text.plain != self._plain:
            self._plain = text.plain
            self.update(text)
