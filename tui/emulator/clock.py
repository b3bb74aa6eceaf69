"""The emulator's clock: wall-clock time that tests can freeze and move forward."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any


class Clock:
    """Seconds since the epoch (float). ``wall`` is the real time source (``time.time``).

    Frozen, it stands still until advanced or unfrozen (then it goes on from where it stood).
    It never goes backwards, even if the wall clock does.
    """

    def __init__(self, wall: Callable[[], float] | None = None) -> None:
        self.wall = wall or time.time
        self.offset = 0.0
        self.frozen_at: float | None = None
        self._last = 0.0

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self) -> float:
        current = self.frozen_at if self.frozen_at is not None else self.wall() + self.offset
        if current < self._last:
            current = self._last
        self._last = current
        return current

    def freeze(self) -> None:
        if self.frozen_at is None:
            self.frozen_at = self.now()

    def unfreeze(self) -> None:
        if self.frozen_at is not None:
            self.offset = self.frozen_at - self.wall()
            self.frozen_at = None

    def advance(self, seconds: float) -> None:
        if self.frozen_at is not None:
            self.frozen_at += seconds
        else:
            self.offset += seconds

    def reset(self) -> None:
        self.offset = 0.0
        self.frozen_at = None
        self._last = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"now": self.now(), "frozen": self.frozen}

    def restore(self, data: dict[str, Any]) -> None:
        """Go on from a saved clock: never before the saved time; frozen stays frozen."""
        saved = float(data.get("now", 0.0))
        if data.get("frozen"):
            self.frozen_at = saved
        else:
            self.frozen_at = None
            self.offset = max(0.0, saved - self.wall())
        self._last = saved


@lru_cache(maxsize=65536)
def rfc3339(ts: float) -> str:
    """Microsecond RFC 3339 in UTC, e.g. ``2025-01-06T08:00:00.000000Z`` (sorts as text).

    Cached: lists render the same creation times over and over.
    """
    text = datetime.fromtimestamp(ts, UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    return text + "Z"
