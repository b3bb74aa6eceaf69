"""The log tail engine: polls container logs with no gap and no duplicate (no Textual).

The logs endpoint is paged and polled, newest first. Each poll walks pages backwards from the
newest line until it meets the newest line it already holds, so a burst of any size between two
polls is fetched whole and nothing is shown twice. Appends between two page requests only shift
older lines to later pages (overlap, which de-duplication absorbs), never skip one.

Continuity is proven only by meeting that newest line. When the walk ends otherwise — it reached
the start of the history, met an older line it knew (lines vanished: the server was reset), met a
line older than its newest (ids or timestamps went backwards), had to stop after too many lines,
or gave up after repeated errors — the tail emits a *gap* entry in front of the new lines, and
starts a new id "origin" so a reset server's recycled ids are not taken for duplicates.

Polls are frequent while lines arrive or a deploy runs and slow down when the container is quiet.
Status changes of the container (seen every few polls, or told by the app through
`observe_status`) become status markers. Everything reaches the UI through one callback as
`LogBatch`, `TailState` and `StatusSeen`; the engine never raises out of `run()`.

A merged (namespace) tail follows its namespace: `add_source` / `remove_source` take a container
in or out while it runs (the app says when one appears or is deleted). A poll works on the
streams it started with, so one added meanwhile is first walked by the next poll and the others
keep their place: nothing of theirs is lost or repeated. A merged tail keeps running with no
container left, waiting for one to be added.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from tui.api import errors
from tui.live.logbuffer import LINE, MARKER, LogEntry, now_micros, to_micros

if TYPE_CHECKING:
    from tui.api.models import Log

__all__ = [
    "HISTORY_LIMIT_SOURCE",
    "LogBatch",
    "LogTail",
    "StatusSeen",
    "TailSource",
    "TailState",
    "TailStatus",
    "status_marker_label",
]

_log = logging.getLogger(__name__)

TailStatus = Literal["connecting", "live", "retrying", "gone", "stopped"]

PAGE_SIZE = 100  # the API's largest page: fewest requests per burst
# `source` of the marker put above the history when older lines were left on the server. The log
# view draws it without a time (it imports no tui.live module that pulls the client in, so it
# spells the same word).
HISTORY_LIMIT_SOURCE = "history-limit"
TRANSIENT = frozenset({"creating", "pending", "deleting", "locking", "upgrading"})
QUIET_STATUS_FACTOR = 3  # status checks of a quiet, settled container: 3× status_every_s apart


@dataclass(frozen=True)
class TailSource:
    """One container to tail; `name` prefixes its lines in a merged (namespace) view."""

    container_id: str
    name: str = ""
    region: str | None = None


@dataclass(frozen=True)
class LogBatch:
    """New entries (lines, gaps, markers), sorted by (timestamp, id); `history` on first load."""

    entries: list[LogEntry]
    history: bool = False


@dataclass(frozen=True)
class TailState:
    """How the tail goes: `error` is a plain message (untrusted text: show it safely)."""

    state: TailStatus
    error: str | None = None
    retry_in_s: float | None = None
    last_success: datetime | None = None
    interval_s: float | None = None


@dataclass(frozen=True)
class StatusSeen:
    """A container status the tail observed changing (`old_status` None: first seen)."""

    container_id: str
    name: str
    old_status: str | None
    status: str
    error_message: str | None
    at: datetime


TailEvent = LogBatch | TailState | StatusSeen


def status_marker_label(old: str | None, new: str, error_message: str | None = None) -> str | None:
    """The words of a status marker ("deploy started"), or None when nothing is worth one."""
    if old == new or old is None:
        return None
    if new == "pending":
        return "deploy started"
    if new == "ready":
        return "deploy finished: ready" if old in TRANSIENT else "ready"
    if new == "error":
        reason = f": {error_message}" if error_message else ""
        return f"deploy failed{reason}" if old in TRANSIENT else f"error{reason}"
    if new == "deleting":
        return "deleting"
    return f"status {old} → {new}"


class _Walk:
    """A walk backwards through the pages, kept across polls when a page request fails."""

    def __init__(self, target: tuple[int, str] | None, limit: int) -> None:
        self.target = target  # key (ts, id) of the newest line held, None when nothing is held
        self.limit = limit
        self.page = 1
        self.collected: OrderedDict[str, Log] = OrderedDict()  # newest first
        self.first: Log | None = None  # the newest line the server had when the walk began
        self.failures = 0


@dataclass
class _Stream:
    source: TailSource
    origin: str
    epoch: int = 0
    newest: tuple[int, str] | None = None  # (ts µs, id) of the newest line held
    recent: OrderedDict[str, int] = field(default_factory=OrderedDict)  # id → ts µs
    loaded: bool = False
    walk: _Walk | None = None
    status: str | None = None
    error_message: str | None = None
    gone: bool = False
    removing: bool = False  # removed while a poll ran: that poll draws "container deleted"
    added: bool = False  # added while the tail runs: a new container, all its lines are new
    # "container added": drawn with the stream's first lines.
    announce: str | None = None

    def remember(self, log_id: str, ts: int) -> None:
        self.recent[log_id] = ts
        self.recent.move_to_end(log_id)
        while len(self.recent) > 2_000:
            self.recent.popitem(last=False)

    def new_origin(self) -> None:
        self.epoch += 1
        self.origin = f"{self.source.container_id}#{self.epoch}"
        self.recent.clear()


class LogTail:
    """Tails one container, or several merged by time (a namespace view).

    `client` is a `tui.api.ContainersClient` (anything with its `list_logs`/`get_container`).
    `on_event` receives `LogBatch`, `TailState` and `StatusSeen`; it must be quick (post a
    message). Run it with `start()` (a task) or `await run()`; stop with `await stop()`.
    Tests can drive `await poll_once()` directly instead.

    `merged` (default: more than one source) names each line's container; a merged tail may
    start with no source and gains or loses some with `add_source` / `remove_source`.
    """

    def __init__(
        self,
        client: Any,
        sources: TailSource | Sequence[TailSource],
        on_event: Callable[[TailEvent], None],
        *,
        history_lines: int = 1_000,
        max_lines_per_poll: int = 100_000,
        page_size: int = PAGE_SIZE,
        fast_s: float = 0.5,
        slow_s: float = 2.0,
        status_every_s: float = 2.0,
        watch_status: bool = True,
        namespace_id: str | None = None,
        max_walk_failures: int = 10,
        merged: bool | None = None,
    ) -> None:
        self.client = client
        self.sources = [sources] if isinstance(sources, TailSource) else list(sources)
        self.merged = len(self.sources) > 1 if merged is None else merged
        if not self.sources and not self.merged:
            raise ValueError("a log tail needs at least one container")
        self.on_event = on_event
        self.history_lines = max(0, history_lines)
        self.max_lines_per_poll = max(1, max_lines_per_poll)
        self.page_size = max(1, min(PAGE_SIZE, page_size))
        self.fast_s = fast_s
        self.slow_s = max(fast_s, slow_s)
        self.status_every_s = status_every_s
        self.watch_status = watch_status
        self.namespace_id = namespace_id
        self.max_walk_failures = max_walk_failures
        self._streams = [_Stream(s, origin=f"{s.container_id}#0") for s in self.sources]
        self.interval_s = fast_s
        self.polls = 0
        self.lines_emitted = 0
        self.last_success: datetime | None = None
        self._state: TailState | None = None
        self._newest_emitted: int | None = None
        self._status_due = 0.0
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._error_streak = 0

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self.run(), name="log-tail")
        return self._task

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def container_ids(self) -> list[str]:
        """The containers tailed now (those gone or removed left out)."""
        return [s.source.container_id for s in self._streams if not s.gone]

    def add_source(self, source: TailSource, *, announce: bool = True) -> bool:
        """Tail one more container from the next poll on; `announce` draws "container added"
        right before its first line.

        It is a container that appeared while the tail ran: every line it has came after the
        tail began, so its first walk takes them all (up to `max_lines_per_poll`), whatever
        `history_lines` says. False when it is, or was, tailed already: a container found
        deleted is never taken back (a stale list still naming it would bring it back only to
        mark it deleted again).
        """
        if any(s.source.container_id == source.container_id for s in self._streams):
            return False
        stream = _Stream(source, origin=f"{source.container_id}#0", added=True)
        if announce:
            stream.announce = "container added"
        self.sources.append(source)
        self._streams.append(stream)
        if not self.merged:
            self.merged = True  # from now on each line says which container it comes from
        self.poll_now()
        return True

    def remove_source(self, container_id: str) -> bool:
        """Stop tailing a container (deleted): "container deleted" is drawn once, no error.
        A poll under way may still deliver the lines it fetched for it. False when unknown or
        gone already."""
        for stream in self._streams:
            if stream.source.container_id != container_id or stream.gone or stream.removing:
                continue
            if self._lock.locked():
                # A poll is under way: it draws the marker after the lines it got for it.
                stream.removing = True
            else:
                self._mark_gone(stream, None)
            if not self.merged:
                self.poll_now()  # that was its only container: say so now, and end
            return True
        return False

    def poll_now(self) -> None:
        """Poll at once (the user pressed refresh, or a deploy was just started)."""
        self.interval_s = self.fast_s
        self._wake.set()

    async def run(self) -> None:
        """Poll until stopped; errors are reported through the callback, never raised."""
        self._set_state(TailState("connecting"))
        try:
            while not self._stopping:
                # Cleared before the poll, not after: a `poll_now()` that lands while the poll
                # runs (the user's refresh, a deploy just started) then wakes the next one.
                self._wake.clear()
                delay = await self.poll_once()
                if self._stopping:
                    break
                if not self.merged and all(stream.gone for stream in self._streams):
                    return  # a merged tail waits: a container may be added to its namespace
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=delay)
        finally:
            if self._stopping:
                self._set_state(TailState("stopped", last_success=self.last_success))

    # -- one poll -------------------------------------------------------------------------------

    async def poll_once(self) -> float:
        """Poll every container once, emit what is new; returns the delay before the next poll."""
        try:
            async with self._lock:  # poll_now, the loop and tests may overlap: one walk at a time
                return await self._poll_once()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never let a bug stop the tail: report it and slow down
            _log.exception("log tail poll failed")
            return self._failed(exc)

    async def _poll_once(self) -> float:
        self.polls += 1
        for stream in self._streams:
            if stream.removing:  # removed while the last poll checked statuses
                self._mark_gone(stream, None)
        streams = [s for s in self._streams if not s.gone]
        history = not all(s.loaded for s in streams)
        results = await asyncio.gather(
            *(self._poll_stream(s) for s in streams), return_exceptions=True
        )
        entries: list[LogEntry] = []
        error: BaseException | None = None
        for stream, result in zip(streams, results, strict=True):
            if isinstance(result, BaseException):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                if isinstance(result, errors.NotFoundError):
                    self._mark_gone(stream, entries)
                    continue
                error = result
                continue
            entries.extend(result)
        for stream in self._streams:
            if stream.removing:
                self._mark_gone(stream, entries)
        if entries:
            self._emit_entries(entries, history=history)
        # The status is checked after the lines are fetched: a marker goes after every line
        # held, so a deploy's last lines ("… is ready") come before "deploy finished: ready".
        if error is None and self.watch_status and time.monotonic() >= self._status_due:
            await self._poll_status([s for s in streams if not s.gone])
            # A quiet, settled container is checked less often: the app's watcher hands the
            # view its status changes too (`observe_transitions`), so a deploy started
            # elsewhere is still marked within a settled poll.
            quiet = self.interval_s >= self.slow_s and not any(
                s.status in TRANSIENT for s in self._streams
            )
            every = self.status_every_s * (QUIET_STATUS_FACTOR if quiet else 1)
            self._status_due = time.monotonic() + every
        if error is not None:
            return self._failed(error)
        self._error_streak = 0
        self.last_success = datetime.now(UTC)
        got_lines = any(e.kind == LINE for e in entries)
        busy = any(s.status in TRANSIENT for s in self._streams)
        if got_lines or busy or any(s.walk is not None for s in streams):
            self.interval_s = self.fast_s
        else:
            self.interval_s = min(self.slow_s, self.interval_s * 1.5)
        if not self.merged and all(s.gone for s in self._streams):
            self._set_state(TailState("gone", "the container no longer exists"))
        else:
            self._set_state(
                TailState("live", last_success=self.last_success, interval_s=self.interval_s)
            )
        return self.interval_s

    def _failed(self, exc: BaseException) -> float:
        self._error_streak += 1
        delay = min(30.0, self.fast_s * 2 ** min(self._error_streak, 6))
        retry_after = getattr(exc, "retry_after", None)
        if isinstance(retry_after, int | float) and retry_after > 0:
            delay = max(delay, float(retry_after))
        self.interval_s = self.fast_s  # poll fast again once it works
        self._set_state(
            TailState(
                "retrying",
                error=_describe(exc),
                retry_in_s=delay,
                last_success=self.last_success,
            )
        )
        return delay

    def _set_state(self, state: TailState) -> None:
        self._state = state
        self._send(state)

    def _send(self, event: TailEvent) -> None:
        try:
            self.on_event(event)
        except Exception:  # the UI's problem must not stop the tail
            _log.exception("log tail callback failed")

    @property
    def state(self) -> TailState | None:
        return self._state

    # -- pages ----------------------------------------------------------------------------------

    async def _fetch(self, stream: _Stream, page: int) -> tuple[list[Log], int]:
        """One page, newest first, and the server's `total_count` (0: not told)."""
        kwargs: dict[str, Any] = {
            "container_id": stream.source.container_id,
            "page": page,
            "page_size": self.page_size,
            "order_by": "timestamp_desc",
        }
        if stream.source.region:
            kwargs["region"] = stream.source.region
        response = await self.client.list_logs(**kwargs)
        total = getattr(response, "total_count", 0)
        return list(response.logs), total if isinstance(total, int) else 0

    async def _poll_stream(self, stream: _Stream) -> list[LogEntry]:
        """One stream's new entries (oldest first), gap included; raises the client's errors."""
        walk = stream.walk
        if walk is None:
            limit = self.max_lines_per_poll if stream.loaded or stream.added else self.history_lines
            walk = stream.walk = _Walk(stream.newest, limit)
            if not stream.loaded and not stream.added and self.history_lines == 0:
                # No history wanted: only note where the server is, show what comes after.
                walk.limit = 0
        outcome = await self._walk(stream, walk)
        stream.walk = None
        return self._finish_walk(stream, walk, outcome)

    async def _walk(self, stream: _Stream, walk: _Walk) -> str:
        """Fetch pages until the walk meets its target; returns how it ended.

        "met" (continuity proven), "end" (start of history), "limit" (enough lines),
        "known" (met an older line it held: lines vanished), "older" (a line older than the
        newest held), "empty" (nothing on the server at all).
        """
        target = walk.target
        recent = stream.recent
        size = self.page_size
        while True:
            try:
                logs, total = await self._fetch(stream, walk.page)
            except errors.NotFoundError:
                raise
            except errors.ScwError:
                walk.failures += 1
                if walk.failures >= self.max_walk_failures and walk.collected:
                    return "failed"  # give up: keep what was collected, mark the hole
                raise
            walk.failures = 0
            if walk.page == 1:
                if not logs:
                    return "empty"
                walk.first = logs[0]
            for log in logs:
                ts = to_micros(log.timestamp)
                key = (ts, log.id)
                if target is not None:
                    if key == target:
                        return "met"
                    if recent.get(log.id) == ts:
                        return "known"
                    if key < target:
                        return "older"
                if log.id not in walk.collected:
                    if len(walk.collected) >= walk.limit:
                        return "limit"
                    walk.collected[log.id] = log
            if len(logs) < size:
                return "end"
            if target is None and walk.limit and len(walk.collected) >= walk.limit and total:
                # The history is full after a full page: the server's count says whether older
                # lines remain, without asking for one more page.
                return "limit" if total > (walk.page - 1) * size + len(logs) else "end"
            walk.page += 1

    def _finish_walk(self, stream: _Stream, walk: _Walk, outcome: str) -> list[LogEntry]:
        was_loaded = stream.loaded
        stream.loaded = True
        broken: str | None = None
        if outcome == "empty":
            if walk.target is not None:
                broken = "the server no longer has the earlier lines (was it reset?)"
        elif outcome in ("known", "older"):
            broken = "the server's log history changed (was it reset?)"
        elif outcome == "end" and walk.target is not None:
            broken = "the earlier lines are no longer on the server (was it reset?)"
        elif outcome == "limit" and was_loaded:
            broken = f"more than {walk.limit:,} new lines at once: older ones skipped"
        elif outcome == "failed":
            broken = "some lines could not be loaded (repeated errors)"

        if broken is not None and outcome != "failed":
            stream.new_origin()

        origin = stream.origin
        name = stream.source.name if self.merged else ""
        entries = [_entry(log, origin, name) for log in walk.collected.values()]
        # Sorted, not just reversed: a resumed walk may meet newer lines after older ones.
        entries.sort(key=lambda e: (e.ts, e.id))
        for entry in entries:
            stream.remember(entry.id, entry.ts)
        # The newest line seen becomes the next walk's target. A walk resumed after an error
        # may have met lines newer than the server's newest when it began (appends shifted the
        # pages): the newest of all it saw is what is held.
        seen = [(entry.ts, entry.id) for entry in entries[-1:]]
        if walk.first is not None:
            seen.append((to_micros(walk.first.timestamp), walk.first.id))
            stream.remember(walk.first.id, seen[-1][0])
        if seen:
            newest = max(seen)
            if stream.newest is None or newest > stream.newest or broken is not None:
                stream.newest = newest
        elif outcome == "empty":
            stream.newest = None
        if not was_loaded and stream.announce is not None:
            # Right before its first line (or after everything held, when it has none yet): the
            # lines that follow are the ones the view did not have before.
            at = entries[0].ts if entries else (self._newest_emitted or now_micros()) + 1
            announce = LogEntry.marker(at, stream.announce, origin=origin)
            announce.container = name
            stream.announce = None
        else:
            announce = None
        if not was_loaded and outcome == "limit" and walk.limit and entries:
            # The history stopped at the setting while the server holds older lines: say so
            # above the first line, so an empty past is not mistaken for a short one.
            label = f"older lines not loaded (history limit {walk.limit:,})"
            entries.insert(
                0,
                LogEntry(
                    entries[0].ts,
                    "",
                    label,
                    kind=MARKER,
                    source=HISTORY_LIMIT_SOURCE,
                    container=name,
                    origin=origin,
                    level="",
                ),
            )
        if broken is not None and was_loaded:
            # Right before the first new line, or after everything held when none came.
            at = entries[0].ts if entries else (self._newest_emitted or now_micros()) + 1
            label = f"{stream.source.name}: {broken}" if self.merged else broken
            entries.insert(0, LogEntry.gap(at, label, origin=origin))
        if announce is not None:
            entries.insert(0, announce)
        return entries

    def _emit_entries(self, entries: list[LogEntry], *, history: bool) -> None:
        entries.sort(key=lambda e: (e.ts, e.id, e.origin))
        lines = sum(1 for e in entries if e.kind == LINE)
        self.lines_emitted += lines
        if entries:
            newest = entries[-1].ts
            if self._newest_emitted is None or newest > self._newest_emitted:
                self._newest_emitted = newest
        self._send(LogBatch(entries, history=history))

    # -- status ---------------------------------------------------------------------------------

    async def _poll_status(self, streams: list[_Stream]) -> None:
        if not streams:
            return
        try:
            if self.merged and self.namespace_id is not None:
                containers = await self._list_containers(streams)
                by_id = {c.id: c for c in containers}
                for stream in streams:
                    container = by_id.get(stream.source.container_id)
                    if container is None:
                        self._mark_gone(stream, None)
                    else:
                        self._observe(stream, container.status, container.error_message)
            else:
                for stream in streams:
                    try:
                        container = await self._get_container(stream)
                    except errors.NotFoundError:
                        self._mark_gone(stream, None)
                        continue
                    self._observe(stream, container.status, container.error_message)
        except errors.ScwError as exc:
            _log.debug("status poll failed: %s", exc)  # the log poll reports connection trouble

    async def _list_containers(self, streams: list[_Stream]) -> list[Any]:
        region = streams[0].source.region
        kwargs: dict[str, Any] = {"namespace_id": self.namespace_id}
        if region:
            kwargs["region"] = region
        lister = getattr(self.client, "list_containers_all", None)
        if lister is not None:
            return list(await lister(**kwargs))
        response = await self.client.list_containers(page_size=100, **kwargs)
        return list(response.containers)

    async def _get_container(self, stream: _Stream) -> Any:
        kwargs: dict[str, Any] = {"container_id": stream.source.container_id}
        if stream.source.region:
            kwargs["region"] = stream.source.region
        return await self.client.get_container(**kwargs)

    def observe_status(
        self,
        container_id: str,
        status: str,
        error_message: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Tell the tail a container's status (from the app's watcher); changes become markers."""
        for stream in self._streams:
            if stream.source.container_id == container_id and not stream.gone:
                self._observe(stream, status, error_message, at)
                if status in TRANSIENT:
                    self.poll_now()

    def _observe(
        self,
        stream: _Stream,
        status: str,
        error_message: str | None,
        at: datetime | None = None,
    ) -> None:
        old = stream.status
        if old == status:
            return
        stream.status = status
        stream.error_message = error_message
        moment = at or datetime.now(UTC)
        self._send(
            StatusSeen(
                stream.source.container_id,
                stream.source.name,
                old,
                status,
                error_message,
                moment,
            )
        )
        label = status_marker_label(old, status, error_message)
        if label is not None:
            self._emit_marker(stream, label, moment)

    def _emit_marker(self, stream: _Stream, label: str, moment: datetime) -> None:
        # Placed after every line held when it was seen: polled logs can't tell better, and a
        # deploy's own lines arrive after the marker that announces it.
        shown = to_micros(moment)
        ts = (self._newest_emitted + 1) if self._newest_emitted is not None else shown
        marker = LogEntry.marker(ts, label, shown_ts=shown, origin=stream.origin)
        if self.merged:
            marker.container = stream.source.name
        self._newest_emitted = ts
        self._send(LogBatch([marker]))

    def _mark_gone(self, stream: _Stream, entries: list[LogEntry] | None) -> None:
        stream.removing = False
        if stream.gone:
            return
        stream.gone = True
        stream.walk = None
        # After everything held, and after the lines of this poll (its own last ones among them).
        ts = max([self._newest_emitted or now_micros(), *(e.ts for e in entries or ())]) + 1
        marker = LogEntry.marker(
            ts, "container deleted", shown_ts=now_micros(), origin=stream.origin
        )
        if self.merged:
            marker.container = stream.source.name
        self._newest_emitted = ts
        if entries is not None:
            entries.append(marker)
        else:
            self._send(LogBatch([marker]))


def _entry(log: Log, origin: str, container: str) -> LogEntry:
    return LogEntry(
        to_micros(log.timestamp),
        log.id,
        log.message,
        level=log.level or "",
        stream=log.stream or "",
        source=log.source or "",
        container=container,
        origin=origin,
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, errors.DeniedAuthenticationError):
        return f"not authorised: {exc.message}"
    if isinstance(exc, errors.ScwError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
