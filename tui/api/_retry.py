"""When to try a request again, and how long to wait first. Pure functions, no I/O."""

from __future__ import annotations

import email.utils
import math
import random
import time
from dataclasses import dataclass, field

# Methods whose repetition cannot create a second resource. PATCH sends the same fields again;
# DELETE of a resource already deleting answers 409/404, which the client understands.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard the client tries before reporting a failure.

    Retried: connection failures before the request was sent (any method); 429 (any method: a
    refusal changes nothing), honouring `Retry-After` / `reset_seconds`; 502, 503, 504 and
    read errors/timeouts after sending, for idempotent methods only (a POST answer that got
    lost may mean the resource was created: it is reported with `maybe_applied`, not repeated);
    500 for GET only.
    """

    max_retries: int = 4
    backoff_base: float = 0.5  # seconds before the first retry (before jitter)
    backoff_max: float = 8.0  # cap of one wait
    retry_statuses: frozenset[int] = field(default=frozenset({429, 502, 503, 504}))
    # Also retried, for reads only: a 500 on a GET changed nothing, and a console polling for
    # hours should ride over a passing server fault instead of showing it.
    read_retry_statuses: frozenset[int] = field(default=frozenset({500}))
    # A Retry-After longer than this is not waited for: the error goes up with `retry_after`.
    max_retry_after: float = 60.0

    def backoff(self, retry_number: int, rng: random.Random | None = None) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so waits grow but
        clients that failed together do not retry together."""
        step = min(self.backoff_max, self.backoff_base * float(2 ** min(retry_number, 30)))
        rand: float = (rng or random).random()
        return step / 2 + rand * step / 2

    def status_is_retryable(self, status_code: int, method: str, error_type: str | None) -> bool:
        if status_code in self.read_retry_statuses and method in ("GET", "HEAD"):
            return error_type != "out_of_stock"
        if status_code not in self.retry_statuses:
            return False
        if error_type == "out_of_stock":
            return False  # a definite answer: capacity will not appear within our backoff
        if status_code == 429:
            return True
        return method in IDEMPOTENT_METHODS


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date; None when absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)
