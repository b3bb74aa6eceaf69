"""The command palette (ctrl+p): every resource to jump to, and the actions.

Built from the app's current state each time the palette opens: resources from the tree, the
forms' mutations from `tui.screens.forms.flows.palette_actions` (already filtered for
read-only and the selection), and console actions (refresh, sort, region/profile switch, …).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.text import clean

if TYPE_CHECKING:
    from tui.app import ScwContainersApp
    from tui.screens.main import MainScreen

Command = tuple[str, str, Callable[[], Any]]
MAX_DISCOVERED_RESOURCES = 50


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
        app = self.scw_app
        actions: list[Command] = [
            ("Refresh now", "Poll every region now", app.refresh_now),
            ("Keys (help)", "Every key of this screen", app.action_help),
            ("Notifications", "Every toast shown so far", app.action_notifications),
        ]
        main = self._main()
        if main is not None:
            actions += [
                ("Filter the tree", "Name substring or exact status word", main.action_filter),
                ("Sort: next order", "Cycle name → status → age", main.action_sort),
                ("Raw JSON of the selection", "As the API sends it", main.action_json),
                (
                    "Logs of the selection",
                    "Container logs, or a namespace merged",
                    main.action_logs,
                ),
                ("Copy id of the selection", "OSC 52 clipboard", main.action_copy_id),
                ("Copy endpoint URL", "https://<domain_name>", main.action_copy_url),
                ("Copy custom domain", "The first ready custom domain", main.action_copy_domain),
            ]
            actions += self._flow_actions()
        for region in ("all", "fr-par", "nl-ams", "pl-waw"):
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
                    f"scw config profile ({'has a key' if profile.has_secret_key else 'no key'})",
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

    def _flow_actions(self) -> list[Command]:
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
