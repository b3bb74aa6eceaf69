"""The command palette (ctrl+p): every resource to jump to, and the actions.

Built from the app's current state each time the palette opens: resources from the tree, the
forms' mutations from `tui.screens.forms.flows.palette_actions` (already filtered for
read-only and the selection), and console actions (refresh, sort, region/profile switch, …).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.text import clean

if TYPE_CHECKING:
    from tui.app import ScwContainersApp
    from tui.screens.main import MainScreen

Command = tuple[str, str, Callable[[], Any]]
MAX_DISCOVERED_RESOURCES = 50
# Forms' entries that change the selection's crons, domains or tokens: its tabs fetch again after.
RELATED_TITLES = frozenset({"Create cron", "Create domain", "Create token"})


async def _then(factory: Callable[[], Awaitable[Any]], after: Callable[[], Any]) -> None:
    try:
        await factory()
    finally:
        after()


class ConsoleCommands(Provider):
    """See the module docstring."""

    @property
    def scw_app(self) -> ScwContainersApp:
        return cast("ScwContainersApp", self.app)

    def _main(self) -> MainScreen | None:
        from tui.screens.main import MainScreen

        screen = self.screen
        return screen if isinstance(screen, MainScreen) else None

    def _actions(self) -> list[Command]:
        """Every key of DESIGN.md's table as an entry (and a few more), for what is selected:
        entries that need a container or a namespace appear only when one is selected, and
        mutations only outside read-only mode (the forms' `palette_actions` filter theirs)."""
        app = self.scw_app
        actions: list[Command] = [
            (
                "Refresh",
                "Poll every region now, and the selection's crons, domains and tokens",
                app.action_refresh,
            ),
            ("Help", "Every key of this screen", app.action_help),
            ("Notifications", "Every toast shown so far", app.action_notifications),
        ]
        main = self._main()
        if main is not None:
            actions += [
                (
                    "Filter",
                    "The tree: a name substring or an exact status word",
                    main.action_filter,
                ),
                (
                    "Sort",
                    f"The tree: next order (now by {main.resource_tree.sort_mode})",
                    main.action_sort,
                ),
            ]
            actions += self._selection_actions(main)
            actions += self._flow_actions(main)
        shown = "all" if app.connection.all_regions else " ".join(app.connection.regions)
        for region in ("all", "fr-par", "nl-ams", "pl-waw"):
            if region == shown:
                continue  # shown already
            actions.append(
                (
                    f"Switch region: {region}",
                    "Reconnect showing this region",
                    partial(app.switch_region, region),
                )
            )
        try:
            profiles = app.config.profiles()
        except Exception:  # a broken scw config: nothing to switch to
            profiles = []
        for profile in profiles:
            actions.append(
                (
                    f"Switch profile: {clean(profile.name)}",
                    ("in use · " if profile.name == app.connection.profile else "")
                    + f"scw config profile ({'has a key' if profile.has_secret_key else 'no key'})",
                    partial(app.switch_profile, profile.name),
                )
            )
        actions.append(
            (
                "Connect a Scaleway account",
                "Where keys are read from, with a sample",
                app.action_setup,
            )
        )
        if not app.connection.is_emulator:
            actions.append(
                ("Use the built-in demo emulator", "Reconnect to demo data", app.switch_to_demo)
            )
        return actions

    def _selection_actions(self, main: MainScreen) -> list[Command]:
        selected = main.selected()
        if selected is None or selected.kind == "region":
            return []
        resource = selected.container or selected.namespace
        if resource is None:
            return []
        what = f"{selected.kind} {clean(resource.name)}"
        actions: list[Command] = [
            ("Raw JSON", f"{what}, as the API sends it", main.action_json),
            (
                "Logs",
                f"{what}: its logs" if selected.container else f"{what}: its containers merged",
                main.action_logs,
            ),
            ("Copy id", f"{what}: to the clipboard (OSC 52)", main.action_copy_id),
        ]
        if selected.container is not None:
            actions += [
                ("Copy endpoint URL", f"{what}: https://<domain_name>", main.action_copy_url),
                ("Copy custom domain", f"{what}: its first ready domain", main.action_copy_domain),
            ]
        return actions

    def _flow_actions(self, main: MainScreen) -> list[Command]:
        app = self.scw_app
        if app.read_only:
            return []
        from tui.app import forms_flows

        flows = forms_flows()
        if flows is None:
            return []
        provider = getattr(flows, "palette_actions", None)
        if provider is None:
            return []
        commands: list[Command] = []
        try:
            entries = provider(app)
        except Exception:
            return []
        for title, help_text, factory in entries:
            if title in RELATED_TITLES:
                factory = partial(_then, factory, main.related_changed)
            commands.append(
                (str(title), str(help_text), partial(app.run_flow_factory, factory, str(title)))
            )
        return commands

    def _resources(self) -> list[Command]:
        main = self._main()
        if main is None:
            return []
        commands: list[Command] = []
        for kind, region, resource in main.known():
            name = clean(resource.name)
            status = clean(getattr(resource, "status", ""))
            if kind == "container":
                parent = main.resource_tree.namespace(getattr(resource, "namespace_id", ""))
                where = f"namespace {clean(parent[1].name)} · " if parent else ""
            else:
                where = ""
            commands.append(
                (
                    f"Go to {kind} {name}",
                    f"{where}{region} · {status}",
                    partial(main.jump_to, resource.id),
                )
            )
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._actions():
            yield DiscoveryHit(title, callback, help=help_text)
        for title, help_text, callback in self._resources()[:MAX_DISCOVERED_RESOURCES]:
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in [*self._actions(), *self._resources()]:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, text=title, help=help_text)
