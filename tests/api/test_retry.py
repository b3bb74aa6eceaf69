"""The retry policy's decisions and waits (pure functions)."""

from __future__ import annotations

import random

import pytest

from tui.api import RetryPolicy
from tui.api._retry import parse_retry_after


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=8.0)
    rng = random.Random(1)
    for n, step in enumerate([0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]):
        waits = [policy.backoff(n, rng) for _ in range(200)]
        assert all(step / 2 <= w <= step for w in waits)
        assert len({round(w, 6) for w in waits}) > 100  # jittered, not one fixed value
    assert policy.backoff(10_000, rng) <= 8.0


@pytest.mark.parametrize(
    ("status", "method", "type_", "retried"),
    [
        (503, "GET", None, True),
        (502, "PATCH", None, True),
        (504, "DELETE", None, True),
        (503, "POST", None, False),  # its answer may have been lost: not repeated
        (429, "POST", "too_many_requests", True),  # refused: nothing was done
        (500, "GET", "internal_error", True),  # reads only
        (500, "PATCH", None, False),
        (503, "GET", "out_of_stock", False),  # a definite answer
        (400, "GET", "invalid_arguments", False),
        (404, "GET", "not_found", False),
    ],
)
def test_which_answers_are_retried(
    status: int, method: str, type_: str | None, retried: bool
) -> None:
    assert RetryPolicy().status_is_retryable(status, method, type_) is retried


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("-2", 0.0),
        ("", None),
        (None, None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(header, now=now) == seconds
