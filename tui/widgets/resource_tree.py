"""The resource tree: regions → namespaces → containers, each with a status badge and counts.

The widget keeps its own copy of what it shows (fed by the screen from the live engine's
events) and reconciles the stock `Tree` nodes with it after each batch: labels are updated in
place, nodes are added or removed only where something appeared or vanished, and the selected
resource keeps its cursor (and its row on the screen) across every change.

Labels are `Text` built with `tui.text.safe_text`, never markup strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.text import clean
from tui.widgets.status_badge import BadgePalette, glyph, is_transient_status, status_rank

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace

NodeKind = Literal["region", "namespace", "container"]
SortMode = Literal["name", "status", "age"]
SORT_MODES: tuple[SortMode, ...] = ("name", "status", "age")
# Above this many containers, namespaces start collapsed and get their nodes when expanded.
LARGE_ACCOUNT = 2000
NAME_COLUMN_MAX = 30


@dataclass(frozen=True, slots=True)
class NodeRef:
    """What a tree node stands for. `id` is the region name for a region node."""

    kind: NodeKind
    region: str
    id: str

    @property
    def key(self) -> str:
        return region_key(self.region) if self.kind == "region" else self.id


def region_key(region: str) -> str:
    return f"region:{region}"


@dataclass
class _Region:
    name: str
    loaded: bool = False
    down: bool = False
    namespaces: dict[str, Namespace] = field(default_factory=dict)
    containers: dict[str, dict[str, Container]] = field(default_factory=dict)


def _status(resource: Any) -> str:
    return str(getattr(resource, "status", "") or "")


# ---------------------------------------------------------------------- fitting rows
# A row is `glyph name␣␣status␣␣summary`; the summary is the problems (errors, then work in
# progress) then the totals. When the tree is narrow, the row gives way in this order: totals
# shortened, problems shortened, totals dropped, problems as symbols, the name column's padding,
# then the name (cut with `…`); only then is the row cut at a part's boundary, with `…`.

UNFITTED = 1 << 16  # room for any row (before the tree has a size)
MIN_NAME_CELLS = 8  # a name is cut to keep the status and problems only down to this
_DEPTH: dict[NodeKind, int] = {"region": 0, "namespace": 1, "container": 2}
# What Tree.render_label gives the toggle icon, so a click on it expands or collapses.
_TOGGLE = Style.from_meta({"toggle": True})
_SEPARATOR = " · "
_GAP = "  "
_CUT = " …"

CountForm = Literal["full", "short", "symbol"]
TotalsForm = Literal["full", "short", "last", "none"]
# Summary forms, longest first; the first one whose row fits the room is drawn.
_SUMMARY_FORMS: tuple[tuple[CountForm, TotalsForm], ...] = (
    ("full", "full"),
    ("full", "short"),
    ("short", "short"),
    ("short", "last"),
    ("short", "none"),
    ("symbol", "none"),
)


def truncate_cells(value: str, cells: int) -> str:
    """`value` cut to `cells` terminal cells, with `…` when it was cut."""
    if cell_len(value) <= cells:
        return value
    if cells <= 0:
        return ""
    return set_cell_size(value, cells - 1).rstrip() + "…"


@dataclass(frozen=True, slots=True)
class _Count:
    """One part of a summary in its three spellings: `1 error`, `1 err`, `✖1`."""

    full: str
    short: str
    symbol: str = ""
    style: Style | str = "dim"

    def spelled(self, form: CountForm) -> str:
        if form == "full":
            return self.full
        if form == "short":
            return self.short
        return self.symbol or self.short


@dataclass(slots=True)
class _Row:
    """What a tree row says, in parts (names and statuses already `clean`ed), so the tree can
    draw the longest form that fits the room the row has, whatever the width."""

    name: str
    name_style: Style | str = ""
    name_width: int = 0  # the siblings' name column: shorter names are padded to it
    glyph: str = ""
    glyph_style: Style | str = ""
    status: str = ""
    status_style: Style | str = ""
    problems: tuple[_Count, ...] = ()
    totals: tuple[_Count, ...] = ()
    _fitted: dict[int, Text] = field(default_factory=dict)

    @property
    def full(self) -> Text:
        return self.build()

    def _summary(self, form: CountForm, totals: TotalsForm) -> list[tuple[str, Style | str]]:
        parts = [(count.spelled(form), count.style) for count in self.problems]
        if totals == "full":
            parts += [(count.full, count.style) for count in self.totals]
        elif totals == "short":
            parts += [(count.short, count.style) for count in self.totals]
        elif totals == "last" and self.totals:
            parts.append((self.totals[-1].short, self.totals[-1].style))
        return parts

    def _head(self, name: str, pad: bool) -> Text:
        text = Text(no_wrap=True)
        if self.glyph:
            text.append(self.glyph, style=self.glyph_style)
            text.append(" ")
        text.append(name, style=self.name_style)
        if pad:
            text.append(" " * max(0, self.name_width - cell_len(name)))
        return text

    def build(
        self,
        form: CountForm = "full",
        totals: TotalsForm = "full",
        *,
        pad: bool = True,
        name: str | None = None,
    ) -> Text:
        text = self._head(self.name if name is None else name, pad)
        if self.status:
            text.append(_GAP)
            text.append(self.status, style=self.status_style)
        summary = self._summary(form, totals)
        if summary:
            text.append(_GAP)
            separator = " " if form == "symbol" else _SEPARATOR
            for index, (part, style) in enumerate(summary):
                if index:
                    text.append(separator, style="dim")
                text.append(part, style=style)
        return text

    def fit(self, room: int) -> Text:
        """The longest form of the row within `room` cells (cached per room)."""
        fitted = self._fitted.get(room)
        if fitted is None:
            fitted = self._fit(room)
            if len(self._fitted) > 8:  # a few widths at most: the window's, while resizing
                self._fitted.clear()
            self._fitted[room] = fitted
        return fitted

    def _cells(self, form: CountForm, totals: TotalsForm, *, pad: bool, name_cells: int) -> int:
        """The width `build` would give, without building it (rows are fitted by the
        thousand when a big account's tree is laid out)."""
        cells = name_cells
        if pad:
            cells = max(cells, self.name_width)
        if self.glyph:
            cells += cell_len(self.glyph) + 1
        if self.status:
            cells += len(_GAP) + cell_len(self.status)
        summary = self._summary(form, totals)
        if summary:
            separator = 1 if form == "symbol" else len(_SEPARATOR)
            cells += len(_GAP) + sum(cell_len(part) for part, _ in summary)
            cells += separator * (len(summary) - 1)
        return cells

    def _fit(self, room: int) -> Text:
        name_cells = cell_len(self.name)
        pads = (True, False) if self.name_width > name_cells else (False,)
        for pad in pads:
            for form, totals in _SUMMARY_FORMS:
                if self._cells(form, totals, pad=pad, name_cells=name_cells) <= room:
                    return self.build(form, totals, pad=pad)
        # Not even the name fits beside the status and the problems: cut the name, if enough
        # of it is left to tell it from its siblings.
        name_room = room - self._cells("symbol", "none", pad=False, name_cells=0)
        if name_room >= min(name_cells, MIN_NAME_CELLS):
            return self.build(
                "symbol", "none", pad=False, name=truncate_cells(self.name, name_room)
            )
        return self._cut(room)

    def _cut(self, room: int) -> Text:
        """The row cut at the boundary of a part (status, then each problem), marked `…`."""
        parts: list[tuple[str, Style | str]] = []
        if self.status:
            parts.append((_GAP + self.status, self.status_style))
        for index, (part, style) in enumerate(self._summary("symbol", "none")):
            parts.append(((_GAP if index == 0 else " ") + part, style))
        head = self._head(self.name, pad=False)
        if head.cell_len + cell_len(_CUT) > room:
            glyph_cells = head.cell_len - cell_len(self.name)
            return self._head(truncate_cells(self.name, room - glyph_cells), pad=False)
        text = head
        for part, style in parts:
            if text.cell_len + cell_len(part) + cell_len(_CUT) > room:
                text.append(_CUT, style="dim")
                break
            text.append(part, style=style)
        return text


class ResourceTree(Tree[NodeRef]):
    """See the module docstring. Feed it, then call `commit()` once per batch."""

    HELP_GROUP = "Resource tree"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("right", "expand_or_enter", "Expand", show=False, id="tree.expand"),
        Binding("left", "collapse_or_parent", "Collapse", show=False, id="tree.collapse"),
    ]

    class ViewChanged(Message):
        """The namespaces the tree shows in its window changed: every expanded namespace with
        a line in view, and the one holding the cursor (the details pane shows it). The app
        tells the live engine, which polls the others less often."""

        def __init__(self, namespaces: frozenset[str]) -> None:
            super().__init__()
            self.namespaces = namespaces

    class SelectionChanged(Message):
        """The highlighted resource changed (None: nothing highlighted)."""

        def __init__(self, ref: NodeRef | None) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, regions: Iterable[str], **kwargs: Any) -> None:
        super().__init__("resources", **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = True
        self._regions: dict[str, _Region] = {name: _Region(name) for name in regions}
        self._by_key: dict[str, TreeNode[NodeRef]] = {}
        self._expanded: dict[str, bool] = {}
        self._materialized: set[str] = set()
        self._dirty: set[str] = set()  # parent keys whose children may differ
        self._relabel: set[str] = set()
        self._arrival: dict[str, int] = {}
        self._seq = 0
        self._parent_of: dict[str, str] = {}  # container id → namespace id
        self._widths: dict[str, int] = {}  # parent key → name column width of its children
        self._rows: dict[str, _Row] = {}  # key → what its row says, fitted when drawn
        self._width_memo: dict[str, int] = {}  # the same, computed in the current commit
        self._selected_key: str | None = None
        self.sort_mode: SortMode = "name"
        self.filter_text = ""
        self.frame = 0
        self._palette = BadgePalette()
        self.structural_changes = 0  # for tests and benchmarks
        self._spinner: Timer | None = None
        self._spinning = False
        # Ids of the resources in a transient status: while there is none, nothing spins and
        # neither the view check nor the spinner looks at a single row for one.
        self._transient: set[str] = set()
        self._view_check_pending = False
        self._in_view: frozenset[str] | None = None

    # ------------------------------------------------------------------ lifecycle
    def on_mount(self) -> None:
        self._palette = BadgePalette(self.app.theme_variables)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._dirty.add("")
        self.commit()
        # Runs only while a transient resource is in view and the tree's screen can be seen.
        self._spinner = self.set_interval(0.25, self._spin, pause=True)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._schedule_view_check()

    def _screen_changed(self, _screen: object) -> None:
        self._schedule_view_check()

    def on_resize(self) -> None:
        self._schedule_view_check()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._schedule_view_check()

    def _schedule_view_check(self) -> None:
        """Check what is in view after the next refresh (once, however many changes)."""
        if not self._view_check_pending and self.is_mounted:
            self._view_check_pending = True
            self.call_after_refresh(self._check_view)

    def _lines_in_view(self) -> Iterator[TreeNode[NodeRef]]:
        top = self.scroll_offset.y
        bottom = top + max(self.size.height, 1)
        for line in range(top, min(bottom, self.last_line + 1)):
            node = self.get_node_at_line(line)
            if node is not None and node.data is not None:
                yield node

    def _check_view(self) -> None:
        self._view_check_pending = False
        if not self.is_mounted:
            return
        namespaces: set[str] = set()
        transient = False
        for node in self._lines_in_view():
            ref = node.data
            assert ref is not None
            if ref.kind == "region":
                continue
            if ref.kind == "namespace" and node.is_expanded:
                namespaces.add(ref.id)
            elif ref.kind == "container":
                namespaces.add(self._parent_of.get(ref.id, ""))
            if not transient and ref.id in self._transient:
                transient = True
        cursor = self.selected_ref
        if cursor is not None and cursor.kind == "namespace":
            namespaces.add(cursor.id)
        elif cursor is not None and cursor.kind == "container":
            namespaces.add(self._parent_of.get(cursor.id, ""))
        namespaces.discard("")
        self._set_spinning(transient and self._screen_seen())
        in_view = frozenset(namespaces)
        if in_view != self._in_view:
            self._in_view = in_view
            self.post_message(self.ViewChanged(in_view))

    def _set_spinning(self, spinning: bool) -> None:
        if self._spinner is None or spinning == self._spinning:
            return
        self._spinning = spinning
        if spinning:
            self._spinner.resume()
        else:
            self._spinner.pause()

    @property
    def spinner_running(self) -> bool:
        """Whether the spinner's interval runs (only while a transient row can be seen)."""
        return self._spinning

    @property
    def has_transient(self) -> bool:
        """Whether any resource the tree knows is in a transient status."""
        return bool(self._transient)

    def _track(self, resource_id: str, status: str) -> None:
        if is_transient_status(status):
            self._transient.add(resource_id)
        else:
            self._transient.discard(resource_id)

    @property
    def namespaces_in_view(self) -> frozenset[str]:
        return self._in_view or frozenset()

    def _screen_seen(self) -> bool:
        """On top, or under see-through screens only (a modal)."""
        stack = self.app.screen_stack
        screen = self.screen
        if screen not in stack:
            return False
        return all(other.styles.background.a < 1 for other in stack[stack.index(screen) + 1 :])

    def _theme_changed(self, _theme: object) -> None:
        self._palette = BadgePalette(self.app.theme_variables)
        self._relabel.update(self._by_key)
        self.commit()

    def restart(self, regions: Iterable[str]) -> None:
        """Forget everything (the app reconnected elsewhere) and show `regions`, loading."""
        self.clear()
        self._regions = {name: _Region(name) for name in regions}
        self._by_key.clear()
        self._rows.clear()
        self._transient.clear()
        self._parent_of.clear()
        self._widths.clear()
        self._expanded.clear()
        self._materialized.clear()
        self._dirty = {""}
        self._relabel.clear()
        self._selected_key = None
        self.cursor_line = -1
        self.commit()

    # ------------------------------------------------------------------ feeding
    @property
    def regions(self) -> list[str]:
        return list(self._regions)

    def load_region(
        self,
        region: str,
        namespaces: Iterable[Namespace],
        containers: Mapping[str, Iterable[Container]],
    ) -> None:
        """Replace everything known about `region` (its first full picture)."""
        model = self._regions.setdefault(region, _Region(region))
        self._transient.difference_update(model.namespaces)
        for known in model.containers.values():
            self._transient.difference_update(known)
        model.loaded = True
        model.down = False
        model.namespaces = {}
        model.containers = {}
        for ns in namespaces:
            model.namespaces[ns.id] = ns
            self._arrive(ns.id)
            self._track(ns.id, _status(ns))
            model.containers[ns.id] = {}
            for container in containers.get(ns.id, ()):
                model.containers[ns.id][container.id] = container
                self._parent_of[container.id] = ns.id
                self._arrive(container.id)
                self._track(container.id, _status(container))
        if self.total_containers() > LARGE_ACCOUNT:
            for ns_id in model.namespaces:
                self._expanded.setdefault(ns_id, False)
        self._dirty.add("")
        self._dirty.add(region_key(region))
        self._dirty.update(model.namespaces)
        self._relabel.add(region_key(region))

    def upsert(self, kind: NodeKind, region: str, resource: Namespace | Container) -> None:
        model = self._regions.setdefault(region, _Region(region))
        rkey = region_key(region)
        self._track(resource.id, _status(resource))
        if kind == "namespace":
            is_new = resource.id not in model.namespaces
            model.namespaces[resource.id] = resource  # type: ignore[assignment]
            model.containers.setdefault(resource.id, {})
            if is_new:
                self._arrive(resource.id)
                self._dirty.add(rkey)
            elif self.sort_mode == "status" or self.filter_text:
                self._dirty.add(rkey)
            self._relabel.update((resource.id, rkey))
        else:
            ns_id = getattr(resource, "namespace_id", "")
            siblings = model.containers.setdefault(ns_id, {})
            is_new = resource.id not in siblings
            old = siblings.get(resource.id)
            siblings[resource.id] = resource  # type: ignore[assignment]
            self._parent_of[resource.id] = ns_id
            if is_new:
                self._arrive(resource.id)
                self._dirty.add(ns_id)
            elif (old is not None and old.name != resource.name) or self.sort_mode == "status":
                self._dirty.add(ns_id)
            if self.filter_text:
                self._dirty.update((rkey, ns_id))
            self._relabel.update((resource.id, ns_id, rkey))

    def discard(self, kind: NodeKind, region: str, resource_id: str) -> None:
        model = self._regions.get(region)
        if model is None:
            return
        rkey = region_key(region)
        self._transient.discard(resource_id)
        if kind == "namespace":
            model.namespaces.pop(resource_id, None)
            for container_id in model.containers.pop(resource_id, {}):
                self._parent_of.pop(container_id, None)
                self._transient.discard(container_id)
            self._dirty.add(rkey)
        else:
            ns_id = self._parent_of.pop(resource_id, "")
            if model.containers.get(ns_id, {}).pop(resource_id, None) is not None:
                self._dirty.add(ns_id)
                self._relabel.add(ns_id)
        self._relabel.add(rkey)

    def set_region_down(self, region: str, down: bool) -> None:
        model = self._regions.get(region)
        if model is not None and model.down != down:
            model.down = down
            self._relabel.add(region_key(region))

    def set_sort(self, mode: SortMode) -> None:
        self.sort_mode = mode
        self._dirty.add("")
        self._dirty.update(region_key(r) for r in self._regions)
        self._dirty.update(ns for r in self._regions.values() for ns in r.namespaces)
        self.commit()

    def set_filter(self, text: str) -> None:
        self.filter_text = text.strip()
        self._dirty.add("")
        self._dirty.update(region_key(r) for r in self._regions)
        self._dirty.update(ns for r in self._regions.values() for ns in r.namespaces)
        self._relabel.update(self._by_key)
        self.commit()

    def _arrive(self, key: str) -> None:
        if key not in self._arrival:
            self._seq += 1
            self._arrival[key] = self._seq

    # ------------------------------------------------------------------ lookups
    def namespace(self, namespace_id: str) -> tuple[str, Namespace] | None:
        for model in self._regions.values():
            if namespace_id in model.namespaces:
                return model.name, model.namespaces[namespace_id]
        return None

    def container(self, container_id: str) -> tuple[str, Container] | None:
        ns_id = self._parent_of.get(container_id)
        for model in self._regions.values():
            container = model.containers.get(ns_id or "", {}).get(container_id)
            if container is not None:
                return model.name, container
        return None

    def containers_of(self, namespace_id: str) -> list[Container]:
        for model in self._regions.values():
            if namespace_id in model.containers:
                return self._sorted(list(model.containers[namespace_id].values()))
        return []

    def namespaces_of(self, region: str) -> list[Namespace]:
        model = self._regions.get(region)
        return self._sorted(list(model.namespaces.values())) if model else []

    def all_resources(self) -> Iterator[tuple[NodeKind, str, Namespace | Container]]:
        for model in self._regions.values():
            for ns in model.namespaces.values():
                yield "namespace", model.name, ns
                for container in model.containers.get(ns.id, {}).values():
                    yield "container", model.name, container

    def total_containers(self) -> int:
        return sum(len(cs) for model in self._regions.values() for cs in model.containers.values())

    def total_namespaces(self) -> int:
        return sum(len(model.namespaces) for model in self._regions.values())

    def is_loaded(self) -> bool:
        return any(model.loaded for model in self._regions.values())

    def node_for(self, key: str) -> TreeNode[NodeRef] | None:
        return self._by_key.get(key)

    def node_for_name(self, name: str) -> TreeNode[NodeRef] | None:
        """The node of the first namespace or container called `name` (tests, palette)."""
        for kind, _region, resource in self.all_resources():
            if resource.name == name and kind in ("namespace", "container"):
                return self._by_key.get(resource.id)
        return None

    @property
    def selected_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def visible_keys(self) -> list[str]:
        """Keys of every node currently in the tree (shown or inside collapsed parents)."""
        return list(self._by_key)

    # ------------------------------------------------------------------ ordering & filter
    def _sort_key(self, resource: Any) -> tuple[Any, ...]:
        name = str(resource.name).lower()
        if self.sort_mode == "status":
            return (status_rank(_status(resource)), _status(resource), name)
        if self.sort_mode == "age":
            created = getattr(resource, "created_at", None)
            stamp = created.timestamp() if isinstance(created, datetime) else 0.0
            return (-stamp, -self._arrival.get(resource.id, 0), name)
        return (name, resource.id)

    def _sorted(self, items: list[Any]) -> list[Any]:
        return sorted(items, key=self._sort_key)

    def _matches(self, resource: Any) -> bool:
        query = self.filter_text.lower()
        return query in str(resource.name).lower() or _status(resource) == query

    def _shown_containers(self, model: _Region, ns: Namespace) -> list[Container]:
        containers = list(model.containers.get(ns.id, {}).values())
        if self.filter_text and self.filter_text.lower() not in ns.name.lower():
            containers = [c for c in containers if self._matches(c)]
        return self._sorted(containers)

    def _namespace_shown(self, model: _Region, ns: Namespace) -> bool:
        if not self.filter_text or self._matches(ns):
            return True
        return any(self._matches(c) for c in model.containers.get(ns.id, {}).values())

    def _desired(self, parent_key: str) -> list[tuple[str, NodeRef]]:
        if parent_key == "":
            refs = []
            for model in self._regions.values():
                if self.filter_text and not any(
                    self._namespace_shown(model, ns) for ns in model.namespaces.values()
                ):
                    continue
                refs.append((region_key(model.name), NodeRef("region", model.name, model.name)))
            return refs
        if parent_key.startswith("region:"):
            region_model = self._regions.get(parent_key[len("region:") :])
            if region_model is None:
                return []
            shown = [
                ns
                for ns in region_model.namespaces.values()
                if self._namespace_shown(region_model, ns)
            ]
            return [
                (ns.id, NodeRef("namespace", region_model.name, ns.id))
                for ns in self._sorted(shown)
            ]
        for model in self._regions.values():
            if parent_key in model.namespaces:
                return [
                    (c.id, NodeRef("container", model.name, c.id))
                    for c in self._shown_containers(model, model.namespaces[parent_key])
                ]
        return []

    # ------------------------------------------------------------------ reconcile
    def commit(self) -> None:
        """Apply what was fed since the last commit to the nodes, keeping the cursor."""
        if not self._dirty and not self._relabel:
            return
        self._schedule_view_check()
        dirty, self._dirty = self._dirty, set()
        relabel, self._relabel = self._relabel, set()
        self._width_memo.clear()
        if dirty:
            self._reconcile(dirty, relabel)
        for key in relabel:
            node = self._by_key.get(key)
            if node is not None and node.data is not None:
                node.set_label(self._label(node.data))

    def _reconcile(self, dirty: set[str], relabel: set[str]) -> None:
        cursor = self.cursor_node
        cursor_key = cursor.data.key if cursor is not None and cursor.data else None
        old_line = self.cursor_line
        old_scroll = self.scroll_offset.y
        fallback = self._fallback_for(cursor)
        changed = False
        # Top-down, so a parent's new children are created before their own children are synced.
        order = [
            "",
            *(k for k in dirty if k.startswith("region:")),
            *(k for k in dirty if k and not k.startswith("region:")),
        ]
        seen: set[str] = set()
        for key in order:
            if key in seen or key not in dirty:
                continue
            seen.add(key)
            changed |= self._sync_children(key, relabel)
        if not changed:
            return
        self.structural_changes += 1
        if cursor_key is None:
            if self.cursor_line == -1 and self._by_key:
                self._build_lines()
                self.cursor_line = 0
            return
        target = self._by_key.get(cursor_key)
        if target is None:
            target = next((self._by_key[k] for k in fallback if k in self._by_key), None)
        self._build_lines()
        if target is None:
            self.cursor_line = 0 if self._by_key else -1
            return
        if self.cursor_node is not target or target.line != old_line:
            self.set_reactive(Tree.cursor_line, -1)
            self.move_cursor(target)
            if target.data is not None and target.data.key == cursor_key and old_line >= 0:
                # Keep the selected row where it was on the screen.
                self.scroll_to(y=max(0, old_scroll + target.line - old_line), animate=False)

    def _fallback_for(self, node: TreeNode[NodeRef] | None) -> list[str]:
        """Where the cursor goes if its node disappears: next sibling, previous, parent."""
        if node is None:
            return []
        keys: list[str] = []
        for other in (node.next_sibling, node.previous_sibling, node.parent):
            if other is not None and other.data is not None:
                keys.append(other.data.key)
        return keys

    def _build_lines(self) -> None:
        _ = self.last_line  # builds the line cache, which gives every node its line

    def _parent_node(self, key: str) -> TreeNode[NodeRef] | None:
        return self.root if key == "" else self._by_key.get(key)

    def _sync_children(self, key: str, relabel: set[str]) -> bool:
        """Make the children of `key` what the model says; True when the structure changed."""
        parent = self._parent_node(key)
        if parent is None:
            return False
        if key and not key.startswith("region:") and key not in self._materialized:
            if not (self.filter_text or self._expanded.get(key, True)):
                return False  # collapsed and never opened: nodes come on expand
            self._materialized.add(key)
        desired = self._desired(key)
        current = [child.data.key for child in parent.children if child.data is not None]
        wanted = [k for k, _ in desired]
        if current == wanted:
            return False
        wanted_set = set(wanted)
        for child in list(parent.children):
            if child.data is None or child.data.key not in wanted_set:
                self._drop(child)
        remaining = [child.data.key for child in parent.children if child.data is not None]
        remaining_set = set(remaining)
        if remaining != [k for k in wanted if k in remaining_set]:
            for child in list(parent.children):
                self._drop(child)  # order changed (sort by status): recreate in order
        existing = {child.data.key for child in parent.children if child.data is not None}
        for index, (child_key, ref) in enumerate(desired):
            if child_key in existing:
                continue
            self._add(parent, ref, index)
            relabel.discard(child_key)  # labelled at creation, with this commit's widths
            if ref.kind != "container":
                self._sync_children(child_key, relabel)
        width = self._width_for(key)
        if self._widths.get(key) != width:
            # The name column of these siblings changed width: relabel them all.
            self._widths[key] = width
            relabel.update(k for k in existing if k in self._by_key)
        return True

    def _width_for(self, parent_key: str) -> int:
        """The name column width of `parent_key`'s children (memoised for one commit)."""
        width = self._width_memo.get(parent_key)
        if width is None:
            if parent_key.startswith("region:"):
                model = self._regions.get(parent_key[len("region:") :])
                siblings: Iterable[Any] = model.namespaces.values() if model else ()
            else:
                siblings = ()
                for model in self._regions.values():
                    if parent_key in model.containers:
                        siblings = model.containers[parent_key].values()
                        break
            width = self._name_width(siblings)
            self._width_memo[parent_key] = width
        return width

    def _add(self, parent: TreeNode[NodeRef], ref: NodeRef, index: int) -> TreeNode[NodeRef]:
        key = ref.key
        label = self._label(ref)
        if ref.kind == "container":
            node = parent.add_leaf(label, ref, before=index)
        else:
            default = ref.kind == "region" or self.total_containers() <= LARGE_ACCOUNT
            expand = bool(self.filter_text) or self._expanded.get(key, default)
            node = parent.add(label, ref, before=index, expand=expand)
        self._by_key[key] = node
        return node

    def _drop(self, node: TreeNode[NodeRef]) -> None:
        def forget(n: TreeNode[NodeRef]) -> None:
            for child in n.children:
                forget(child)
            if n.data is not None:
                self._by_key.pop(n.data.key, None)
                self._rows.pop(n.data.key, None)
                self._materialized.discard(n.data.key)

        forget(node)
        node.remove()

    # ------------------------------------------------------------------ labels
    def _label(self, ref: NodeRef) -> Text:
        """The row of `ref` at full length (what `node.label` holds); what the tree draws is
        that row fitted to the room it has (`render_label`)."""
        row = self._row(ref)
        self._rows[ref.key] = row
        return row.full

    def _row(self, ref: NodeRef) -> _Row:
        model = self._regions.get(ref.region)
        if model is None:
            return _Row(name=clean(ref.id))
        if ref.kind == "region":
            return self._region_row(model)
        if ref.kind == "namespace":
            ns = model.namespaces.get(ref.id)
            if ns is None:
                return _Row(name=clean(ref.id))
            return self._namespace_row(model, ns)
        ns_id = self._parent_of.get(ref.id, "")
        container = model.containers.get(ns_id, {}).get(ref.id)
        if container is None:
            return _Row(name=clean(ref.id))
        return self._resource_row(container, self._width_for(ns_id))

    def _name_width(self, siblings: Iterable[Any]) -> int:
        width = max((cell_len(clean(s.name)) for s in siblings), default=0)
        return min(width, NAME_COLUMN_MAX)

    def _resource_row(self, resource: Any, name_width: int, **summary: Any) -> _Row:
        status = _status(resource)
        style = self._palette.style_for(status)
        return _Row(
            name=truncate_cells(clean(resource.name) or "(no name)", NAME_COLUMN_MAX),
            name_width=name_width,
            glyph=glyph(status, self.frame),
            glyph_style=style,
            status=clean(status or "unknown"),
            status_style=style,
            **summary,
        )

    def _problems(self, statuses: Iterable[str]) -> list[_Count]:
        """Errors, then work in progress: the counts a row keeps longest."""
        errors = busy = 0
        for status in statuses:
            if status == "error":
                errors += 1
            elif is_transient_status(status):
                busy += 1
        counts: list[_Count] = []
        if errors:
            counts.append(
                _Count(f"{errors} error", f"{errors} err", f"✖{errors}", self._palette.error)
            )
        if busy:
            counts.append(
                _Count(f"{busy} in progress", f"{busy} busy", f"↻{busy}", self._palette.transient)
            )
        return counts

    def _namespace_row(self, model: _Region, ns: Namespace) -> _Row:
        containers = model.containers.get(ns.id, {})
        count = len(containers)
        return self._resource_row(
            ns,
            self._width_for(region_key(model.name)),
            problems=tuple(self._problems(_status(c) for c in containers.values())),
            totals=(_Count(f"{count} container{'s' if count != 1 else ''}", f"{count} ct"),),
        )

    def _region_row(self, model: _Region) -> _Row:
        problems: list[_Count] = []
        if model.down:
            problems.append(_Count("unreachable", "down", "down", self._palette.error))
        if not model.loaded:
            loading = _Count("loading…", "loading…")
            return _Row(
                clean(model.name), name_style="bold", problems=tuple(problems), totals=(loading,)
            )
        ns_count = len(model.namespaces)
        c_count = sum(len(cs) for cs in model.containers.values())
        statuses = [_status(c) for cs in model.containers.values() for c in cs.values()]
        statuses += [_status(ns) for ns in model.namespaces.values()]
        problems += self._problems(statuses)
        return _Row(
            clean(model.name),
            name_style="bold",
            problems=tuple(problems),
            totals=(
                _Count(f"{ns_count} namespace{'s' if ns_count != 1 else ''}", f"{ns_count} ns"),
                _Count(f"{c_count} container{'s' if c_count != 1 else ''}", f"{c_count} ct"),
            ),
        )

    def _room(self, node: TreeNode[NodeRef]) -> int:
        """The cells a node's label has: the tree's width less the guides and the toggle."""
        width = self.scrollable_content_region.width  # the vertical scrollbar is not room
        if width <= 0:
            return UNFITTED  # not laid out yet: the resize that follows fits the rows
        ref = node.data
        depth = _DEPTH[ref.kind] if ref is not None else 0
        toggle = cell_len(self.ICON_NODE) if node.allow_expand else 0
        return width - depth * self.guide_depth - toggle

    def _fitted(self, node: TreeNode[NodeRef]) -> Text | None:
        row = self._rows.get(node.data.key) if node.data is not None else None
        return None if row is None else row.fit(self._room(node))

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        # Fitted here, not when the label is set: the stock line cache is keyed by the width,
        # so a resize draws every row again, fitted to its new room.
        fitted = self._fitted(node)
        if fitted is None:
            return super().render_label(node, base_style, style)
        label = fitted.copy()
        label.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style + _TOGGLE), label)
        return Text.assemble(("", base_style), label)

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        fitted = self._fitted(node)
        if fitted is None:
            return super().get_label_width(node)
        return fitted.cell_len + (cell_len(self.ICON_NODE) if node.allow_expand else 0)

    def watch_show_vertical_scrollbar(self, _old: bool, _new: bool) -> None:
        # The scrollbar takes a cell from every row, and the line cache does not know it.
        self._invalidate()

    # ------------------------------------------------------------------ animation
    def _spin(self) -> None:
        transient: list[TreeNode[NodeRef]] = []
        if self._transient:
            transient = [
                node
                for node in self._lines_in_view()
                if node.data is not None and node.data.id in self._transient
            ]
        if not transient or not self._screen_seen():
            self._set_spinning(False)
            return
        self.frame += 1
        for node in transient:
            if node.data is not None:
                node.set_label(self._label(node.data))

    def _resource(self, ref: NodeRef) -> Any:
        model = self._regions.get(ref.region)
        if model is None:
            return None
        if ref.kind == "namespace":
            return model.namespaces.get(ref.id)
        return model.containers.get(self._parent_of.get(ref.id, ""), {}).get(ref.id)

    def resource_for(self, ref: NodeRef) -> Any:
        return self._resource(ref)

    # ------------------------------------------------------------------ selection
    def select_key(self, key: str) -> bool:
        """Move the cursor to the resource `key` (expanding its parents); False if unknown."""
        path = self._path_to(key)
        if path is None:
            return False
        for parent_key in path[:-1]:
            node = self._by_key.get(parent_key)
            if node is None:
                return False
            if not node.is_expanded:
                self._expanded[parent_key] = True
                node.expand()
            if parent_key not in self._materialized:
                self._sync_children(parent_key, self._relabel)
        self.commit()
        node = self._by_key.get(key)
        if node is None:
            return False
        self._build_lines()
        self.move_cursor(node)
        return True

    def _path_to(self, key: str) -> list[str] | None:
        if key.startswith("region:"):
            return [key] if key[len("region:") :] in self._regions else None
        for model in self._regions.values():
            rkey = region_key(model.name)
            if key in model.namespaces:
                return [rkey, key]
            ns_id = self._parent_of.get(key)
            if ns_id is not None and key in model.containers.get(ns_id, {}):
                return [rkey, ns_id, key]
        return None

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        event.stop()
        self._announce()

    def _announce(self) -> None:
        # The cursor may have moved again since the event was posted: report where it is now.
        ref = self.selected_ref
        key = ref.key if ref is not None else None
        if key != self._selected_key:
            self._selected_key = key
            self._schedule_view_check()
            self.post_message(self.SelectionChanged(ref))

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        event.stop()
        ref = event.node.data
        if ref is None:
            return
        self._expanded[ref.key] = True
        self._schedule_view_check()
        if ref.key not in self._materialized and ref.kind == "namespace":
            self._materialized.add(ref.key)
            self._dirty.add(ref.key)
            self.commit()

    def on_tree_node_collapsed(self, event: Tree.NodeCollapsed[NodeRef]) -> None:
        event.stop()
        if event.node.data is not None:
            self._expanded[event.node.data.key] = False
        self._schedule_view_check()

    # ------------------------------------------------------------------ actions
    def action_expand_or_enter(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.action_cursor_down()

    def action_collapse_or_parent(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)
