"""The bounded, ordered store of log lines behind the log view (no Textual).

A `LogBuffer` holds `LogEntry` objects sorted by (timestamp, id), drops duplicates by id, and
stays within a number of lines and a number of bytes by forgetting the oldest entries. Besides
log lines it holds *gap* markers (the tail could not prove that nothing was lost there) and
*status* markers ("── deploy started 12:03:10 ──").

A `FilteredRows` is the sorted subset of a buffer that passes a `LineMatcher`; it follows the
buffer incrementally and can be rebuilt over every buffered line in chunks, so a filter typed
late finds old lines without blocking the event loop for long.

Everything here is plain Python: the engine (`tui.live.logtail`) fills the buffer, the widget
(`tui.widgets.log_view`) reads it.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from heapq import merge
from pathlib import Path
from typing import Final, TextIO

DEFAULT_MAX_LINES: Final = 100_000
DEFAULT_MAX_BYTES: Final = 64 * 1024 * 1024

# What one entry costs besides its message's characters: the object with its slots, the str
# headers of message and id, the timestamp int and the de-duplication set slot (measured with
# tracemalloc: ≈ 375 bytes on CPython 3.11, 100,000 lines of 62 characters took 436 bytes each).
ENTRY_OVERHEAD: Final = 380

LINE: Final = 0
GAP: Final = 1
MARKER: Final = 2

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# level/stream/source repeat on every line: keep one string object per distinct value.
_INTERNED: dict[str, str] = {}


def _intern(value: str) -> str:
    shared = _INTERNED.get(value)
    if shared is None:
        if len(_INTERNED) > 4096:  # free text from the server: never let this grow unbounded
            return value
        _INTERNED[value] = value
        shared = value
    return shared


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch, exactly (no float rounding); naive times count as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def now_micros() -> int:
    return to_micros(datetime.now(UTC))


class LogEntry:
    """One log line, gap marker or status marker.

    `ts` (µs since the epoch) and `id` order entries; `origin` says which stream of ids the
    line belongs to (a container, and a new origin after a server reset) so that ids are only
    compared within one origin. Markers use an empty id so they sort before lines of the same
    microsecond; `shown_ts` is the time a marker displays (its `ts` only places it).
    """

    __slots__ = (
        "container",
        "id",
        "kind",
        "level",
        "message",
        "nbytes",
        "origin",
        "shown_ts",
        "source",
        "stream",
        "ts",
    )

    def __init__(
        self,
        ts: int,
        id: str,
        message: str,
        *,
        level: str = "info",
        stream: str = "stdout",
        source: str = "",
        container: str = "",
        origin: str = "",
        kind: int = LINE,
        shown_ts: int | None = None,
    ) -> None:
        self.ts = ts
        self.id = id
        self.message = message
        self.level = _intern(level)
        self.stream = _intern(stream)
        self.source = _intern(source)
        self.container = _intern(container)
        self.origin = _intern(origin)
        self.kind = kind
        self.shown_ts = ts if shown_ts is None else shown_ts
        size = len(message) if message.isascii() else len(message.encode("utf-8", "replace"))
        self.nbytes = size + ENTRY_OVERHEAD

    @classmethod
    def marker(
        cls, ts: int, label: str, *, shown_ts: int | None = None, origin: str = ""
    ) -> LogEntry:
        return cls(ts, "", label, kind=MARKER, shown_ts=shown_ts, origin=origin, level="")

    @classmethod
    def gap(cls, ts: int, label: str, *, origin: str = "") -> LogEntry:
        return cls(ts, "", label, kind=GAP, origin=origin, level="")

    @property
    def is_line(self) -> bool:
        return self.kind == LINE

    @property
    def timestamp(self) -> datetime:
        return from_micros(self.ts)

    @property
    def is_error(self) -> bool:
        return self.level in _ERROR_LEVELS or self.level.lower() in _ERROR_LEVELS

    def json_value(self) -> object | None:
        """The message parsed as a JSON object or array, else None."""
        text = self.message.strip()
        if not text or text[0] not in "{[":
            return None
        try:
            value: object = json.loads(text)
        except ValueError:
            return None
        return value

    def __repr__(self) -> str:
        kind = {LINE: "line", GAP: "gap", MARKER: "marker"}.get(self.kind, "?")
        return f"LogEntry({kind}, ts={self.ts}, id={self.id!r}, message={self.message[:40]!r})"


_ERROR_LEVELS = frozenset({"error", "err", "fatal", "critical", "crit", "panic", "alert", "emerg"})


def sort_key(entry: LogEntry) -> tuple[int, str, str]:
    return (entry.ts, entry.id, entry.origin)


@dataclass(frozen=True)
class AddResult:
    """What one `LogBuffer.add` changed.

    `added` holds the entries that were inserted (sorted, duplicates left out); `dropped` the
    number of oldest entries forgotten to stay within bounds; `appended` is True when every new
    entry went after all the old ones (the common case: the view only grows at its end).
    """

    added: list[LogEntry]
    dropped: int
    appended: bool


class LogBuffer:
    """Log entries sorted by (timestamp, id), bounded in lines and in bytes.

    Duplicates (same origin, same id) are dropped. When a bound is passed the oldest entries go.
    `entries` is the live sorted list: read it, never change it.
    """

    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, max_bytes: int = DEFAULT_MAX_BYTES):
        if max_lines < 1 or max_bytes < 1:
            raise ValueError("a log buffer holds at least one line and one byte")
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.entries: list[LogEntry] = []
        self.nbytes = 0
        self.version = 0  # bumped on every change: caches key on it
        self.dropped_total = 0
        self._ids: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[LogEntry]:
        return iter(self.entries)

    @property
    def line_count(self) -> int:
        return sum(1 for entry in self.entries if entry.kind == LINE)

    def holds(self, origin: str, id: str) -> bool:
        ids = self._ids.get(origin)
        return ids is not None and id in ids

    @property
    def newest_ts(self) -> int | None:
        return self.entries[-1].ts if self.entries else None

    def add(self, batch: Iterable[LogEntry]) -> AddResult:
        """Insert `batch` (any order), skipping duplicates; then trim to the bounds."""
        fresh: list[LogEntry] = []
        seen_now: set[tuple[str, str]] = set()
        for entry in batch:
            if entry.kind == LINE:
                ids = self._ids.get(entry.origin)
                if ids is not None and entry.id in ids:
                    continue
                pair = (entry.origin, entry.id)
                if pair in seen_now:
                    continue
                seen_now.add(pair)
            fresh.append(entry)
        if not fresh:
            return AddResult([], 0, True)
        fresh.sort(key=sort_key)
        entries = self.entries
        appended = not entries or sort_key(fresh[0]) >= sort_key(entries[-1])
        if appended:
            entries.extend(fresh)
        else:
            # One merge of the displaced tail, not one insort per line: a batch from several
            # containers usually lands among the last few entries.
            at = bisect_right(entries, sort_key(fresh[0]), key=sort_key)
            entries[at:] = list(merge(entries[at:], fresh, key=sort_key))
        for entry in fresh:
            self.nbytes += entry.nbytes
            if entry.kind == LINE:
                self._ids.setdefault(entry.origin, set()).add(entry.id)
        dropped = self._trim()
        self.version += 1
        if dropped:
            # The new entries themselves may be among the oldest when the batch is huge.
            first = sort_key(entries[0]) if entries else None
            fresh = [e for e in fresh if first is not None and sort_key(e) >= first]
        return AddResult(fresh, dropped, appended)

    def _trim(self) -> int:
        entries = self.entries
        excess_lines = len(entries) - self.max_lines
        count = max(0, excess_lines)
        nbytes = self.nbytes
        for i in range(count):
            nbytes -= entries[i].nbytes
        while nbytes > self.max_bytes and count < len(entries) - 1:
            nbytes -= entries[count].nbytes
            count += 1
        if count == 0:
            return 0
        for entry in entries[:count]:
            if entry.kind == LINE:
                ids = self._ids.get(entry.origin)
                if ids is not None:
                    ids.discard(entry.id)
        del entries[:count]
        self.nbytes = nbytes
        self.dropped_total += count
        return count

    def clear(self) -> None:
        """Forget every entry (the ids too: a tail keeps its own record of what it saw)."""
        self.entries = []
        self._ids.clear()
        self.nbytes = 0
        self.version += 1

    def index_of(self, entry: LogEntry) -> int | None:
        return index_in(self.entries, entry)

    def since_index(self, since_ts: int | None) -> int:
        return since_index(self.entries, since_ts)


def index_in(rows: Sequence[LogEntry], entry: LogEntry) -> int | None:
    """The position of `entry` in sorted `rows`, or None when it is not there (any more)."""
    i = bisect_left(rows, sort_key(entry), key=sort_key)
    if i < len(rows) and rows[i] is entry:
        return i
    return None


def since_index(rows: Sequence[LogEntry], since_ts: int | None) -> int:
    """The first position in sorted `rows` at or after `since_ts` (µs); 0 when None."""
    if since_ts is None:
        return 0
    return bisect_left(rows, since_ts, key=_ts_of)


def nearest_index(rows: Sequence[LogEntry], entry: LogEntry) -> int:
    """The position `entry` has, or would have, in sorted `rows` (clamped to the last row)."""
    if not rows:
        return 0
    i = bisect_left(rows, sort_key(entry), key=sort_key)
    return min(i, len(rows) - 1)


def _ts_of(entry: LogEntry) -> int:
    return entry.ts


# -- filtering --------------------------------------------------------------------------------


class LineMatcher:
    """A compiled filter: a substring or a regular expression, case-sensitive or not.

    An invalid regular expression raises `re.error` from the constructor (the UI shows it).
    Markers and gaps always match: they explain the lines around them.
    """

    def __init__(self, pattern: str, *, regex: bool = False, case_sensitive: bool = False):
        self.pattern = pattern
        self.regex = regex
        self.case_sensitive = case_sensitive
        flags = 0 if case_sensitive else re.IGNORECASE
        source = pattern if regex else re.escape(pattern)
        self._compiled = re.compile(source, flags)
        # A plain, case-sensitive substring is fastest with `in`.
        self._plain = pattern if (not regex and case_sensitive) else None

    @property
    def is_empty(self) -> bool:
        return not self.pattern

    def matches(self, entry: LogEntry) -> bool:
        if entry.kind != LINE:
            return True
        return self.search(entry.message)

    def search(self, text: str) -> bool:
        if self._plain is not None:
            return self._plain in text
        return self._compiled.search(text) is not None

    def spans(self, text: str, limit: int = 200) -> list[tuple[int, int]]:
        """Where the pattern matches in `text` (at most `limit` spans, none empty)."""
        found: list[tuple[int, int]] = []
        for match in self._compiled.finditer(text):
            start, end = match.span()
            if end > start:
                found.append((start, end))
                if len(found) >= limit:
                    break
        return found

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineMatcher) and (
            self.pattern,
            self.regex,
            self.case_sensitive,
        ) == (other.pattern, other.regex, other.case_sensitive)

    def __hash__(self) -> int:
        return hash((self.pattern, self.regex, self.case_sensitive))


class FilteredRows:
    """The entries of a `LogBuffer` that pass a matcher, sorted, kept up to date.

    Call `rebuild()` (or step through `rebuild_steps()` between event-loop turns) after the
    matcher changes, then `on_added(result)` after every `LogBuffer.add`. While a stepped
    rebuild runs, `rows` still holds the previous result (a view can keep showing it) and
    `on_added` queues what arrives; the last step merges it in. `lines` counts the log lines
    among `rows` (markers and gaps excluded).
    """

    def __init__(self, buffer: LogBuffer, matcher: LineMatcher | None = None) -> None:
        self.buffer = buffer
        self.matcher = matcher if matcher is not None and not matcher.is_empty else None
        self.rows: list[LogEntry] = []
        self.lines = 0
        self.building = False
        self._queued: list[LogEntry] = []
        self._generation = 0

    @property
    def active(self) -> bool:
        return self.matcher is not None

    def set_matcher(self, matcher: LineMatcher | None) -> None:
        """Use another matcher, then rebuild: `rows` keeps the old result until that is done.

        With no matcher there is nothing to keep (and old rows must not hold forgotten lines).
        """
        self.matcher = None if matcher is None or matcher.is_empty else matcher
        self._generation += 1
        self._queued = []
        if self.matcher is None:
            self.rows = []
            self.lines = 0
            self.building = False
        else:
            self.building = True  # until rebuild_steps() has run to its end

    def rebuild(self) -> None:
        for _ in self.rebuild_steps(chunk=1 << 30):
            pass

    def rebuild_steps(self, chunk: int = 5_000) -> Iterator[float]:
        """Refilter every buffered entry, yielding the fraction done after each chunk."""
        self._generation += 1
        generation = self._generation
        matcher = self.matcher
        self.building = True
        self._queued = []
        snapshot = list(self.buffer.entries)
        found: list[LogEntry] = []
        total = len(snapshot)
        if matcher is not None:
            matches = matcher.matches
            for start in range(0, total, chunk):
                found.extend(e for e in snapshot[start : start + chunk] if matches(e))
                if start + chunk < total:
                    yield (start + chunk) / total
                    if generation != self._generation:
                        return  # superseded by a newer matcher or a clear
        if generation != self._generation:
            return
        queued, self._queued = self._queued, []
        self.building = False
        rows = found
        if queued:
            queued.sort(key=sort_key)
            rows = list(merge(rows, queued, key=sort_key)) if rows else queued
        self.rows = rows
        self.lines = _count_lines(rows)
        self.trim_to_buffer()
        yield 1.0

    def on_added(self, result: AddResult) -> list[LogEntry]:
        """Take in a buffer change; returns the new entries that passed the matcher."""
        if self.matcher is None:
            return result.added
        matches = self.matcher.matches
        passed = [e for e in result.added if matches(e)]
        if self.building:
            self._queued.extend(passed)
            return passed
        if passed:
            rows = self.rows
            if not rows or sort_key(passed[0]) >= sort_key(rows[-1]):
                rows.extend(passed)
            else:
                at = bisect_right(rows, sort_key(passed[0]), key=sort_key)
                rows[at:] = list(merge(rows[at:], passed, key=sort_key))
            self.lines += _count_lines(passed)
        if result.dropped:
            self.trim_to_buffer()
        return passed

    def trim_to_buffer(self) -> None:
        """Forget rows the buffer no longer holds (they were its oldest)."""
        entries = self.buffer.entries
        if not entries:
            self.rows = []
            self.lines = 0
            return
        cut = bisect_left(self.rows, sort_key(entries[0]), key=sort_key)
        if cut:
            self.lines -= _count_lines(self.rows[:cut])
            del self.rows[:cut]

    def clear(self) -> None:
        self._generation += 1
        self.rows = []
        self.lines = 0
        self._queued = []
        self.building = False


def _count_lines(entries: Iterable[LogEntry]) -> int:
    return sum(1 for e in entries if e.kind == LINE)


# -- time ranges --------------------------------------------------------------------------------

TIME_RANGES: Final[tuple[tuple[str, int | None], ...]] = (
    ("all", None),
    ("1m", 60),
    ("5m", 300),
    ("15m", 900),
    ("1h", 3600),
)


def range_start(
    seconds: int | None, newest_ts: int | None, now_ts: int | None = None
) -> int | None:
    """The first timestamp (µs) a time range keeps; None keeps everything.

    The range counts back from now, or from the newest line when a server clock runs ahead.
    """
    if seconds is None:
        return None
    reference = now_ts if now_ts is not None else now_micros()
    if newest_ts is not None and newest_ts > reference:
        reference = newest_ts
    return reference - seconds * 1_000_000


# -- saving -------------------------------------------------------------------------------------


def format_iso(ts: int) -> str:
    moment = from_micros(ts)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}Z"


def format_for_file(entry: LogEntry) -> str:
    """One saved line: UTC timestamp, level, stream, [container,] the whole message.

    Markers and gaps are saved too, so a saved file shows where continuity was not proven.
    """
    when = format_iso(entry.shown_ts)
    if entry.kind == GAP:
        return f"{when} ── {entry.message} ──"
    if entry.kind == MARKER:
        prefix = f"{entry.container} " if entry.container else ""
        return f"{when} ── {prefix}{entry.message} ──"
    level = entry.level or "-"
    stream = entry.stream or "-"
    container = f" {entry.container}" if entry.container else ""
    return f"{when} {level} {stream}{container} {entry.message}"


def write_entries(
    entries: Iterable[LogEntry],
    out: TextIO,
    formatter: Callable[[LogEntry], str] = format_for_file,
) -> int:
    """Write one line per entry (messages whole, however long); returns how many."""
    count = 0
    for entry in entries:
        out.write(formatter(entry))
        out.write("\n")
        count += 1
    return count


def save_entries(entries: Iterable[LogEntry], path: str | Path) -> int:
    """Save entries to `path` (created or replaced) as UTF-8; returns the number of lines."""
    target = Path(path).expanduser()
    with target.open("w", encoding="utf-8", errors="surrogateescape", newline="\n") as out:
        return write_entries(entries, out)
