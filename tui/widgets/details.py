"""The detail pane of the selected tree node: readable sections and related-resource tabs.

It is given data by the screen (`show_*`, `set_related`, `set_timeline`); it never fetches.
Every server string goes in as `Text` through `tui.text`.

Moving the tree cursor shows a new node on every settled move, so showing one must not
re-arrange the whole screen (a `Static.update` with its default layout pass measures every
widget again and redraws the tree's scrollbars): the title line has a fixed size, a body is
laid out again only when its height changes, and what a hidden tab would show waits until
that tab is opened.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import MountError
from textual.widgets import DataTable, Static, TabbedContent, TabPane, Tabs

from tui.live.events import Transition
from tui.text import clean, safe_text, truncate
from tui.widgets.env_table import effective_env, env_renderable
from tui.widgets.status_badge import (
    BadgePalette,
    badge_text,
    is_transient_status,
)
from tui.widgets.timeline_view import timeline_renderable

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

RelatedKind = Literal["crons", "domains", "tokens"]
RelatedAction = Literal["create", "edit", "delete", "leave"]
RELATED_KINDS: tuple[RelatedKind, ...] = ("crons", "domains", "tokens")
TAB_IDS: tuple[str, ...] = ("tab-details", "tab-crons", "tab-domains", "tab-tokens", "tab-timeline")
# The scrolling text of a tab (a `Static` in a `VerticalScroll`) → its tab.
BODY_TABS: dict[str, str] = {"details-body": "tab-details", "timeline-body": "tab-timeline"}
SPIN_S = 0.25  # the title's status glyph, as `StatusBadge` spins it


def memory_to_cpu(memory_mb: int) -> int:
    from tui.api.models import memory_to_cpu as table

    return table(memory_mb)


LABEL_WIDTH = 14


Wrap = Literal["cut", "words", "separators"]
_SEPARATORS = "/.-:"


def _fold_at_separators(value: Text, width: int) -> list[Text]:
    """Lines of at most `width` cells, broken after a `/`, `.`, `-` or `:` (a URL or an image
    reference stays readable: `…fr-par.` / `scw.cloud`, never `…scw.clo` / `ud`)."""
    plain = value.plain
    lines: list[Text] = []
    start = 0
    while len(plain) - start > width:
        window = plain[start : start + width]
        cut = max(window.rfind(sep) for sep in _SEPARATORS) + 1
        end = start + (cut if cut > width // 3 else width)
        lines.append(value[start:end])
        start = end
    lines.append(value[start:])
    return lines


class _Fields:
    """Label/value rows rendered as one `Text` (a Rich Table measures every cell on every
    render, which made moving the tree cursor slow)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, Text, Wrap]] = []

    def add_row(self, label: str, value: Text, *, wrap: bool | Wrap = False) -> None:
        """`wrap=True` for prose (a description, an error message), "separators" for a URL
        or an image to read whole; other values (ids) are cut with an ellipsis."""
        how: Wrap = "words" if wrap is True else "cut" if wrap is False else wrap
        self.rows.append((label, value, how))

    def render(self, console: Console, width: int) -> Text:
        """Rows under the value column (not under the labels). A value that doesn't fit is
        cut with an ellipsis rather than wrapped mid-id or mid-URL (the copy keys give it
        whole); prose rows wrap at spaces, URLs after a separator."""
        text = Text()
        indent = " " * LABEL_WIDTH
        value_width = max(20, width - LABEL_WIDTH)
        for index, (label, value, how) in enumerate(self.rows):
            if index:
                text.append("\n")
            text.append(label.ljust(LABEL_WIDTH - 1)[: LABEL_WIDTH - 1] + " ", style="dim")
            lines: list[Text]
            if how == "words":
                lines = list(value.wrap(console, value_width, overflow="fold"))
            elif how == "separators" and "\n" not in value.plain:
                lines = _fold_at_separators(value, value_width)
            else:
                lines = list(value.split("\n", allow_blank=True))
                for line in lines:
                    line.truncate(value_width, overflow="ellipsis")
            for line_no, line in enumerate(lines):
                if line_no:
                    text.append("\n" + indent)
                text.append_text(line)
        return text


def _grid() -> _Fields:
    return _Fields()


class _Shown(Group):
    """A body's content that keeps what it rendered at each width.

    Textual renders a `Static`'s content twice after each change (to measure its height, then
    to draw it); this renders it once. The pane also renders it ahead, at the width shown, to
    learn whether the height changed (else no layout pass is needed) and whether anything
    changed at all.
    """

    def __init__(self, *renderables: RenderableType) -> None:
        super().__init__(*renderables)
        self._segments: dict[tuple[Any, ...], list[Segment]] = {}

    @staticmethod
    def _key(options: ConsoleOptions) -> tuple[Any, ...]:
        # Every option a render depends on, except the height: Textual measures with none and
        # draws with the widget's, and neither `Text` nor `Table` reads it.
        return (
            options.min_width,
            options.max_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.highlight,
            options.markup,
            options.legacy_windows,
            options.encoding,
            options.is_terminal,
        )

    def segments(self, console: Console, options: ConsoleOptions) -> list[Segment]:
        key = self._key(options)
        found = self._segments.get(key)
        if found is None:
            if len(self._segments) >= 4:  # a width or two are ever asked for
                self._segments.clear()
            found = self._segments[key] = [
                segment
                for renderable in self.renderables
                for segment in console.render(renderable, options)
            ]
        return found

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.segments(console, options)


def _line_count(segments: list[Segment]) -> int:
    """Lines of a render, counted as Textual's `RichVisual.get_height` counts them."""
    return sum(segment.text.count("\n") for segment in segments)


def _same_text(a: Text, b: Text) -> bool:
    """`Text.__eq__` compares only the characters and the spans."""
    return (
        a.plain == b.plain
        and a.spans == b.spans
        and a.style == b.style
        and (a.justify, a.overflow, a.no_wrap, a.end) == (b.justify, b.overflow, b.no_wrap, b.end)
    )


def _same_content(a: object, b: object) -> bool:
    """Equal `Text`s, or groups of equal `Text`s (other renderables never compare equal).

    Compared as built, not as rendered: the pane builds its text for its width, so content
    built for another width differs too."""
    if isinstance(a, Text) and isinstance(b, Text):
        return _same_text(a, b)
    if isinstance(a, Group) and isinstance(b, Group):
        parts_a, parts_b = a.renderables, b.renderables
        return len(parts_a) == len(parts_b) and all(
            isinstance(x, Text) and isinstance(y, Text) and _same_text(x, y)
            for x, y in zip(parts_a, parts_b, strict=True)
        )
    return False


class _TitleLine:
    """`kind name  ● status` on the one line of the title: a name too long for the pane is
    cut with an ellipsis so that the status always shows. Laid out when rendered (at the
    width the line gets), so the title never needs a layout pass of its own."""

    def __init__(self, title: Text, badge: Text | None) -> None:
        self.title = title
        self.badge = badge

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = self.title.copy()
        line.no_wrap = True
        line.overflow = "ellipsis"
        if self.badge is not None:
            room = max(0, width - 2 - self.badge.cell_len)
            if line.cell_len > room:
                line.truncate(room, overflow="ellipsis")
            line.append("  ")
            line.append_text(self.badge)
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = self.title.cell_len + (2 + self.badge.cell_len if self.badge is not None else 0)
        return Measurement(1, width)


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _when(value: datetime | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    return Text(value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"))


def _seconds(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = value.total_seconds()
    return f"{seconds:g} s" if seconds < 120 else f"{seconds:g} s ({seconds / 60:g} min)"


def endpoint_url(container: Container) -> str | None:
    domain = clean(container.domain_name or "")
    return f"https://{domain}" if domain else None


_PRIVACY = {"public": "public: anyone can call it", "private": "private: a token is required"}
_HTTP = {
    "enabled": "HTTP and HTTPS accepted",
    "redirected": "HTTP redirected to HTTPS",
}


class RelatedTable(DataTable[Text]):
    """One related list (a container's crons, domains or tokens) with a row cursor and its keys.

    The keys only ask: they post `ActionRequested` with the highlighted item, and the screen
    runs the flow. Every key is kept here while the list has focus (`e` on a domain explains
    rather than falling through to the screen's `e`, which would edit the container); in
    read-only mode the mutating keys are disabled, and the screen's are too.
    """

    kind: ClassVar[RelatedKind] = "crons"
    singular: ClassVar[str] = "cron"
    editable: ClassVar[bool] = True
    note: ClassVar[str] = ""  # what the keys cannot do, after them
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("escape", "related('leave')", "Back to the tree", id="related.leave", show=False),
    ]

    class ActionRequested(Message):
        """A key asked for `action` on `kind`; `item` is the highlighted row's resource."""

        def __init__(self, kind: RelatedKind, action: RelatedAction, item: Any | None) -> None:
            super().__init__()
            self.kind = kind
            self.action = action
            self.item = item

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, show_cursor=True, **kwargs)
        self.items: list[Any] = []

    @property
    def highlighted_item(self) -> Any | None:
        if not self.items or not 0 <= self.cursor_row < len(self.items):
            return None
        return self.items[self.cursor_row]

    def show_rows(
        self, columns: Sequence[str], items: Sequence[Any], rows: list[list[Text]]
    ) -> None:
        """Replace the rows, keeping the cursor on the same item when it is still listed."""
        kept = self.highlighted_item
        kept_id = getattr(kept, "id", None)
        self.clear(columns=not self.columns)
        if not self.columns:
            self.add_columns(*columns)
        self.items = list(items)
        for item, row in zip(self.items, rows, strict=True):
            self.add_row(*row, key=str(getattr(item, "id", id(item))))
        if kept_id is not None:
            for index, item in enumerate(self.items):
                if getattr(item, "id", None) == kept_id:
                    self.move_cursor(row=index, animate=False)
                    break

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "related" and parameters and parameters[0] != "leave":
            # False lets the key fall through to the screen, whose mutations are off too.
            return not getattr(self.app, "read_only", False)
        return True

    def action_related(self, action: RelatedAction) -> None:
        if action == "edit" and not self.editable:
            self.notify(
                f"A {self.singular} cannot be changed: delete it and add another.",
                severity="warning",
                timeout=4,
                markup=False,
            )
            return
        item = self.highlighted_item
        if action in ("edit", "delete") and item is None:
            self.notify(f"No {self.singular} to {action} here.", timeout=3, markup=False)
            return
        self.post_message(self.ActionRequested(self.kind, action, item))

    def hint(self) -> Text:
        """The line above the list: its keys, as the footer shows them."""
        if getattr(self.app, "read_only", False):
            return Text(f"read-only: {self.kind} cannot be changed here", style="dim")
        keys: list[str] = []
        for _key, binding in self._bindings:
            if binding.id in ("related.create", "related.edit", "related.delete") and binding.show:
                verb = binding.description.split()[0].lower()  # "New cron" → "new"
                keys.append(f"{self.app.get_key_display(binding)} {verb}")
        text = Text(" · ".join(keys), style="dim")
        text.append(f"{self.note} — Tab: list, Esc: tree", style="dim italic")
        return text


class CronTable(RelatedTable):
    kind = "crons"
    singular = "cron"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "related('create')", "New cron", id="related.create"),
        Binding("e", "related('edit')", "Edit cron", id="related.edit"),
        Binding("ctrl+d", "related('delete')", "Delete cron", id="related.delete"),
    ]


class DomainTable(RelatedTable):
    kind = "domains"
    singular = "domain"
    editable = False
    note = " (no edit)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "related('create')", "Add domain", id="related.create"),
        Binding("e", "related('edit')", "Edit", id="related.edit", show=False),
        Binding("ctrl+d", "related('delete')", "Delete domain", id="related.delete"),
    ]


class TokenTable(RelatedTable):
    kind = "tokens"
    singular = "token"
    editable = False
    note = " (no edit; the value is shown once)"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "related('create')", "New token", id="related.create"),
        Binding("e", "related('edit')", "Edit", id="related.edit", show=False),
        Binding("ctrl+d", "related('delete')", "Delete token", id="related.delete"),
    ]


RELATED_TABLES: dict[RelatedKind, type[RelatedTable]] = {
    "crons": CronTable,
    "domains": DomainTable,
    "tokens": TokenTable,
}


class DetailsPane(Vertical):
    """See the module docstring."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.palette = BadgePalette()
        self.current_kind: str | None = None
        self.current_id: str | None = None
        # What was shown last, to show it again wrapped to a new width.
        self._last_show: tuple[Callable[..., None], tuple[Any, ...]] | None = None
        # The tabs are mounted just after the first frame (they are a good part of the
        # start-up time); what is shown meanwhile waits here.
        self._tabs_ready = False
        self._pending: dict[str, RenderableType] = {}
        self._pending_related: tuple[str, ...] | None = None
        # What each related list holds: (items or None while loading, error message).
        self._related: dict[RelatedKind, tuple[list[Any] | None, str | None]] = {}
        # What each related list shows; the lists of closed tabs are filled when opened.
        self._related_shown: dict[RelatedKind, tuple[list[Any] | None, str | None]] = {}
        self._related_stale: set[RelatedKind] = set()
        # Bodies of closed tabs, shown when their tab is opened.
        self._hidden_bodies: dict[str, RenderableType] = {}
        self._bodies: dict[str, Static] = {}
        self._tabbed: TabbedContent | None = None
        # The title line: its text, the status of its badge (None: no badge), what it shows.
        self._title_text = Text("Nothing selected", style="dim")
        self._title_status: str | None = None
        self._title_shown: tuple[Any, ...] | None = None
        self._spin_frame = 0
        self._spin_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="details-title-row"):
            yield Static(_TitleLine(self._title_text, None), id="details-title", markup=False)
        yield Static("", id="details-placeholder", markup=False)

    def on_mount(self) -> None:
        self.palette = BadgePalette(self.app.theme_variables)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        transient = self._title_status is not None and is_transient_status(self._title_status)
        self._spin_timer = self.set_interval(SPIN_S, self._spin, pause=not transient)
        self.call_after_refresh(self._mount_tabs)

    async def _mount_tabs(self) -> None:
        tabs = (
            ("Details", "tab-details", "details-body"),
            ("Timeline", "tab-timeline", "timeline-body"),
        )
        panes = {
            tab_id: TabPane(
                title,
                VerticalScroll(
                    Static(self._pending.pop(body_id, ""), id=body_id, markup=False),
                    classes="details-scroll",
                ),
                id=tab_id,
            )
            for title, tab_id, body_id in tabs
        }
        for kind in RELATED_KINDS:
            table = RELATED_TABLES[kind](id=f"{kind}-table", classes="related-table")
            panes[f"tab-{kind}"] = TabPane(
                kind.capitalize(),
                Vertical(
                    Static("", id=f"{kind}-hint", classes="related-hint", markup=False),
                    Static("", id=f"{kind}-body", classes="related-message", markup=False),
                    table,
                    classes="related-pane",
                ),
                id=f"tab-{kind}",
            )
        tabbed = TabbedContent(id="details-tabs")
        for tab_id in TAB_IDS:
            tabbed.compose_add_child(panes[tab_id])  # what `with TabbedContent():` does
        try:
            await self.mount(tabbed)
        except MountError:
            return  # the pane went away (the app is closing) before this callback ran
        # Tab goes from the tree straight to the list or text of the open tab; `[` and `]`
        # switch tabs, so the tab strip need not take focus on the way.
        tabbed.query_one(Tabs).can_focus = False
        self._tabbed = tabbed
        self._bodies = {body_id: self.query_one(f"#{body_id}", Static) for body_id in BODY_TABS}
        # A `_set_body` that landed during those awaits (the first poll's answer) went to
        # `_pending`, after the bodies were built from it: show it now, or it is lost.
        self._tabs_ready = True
        pending, self._pending = self._pending, {}
        for body_id, renderable in pending.items():
            self._bodies[body_id].update(renderable)
        await self.query_one("#details-placeholder").remove()
        for kind in RELATED_KINDS:
            self.query_one(f"#{kind}-hint", Static).update(self.related_table(kind).hint())
            self._render_related(kind)
        if self._pending_related is not None:
            self._related_tabs(self._pending_related)
        # Called at once when the tab changes (by a key, a click or `show_tab`), before the
        # next frame: a closed tab's content is brought up to date as it opens.
        self.watch(tabbed, "active", self._tab_opened, init=False)

    def related_table(self, kind: RelatedKind) -> RelatedTable:
        return self.query_one(f"#{kind}-table", RelatedTable)

    def active_related_table(self) -> RelatedTable | None:
        """The list of the open tab, when it is Crons, Domains or Tokens."""
        if not self._tabs_ready:
            return None
        active = self.active_tab
        for kind in RELATED_KINDS:
            if active == f"tab-{kind}":
                return self.related_table(kind)
        return None

    @property
    def tabs_ready(self) -> bool:
        return self._tabs_ready

    def _theme_changed(self, _theme: object) -> None:
        self.palette = BadgePalette(self.app.theme_variables)
        self._paint_title()
        self.on_resize()  # shows the same thing again, in the new colours
        if self._tabs_ready:
            self._related_shown.clear()
            for kind in RELATED_KINDS:
                self._render_related(kind)

    def _tab_opened(self, active: str) -> None:
        body_id = next((b for b, tab in BODY_TABS.items() if tab == active), None)
        if body_id is not None:
            body = self._bodies[body_id]
            hidden = self._hidden_bodies.pop(body_id, None)
            if hidden is not None:
                body.update(hidden)
            else:
                # Opening a tab lays the screen out anyway; measuring the body again then
                # costs little and never leaves it at a height measured for other content.
                body.refresh(layout=True)
        for kind in RELATED_KINDS:
            if active == f"tab-{kind}" and kind in self._related_stale:
                self._render_related(kind)

    # ------------------------------------------------------------------ helpers
    def _measure(self) -> tuple[Console, int]:
        """The console and the width the Details tab's text gets (scrollbar excluded)."""
        width = self.size.width - 2 if self.size.width else 80
        return self.app.console, width

    def on_resize(self) -> None:
        # A body skips its layout pass only when its new content has the height measured at
        # the current size: after a resize, both bodies are measured again whatever follows.
        for body in self._bodies.values():
            body.refresh(layout=True)
        if self._last_show is not None:
            method, args = self._last_show
            method(*args)

    def _set_body(self, body_id: str, renderable: RenderableType) -> None:
        """Show `renderable` in a tab's scrolling text, with a layout pass only if needed."""
        content = _Shown(*renderable.renderables) if isinstance(renderable, Group) else renderable
        if not self._tabs_ready:
            self._pending[body_id] = content
            if body_id == "details-body":
                self.query_one("#details-placeholder", Static).update(content)
            return
        if self.active_tab != BODY_TABS[body_id]:
            # The body of a closed tab keeps its size until the tab opens (`_tab_opened`).
            self._hidden_bodies[body_id] = content
            return
        self._hidden_bodies.pop(body_id, None)
        body = self._bodies[body_id]
        if _same_content(content, body.content):
            return  # a poll that changed nothing shown, or the same node again
        width, height = body.content_size
        if not width or not isinstance(content, _Shown):
            body.update(content)
            return
        # Rendered once here, at the body's width with the options of Textual's `RichVisual`
        # (which then reuses it): same height, then the body's box and its scroll container's
        # virtual size stay as measured, so only the body is drawn again. (When a layout pass
        # is already due, e.g. after a resize, the body is measured again in it anyway.)
        options = self.app.console_options.update_width(width).update(highlight=False)
        lines = _line_count(content.segments(self.app.console, options))
        body.update(content, layout=lines != height)

    def _title(self, kind: str, name: str, status: str | None) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{kind} ", style="dim")
        text.append(clean(name) or "(no name)", style="bold")
        self._set_title(text, status)

    def _set_title(self, text: Text, status: str | None) -> None:
        """The title line, with the status badge after it (spinning while transient)."""
        self._title_text = text
        if status != self._title_status and self._spin_timer is not None:
            if status is not None and is_transient_status(status):
                self._spin_timer.resume()
            else:
                self._spin_timer.pause()
        self._title_status = status
        self._paint_title()

    def _spin(self) -> None:
        self._spin_frame += 1
        self._paint_title()

    def _paint_title(self) -> None:
        text, status = self._title_text, self._title_status
        badge = None if status is None else badge_text(status, self.palette, self._spin_frame)
        shown = (
            text.plain,
            text.spans,
            text.style,
            None if badge is None else (badge.plain, badge.spans),
        )
        if shown == self._title_shown:
            return
        self._title_shown = shown
        # One line of fixed size (`#details-title` in main.tcss): no layout pass.
        self.query_one("#details-title", Static).update(_TitleLine(text, badge), layout=False)

    def show_tab(self, tab_id: str) -> None:
        if self._tabs_ready:
            self.query_one(TabbedContent).active = tab_id

    @property
    def active_tab(self) -> str:
        if self._tabbed is None or not self._tabs_ready:
            return "tab-details"
        return self._tabbed.active

    def cycle_tab(self, step: int) -> None:
        if not self._tabs_ready:
            return
        tabs = self.query_one(TabbedContent)
        enabled = [t for t in TAB_IDS if not tabs.get_tab(t).disabled]
        if not enabled:
            return
        index = enabled.index(tabs.active) if tabs.active in enabled else 0
        tabs.active = enabled[(index + step) % len(enabled)]

    def _related_tabs(self, enabled: Iterable[str]) -> None:
        if not self._tabs_ready:
            self._pending_related = tuple(enabled)
            return
        tabs = self.query_one(TabbedContent)
        wanted = set(enabled)
        for tab_id in ("tab-crons", "tab-domains", "tab-tokens"):
            tabs.get_tab(tab_id).disabled = tab_id not in wanted
        if tabs.active not in wanted and tabs.active not in ("tab-details", "tab-timeline"):
            tabs.active = "tab-details"

    # ------------------------------------------------------------------ what is shown
    def show_message(self, title: str, message: Text | str) -> None:
        self._last_show = None
        self.current_kind = None
        self.current_id = None
        self._set_title(Text(title, style="bold"), None)
        self._set_body("details-body", message if isinstance(message, Text) else Text(message))
        self._related_tabs(())

    def show_region(
        self,
        region: str,
        namespaces: Sequence[Namespace],
        containers: Mapping[str, Sequence[Container]],
        *,
        down: bool = False,
        loaded: bool = True,
    ) -> None:
        self._last_show = (
            lambda *a: self.show_region(*a, down=down, loaded=loaded),
            (region, namespaces, containers),
        )
        self.current_kind, self.current_id = "region", region
        self._title("region", region, None)
        grid = _grid()
        grid.add_row("Region", Text(region))
        if not loaded:
            grid.add_row("State", Text("loading…", style="dim"))
        if down:
            grid.add_row("State", Text("unreachable: showing the last data", style="bold"))
        all_containers = [c for cs in containers.values() for c in cs]
        grid.add_row("Namespaces", self._counts(namespaces))
        grid.add_row("Containers", self._counts(all_containers))
        parts: list[RenderableType] = [
            Text("Region", style="bold underline"),
            grid.render(*self._measure()),
        ]
        if loaded and not namespaces:
            parts.append(Text("\nNo namespaces in this region yet.", style="dim"))
        self._set_body("details-body", Group(*parts))
        self._related_tabs(())

    def _counts(self, resources: Sequence[Any]) -> Text:
        by_status: dict[str, int] = {}
        for resource in resources:
            by_status[str(resource.status)] = by_status.get(str(resource.status), 0) + 1
        text = Text(str(len(resources)))
        for status, count in sorted(by_status.items()):
            text.append("  ")
            text.append_text(badge_text(status, self.palette))
            text.append(f" {count}")
        return text

    def show_namespace(
        self, region: str, namespace: Namespace, containers: Sequence[Container]
    ) -> None:
        self._last_show = (self.show_namespace, (region, namespace, containers))
        self.current_kind, self.current_id = "namespace", namespace.id
        self._title("namespace", namespace.name, namespace.status)
        general = _grid()
        general.add_row("Name", safe_text(namespace.name))
        general.add_row("ID", Text(clean(namespace.id)))
        general.add_row(
            "Status", self._status_cell(namespace.status, namespace.error_message), wrap=True
        )
        general.add_row("Region", Text(clean(namespace.region or region)))
        general.add_row("Project", Text(clean(namespace.project_id) or "—"))
        general.add_row("Organization", Text(clean(namespace.organization_id) or "—"))
        general.add_row("Description", safe_text(namespace.description or "—"), wrap=True)
        general.add_row("Registry", Text(clean(namespace.registry_endpoint) or "— (not ready)"))
        if namespace.created_at is not None:
            general.add_row("Created", _when(namespace.created_at))
        env_rows = effective_env(namespace, None)
        parts: list[RenderableType] = [
            Text("General", style="bold underline"),
            general.render(*self._measure()),
            _heading(f"Containers ({len(containers)})"),
            self._counts(containers),
            _heading("Environment (inherited by every container)"),
            env_renderable(env_rows, self._success()),
            Text("\ni copy id · y raw JSON · l merged logs", style="dim"),
        ]
        self._set_body("details-body", Group(*parts))
        self._related_tabs(("tab-tokens",))

    def _status_cell(self, status: str, error: str | None) -> Text:
        text = badge_text(status, self.palette)
        if is_transient_status(status):
            text.append("  (in progress)", style="dim")
        if error:
            text.append("\n")
            text.append_text(safe_text(truncate(error, 500), style=str(self.palette.error)))
        return text

    def _success(self) -> str:
        return str(self.palette.ready.color.name) if self.palette.ready.color else "green"

    def show_container(
        self, region: str, container: Container, namespace: Namespace | None
    ) -> None:
        self._last_show = (self.show_container, (region, container, namespace))
        self.current_kind, self.current_id = "container", container.id
        self._title("container", container.name, container.status)
        general = _grid()
        general.add_row("Name", safe_text(container.name))
        general.add_row("ID", Text(clean(container.id)))
        general.add_row(
            "Status", self._status_cell(container.status, container.error_message), wrap=True
        )
        ns_name = safe_text(namespace.name if namespace else "?")
        ns_name.append(f"  {clean(container.namespace_id)}", style="dim")
        general.add_row("Namespace", ns_name)
        general.add_row("Region", Text(clean(container.region or region)))
        general.add_row("Image", safe_text(container.registry_image or "—"), wrap="separators")
        general.add_row("Description", safe_text(container.description or "—"), wrap=True)
        for label, value in (
            ("Created", container.created_at),
            ("Updated", container.updated_at),
            ("Ready since", container.ready_at),
        ):
            if value is not None:
                general.add_row(label, _when(value))

        scaling = _grid()
        scaling.add_row(
            "Instances",
            Text(
                f"{container.min_scale} to {container.max_scale}"
                + ("  (scales to zero when idle)" if container.min_scale == 0 else "")
            ),
            wrap=True,  # words, not an id: wrapping reads better than an ellipsis
        )
        cpu = memory_to_cpu(container.memory_limit) if container.memory_limit else 0
        memory = Text(f"{container.memory_limit} MB")
        if cpu:
            memory.append(f"  → buys {cpu} mvCPU ({cpu / 1000:g} vCPU)", style="dim")
        scaling.add_row("Memory", memory, wrap=True)
        cpu_text = Text(f"{container.cpu_limit} mvCPU" if container.cpu_limit else "—")
        if container.cpu_limit and cpu and container.cpu_limit != cpu:
            cpu_text.append(f"  (set apart; the memory alone gives {cpu})", style="dim")
        scaling.add_row("CPU limit", cpu_text, wrap=True)
        scaling.add_row("Concurrency", Text(f"{container.max_concurrency} requests per instance"))
        scaling.add_row("Timeout", Text(_seconds(container.timeout)))

        network = _grid()
        url = endpoint_url(container)
        network.add_row(
            "Endpoint",
            Text(url, style="underline") if url else Text("—"),
            wrap="separators",
        )
        network.add_row("Privacy", Text(_PRIVACY.get(container.privacy, clean(container.privacy))))
        network.add_row("Protocol", Text(clean(container.protocol)))
        network.add_row("Port", Text(str(container.port)))
        network.add_row(
            "HTTP", Text(_HTTP.get(container.http_option, clean(container.http_option)))
        )

        env_rows = effective_env(namespace, container)
        parts: list[RenderableType] = [
            Text("General", style="bold underline"),
            general.render(*self._measure()),
            _heading("Scaling & resources"),
            scaling.render(*self._measure()),
            _heading("Networking"),
            network.render(*self._measure()),
            _heading("Environment (effective: namespace + container)"),
            env_renderable(env_rows, self._success()),
            Text("\ni copy id · u copy URL · o copy domain · y raw JSON · l logs", style="dim"),
        ]
        self._set_body("details-body", Group(*parts))
        self._related_tabs(("tab-crons", "tab-domains", "tab-tokens"))

    # ------------------------------------------------------------------ tabs
    def set_related(
        self,
        kind: RelatedKind,
        items: Sequence[Any] | None,
        *,
        error: str | None = None,
    ) -> None:
        """Fill a related tab: `items` None means loading; `error` a failure to show."""
        self._related[kind] = (None if items is None else list(items), error)
        if self._tabs_ready:
            self._render_related(kind)

    def related_items(self, kind: RelatedKind) -> list[Any] | None:
        return self._related.get(kind, (None, None))[0]

    def _render_related(self, kind: RelatedKind) -> None:
        if self.active_tab != f"tab-{kind}":
            self._related_stale.add(kind)  # filled when its tab opens (`_tab_opened`)
            return
        self._related_stale.discard(kind)
        state = self._related.get(kind, (None, None))
        if self._related_shown.get(kind) == state:
            return
        self._related_shown[kind] = state
        items, error = state
        message = self.query_one(f"#{kind}-body", Static)
        if error is not None:
            message.update(safe_text(f"Could not load {kind}: {error}", style="bold"))
        elif items is None:
            message.update(Text("loading…", style="dim"))
        elif not items:
            message.update(Text(f"No {kind} yet.", style="dim"))
        else:
            message.update("")
        message.display = error is not None or not items
        columns, renderer = {
            "crons": (("NAME", "SCHEDULE (UTC)", "STATUS", "ARGS"), self._cron_row),
            "domains": (("HOSTNAME", "STATUS", "ERROR", "URL"), self._domain_row),
            "tokens": (("DESCRIPTION", "STATUS", "SCOPE", "EXPIRES", "ID"), self._token_row),
        }[kind]
        shown = items or []
        self.related_table(kind).show_rows(columns, shown, [renderer(item) for item in shown])

    def _cron_row(self, cron: Any) -> list[Text]:
        args = json.dumps(cron.args, ensure_ascii=True, separators=(",", ":"))
        return [
            safe_text(truncate(cron.name or "—", 40)),
            safe_text(cron.schedule),
            badge_text(str(cron.status), self.palette),
            Text(truncate(clean(args), 60), style="dim"),
        ]

    def _domain_row(self, domain: Any) -> list[Text]:
        return [
            safe_text(truncate(domain.hostname, 60)),
            badge_text(str(domain.status), self.palette),
            safe_text(truncate(domain.error_message or "", 80)),
            safe_text(truncate(domain.url or "—", 70)),
        ]

    def _token_row(self, token: Any) -> list[Text]:
        return [
            safe_text(truncate(token.description or "—", 40)),
            badge_text(str(token.status), self.palette),
            Text("container" if token.container_id else "namespace"),
            _when(token.expires_at) if token.expires_at else Text("never", style="dim"),
            Text(clean(token.id), style="dim"),
        ]

    def set_timeline(self, transitions: Sequence[Transition], *, show_names: bool) -> None:
        timeline = timeline_renderable(transitions, self.palette, show_names=show_names)
        self._set_body("timeline-body", timeline if isinstance(timeline, Text) else Group(timeline))
