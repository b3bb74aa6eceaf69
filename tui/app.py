"""The Textual app: small on purpose — screens hold the logic.

`create_app(...)` is the one factory used by the command line and by the tests, so tests run
the app exactly as a user gets it (on the in-process emulator unless told otherwise).

The app owns the client, the live watcher (a worker in group "watcher") and the notification
history; it turns watcher batches into a `LiveEvents` message and hands them to the main screen.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import UTC, datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.commands import ConsoleCommands
from tui.config import AppConfig, AppPaths, ConfigError, Flags, Settings, emulator_connection
from tui.config.settings import keymap_conflicts, unknown_theme_problem
from tui.live.events import GONE, ConnectionState, FollowEnded, LiveEvent, Transition
from tui.live.timeline import Timeline
from tui.live.watcher import Watcher
from tui.resources import style_path
from tui.screens.main import MainScreen
from tui.screens.notifications import NotificationRecord
from tui.selection import Selected
from tui.text import clean, truncate

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from tui.api import ContainersClient
    from tui.api.models import Container
    from tui.config import StateStore
    from tui.screens.connect_error import ConnectErrorScreen

_log = logging.getLogger(__name__)

NOTIFICATION_HISTORY = 500
GC_RESUME_AFTER_TREE_S = 0.2
GC_RESUME_AT_LATEST_S = 5.0
MAX_TOASTS_PER_BATCH = 3


class LiveEvents(Message):
    """One batch of watcher events (one region, one round)."""

    def __init__(self, events: Sequence[LiveEvent], generation: int = 0) -> None:
        super().__init__()
        self.events = events
        self.generation = generation  # which connection's watcher sent it (see `reconnect`)


def _default_keys() -> dict[str, str]:
    """Every binding id of the console with its default key, from the classes' BINDINGS."""
    # The screens with remappable keys; imported here, once, only when `[keys]` is set.
    for module in ("tui.screens.logs", "tui.widgets.resource_tree", "tui.widgets.details"):
        importlib.import_module(module)
    from textual.dom import DOMNode

    found: dict[str, str] = {}
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("tui."):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding.key)
    return found


class ScwContainersApp(App[int]):
    """See the module docstring. Build it with `create_app`."""

    TITLE = "scw-containers"
    CSS_PATH: ClassVar[Any] = [
        style_path("app.tcss"),
        style_path("key_bar.tcss"),
        style_path("main.tcss"),
    ]
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        config: AppConfig,
        *,
        client: ContainersClient | None = None,
        emulator: Starlette | None = None,
        state_store: StateStore | None = None,
    ) -> None:
        """Without `client`, it is built from `config` when the app mounts (importing the HTTP
        client and the emulator then, not at import: `--help` and the tests' own clients skip
        them), or on the first access to `app.client`."""
        super().__init__()
        self.config = config
        self.connection = config.connection
        self.settings: Settings = config.settings
        self.read_only: bool = config.read_only
        self._client = client
        # Polls use their own client with a single retry: the watcher has its own back-off,
        # and a lost connection must show in seconds, not after the client's four retries.
        self._poll_client = client
        self._client_lock = threading.Lock()
        self.emulator = emulator
        self.state_store = state_store
        self.timeline = Timeline()
        self.watcher: Watcher | None = None
        # Whether a full screen (logs, a form) covered the tree at the last focus update. Not
        # "the tree was not seen": before the main screen is mounted it is not seen either,
        # and that must not cost a second full round right after the first.
        self._tree_was_covered = False
        self.connection_state = ConnectionState("connecting")
        self.notification_log: deque[NotificationRecord] = deque(maxlen=NOTIFICATION_HISTORY)
        # Shown once at start: the config's problems, then what only the app can check.
        self.problems: list[str] = list(config.problems)
        self._ever_connected = False
        self._connect_error: ConnectErrorScreen | None = None
        self._client_failed = False  # reported once
        # Bumped by `reconnect`: a batch the previous watcher posted just before it was
        # cancelled must not put the old account's resources into the new tree.
        self._generation = 0
        self._main = MainScreen()
        # The CLI sets it after pausing the garbage collector for the start-up: after the first
        # full picture (or GC_RESUME_AT_LATEST_S at the latest) the app freezes the long-lived
        # start-up objects out of the collector's full passes (their scans are the worst
        # key-latency outliers) and resumes it. Process-wide, so tests leave it off.
        self.gc_paused_for_start = False
        self._main_ready = False

    # ------------------------------------------------------------------ the App surface
    @property
    def client(self) -> ContainersClient:
        """The one API client (built on first use when the app was created without one)."""
        with self._client_lock:
            if self._client is None:
                self._build_clients()
            assert self._client is not None
            return self._client

    @client.setter
    def client(self, client: ContainersClient) -> None:
        with self._client_lock:
            self._client = client
            self._poll_client = client

    @property
    def poll_client(self) -> ContainersClient:
        """The client the watcher polls with (the same as `client` when one was given)."""
        _ = self.client
        assert self._poll_client is not None
        return self._poll_client

    def _build_clients(self) -> None:
        self._client, self.emulator = _make_client(self.config, emulator=self.emulator)
        self._poll_client, _ = _make_client(self.config, emulator=self.emulator, retries=1)

    def selected(self) -> Selected | None:
        if not self._main.is_mounted:
            return None
        try:
            return self._main.selected()
        except NoMatches:  # the main screen is being torn down
            return None

    def refresh_now(self) -> None:
        if self.watcher is not None:
            self.watcher.refresh_now()

    def follow(self, kind: str, region: str, resource_id: str) -> None:
        """Select the resource once it shows, and poll fast until it settles."""
        if self.watcher is not None and kind in ("namespace", "container"):
            self.watcher.follow(kind, region, resource_id)  # type: ignore[arg-type]
        if self._main.is_mounted:
            self._main.select_when_seen(resource_id)

    def known_containers(self, namespace_id: str) -> list[Container]:
        if self.watcher is None:
            return []
        return self.watcher.known_containers(namespace_id)

    @property
    def main_screen(self) -> MainScreen:
        return self._main

    def run_flow(self, flow: Coroutine[Any, Any, Any], name: str) -> None:
        """Run a forms flow in a worker (not exclusive: a second action must not cancel a
        form holding the user's input)."""
        self.run_worker(flow, group="mutation", name=name, exit_on_error=False)

    def run_flow_factory(self, factory: Callable[[], Awaitable[Any]], name: str) -> None:
        async def run() -> None:
            await factory()

        self.run_flow(run(), name)

    # ------------------------------------------------------------------ start and stop
    def get_default_screen(self) -> Screen[Any]:
        return self._main

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))
        self.problems = [*self.config.problems, *self._settings_problems()]
        for problem in self.problems:
            self.notify(problem, severity="warning", timeout=8)
        if self.config.config_error is not None:
            self._show_config_error(self.config.config_error)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.gc_paused_for_start:
            self.set_timer(GC_RESUME_AT_LATEST_S, self._resume_gc)
        # Build the client (and the demo emulator) now, before the first frame: the first
        # requests then go out while the screen is composed and painted. Painting first and
        # connecting after cost ~60 ms more to the demo tree (tests/benchmarks/bench_startup.py)
        # and gains nothing against a remote API, whose answer takes longer than a paint. In a
        # thread, the build took three times as long (GIL hand-offs with Textual's loop).
        self._connect()

    def _settings_problems(self) -> list[str]:
        """What the settings file asks that the app cannot do: a theme it doesn't have, a key
        given to two actions of one screen (reported like the file's other problems)."""
        path = self.config.paths.settings_file
        problems: list[str] = []
        theme = unknown_theme_problem(self.settings.theme, self.available_themes, path=path)
        if theme is not None:
            problems.append(theme)
        if self.settings.keys:
            problems.extend(keymap_conflicts(self.settings.keys, _default_keys(), path=path))
        return problems

    def _connect(self) -> None:
        if self._client is not None:
            self._maybe_start()
            return
        try:
            _ = self.client  # imports httpx, pydantic models and maybe the emulator
        except Exception as error:
            if self.config.config_error is not None:  # its screen shows: wait for a fix
                _log.info("no client yet: %s", error)
            elif not self._client_failed:
                # Never a silent "connecting" forever: say it once, with the cause.
                self._client_failed = True
                _log.exception("the API client could not be built")
                self.notify(
                    f"Could not start the API client: {error}", severity="error", timeout=30
                )
            return
        self._maybe_start()
        # Warm the forms' imports once the first tree is up rather than on the first key.
        self.set_timer(0.5, self._warm_forms)

    def _warm_forms(self) -> None:
        self.run_worker(forms_flows, thread=True, group="connect", exit_on_error=False)

    def _screen_changed(self, _screen: Screen[Any]) -> None:
        self.call_after_refresh(self._update_focus)

    def on_resource_tree_view_changed(self, _message: Message) -> None:
        self._update_focus()

    def _update_focus(self) -> None:
        """Tell the watcher which namespaces can be seen: the tree's window while the main
        screen shows (under modals at most), and those of the screens on the stack (a log
        view); the others are polled at the background pace."""
        if self.watcher is None:
            return
        from tui.api.models import Container, Namespace

        focus: set[str] = set()
        stack = self.screen_stack
        tree_seen = covered = False
        if self._main in stack and self._main.is_mounted:
            above = stack[stack.index(self._main) + 1 :]
            if all(other.styles.background.a < 1 for other in above):
                tree_seen = True
                with contextlib.suppress(NoMatches):
                    focus |= self._main.resource_tree.namespaces_in_view
            else:
                covered = True
        if tree_seen and self._tree_was_covered:
            # Back on the tree after a full screen (logs, a form): namespaces that were polled
            # at the background pace meanwhile may be stale, so list everything once now.
            self.watcher.refresh_now()
        if tree_seen or covered:
            self._tree_was_covered = covered
        for screen in stack:
            container = getattr(screen, "container", None)
            if isinstance(container, Container):
                focus.add(container.namespace_id)
            namespace = getattr(screen, "namespace", None)
            if isinstance(namespace, Namespace):
                focus.add(namespace.id)
        self.watcher.set_focus_namespaces(focus)

    def main_screen_ready(self) -> None:
        """Called by the main screen once its widgets exist: polling may start."""
        self._main_ready = True
        self._maybe_start()

    def _maybe_start(self) -> None:
        """Start polling once both the main screen and the client exist."""
        if self.watcher is not None or not self._main_ready or self._client is None:
            return
        self._start_watcher()
        self.set_timer(1.0, self._offer_drafts)  # once the forms' imports are warm

    def _offer_drafts(self) -> None:
        if self.read_only:
            return
        flows = forms_flows()
        if flows is None:
            return
        offer = getattr(flows, "offer_drafts", None)
        if offer is not None:
            self.run_worker(offer(self), group="drafts", exit_on_error=False)

    def _start_watcher(self) -> None:
        connection = self.connection
        generation = self._generation

        def post_live_events(events: list[LiveEvent]) -> None:
            self.post_message(LiveEvents(events, generation))

        self.watcher = Watcher(
            self.poll_client,
            regions=connection.regions,
            project_id=connection.project_id,
            on_events=post_live_events,
            settled_interval=self.settings.poll_settled_s,
            transient_interval=self.settings.poll_transient_s,
            timeline=self.timeline,
            # The in-process emulator answers on this event loop: concurrency buys nothing
            # there, and fewer answers per loop turn keep keys responsive.
            concurrency=2 if connection.is_emulator else 3,
            # Not yet a setting (settings.py has another owner): namespaces out of view.
            background_interval=self.settings.poll_background_s,
        )
        self.run_worker(
            self.watcher.run(), group="watcher", name="watcher", exclusive=True, exit_on_error=False
        )
        self._update_focus()

    async def on_unmount(self) -> None:
        self._remember_selection()
        for client in {id(c): c for c in (self._client, self._poll_client) if c}.values():
            await client.aclose()

    def _remember_selection(self) -> None:
        selected = self.selected()
        if self.state_store is None or selected is None:
            return
        # A read-only state dir must not turn quitting into a crash.
        with contextlib.suppress(OSError):
            self.state_store.set_last_selection(
                {"kind": selected.kind, "region": selected.region, "id": selected.resource_id}
            )

    def remembered_selection(self) -> str | None:
        """The id selected when the console was last closed (None: nothing remembered)."""
        if self.state_store is None:
            return None
        try:
            last = self.state_store.last_selection()
        except Exception:
            return None
        value = (last or {}).get("id")
        return value if isinstance(value, str) else None

    async def action_quit(self) -> None:
        """Quit; first ask when a form on the stack holds input that was not sent."""
        self._remember_selection()
        if not any(getattr(screen, "is_dirty", lambda: False)() for screen in self.screen_stack):
            self.exit(0)
            return
        try:
            from tui.screens.forms.confirm import ConfirmScreen
        except ImportError:
            self.exit(0)
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit(0)

        self.push_screen(
            ConfirmScreen(
                "Quit with unsaved input?",
                ["A form holds input that was not sent; its draft is offered at the next start."],
                confirm="Quit",
                cancel="Stay",
                danger=True,
            ),
            answered,
        )

    # ------------------------------------------------------------------ live events
    def on_live_events(self, message: LiveEvents) -> None:
        if message.generation != self._generation:
            return  # from the watcher of the connection before a switch
        events = message.events
        transitions: list[Transition] = []
        ended: list[FollowEnded] = []
        for event in events:
            if isinstance(event, ConnectionState):
                self._connection_changed(event)
            elif isinstance(event, Transition):
                transitions.append(event)
            elif isinstance(event, FollowEnded):
                ended.append(event)
        try:
            self._main.apply_live_events(events)
        except NoMatches:
            # The screen is being torn down (the app is exiting) while a batch was in flight.
            return
        if transitions:
            # Log screens draw "── deploy started ──" markers from these.
            for screen in self.screen_stack:
                observe = getattr(screen, "observe_transitions", None)
                if observe is not None:
                    observe(transitions)
        self._toast(transitions, ended)

    def _toast(self, transitions: list[Transition], ended: list[FollowEnded]) -> None:
        followed = {e.resource_id for e in ended}
        worthy = [
            t
            for t in transitions
            if t.from_status is not None
            and t.to_status in ("ready", "error")
            and t.resource_id not in followed
        ]
        if len(worthy) > MAX_TOASTS_PER_BATCH:
            ready = sum(1 for t in worthy if t.to_status == "ready")
            failed = len(worthy) - ready
            self.notify(
                f"{ready} resource(s) became ready, {failed} failed.",
                severity="error" if failed else "information",
            )
        else:
            for t in worthy:
                name = truncate(clean(t.name), 40)
                if t.to_status == "ready":
                    took = f", took {t.duration_s:.1f} s" if t.duration_s is not None else ""
                    self.notify(f"{t.kind} {name} is ready ({t.region}{took})")
                else:
                    error = f": {truncate(clean(t.error_message), 200)}" if t.error_message else ""
                    self.notify(f"{t.kind} {name} failed{error}", severity="error", timeout=10)
        for event in ended:
            name = truncate(clean(event.name), 40)
            if event.status == GONE:
                self.notify(f"{event.kind} {name} is deleted")
            elif event.status == "error":
                error = (
                    f": {truncate(clean(event.error_message), 200)}" if event.error_message else ""
                )
                self.notify(f"{event.kind} {name} failed{error}", severity="error", timeout=10)
            else:
                self.notify(f"{event.kind} {name} is {clean(event.status)}")
            if self.settings.bell_on_deploy_end:
                self.bell()

    def _connection_changed(self, state: ConnectionState) -> None:
        previous = self.connection_state.state
        self.connection_state = state
        if self._ever_connected and previous != state.state:
            # Kept in the notification history: when the link dropped and came back.
            if state.state == "connected":
                self.notify("Connection restored.", timeout=4)
            elif previous == "connected":
                where = ", ".join(state.regions_down)
                self.notify(
                    f"Connection lost ({where}): {truncate(clean(state.error or ''), 200)}",
                    severity="warning",
                    timeout=6,
                )
        if state.state == "connected":
            if not self._ever_connected and self.gc_paused_for_start:
                # Not before the frame that shows the tree: a full collection takes a while.
                self.set_timer(GC_RESUME_AFTER_TREE_S, self._resume_gc)
            self._ever_connected = True
            screen = self._connect_error
            if screen is not None:
                self._connect_error = None
                if self.screen is screen:
                    self.pop_screen()
                elif screen in self.screen_stack:
                    screen.resolved = True
            return
        if state.state in ("retrying", "unauthorized") and not self._ever_connected:
            from tui.screens.connect_error import ConnectErrorScreen

            if self._connect_error is None:
                self._connect_error = ConnectErrorScreen(state, host=self._api_description())
                self.push_screen(self._connect_error)
            else:
                self._connect_error.update_state(state)

    def _resume_gc(self) -> None:
        if not self.gc_paused_for_start:
            return
        self.gc_paused_for_start = False
        gc.collect()
        gc.freeze()
        gc.enable()

    def _api_description(self) -> str:
        if self.connection.is_emulator:
            return "the built-in emulator (DEMO)"
        return self.connection.api_url or self.connection.host

    # ------------------------------------------------------------------ notifications
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast is kept in the history; markup is never parsed and control characters
        are made visible (server text is shown in toasts, and `Widget.notify` passes
        markup=True unless told otherwise)."""
        message = "\n".join(clean(line) for line in str(message).split("\n"))
        title = clean(title)
        self.notification_log.append(
            NotificationRecord(datetime.now(UTC), str(severity), title, message)
        )
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # ------------------------------------------------------------------ actions
    def action_refresh(self) -> None:
        """Poll now, and fetch the selection's crons, domains and tokens again."""
        self.refresh_now()
        if self._main.is_mounted:
            self._main.refresh_related()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, entries_for

        if isinstance(self.screen, HelpScreen):
            return
        notes = [
            "Filter (/): type a name substring or an exact status word; Enter returns to the "
            "tree, Esc clears.",
            "Copy keys use OSC 52: in tmux, set -g set-clipboard on.",
            "Keys can be remapped by binding id in the settings file ([keys]).",
        ]
        self.push_screen(HelpScreen(entries_for(self.screen, self), notes=notes))

    def action_notifications(self) -> None:
        self._main.action_notifications()

    def action_setup(self) -> None:
        try:
            from tui.screens.setup import SetupScreen
        except ImportError:
            return
        self.push_screen(SetupScreen(self.connection, env=self.config.env, home=self.config.home))

    # ------------------------------------------------------------------ config errors, switching
    def _show_config_error(self, error: ConfigError) -> None:
        try:
            from tui.screens.config_error import ConfigErrorScreen
        except ImportError:
            self.notify(str(error), severity="error", timeout=15)
            return

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                self.exit(1)
            elif choice == "retry":
                from tui.config import load_app_config

                config = load_app_config(
                    self.config.flags,
                    read_only=self.read_only,
                    debug=self.config.debug,
                    env=self.config.env,
                    home=self.config.home,
                    paths=self.config.paths,
                )
                if config.config_error is not None:
                    self._show_config_error(config.config_error)
                else:
                    self.reconnect(config)

        self.push_screen(
            ConfigErrorScreen(error, env=self.config.env, home=self.config.home), chosen
        )

    def switch_region(self, region: str) -> None:
        try:
            config = self.config.switch(region=region)
        except ConfigError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.reconnect(config)

    def switch_profile(self, profile: str) -> None:
        try:
            config = self.config.switch(profile=profile)
        except ConfigError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.reconnect(config)

    def switch_to_demo(self) -> None:
        healthy = self.connection.is_emulator and self.connection_state.state == "connected"
        self.reconnect(self.config.on_demo(), fresh_emulator=not healthy)

    def reconnect(self, config: AppConfig, *, fresh_emulator: bool = False) -> None:
        """Connect in place to what `config` says (another profile, region or the demo)."""
        self.workers.cancel_group(self, "watcher")
        self._generation += 1
        old_clients = [c for c in (self._client, self._poll_client) if c is not None]
        self.config = config
        self.connection = config.connection
        self.settings = config.settings
        with self._client_lock:
            if fresh_emulator:
                self.emulator = None
            self._build_clients()
        self.timeline = Timeline()
        self._ever_connected = False
        self.connection_state = ConnectionState("connecting")
        if self._connect_error is not None:
            screen, self._connect_error = self._connect_error, None
            if self.screen is screen:
                self.pop_screen()
        self._main.reset()
        self._start_watcher()
        for old in {id(c): c for c in old_clients}.values():
            self.run_worker(old.aclose(), group="cleanup", exit_on_error=False)
        self.notify(f"Connected to {self.connection.host} ({' '.join(self.connection.regions)})")


def forms_flows() -> ModuleType | None:
    """The forms engineer's flows module, or None in a build without it."""
    try:
        return importlib.import_module("tui.screens.forms.flows")
    except ImportError:
        return None


def _make_client(
    config: AppConfig, *, emulator: Starlette | None = None, retries: int | None = None
) -> tuple[ContainersClient, Starlette | None]:
    from tui.api import ContainersClient, RetryPolicy

    connection = config.connection
    options: dict[str, Any] = {}
    if retries is not None:
        options["retry"] = RetryPolicy(max_retries=retries)
    if connection.is_emulator:
        if emulator is None:
            from tui.emulator import create_app as create_emulator

            emulator = create_emulator(seed="demo")
        client = ContainersClient.for_emulator(
            emulator,
            region=connection.region,
            default_project_id=connection.project_id,
            **options,
        )
        return client, emulator
    client = ContainersClient(
        api_url=connection.api_url,
        secret_key=connection.secret_key,
        region=connection.region,
        default_project_id=connection.project_id,
        default_organization_id=connection.organization_id,
        **options,
    )
    return client, None


def demo_config(
    *,
    settings: Settings | None = None,
    read_only: bool = False,
    regions: str | None = None,
    paths: AppPaths | None = None,
) -> AppConfig:
    """An AppConfig for the in-process emulator, touching no user file (tests, benchmarks)."""
    flags = Flags(demo=True, region=regions)
    return AppConfig(
        connection=emulator_connection(flags),
        settings=settings or Settings(),
        paths=paths or AppPaths.under(_scratch_dir()),
        flags=flags,
        read_only=read_only,
    )


def _scratch_dir() -> Any:
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()) / "scw-containers-scratch"


def create_app(
    config: AppConfig | None = None,
    *,
    emulator: Starlette | None = None,
    client: ContainersClient | None = None,
    state_store: StateStore | None = None,
    settings: Settings | None = None,
    read_only: bool | None = None,
) -> ScwContainersApp:
    """The app, as the CLI and the tests build it.

    - `config`: from `tui.config.load_app_config` (the CLI); default: the demo on the built-in
      emulator with default settings and no user file touched.
    - `emulator`: an in-process emulator app to use instead of a fresh demo one (tests wrap it
      to count requests); only with an emulator connection.
    - `client`: a ready client (overrides the one built from the connection). Without it the
      app builds its client when it mounts.
    """
    config = config or demo_config()
    if settings is not None:
        config = AppConfig(**{**config.__dict__, "settings": settings})
    if read_only is not None:
        config = AppConfig(**{**config.__dict__, "read_only": read_only})
    return ScwContainersApp(config, client=client, emulator=emulator, state_store=state_store)


__all__ = ["LiveEvents", "ScwContainersApp", "create_app", "demo_config"]
