"""The full-screen log view of a container, or of a namespace's containers merged by time.

`LogScreen` owns a `LogTail` (created from `app.client` on mount, stopped on unmount) and a
`LogView` over a bounded `LogBuffer` sized by the app's settings. Keys: `/` filter, `n`/`N`
search, `f`/End follow, `t` time format, `R` time range, `w` wrap, `L`/`S` columns, Enter opens
the line (pretty JSON when it is JSON), `s` save, `c` clear, `r` poll now, Esc or `q` back.

It works in any App that has a `client` (a `ContainersClient`); `settings` is optional. When the
app forwards status transitions (`observe_transitions`), they become markers at once; the tail
also checks the container's status itself every few seconds. A namespace view follows its
namespace from those transitions and the app's `known_containers(namespace_id)`: a container
that appears is tailed from then on ("── NAME: container added ──"), one deleted stops.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.highlighter import JSONHighlighter
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from tui.live.events import GONE
from tui.live.logbuffer import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_LINES,
    LINE,
    LogBuffer,
    LogEntry,
    format_iso,
    save_entries,
)
from tui.live.logtail import LogBatch, LogTail, StatusSeen, TailEvent, TailSource, TailState
from tui.resources import style_path
from tui.text import clean, safe_text, truncate
from tui.widgets.key_bar import KeyBar
from tui.widgets.log_toolbar import LogFilterBar, LogStatusBar
from tui.widgets.log_view import TIME_MODES, LogView, TimeMode

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

__all__ = ["LogLineScreen", "LogScreen", "SaveLogScreen"]


class TailMessage(Message):
    """What the tail reported, delivered on the screen's message queue."""

    def __init__(self, event: TailEvent) -> None:
        super().__init__()
        self.event = event


class LogScreen(Screen[None]):
    """Live logs of one container, or of several merged by time (a namespace)."""

    CSS_PATH: ClassVar[Any] = [style_path("logs.tcss"), style_path("key_bar.tcss")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="logs.back"),
        Binding("q", "leave", "Back", show=False, id="logs.quit"),
        Binding("slash", "open_filter", "Filter", id="logs.filter"),
        Binding("s", "save", "Save", id="logs.save"),
        Binding("c", "clear", "Clear", id="logs.clear"),
        Binding("r", "poll_now", "Refresh", show=False, id="logs.refresh"),
    ]

    def __init__(
        self,
        container: Container | None = None,
        namespace: Namespace | None = None,
        containers: Sequence[Container] | None = None,
        *,
        tail_options: dict[str, Any] | None = None,
        name: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id or "log-screen")
        self.tail_options = dict(tail_options or {})  # LogTail keyword arguments (tests, bench)
        if container is None and namespace is None and not containers:
            raise ValueError("LogScreen needs a container, or a namespace and its containers")
        self.container = container
        self.namespace = namespace
        self.containers: list[Container] | None = list(containers) if containers else None
        self.merged = container is None
        self.tail: LogTail | None = None
        self.tail_state = TailState("connecting")
        self._sources: list[TailSource] = []
        self._shown_title: Text | None = None

    # -- building -------------------------------------------------------------------------------

    def _setting(self, name: str, default: Any) -> Any:
        settings = getattr(self.app, "settings", None)
        value = getattr(settings, name, None)
        return default if value is None else value

    def compose(self) -> ComposeResult:
        lines = int(self._setting("log_buffer_lines", DEFAULT_MAX_LINES))
        nbytes = int(self._setting("log_buffer_bytes", DEFAULT_MAX_BYTES))
        style = self._setting("timestamp_style", "local")
        mode: TimeMode = style if style in TIME_MODES else "local"
        with Vertical(id="log-body"):
            yield Static(self._title(), id="log-title")
            bar = LogFilterBar(id="log-filter-bar")
            bar.display = False
            yield bar
            yield LogView(
                LogBuffer(max_lines=lines, max_bytes=nbytes),
                merged=self.merged,
                time_mode=mode,
                id="log-view",
            )
            yield LogStatusBar(id="log-status")
        yield KeyBar()

    def _title(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" Logs ", "bold reverse")
        text.append(" ")
        if self.container is not None:
            text.append(clean(self.container.name), "bold")
            where = [self.namespace.name if self.namespace else "", self.container.region or ""]
            extra = " · ".join(clean(w) for w in where if w)
            if extra:
                text.append(f"  {extra}", "dim")
        else:
            assert self.namespace is not None or self.containers
            name = self.namespace.name if self.namespace is not None else "namespace"
            text.append(clean(name), "bold")
            tail = self.tail
            count = len(tail.container_ids) if tail is not None else len(self.containers or [])
            text.append(f"  all {count} container{'s' if count != 1 else ''}, merged", "dim")
        return text

    @property
    def log_view(self) -> LogView:
        return self.query_one("#log-view", LogView)

    @property
    def filter_bar(self) -> LogFilterBar:
        return self.query_one("#log-filter-bar", LogFilterBar)

    def on_mount(self) -> None:
        self.log_view.focus()
        self._update_status()
        self.set_interval(1.0, self._update_status)
        self._start_tail()

    @work(group="log-tail", exit_on_error=False)
    async def _start_tail(self) -> None:
        client = getattr(self.app, "client", None)
        if client is None:
            self._on_tail_event(TailState("retrying", error="no API client"))
            return
        if self.container is not None:
            sources = [TailSource(self.container.id, self.container.name, self.container.region)]
        else:
            containers = self.containers
            if containers is None and self.namespace is not None:
                containers = await self._namespace_containers(client, self.namespace)
            # Those the watcher saw appear since the list was taken (the tree's, when `l` was
            # pressed): their transitions came before this tail could hear them.
            containers = list(containers or [])
            tailed = {c.id for c in containers}
            containers.extend(c for c in self._known_containers() if c.id not in tailed)
            self.containers = containers
            # A namespace with no container yet still gets a tail: it waits for one to appear.
            sources = [TailSource(c.id, c.name, c.region) for c in containers]
        self._sources = sources
        options: dict[str, Any] = {
            "history_lines": int(self._setting("log_history_lines", 1_000)),
            "max_lines_per_poll": self.log_view.buffer.max_lines,
            "namespace_id": self.namespace.id if self.namespace is not None else None,
            "merged": self.merged,
        }
        options.update(self.tail_options)
        self.tail = LogTail(client, sources, self._on_tail_event, **options)
        self._refresh_title()
        await self.tail.run()

    def _known_containers(self) -> list[Container]:
        """The watcher's current containers of this view's namespace (none without a watcher)."""
        known = getattr(self.app, "known_containers", None)
        if self.namespace is None or not callable(known):
            return []
        return list(known(self.namespace.id))

    async def _namespace_containers(self, client: Any, namespace: Namespace) -> list[Container]:
        found = self._known_containers()
        if found:
            return found
        try:
            return list(
                await client.list_containers_all(
                    namespace_id=namespace.id, region=namespace.region or None
                )
            )
        except Exception as exc:  # shown in the status bar; the screen stays usable
            self._on_tail_event(TailState("retrying", error=str(exc)))
            return []

    async def on_unmount(self) -> None:
        tail, self.tail = self.tail, None
        if tail is not None:
            await tail.stop()

    # -- the tail's events --------------------------------------------------------------------

    def _on_tail_event(self, event: TailEvent) -> None:
        # Called from the tail's task: hand it to the message queue (the UI's own pace).
        self.post_message(TailMessage(event))

    def on_tail_message(self, message: TailMessage) -> None:
        event = message.event
        if isinstance(event, LogBatch):
            self.log_view.add_entries(event.entries)
        elif isinstance(event, TailState):
            self.tail_state = event
            self._update_status()
            self._refresh_title()  # the tail may have found a container deleted
        elif isinstance(event, StatusSeen):
            pass  # markers arrive as entries; the state is in the app's tree already

    def _refresh_title(self) -> None:
        if not self.is_mounted:
            return
        title = self._title()
        if title != self._shown_title:
            self._shown_title = title
            self.query_one("#log-title", Static).update(title)

    def observe_transitions(self, transitions: Iterable[Any]) -> None:
        """Status changes the app's watcher saw (`tui.live.events.Transition`): draw markers;
        in a namespace view, tail the containers that appeared and stop those deleted."""
        tail = self.tail
        if tail is None:
            return  # the tail, once it starts, takes the watcher's list as it is then
        transitions = list(transitions)
        changed = self._follow_namespace(tail, transitions)
        for transition in transitions:
            resource_id = getattr(transition, "resource_id", None)
            status = getattr(transition, "to_status", None)
            if not resource_id or not isinstance(status, str):
                continue
            if status == GONE:
                # Deleted (no longer listed): stop asking for its logs, no error to show.
                changed = tail.remove_source(resource_id) or changed
                continue
            at = getattr(transition, "at", None)
            tail.observe_status(
                resource_id,
                status,
                getattr(transition, "error_message", None),
                at if isinstance(at, datetime) else None,
            )
        if changed:
            self._refresh_title()

    def _follow_namespace(self, tail: LogTail, transitions: list[Any]) -> bool:
        """Tail the containers of this view's namespace that appeared; True when one did."""
        namespace = self.namespace
        if not self.merged or namespace is None:
            return False
        found: list[TailSource] = []
        for transition in transitions:
            if (
                getattr(transition, "kind", None) == "container"
                and getattr(transition, "namespace_id", None) == namespace.id
                and getattr(transition, "from_status", "") is None
                and getattr(transition, "to_status", GONE) != GONE
            ):
                found.append(
                    TailSource(transition.resource_id, str(transition.name), transition.region)
                )
        # The watcher's list catches any whose transition this screen missed. Only additions
        # are taken from it: a container is dropped on its own GONE transition (or when the
        # tail finds it deleted), never because a list was briefly incomplete.
        found.extend(TailSource(c.id, c.name, c.region) for c in self._known_containers())
        added = False
        for source in found:
            added = tail.add_source(source) or added
        return added

    # -- status ---------------------------------------------------------------------------------

    @on(LogView.StateChanged)
    def _view_changed(self) -> None:
        self._update_status()

    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        view = self.log_view
        state = self.tail_state
        self.query_one("#log-status", LogStatusBar).show(
            follow=view.follow,
            new_lines=view.new_lines,
            lines=len(view.buffer),
            capacity=view.buffer.max_lines,
            matches=view.match_count,
            filtering=view.filter_progress,
            time_range=view.time_range,
            time_mode=view.time_mode,
            wrap=view.wrap,
            connection=state.state,
            error=state.error,
            retry_in_s=state.retry_in_s,
            last_success=state.last_success,
        )

    # -- filter ---------------------------------------------------------------------------------

    def action_open_filter(self) -> None:
        self.filter_bar.open()

    @on(LogFilterBar.Changed)
    def _filter_changed(self, event: LogFilterBar.Changed) -> None:
        error = self.log_view.set_filter(
            event.pattern,
            regex=event.regex,
            case_sensitive=event.case_sensitive,
            hide_unmatched=event.hide_unmatched,
        )
        self.filter_bar.set_error(error)

    @on(LogFilterBar.Closed)
    def _filter_closed(self, event: LogFilterBar.Closed) -> None:
        bar = self.filter_bar
        if not event.keep or not bar.pattern:
            bar.display = False
        self.log_view.focus()

    # -- actions --------------------------------------------------------------------------------

    def action_back(self) -> None:
        # Esc clears an active filter first (as k9s does); `q`, or Esc again, goes back.
        bar = self.filter_bar
        if self.log_view.matcher is not None and bar.pattern:
            bar.action_close(False)
            return
        self.dismiss(None)

    def action_leave(self) -> None:
        self.dismiss(None)

    def action_poll_now(self) -> None:
        if self.tail is not None:
            self.tail.poll_now()

    def action_clear(self) -> None:
        self.log_view.clear()
        self.notify("Cleared the view; new lines keep coming.", timeout=2, markup=False)

    def action_save(self) -> None:
        view = self.log_view
        filtered = view.matcher is not None or view.time_range != "all"
        entries = view.visible_entries() if filtered else list(view.buffer.entries)
        if not entries:
            self.notify("Nothing to save yet.", severity="warning", markup=False)
            return
        self.app.push_screen(
            SaveLogScreen(default_save_path(self._save_name()), len(entries), filtered),
            lambda path: self._save(path, list(entries)),
        )

    def _save_name(self) -> str:
        if self.container is not None:
            return self.container.name
        if self.namespace is not None:
            return self.namespace.name
        return "logs"

    def _save(self, path: str | None, entries: list[LogEntry]) -> None:
        if path:
            self._write(path, entries)

    @work(group="log-save", exit_on_error=False)
    async def _write(self, path: str, entries: list[LogEntry]) -> None:
        try:
            count = await asyncio.to_thread(save_entries, entries, path)
        except OSError as exc:
            self.notify(
                f"Could not save to {clean(path)}: {clean(exc.strerror or exc)}",
                severity="error",
                markup=False,
            )
            return
        lines = sum(1 for e in entries if e.kind == LINE)
        self.notify(f"Saved {lines:,} lines ({count:,} rows) to {clean(path)}", markup=False)

    @on(LogView.LineOpened)
    def _open_line(self, event: LogView.LineOpened) -> None:
        self.app.push_screen(LogLineScreen(event.entry))


def default_save_path(name: str) -> str:
    """`<name>-YYYYmmdd-HHMMSS.log` in the current folder (name reduced to safe characters)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).strip(".-") or "logs"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return str(Path.cwd() / f"{safe}-{stamp}.log")


class SaveLogScreen(ModalScreen[str | None]):
    """Asks where to save; Enter saves, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="logs.save.cancel"),
    ]

    def __init__(self, default_path: str, count: int, filtered: bool) -> None:
        super().__init__(id="log-save")
        self.default_path = default_path
        self.count = count
        self.filtered = filtered

    def compose(self) -> ComposeResult:
        what = "shown (filtered)" if self.filtered else "buffered"
        with Vertical(id="log-save-box"):
            yield Static(Text(f"Save the {self.count:,} {what} lines", style="bold"))
            yield Static(Text("Whole lines, as UTF-8 text. Enter saves, Esc cancels.", style="dim"))
            yield Input(value=self.default_path, id="log-save-path")

    def on_mount(self) -> None:
        self.query_one("#log-save-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LogLineScreen(ModalScreen[None]):
    """One line whole: pretty-printed when it is JSON, with its time, level, stream and source."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "close", "Close", id="logs.line.close"),
        Binding("c", "copy", "Copy", id="logs.line.copy"),
    ]

    def __init__(self, entry: LogEntry) -> None:
        super().__init__(id="log-line")
        self.entry = entry
        value = entry.json_value() if entry.kind == LINE else None
        self.is_json = value is not None
        if value is not None:
            # JSON escapes C0 controls itself; `clean` catches C1, bidi and zero-width ones.
            self.text = json.dumps(value, indent=2, ensure_ascii=False)
        else:
            self.text = entry.message

    def compose(self) -> ComposeResult:
        with Vertical(id="log-line-box"):
            yield Static(self._header(), id="log-line-header")
            with VerticalScroll(id="log-line-scroll"):
                yield Static(self._body(), id="log-line-body")
            yield KeyBar()

    def _header(self) -> Text:
        entry = self.entry
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(format_iso(entry.shown_ts), "bold")
        if entry.kind == LINE:
            for label, value in (
                ("level", entry.level),
                ("stream", entry.stream),
                ("source", entry.source),
                ("container", entry.container),
                ("id", entry.id),
            ):
                if value:
                    text.append(f"  {label} ", "dim")
                    text.append(truncate(clean(value), 40))
            text.append(f"  {len(entry.message):,} chars", "dim")
            if self.is_json:
                text.append("  JSON", "bold green")
        return text

    def _body(self) -> Text:
        if self.is_json:
            text = Text("\n".join(clean(line) for line in self.text.split("\n")))
            JSONHighlighter().highlight(text)
            return text
        # Not JSON: the whole message, each of its lines on its own, wrapped.
        body = Text()
        for n, line in enumerate(self.text.split("\n")):
            if n:
                body.append("\n")
            body.append_text(safe_text(line))
        return body

    def on_mount(self) -> None:
        self.query_one("#log-line-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied the line.", timeout=2, markup=False)
