"""The main screen: header, resource tree, detail pane, and every key of DESIGN.md's table.

The screen turns live-engine batches into tree and pane updates (in place, one refresh per
batch), fetches the selected container's crons, domains and tokens in an exclusive worker, and
hands mutations to the forms engineer's flows and `l` to the log screen.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from tui.live.events import (
    ConnectionState,
    LiveEvent,
    NamespacesLoaded,
    ResourceChanged,
    ResourceRemoved,
    Transition,
)
from tui.selection import Selected
from tui.text import clean
from tui.widgets.connection_bar import ConnectionBanner, ConnectionBar
from tui.widgets.details import DetailsPane, RelatedKind, RelatedTable, endpoint_url
from tui.widgets.key_bar import KeyBar
from tui.widgets.resource_tree import SORT_MODES, NodeRef, ResourceTree, region_key
from tui.widgets.status_badge import is_transient_status

if TYPE_CHECKING:
    from tui.api.models import Container, Namespace
    from tui.app import ScwContainersApp

MUTATING_ACTIONS = frozenset({"create", "edit", "deploy", "delete", "invoke"})
RELATED_DEBOUNCE_S = 0.25
SELECTION_DEBOUNCE_S = 0.08
RELATED_FRESH_S = 15.0  # crons/domains/tokens fetched this recently are not fetched again
# After a change made from a tab, its lists are fetched again this often while a row is in a
# transient status (a cron is "creating", a domain "pending"…), for this long at most.
RELATED_FOLLOW_S = 1.0
RELATED_FOLLOW_FOR_S = 60.0
RELATED_SINGULAR = {"crons": "cron", "domains": "domain", "tokens": "token"}
# Below this width the keys line is compact and leaves out these keys (help and the palette still
# list them), so that `r Refresh` and `? Help` stay visible at 80 columns.
NARROW_FOOTER_WIDTH = 100
NARROW_FOOTER_HIDES = frozenset({"sort", "json"})


class MainScreen(Screen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("l", "logs", "Logs", id="logs"),
        Binding("c", "create", "Create", id="create"),
        Binding("e", "edit", "Edit", id="edit", show=False),
        Binding("d", "deploy", "Deploy", id="deploy"),
        Binding("ctrl+d", "delete", "Delete", id="delete", show=False),
        Binding("x", "invoke", "Invoke endpoint", id="invoke", show=False),
        Binding("y", "json", "JSON", id="json"),
        Binding("i", "copy_id", "Copy id", id="copy_id", show=False),
        Binding("u", "copy_url", "Copy endpoint URL", id="copy_url", show=False),
        Binding("o", "copy_domain", "Copy custom domain", id="copy_domain", show=False),
        Binding("right_square_bracket", "tab(1)", "Next tab", id="tab_next", show=False),
        Binding("left_square_bracket", "tab(-1)", "Previous tab", id="tab_prev", show=False),
        Binding("n", "notifications", "Notifications", id="notifications", show=False),
        Binding("escape", "clear_filter", "Clear filter", id="clear_filter", show=False),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__(id="main")
        self._related_cache: dict[str, dict[str, list[Any]]] = {}
        self._related_stale: set[str] = set()
        self._related_at: dict[str, float] = {}
        self._select_when_seen: str | None = None
        self._filter_timer: Timer | None = None
        self._shown_key: str | None = None
        self._last_move = 0.0
        self._show_timer: Timer | None = None
        self._related_follow: dict[str, float] = {}  # resource id → until (monotonic)

    @property
    def scw_app(self) -> ScwContainersApp:
        return cast("ScwContainersApp", self.app)

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        app = self.scw_app
        connection = app.connection
        yield ConnectionBar(
            host=connection.host,
            demo=connection.is_emulator,
            profile=connection.profile,
            project=connection.project_id,
            regions=tuple(connection.regions),
            read_only=app.read_only,
            id="connection-bar",
        )
        yield ConnectionBanner(id="connection-banner")
        with Horizontal(id="body"):
            with Vertical(id="tree-column"):
                yield Input(placeholder="filter: name or status word", id="filter-input")
                yield ResourceTree(connection.regions, id="tree")
                yield Static("", id="empty-state", markup=False)
            yield DetailsPane(id="details")
        yield KeyBar()

    @property
    def resource_tree(self) -> ResourceTree:
        return self.query_one("#tree", ResourceTree)

    @property
    def details(self) -> DetailsPane:
        return self.query_one("#details", DetailsPane)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter-input", Input)

    def on_resize(self) -> None:
        self._fit_footer()

    def _fit_footer(self) -> None:
        narrow = 0 < self.size.width < NARROW_FOOTER_WIDTH
        keys = self.query_one(KeyBar)
        if keys.compact != narrow:
            keys.compact = narrow
        changed = False
        for bindings in self._bindings.key_to_bindings.values():
            for index, binding in enumerate(bindings):
                if binding.id in NARROW_FOOTER_HIDES and binding.show == narrow:
                    bindings[index] = dataclasses.replace(binding, show=not narrow)
                    changed = True
        if changed:
            self.refresh_bindings()

    def on_mount(self) -> None:
        self._fit_footer()
        self.filter_input.display = False
        self.query_one("#empty-state").display = False
        self.resource_tree.focus()
        self.details.show_message(
            "Connecting…", Text(f"Loading from {self.scw_app.connection.host}…", style="dim")
        )
        self._update_extra()
        self._select_when_seen = self.scw_app.remembered_selection()
        self.scw_app.main_screen_ready()

    def reset(self) -> None:
        """Start over after the app reconnected (another profile, region or API)."""
        self._related_cache.clear()
        self._related_stale.clear()
        self._related_at.clear()
        self._related_follow.clear()
        self._shown_key = None
        self._select_when_seen = None
        tree = self.resource_tree
        tree.restart(self.scw_app.connection.regions)
        tree.focus()
        bar = self.query_one(ConnectionBar)
        connection = self.scw_app.connection
        bar.host = connection.host
        bar.demo = connection.is_emulator
        bar.profile = connection.profile
        bar.project = connection.project_id
        bar.regions = tuple(connection.regions)
        bar.set_state(ConnectionState("connecting"))
        self.details.show_message("Connecting…", Text(f"Loading from {connection.host}…"))

    # ------------------------------------------------------------------ live data
    def apply_live_events(self, events: Sequence[LiveEvent]) -> None:
        """Apply one batch from the watcher: tree and pane updated once, in place."""
        tree = self.resource_tree
        touched: set[str] = set()
        transitions: list[Transition] = []
        for event in events:
            if isinstance(event, NamespacesLoaded):
                tree.load_region(event.region, event.namespaces, event.containers)
                touched.add(region_key(event.region))
                touched.update(ns.id for ns in event.namespaces)
                touched.update(c.id for cs in event.containers.values() for c in cs)
            elif isinstance(event, ResourceChanged):
                tree.upsert(event.kind, event.region, event.resource)
                touched.update((event.resource.id, region_key(event.region)))
                touched.add(getattr(event.resource, "namespace_id", "") or "")
            elif isinstance(event, ResourceRemoved):
                tree.discard(event.kind, event.region, event.resource_id)
                touched.update((event.resource_id, region_key(event.region)))
                touched.add(event.namespace_id or "")
                self._related_cache.pop(event.resource_id, None)
            elif isinstance(event, Transition):
                transitions.append(event)
                if event.kind == "container":
                    # Domains and crons follow their container's deploys: fetch them again
                    # (the old ones stay on screen meanwhile).
                    self._related_stale.add(event.resource_id)
            elif isinstance(event, ConnectionState):
                self._apply_connection(event)
        tree.commit()
        if self._select_when_seen and tree.select_key(self._select_when_seen):
            self._select_when_seen = None
        self._update_empty_state()
        ref = tree.selected_ref
        if ref is None:
            if tree.is_loaded() and self._shown_key is None:
                self.details.show_message(
                    "Nothing selected", Text("Select a region, namespace or container.")
                )
            return
        if self._affects(ref, touched) or ref.key != self._shown_key:
            self._show(ref, refetch=ref.key != self._shown_key)
        elif transitions and self._timeline_ids(ref) & {t.resource_id for t in transitions}:
            self._show_timeline(ref)

    def _apply_connection(self, state: ConnectionState) -> None:
        self.query_one(ConnectionBar).set_state(state)
        banner = self.query_one(ConnectionBanner)
        banner.set_state(state)
        tree = self.resource_tree
        down = set(state.regions_down)
        for region in tree.regions:
            tree.set_region_down(region, region in down)

    def _affects(self, ref: NodeRef, touched: set[str]) -> bool:
        if ref.key in touched:
            return True
        if ref.kind == "region":
            return region_key(ref.region) in touched
        if ref.kind == "container":
            found = self.resource_tree.container(ref.id)
            return found is not None and found[1].namespace_id in touched
        return False

    def _update_empty_state(self) -> None:
        tree = self.resource_tree
        empty = self.query_one("#empty-state", Static)
        nothing = tree.is_loaded() and tree.total_namespaces() == 0
        empty.display = nothing
        if nothing:
            if self.scw_app.read_only:
                message = "No namespaces here yet (read-only: nothing can be created)."
            else:
                key = self.app.get_key_display(self._binding("create"))
                message = f"No namespaces yet.\nPress {key} to create one."
            empty.update(Text(message, justify="center"))

    def _binding(self, binding_id: str) -> Binding:
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == binding_id:
                    return binding
        raise KeyError(binding_id)

    def select_when_seen(self, resource_id: str) -> None:
        """Select the resource now if shown, else as soon as a poll brings it."""
        if not self.resource_tree.select_key(resource_id):
            self._select_when_seen = resource_id

    # ------------------------------------------------------------------ selection → pane
    @on(ResourceTree.SelectionChanged)
    def _selection_changed(self, event: ResourceTree.SelectionChanged) -> None:
        event.stop()
        if event.ref is None:
            return
        now = time.monotonic()
        quiet = now - self._last_move > SELECTION_DEBOUNCE_S * 3
        self._last_move = now
        if self._show_timer is not None:
            self._show_timer.stop()
            self._show_timer = None
        if quiet:
            self._show(event.ref, refetch=True)
        else:
            # Keys held down or pressed fast: the cursor moves at once, the pane follows when
            # the keys pause (rendering it costs more than moving the cursor).
            self._show_timer = self.set_timer(SELECTION_DEBOUNCE_S, self._show_current)

    def _show_current(self) -> None:
        self._show_timer = None
        ref = self.resource_tree.selected_ref
        if ref is not None:
            self._show(ref, refetch=True)

    def selected(self) -> Selected | None:
        ref = self.resource_tree.selected_ref
        if ref is None:
            return None
        if ref.kind == "region":
            return Selected("region", ref.region)
        if ref.kind == "namespace":
            found = self.resource_tree.namespace(ref.id)
            if found is None:
                return None
            return Selected("namespace", ref.region, namespace=found[1])
        found_c = self.resource_tree.container(ref.id)
        if found_c is None:
            return None
        container = found_c[1]
        ns = self.resource_tree.namespace(container.namespace_id)
        return Selected(
            "container", ref.region, namespace=ns[1] if ns else None, container=container
        )

    def _show(self, ref: NodeRef, *, refetch: bool) -> None:
        tree = self.resource_tree
        details = self.details
        self._shown_key = ref.key
        if ref.kind == "region":
            namespaces = tree.namespaces_of(ref.region)
            containers = {ns.id: tree.containers_of(ns.id) for ns in namespaces}
            model_loaded = tree.is_loaded()
            details.show_region(
                ref.region,
                namespaces,
                containers,
                down=ref.region in (self.scw_app.connection_state.regions_down or ()),
                loaded=model_loaded,
            )
        elif ref.kind == "namespace":
            found = tree.namespace(ref.id)
            if found is None:
                return
            details.show_namespace(ref.region, found[1], tree.containers_of(ref.id))
        else:
            found_c = tree.container(ref.id)
            if found_c is None:
                return
            container = found_c[1]
            ns = tree.namespace(container.namespace_id)
            details.show_container(ref.region, container, ns[1] if ns else None)
        self._show_timeline(ref)
        if ref.kind != "region":
            cached = self._related_cache.get(ref.id)
            stale = ref.id in self._related_stale
            if cached is not None:
                self._fill_related(cached)
            else:
                for kind in self._related_kinds(ref):
                    details.set_related(kind, None)
            old = time.monotonic() - self._related_at.get(ref.id, 0.0) > RELATED_FRESH_S
            if cached is None or stale or (refetch and old):
                self._related_stale.discard(ref.id)
                self.load_related(ref)

    def _related_kinds(self, ref: NodeRef) -> tuple[RelatedKind, ...]:
        return ("crons", "domains", "tokens") if ref.kind == "container" else ("tokens",)

    def _fill_related(self, cached: dict[str, list[Any]]) -> None:
        for kind, items in cached.items():
            self.details.set_related(cast("RelatedKind", kind), items)

    def _timeline_ids(self, ref: NodeRef) -> set[str]:
        tree = self.resource_tree
        if ref.kind == "container":
            return {ref.id}
        if ref.kind == "namespace":
            return {ref.id, *(c.id for c in tree.containers_of(ref.id))}
        ids: set[str] = set()
        for ns in tree.namespaces_of(ref.region):
            ids.add(ns.id)
            ids.update(c.id for c in tree.containers_of(ns.id))
        return ids

    def _show_timeline(self, ref: NodeRef) -> None:
        timeline = self.scw_app.timeline
        if ref.kind == "container":
            items = timeline.for_resource(ref.id)
        elif ref.kind == "namespace":
            items = timeline.for_resources(self._timeline_ids(ref))
        else:
            items = [t for t in timeline.recent() if t.region == ref.region]
        self.details.set_timeline(items, show_names=ref.kind != "container")

    @work(group="details", exclusive=True, exit_on_error=False)
    async def load_related(self, ref: NodeRef) -> None:
        """Crons, domains and tokens of the selection (debounced: holding j stays cheap)."""
        await asyncio.sleep(RELATED_DEBOUNCE_S)
        client = self.scw_app.client
        calls: dict[str, Any] = {}
        if ref.kind == "container":
            calls["crons"] = client.list_crons_all(container_id=ref.id, region=ref.region)
            calls["domains"] = client.list_domains_all(container_id=ref.id, region=ref.region)
            calls["tokens"] = client.list_tokens_all(container_id=ref.id, region=ref.region)
        else:
            calls["tokens"] = client.list_tokens_all(namespace_id=ref.id, region=ref.region)
        results = await asyncio.gather(*calls.values(), return_exceptions=True)
        if self.resource_tree.selected_ref != ref:
            return
        fetched: dict[str, list[Any]] = {}
        for kind, result in zip(calls, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                self.details.set_related(cast("RelatedKind", kind), [], error=str(result))
                continue
            fetched[kind] = list(result)
            self.details.set_related(cast("RelatedKind", kind), fetched[kind])
        if len(fetched) == len(calls):
            self._related_cache[ref.id] = fetched
            self._related_at[ref.id] = time.monotonic()
        until = self._related_follow.get(ref.id)
        if until is not None:
            busy = any(
                is_transient_status(str(getattr(item, "status", "")))
                for items in fetched.values()
                for item in items
            )
            if busy and time.monotonic() < until:
                self.set_timer(RELATED_FOLLOW_S, lambda: self._follow_related(ref))
            else:
                self._related_follow.pop(ref.id, None)

    def _follow_related(self, ref: NodeRef) -> None:
        if self.resource_tree.selected_ref == ref:
            self.load_related(ref)

    def refresh_related(self) -> None:
        self._related_at.clear()
        ref = self.resource_tree.selected_ref
        if ref is not None and ref.kind != "region":
            self.load_related(ref)

    def related_changed(self, resource_id: str | None = None) -> None:
        """A cron, domain or token of `resource_id` (default: the selection) was created,
        changed or deleted: fetch its lists again, and again while a row is transient."""
        if not self.is_mounted:
            return  # the app is closing
        ref = self.resource_tree.selected_ref
        resource_id = resource_id or (ref.id if ref is not None else None)
        if resource_id is None:
            return
        self._related_stale.add(resource_id)
        self._related_at.pop(resource_id, None)
        self._related_follow[resource_id] = time.monotonic() + RELATED_FOLLOW_FOR_S
        if ref is not None and ref.id == resource_id and ref.kind != "region":
            self._related_stale.discard(resource_id)
            self.load_related(ref)

    # ------------------------------------------------------------------ filter & sort
    def action_filter(self) -> None:
        field = self.filter_input
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter-input")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        value = event.value
        # Debounced: a 10,000-node tree is rebuilt once the typing pauses, not per key.
        delay = 0.05 if self.resource_tree.total_containers() < 500 else 0.2
        self._filter_timer = self.set_timer(delay, lambda: self._apply_filter(value))

    def _apply_filter(self, value: str) -> None:
        self.resource_tree.set_filter(value)
        self._update_extra()
        ref = self.resource_tree.selected_ref
        if ref is not None and ref.key != self._shown_key:
            self._show(ref, refetch=True)

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._apply_filter(event.value)
        if not event.value.strip():
            self.filter_input.display = False
        self.resource_tree.focus()

    def action_clear_filter(self) -> None:
        field = self.filter_input
        if not field.display and not self.resource_tree.filter_text:
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        field.value = ""
        field.display = False
        self._apply_filter("")
        self.resource_tree.focus()

    def action_sort(self) -> None:
        tree = self.resource_tree
        index = SORT_MODES.index(tree.sort_mode)
        tree.set_sort(SORT_MODES[(index + 1) % len(SORT_MODES)])
        self._update_extra()
        self.notify(f"Sorted by {tree.sort_mode}", timeout=2, markup=False)

    def _update_extra(self) -> None:
        tree = self.resource_tree
        extra = f"sort: {tree.sort_mode}"
        if tree.filter_text:
            extra += f" · filter: {clean(tree.filter_text)}"
        self.query_one(ConnectionBar).set_extra(extra)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only read-only mode changes which keys exist. Keys that need a container or a
        # namespace say so when pressed on something else: enabling and disabling them per
        # selection would recompute the active bindings on every cursor move, and a key that
        # appears and disappears under the user's eyes is harder to learn.
        # False hides the key everywhere: keys line, help, palette.
        return not (action in MUTATING_ACTIONS and self.scw_app.read_only)

    def _needs(self, *kinds: str) -> Selected | None:
        """The selection if it is one of `kinds`, else a hint and None."""
        selected = self.selected()
        if selected is not None and selected.kind in kinds:
            return selected
        wanted = " or a ".join(kinds)
        self.notify(f"Select a {wanted} first.", severity="warning", timeout=3)
        return None

    async def action_quit(self) -> None:
        await self.app.action_quit()

    def action_tab(self, step: int) -> None:
        details = self.details
        in_list = isinstance(self.focused, RelatedTable)
        details.cycle_tab(step)
        if in_list:
            # Moving between the lists keeps the keyboard in them; off them, back to the tree.
            table = details.active_related_table()
            (table or self.resource_tree).focus()

    # ------------------------------------------------------------------ the pane's lists
    @on(RelatedTable.ActionRequested)
    def _related_action(self, event: RelatedTable.ActionRequested) -> None:
        event.stop()
        if event.action == "leave":
            self.resource_tree.focus()
            return
        flows = self._flows()
        if flows is None:
            return
        selected = self.selected()
        if selected is None or selected.kind == "region":
            return
        app = self.app
        container = selected.container
        namespace = selected.namespace
        anchor = container or namespace
        if anchor is None:
            return
        region = anchor.region or selected.region
        kind = event.kind
        flow: Any
        if event.action == "create":
            if kind == "tokens":
                if container is not None:
                    flow = flows.create_token_flow(
                        app, container, namespace=namespace, region=region
                    )
                else:
                    flow = flows.create_token_flow(app, namespace, region=region)
            elif container is None:
                return
            elif kind == "crons":
                flow = flows.create_cron_flow(app, container, region=region)
            else:
                flow = flows.create_domain_flow(app, container, region=region)
        elif event.action == "edit":
            if kind != "crons" or container is None or event.item is None:
                return
            flow = flows.edit_cron_flow(app, event.item, container, region=region)
        elif event.action == "delete":
            if event.item is None:
                return
            flow = flows.delete_resource_flow(
                app, RELATED_SINGULAR[kind], event.item, region=region
            )
        else:
            return
        name = f"{event.action} {RELATED_SINGULAR[kind]}"
        self.scw_app.run_flow(self._then_reload_related(flow, anchor.id), name)

    async def _then_reload_related(self, flow: Any, resource_id: str) -> None:
        try:
            await flow
        finally:
            if self.is_mounted:
                self.related_changed(resource_id)

    def action_notifications(self) -> None:
        from tui.screens.notifications import NotificationsScreen

        self.app.push_screen(NotificationsScreen(list(self.scw_app.notification_log)))

    def action_json(self) -> None:
        from tui.screens.json_view import JsonScreen

        selected = self._needs("container", "namespace")
        if selected is None:
            return
        resource = selected.container or selected.namespace
        if resource is None:
            return
        kind = selected.kind
        title = f"{kind} {clean(resource.name)}"
        self.app.push_screen(JsonScreen(title, resource.model_dump(mode="json")))

    def _copy(self, value: str | None, what: str) -> None:
        if not value:
            self.notify(f"No {what} to copy.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(value)
        self.notify(f"Copied {what}: {clean(value)}", timeout=3, markup=False)

    def action_copy_id(self) -> None:
        selected = self._needs("container", "namespace")
        if selected is not None:
            self._copy(selected.resource_id, "id")

    def action_copy_url(self) -> None:
        selected = self._needs("container")
        if selected is not None and selected.container is not None:
            self._copy(endpoint_url(selected.container), "endpoint URL")

    def action_copy_domain(self) -> None:
        selected = self._needs("container")
        if selected is None or selected.container is None:
            return
        domains = self._related_cache.get(selected.container.id, {}).get("domains")
        if domains is None:
            self.notify("Domains are still loading.", severity="warning", markup=False)
            return
        ready = [d for d in domains if d.status == "ready"] or list(domains)
        self._copy(ready[0].hostname if ready else None, "custom domain")

    def action_logs(self) -> None:
        selected = self._needs("container", "namespace")
        if selected is None:
            return
        try:
            from tui.screens.logs import LogScreen
        except ImportError:
            self.notify("The log view is not available in this build.", markup=False)
            return
        if selected.container is not None:
            screen = LogScreen(container=selected.container, namespace=selected.namespace)
        else:
            assert selected.namespace is not None
            screen = LogScreen(
                namespace=selected.namespace,
                containers=self.resource_tree.containers_of(selected.namespace.id),
            )
        self.app.push_screen(screen)

    def _flows(self) -> ModuleType | None:
        """The forms' flows module, or None (read-only mode, or a build without forms)."""
        if self.scw_app.read_only:
            return None
        from tui.app import forms_flows

        flows = forms_flows()
        if flows is None:
            self.notify("Forms are not available in this build.", markup=False)
        return flows

    def _run_flow(self, name: str) -> None:
        flows = self._flows()
        if flows is None:
            return
        flow: Callable[..., Any] | None = getattr(flows, name, None)
        if flow is None:
            self.notify(f"{name} is not available in this build.", markup=False)
            return
        selected = self.selected() or Selected("region", self.scw_app.connection.region)
        self.scw_app.run_flow(flow(self.app, selected), name)

    def action_create(self) -> None:
        self._run_flow("create_flow")

    def action_edit(self) -> None:
        self._run_flow("edit_flow")

    def action_deploy(self) -> None:
        self._run_flow("deploy_flow")

    def action_delete(self) -> None:
        self._run_flow("delete_flow")

    def action_invoke(self) -> None:
        from tui.app import forms_flows

        flows = forms_flows()
        invoke = getattr(flows, "invoke_flow", None)
        if self.scw_app.read_only or invoke is None:
            return
        selected = self._needs("container")
        if selected is None:
            return
        if selected.container is not None:
            self.scw_app.run_flow(invoke(self.app, selected.container), "invoke_flow")

    # ------------------------------------------------------------------ palette support
    def jump_to(self, resource_id: str) -> None:
        """Select a resource (from the command palette), clearing a filter that hides it."""
        if self.resource_tree.filter_text and self.resource_tree.node_for(resource_id) is None:
            self.action_clear_filter()
        if not self.resource_tree.select_key(resource_id):
            self._select_when_seen = resource_id
        self.resource_tree.focus()

    def known(self) -> list[tuple[str, str, Namespace | Container]]:
        return [(kind, region, r) for kind, region, r in self.resource_tree.all_resources()]
