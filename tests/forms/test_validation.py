"""The client side's reading of the published rules (tui.validation), without a screen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui import validation as v

NOW = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", ["a", "web", "my-app-2", "a" * 34, "0abc"])
def test_good_names(name: str) -> None:
    assert v.check_name(name) is None


@pytest.mark.parametrize("name", ["", "A", "-a", "a-", "a_b", "a b", "a" * 35, "café"])
def test_bad_names(name: str) -> None:
    assert v.check_name(name)


@given(st.from_regex(r"\A[a-z0-9]([-a-z0-9]{0,32}[a-z0-9])?\Z"))
def test_every_name_of_the_pattern_is_accepted(name: str) -> None:
    assert v.check_name(name) is None


@pytest.mark.parametrize(
    "image",
    [
        "nginx",
        "nginx:1.27",
        "rg.fr-par.scw.cloud/shop/web:1.4.2",
        "localhost:5000/a/b_c__d-e",
        "rg.fr-par.scw.cloud/ns/app@sha256:" + "a" * 64,
    ],
)
def test_good_images(image: str) -> None:
    assert v.check_registry_image(image) is None


@pytest.mark.parametrize("image", ["", "Nginx", "a b", "x/:y", "ns/app:", "ns//app", "-x"])
def test_bad_images(image: str) -> None:
    assert v.check_registry_image(image)


def test_scale_errors_land_on_the_right_field() -> None:
    assert v.check_scale("0", "5") == {}
    assert set(v.check_scale("6", "5")) == {"max_scale"}
    assert set(v.check_scale("-1", "51")) == {"min_scale", "max_scale"}
    assert set(v.check_scale("x", "5")) == {"min_scale"}


def test_numbers_memory_cpu_timeout() -> None:
    assert v.check_int_range("80", 1, 80) is None
    assert v.check_int_range("81", 1, 80)
    assert v.check_int_range("1.5", 1, 80)
    assert v.check_memory(2048) is None and v.check_memory(1000)
    assert [v.cpu_for_memory(m) for m in v.MEMORY_LIMITS] == [70, 140, 280, 560, 1120, 1680, 2240]
    assert (
        v.check_cpu_limit("") is None
        and v.check_cpu_limit("69")
        and v.check_cpu_limit("6000") is None
    )
    assert v.parse_timeout("300") == 300 and v.parse_timeout("2.5s") == 2.5
    assert v.parse_timeout("5m") == 300 and v.parse_timeout("soon") is None
    assert v.check_timeout("900") is None and v.check_timeout("901") and v.check_timeout("0.5")
    assert v.format_timeout(300) == "300s" and v.format_timeout(2.5) == "2.5s"


def test_env_rules() -> None:
    assert v.check_env_key("LOG_LEVEL") is None and v.check_env_key("_x1") is None
    assert v.check_env_key("1X") and v.check_env_key("A-B") and v.check_env_key("")
    assert v.check_env_keys(["A", "B"]) is None and v.check_env_keys(["A", "A"])
    assert v.check_env_keys(f"K{i}" for i in range(101))
    assert v.check_secret_value("x" * 65_536) is None and v.check_secret_value("x" * 65_537)
    assert v.check_secret_value("é" * 32_769)  # bytes, not characters


@pytest.mark.parametrize(
    ("schedule", "reading"),
    [
        ("5 4 * * 0", "At 04:05 UTC, on Sunday"),
        ("*/5 * * * *", "Every 5 minutes (UTC)"),
        ("* * * * *", "Every minute (UTC)"),
        (
            "0 9-17 * * mon-fri",
            "At minute 0 past hour 9 through 17 (UTC), on Monday through Friday",
        ),
        ("0 6,12,18 * * *", "At 06:00, 12:00 and 18:00 UTC"),
        ("0 0 1 * *", "At 00:00 UTC, on day-of-month 1"),
        ("15 */2 * * *", "At minute 15 past every 2nd hour (UTC)"),
        ("0 12 1,15 jan,jul *", "At 12:00 UTC, on day-of-month 1 and 15, in January and July"),
    ],
)
def test_cron_reading(schedule: str, reading: str) -> None:
    assert v.check_cron_schedule(schedule) is None
    assert v.describe_cron(schedule) == reading


@pytest.mark.parametrize(
    "schedule", ["", "* * * *", "61 * * * *", "@daily", "* * * * * *", "a b c d e"]
)
def test_bad_cron_schedules(schedule: str) -> None:
    assert v.check_cron_schedule(schedule)
    with pytest.raises(ValueError):
        v.describe_cron(schedule)


def test_next_runs_are_utc_and_in_order() -> None:
    runs = v.next_runs("5 4 * * 0", NOW)
    assert runs == [datetime(2025, 1, d, 4, 5, tzinfo=UTC) for d in (12, 19, 26)]
    cet = timezone(timedelta(hours=1), "CET")
    assert v.format_local(runs[0], cet) == "2025-01-12 05:05 CET"
    assert v.format_utc(runs[0]) == "2025-01-12 04:05 UTC"


def test_cron_args() -> None:
    assert v.parse_cron_args("") == ({}, None)
    assert v.parse_cron_args('{"a": [1, 2]}') == ({"a": [1, 2]}, None)
    parsed, problem = v.parse_cron_args("[1]")
    assert parsed is None and problem and "object" in problem
    parsed, problem = v.parse_cron_args('{"a": ')
    assert parsed is None and problem and "line 1" in problem


def test_hostnames() -> None:
    assert v.check_hostname("api.example.com") is None
    assert v.check_hostname("API.Example.com.") is None
    for bad in ("", "localhost", "-a.example.com", "a..b", "1.2.3.4", "a_b.example.com"):
        assert v.check_hostname(bad), bad


def test_expiry() -> None:
    assert v.parse_expiry("", NOW) == (None, None)
    assert v.parse_expiry("30d", NOW) == (NOW + timedelta(days=30), None)
    assert v.parse_expiry("12h", NOW)[0] == NOW + timedelta(hours=12)
    assert v.parse_expiry("2w", NOW)[0] == NOW + timedelta(weeks=2)
    assert v.parse_expiry("2030-01-31", NOW)[0] == datetime(2030, 1, 31, tzinfo=UTC)
    assert v.parse_expiry("2030-01-31T10:00:00+01:00", NOW)[0] == datetime(
        2030, 1, 31, 9, tzinfo=UTC
    )
    for bad in ("2020-01-01", "0d", "soon", "2030-13-01"):
        when, problem = v.parse_expiry(bad, NOW)
        assert when is None and problem, bad
