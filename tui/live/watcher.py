"""Adaptive polling of namespaces and containers across regions (no Textual here).

Per region and round: one paged list of namespaces, then exactly one paged list of containers
per namespace (page size 100, so one request up to 100 containers), never one call per
container. Rounds come about every `transient_interval` seconds while anything in the region is
transient or followed, every `settled_interval` seconds otherwise, measured start to start.

What nobody sees is polled less: once the UI says which namespaces are in view
(`set_focus_namespaces`), a round lists the containers of a namespace only if it is in view,
followed, transient (itself or a container), new, or not listed for `background_interval`
seconds; the others keep their last answer. The namespace list itself is fetched every round.
That keeps DESIGN's bound (at most one list per namespace per round) while a covered or
scrolled-away part of a 100-namespace account costs next to nothing.
Errors back off exponentially (honouring `Retry-After`) and never escape: they become
`ConnectionState` events while the last data stays in the cache.

The UI gets batches of `tui.live.events` through `on_events`, one batch per region and round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.live.events import (
    GONE,
    ConnectionState,
    ConnectionStatus,
    FollowEnded,
    LiveEvent,
    NamespacesLoaded,
    ResourceChanged,
    ResourceKind,
    ResourceRemoved,
    Transition,
)
from tui.live.timeline import Timeline

if TYPE_CHECKING:
    from tui.api.client import ContainersClient
    from tui.api.models import Container, Namespace

log = logging.getLogger(__name__)

ALL_REGIONS: tuple[str, ...] = ("fr-par", "nl-ams", "pl-waw")
PAGE_SIZE = 100
DIFF_SLICE = 1000  # containers compared between two turns given to the event loop


_TRANSIENT_BY_KIND: dict[str, frozenset[str]] = {}


def is_transient(status: str | None, kind: str = "container") -> bool:
    if status is None:
        return False
    if not _TRANSIENT_BY_KIND:
        # Imported on first use: the models (pydantic) load after the console's first frame.
        from tui.api.models import TRANSIENT_STATUSES, TRANSIENT_STATUSES_BY_KIND

        _TRANSIENT_BY_KIND.update(TRANSIENT_STATUSES_BY_KIND)
        _TRANSIENT_BY_KIND[""] = TRANSIENT_STATUSES
    return str(status) in _TRANSIENT_BY_KIND.get(kind, _TRANSIENT_BY_KIND[""])


def _status(resource: Any) -> str:
    return str(getattr(resource, "status", "") or "")


@dataclass
class _Follow:
    kind: ResourceKind
    region: str
    since: float  # monotonic
    seen: bool = False
    seen_transient: bool = False
    last_status: str | None = None
    name: str = ""


@dataclass
class _RegionState:
    name: str
    loaded: bool = False
    namespaces: dict[str, Namespace] = field(default_factory=dict)
    containers: dict[str, dict[str, Container]] = field(default_factory=dict)  # ns id → id → c
    failures: int = 0
    last_error: BaseException | None = None
    retry_at: float | None = None  # monotonic
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    rounds: int = 0
    listed_at: dict[str, float] = field(default_factory=dict)  # ns id → monotonic last list
    poll_all: bool = False  # the next round lists every namespace (`refresh_now`)
    answers: dict[str, list[Any]] = field(default_factory=dict)  # ns id → last raw pages


class Watcher:
    """Watches `regions` and reports what changes; see the module docstring.

    `clock` (monotonic seconds) and `now` (aware datetime) can be replaced in tests.
    """

    def __init__(
        self,
        client: ContainersClient,
        *,
        regions: Sequence[str],
        on_events: Callable[[list[LiveEvent]], None],
        project_id: str | None = None,
        settled_interval: float = 5.0,
        transient_interval: float = 1.0,
        max_backoff: float = 60.0,
        concurrency: int = 3,
        background_interval: float = 60.0,
        timeline: Timeline | None = None,
        follow_grace_s: float = 4.0,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.regions: tuple[str, ...] = tuple(regions)
        self.on_events = on_events
        self.project_id = project_id
        self.settled_interval = settled_interval
        self.transient_interval = transient_interval
        self.max_backoff = max_backoff
        self.concurrency = max(1, concurrency)
        self.background_interval = max(background_interval, settled_interval)
        self._focus: frozenset[str] | None = None  # None: every namespace is in view
        self.timeline = timeline if timeline is not None else Timeline()
        self.follow_grace_s = follow_grace_s
        self._clock = clock
        self._now = now
        self._regions = {name: _RegionState(name) for name in self.regions}
        self._follows: dict[str, _Follow] = {}
        self._changed_at: dict[str, float] = {}  # resource id → monotonic time of last change
        self._seen_at_load: set[str] = set()  # ids whose first status was seen, not its start
        self._last_success: datetime | None = None
        self._last_state: ConnectionState | None = None
        self.rounds = 0
        self.running = False

    # ----------------------------------------------------------------- public surface
    async def run(self) -> None:
        """Poll every region until cancelled. Never raises anything but CancelledError."""
        self.running = True
        self._emit([ConnectionState("connecting")])
        try:
            async with asyncio.TaskGroup() as group:
                for region in self.regions:
                    group.create_task(self._region_loop(self._regions[region]))
        finally:
            self.running = False

    def refresh_now(self) -> None:
        """Start a round in every region now, listing every namespace (also cuts a back-off
        wait short)."""
        for state in self._regions.values():
            state.poll_all = True
            state.wake.set()

    def set_focus_namespaces(self, namespace_ids: Iterable[str] | None) -> None:
        """The namespaces the user can see (None: all of them). The others are listed every
        `background_interval` seconds only. A namespace coming into view that was not listed
        for a settled interval is listed at once."""
        focus = None if namespace_ids is None else frozenset(namespace_ids)
        if focus == self._focus:
            return
        self._focus = focus
        now = self._clock()
        for state in self._regions.values():
            if not state.loaded:
                continue
            shown = state.namespaces.keys() if focus is None else focus & state.namespaces.keys()
            if any(
                now - state.listed_at.get(ns_id, -1e18) >= self.settled_interval for ns_id in shown
            ):
                state.wake.set()

    @property
    def focus_namespaces(self) -> frozenset[str] | None:
        return self._focus

    def follow(self, kind: ResourceKind, region: str, resource_id: str) -> None:
        """Poll `region` fast until the resource is seen settled; then emit `FollowEnded`."""
        self._follows[resource_id] = _Follow(kind, region, self._clock())
        state = self._regions.get(region)
        if state is not None:
            state.wake.set()

    def is_followed(self, resource_id: str) -> bool:
        return resource_id in self._follows

    def known_containers(self, namespace_id: str) -> list[Container]:
        for state in self._regions.values():
            if namespace_id in state.containers:
                return list(state.containers[namespace_id].values())
        return []

    def namespaces(self, region: str | None = None) -> list[Namespace]:
        states = [self._regions[region]] if region in self._regions else self._regions.values()
        return [ns for state in states for ns in state.namespaces.values()]

    def find(self, resource_id: str) -> tuple[ResourceKind, str, Namespace | Container] | None:
        """Where a known resource is: (kind, region, resource)."""
        for state in self._regions.values():
            if resource_id in state.namespaces:
                return "namespace", state.name, state.namespaces[resource_id]
            for containers in state.containers.values():
                if resource_id in containers:
                    return "container", state.name, containers[resource_id]
        return None

    def is_loaded(self, region: str | None = None) -> bool:
        if region is not None:
            return self._regions[region].loaded
        return all(state.loaded for state in self._regions.values())

    @property
    def last_success(self) -> datetime | None:
        return self._last_success

    @property
    def connection(self) -> ConnectionState | None:
        return self._last_state

    def next_interval(self, region: str) -> float:
        """The wait before the region's next round, as things stand."""
        state = self._regions[region]
        if state.failures:
            return self._backoff(state)
        return self.transient_interval if self._wants_fast(state) else self.settled_interval

    async def poll_region(self, region: str) -> list[LiveEvent]:
        """One round for one region (what the loop runs); raises the client's errors."""
        state = self._regions[region]
        events = await self._poll(state)
        self._emit(events)
        return events

    # ----------------------------------------------------------------- loop
    async def _region_loop(self, state: _RegionState) -> None:
        while True:
            started = self._clock()
            state.wake.clear()
            try:
                events = await self._poll(state)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # never out: every failure becomes a state to show
                state.failures += 1
                state.last_error = error
                delay = self._backoff(state)
                state.retry_at = started + delay
                log.info("poll of %s failed (%s); retry in %.1f s", state.name, error, delay)
                self._emit([self._connection_state()])
            else:
                state.failures = 0
                state.last_error = None
                state.retry_at = None
                state.rounds += 1
                self.rounds += 1
                self._last_success = self._now()
                events.append(self._connection_state())
                self._emit(events)
                delay = (
                    self.transient_interval if self._wants_fast(state) else self.settled_interval
                )
            remaining = delay - (self._clock() - started)
            if remaining > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(state.wake.wait(), timeout=remaining)

    def _backoff(self, state: _RegionState) -> float:
        base = min(self.max_backoff, self.transient_interval * (2 ** min(state.failures - 1, 10)))
        base = max(base, 1.0)
        delay = base * (0.8 + 0.4 * random.random())
        retry_after = getattr(state.last_error, "retry_after", None)
        if isinstance(retry_after, int | float) and retry_after > 0:
            delay = max(delay, float(retry_after))
        return min(delay, max(self.max_backoff, float(retry_after or 0)))

    def _wants_fast(self, state: _RegionState) -> bool:
        if any(f.region == state.name for f in self._follows.values()):
            return True
        if any(is_transient(_status(ns), "namespace") for ns in state.namespaces.values()):
            return True
        return any(
            is_transient(_status(c))
            for containers in state.containers.values()
            for c in containers.values()
        )

    def _emit(self, events: list[LiveEvent]) -> None:
        if not events:
            return
        for event in events:
            if isinstance(event, ConnectionState):
                self._last_state = event
        try:
            self.on_events(events)
        except Exception:  # a UI bug must not stop the polling
            log.exception("on_events callback failed")

    def _connection_state(self) -> ConnectionState:
        down = [s for s in self._regions.values() if s.failures]
        if not down:
            if not any(s.loaded for s in self._regions.values()):
                return ConnectionState("connecting", last_success=self._last_success)
            return ConnectionState("connected", last_success=self._last_success)
        first = down[0]
        error = first.last_error
        status_code = getattr(error, "status_code", None)
        now = self._clock()
        retry_in = min(max(0.0, (s.retry_at or now) - now) for s in down)
        state: ConnectionStatus = "unauthorized" if status_code == 401 else "retrying"
        return ConnectionState(
            state,
            error=str(error) if error is not None else None,
            retry_in_s=retry_in,
            last_success=self._last_success,
            status_code=status_code if isinstance(status_code, int) else None,
            regions_down=tuple(s.name for s in down),
        )

    # ----------------------------------------------------------------- one round
    def _due(self, state: _RegionState, ns: Namespace, now: float) -> bool:
        """Whether this round lists the containers of `ns` (see the module docstring)."""
        if state.poll_all or self._focus is None or ns.id in self._focus:
            return True
        last = state.listed_at.get(ns.id)
        if last is None or now - last >= self.background_interval:
            return True
        if is_transient(_status(ns), "namespace"):
            return True
        cached = state.containers.get(ns.id, {})
        if any(is_transient(_status(c)) for c in cached.values()):
            return True
        return any(
            f.region == state.name and (rid == ns.id or rid in cached)
            for rid, f in self._follows.items()
        )

    async def _poll(self, state: _RegionState) -> list[LiveEvent]:
        namespaces = await self._list_namespaces(state.name)
        await asyncio.sleep(0)
        now = self._clock()
        due = [self._due(state, ns, now) for ns in namespaces]
        state.poll_all = False
        queue = [(i, ns) for i, ns in enumerate(namespaces) if due[i]]
        results: list[list[Container] | BaseException | None] = [None] * len(namespaces)
        for i, ns in enumerate(namespaces):
            if not due[i]:  # kept from the last answer
                results[i] = list(state.containers.get(ns.id, {}).values())

        async def worker() -> None:
            # A fixed pool of workers, each yielding between answers: an in-process server (the
            # built-in emulator) never suspends, and a hundred concurrent list calls would run
            # in one blocking stretch of the event loop (the UI frozen for the whole round).
            while queue:
                index, ns = queue.pop(0)
                try:
                    results[index] = await self._list_containers(state, ns.id)
                    state.listed_at[ns.id] = self._clock()
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    results[index] = error
                await asyncio.sleep(0)

        await asyncio.gather(*(worker() for _ in range(min(self.concurrency, len(queue)))))
        for ns_id in set(state.listed_at) - {ns.id for ns in namespaces}:
            del state.listed_at[ns_id]
            state.answers.pop(ns_id, None)
        listed: dict[str, list[Container]] = {}
        kept: list[Namespace] = []
        for ns, result in zip(namespaces, results, strict=True):
            if isinstance(result, BaseException):
                if _is_not_found(result):  # deleted between the two calls
                    continue
                raise result
            kept.append(ns)
            listed[ns.id] = result or []
        await asyncio.sleep(0)
        return await self._diff(state, kept, listed)

    async def _list_namespaces(self, region: str) -> list[Namespace]:
        items: list[Namespace] = []
        page = 1
        while True:
            response = await self.client.list_namespaces(
                region=region, page=page, page_size=PAGE_SIZE, project_id=self.project_id
            )
            batch = list(response.namespaces)
            items.extend(batch)
            total = getattr(response, "total_count", None)
            if len(batch) < PAGE_SIZE or (total is not None and len(items) >= total):
                return items
            page += 1

    async def _list_containers(self, state: _RegionState, namespace_id: str) -> list[Container]:
        """Every container of the namespace; an answer equal to the previous one is not parsed
        again (the cached models are returned: the diff then skips them at once)."""
        pages: list[Any] = []
        count = 0
        page = 1
        while True:
            data = await self.client.list_containers_data(
                region=state.name, namespace_id=namespace_id, page=page, page_size=PAGE_SIZE
            )
            pages.append(data)
            raw = data.get("containers") if isinstance(data, dict) else None
            batch = len(raw) if isinstance(raw, list) else 0
            count += batch
            total = data.get("total_count") if isinstance(data, dict) else None
            if batch < PAGE_SIZE or (isinstance(total, int) and count >= total):
                break
            page += 1
        cached = state.containers.get(namespace_id)
        if cached is not None and state.answers.get(namespace_id) == pages:
            return list(cached.values())
        items: list[Container] = []
        for data in pages:
            items.extend(self.client.parse_list_containers(data).containers)
        state.answers[namespace_id] = pages
        return items

    async def _diff(
        self, state: _RegionState, namespaces: list[Namespace], listed: dict[str, list[Container]]
    ) -> list[LiveEvent]:
        now_mono = self._clock()
        now = self._now()
        if not state.loaded:
            state.loaded = True
            state.namespaces = {ns.id: ns for ns in namespaces}
            state.containers = {ns_id: {c.id: c for c in cs} for ns_id, cs in listed.items()}
            for resource in self._all(state):
                self._changed_at[resource.id] = now_mono
                self._seen_at_load.add(resource.id)
            events: list[LiveEvent] = [
                NamespacesLoaded(
                    region=state.name,
                    namespaces=tuple(namespaces),
                    containers={ns_id: tuple(cs) for ns_id, cs in listed.items()},
                    at=now,
                )
            ]
            events.extend(self._check_follows(state))
            return events

        events = []
        transitions: list[Transition] = []

        def changed(
            kind: ResourceKind, old: Any, new: Any, namespace_id: str | None = None
        ) -> None:
            if old is new:  # an answer identical to the last one
                return
            old_status = None if old is None else _status(old)
            if old is not None and old == new:
                return
            events.append(ResourceChanged(kind, state.name, new, old_status))
            if old_status != _status(new):
                transitions.append(
                    self._transition(
                        kind,
                        state.name,
                        new.id,
                        new.name,
                        old_status,
                        new,
                        now,
                        now_mono,
                        namespace_id,
                    )
                )

        def removed(kind: ResourceKind, old: Any, namespace_id: str | None = None) -> None:
            events.append(ResourceRemoved(kind, state.name, old.id, namespace_id))
            transitions.append(
                self._transition(
                    kind,
                    state.name,
                    old.id,
                    old.name,
                    _status(old),
                    None,
                    now,
                    now_mono,
                    namespace_id,
                )
            )
            self._changed_at.pop(old.id, None)
            self._seen_at_load.discard(old.id)

        new_namespaces = {ns.id: ns for ns in namespaces}
        compared = 0
        for ns_id, old_ns in list(state.namespaces.items()):
            if ns_id not in new_namespaces:
                for container in state.containers.get(ns_id, {}).values():
                    removed("container", container, ns_id)
                removed("namespace", old_ns)
        for ns in namespaces:
            changed("namespace", state.namespaces.get(ns.id), ns)
            old_containers = state.containers.get(ns.id, {})
            new_containers = {c.id: c for c in listed.get(ns.id, [])}
            for c_id, old_c in old_containers.items():
                if c_id not in new_containers:
                    removed("container", old_c, ns.id)
            for container in new_containers.values():
                changed("container", old_containers.get(container.id), container, ns.id)
            compared += len(new_containers)
            if compared >= DIFF_SLICE:
                compared = 0
                await asyncio.sleep(0)  # let keys through while 10,000 models are compared

        state.namespaces = new_namespaces
        state.containers = {
            ns_id: {c.id: c for c in listed.get(ns_id, [])} for ns_id in new_namespaces
        }
        self.timeline.extend(transitions)
        events.extend(transitions)
        events.extend(self._check_follows(state))
        return events

    def _transition(
        self,
        kind: ResourceKind,
        region: str,
        resource_id: str,
        name: str,
        from_status: str | None,
        new: Any,
        now: datetime,
        now_mono: float,
        namespace_id: str | None,
    ) -> Transition:
        previous = self._changed_at.get(resource_id)
        lower_bound = resource_id in self._seen_at_load
        self._changed_at[resource_id] = now_mono
        self._seen_at_load.discard(resource_id)
        return Transition(
            kind=kind,
            resource_id=resource_id,
            name=str(name),
            region=region,
            from_status=from_status,
            to_status=GONE if new is None else _status(new),
            at=now,
            duration_s=None if previous is None else max(0.0, now_mono - previous),
            error_message=None if new is None else getattr(new, "error_message", None),
            namespace_id=namespace_id,
            duration_is_lower_bound=lower_bound and previous is not None,
        )

    def _check_follows(self, state: _RegionState) -> list[LiveEvent]:
        ended: list[LiveEvent] = []
        now = self._clock()
        for resource_id, follow in list(self._follows.items()):
            if follow.region != state.name:
                continue
            resource = self._lookup(state, resource_id)
            if resource is None:
                if follow.seen:
                    del self._follows[resource_id]
                    ended.append(
                        FollowEnded(follow.kind, state.name, resource_id, follow.name, GONE)
                    )
                elif now - follow.since > 120:  # never appeared: stop polling fast for it
                    del self._follows[resource_id]
                continue
            follow.seen = True
            follow.name = str(resource.name)
            status = _status(resource)
            follow.last_status = status
            if is_transient(status, follow.kind):
                follow.seen_transient = True
                continue
            if follow.seen_transient or now - follow.since >= self.follow_grace_s:
                del self._follows[resource_id]
                ended.append(
                    FollowEnded(
                        follow.kind,
                        state.name,
                        resource_id,
                        follow.name,
                        status,
                        getattr(resource, "error_message", None),
                    )
                )
        return ended

    @staticmethod
    def _lookup(state: _RegionState, resource_id: str) -> Namespace | Container | None:
        if resource_id in state.namespaces:
            return state.namespaces[resource_id]
        for containers in state.containers.values():
            if resource_id in containers:
                return containers[resource_id]
        return None

    @staticmethod
    def _all(state: _RegionState) -> Iterable[Namespace | Container]:
        yield from state.namespaces.values()
        for containers in state.containers.values():
            yield from containers.values()


def _is_not_found(error: BaseException) -> bool:
    return getattr(error, "status_code", None) == 404
