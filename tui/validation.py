"""The published input rules, as the console's forms apply them before sending anything.

This is the client side's own reading of DESIGN.md's rules table and the API page; the emulator
keeps an independent copy so that a misunderstanding is not silently shared by both. Every check
returns `None` when the value is acceptable, else a short message meant to be shown under the
field. No Textual here: forms, tests and scripts can all use it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from croniter import croniter

NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
NAME_MAX = 34
DESCRIPTION_MAX = 255

MEMORY_TO_CPU: dict[int, int] = {
    128: 70,
    256: 140,
    512: 280,
    1024: 560,
    2048: 1120,
    3072: 1680,
    4096: 2240,
}
MEMORY_LIMITS: tuple[int, ...] = tuple(MEMORY_TO_CPU)
DEFAULT_MEMORY = 2048
CPU_MIN, CPU_MAX = 70, 6000
SCALE_MAX = 50
CONCURRENCY_MIN, CONCURRENCY_MAX = 1, 80
PORT_MIN, PORT_MAX = 1, 65535
TIMEOUT_MIN_S, TIMEOUT_MAX_S = 1.0, 900.0

ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENV_MAX_KEYS = 100
SECRET_VALUE_MAX_BYTES = 65_536

REGIONS: tuple[str, ...] = ("fr-par", "nl-ams", "pl-waw")
PRIVACY_VALUES: tuple[str, ...] = ("public", "private")
PROTOCOL_VALUES: tuple[str, ...] = ("http1", "h2c")
HTTP_OPTION_VALUES: tuple[str, ...] = ("enabled", "redirected")

# Defaults of a new container on a real server (api-facts.md), shown pre-filled in the form.
CONTAINER_DEFAULTS: dict[str, Any] = {
    "min_scale": 0,
    "max_scale": 5,
    "memory_limit": DEFAULT_MEMORY,
    "timeout_s": 300,
    "privacy": "public",
    "protocol": "http1",
    "port": 8080,
    "max_concurrency": 50,
    "http_option": "enabled",
}

# docker/distribution's reference grammar: [domain[:port]/]path[:tag][@digest].
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
IMAGE_RE = re.compile(
    rf"^(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?$"
)
IMAGE_NAME_MAX = 255

_HOST_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def check_name(value: str) -> str | None:
    if not value:
        return "required"
    if len(value) > NAME_MAX:
        return f"at most {NAME_MAX} characters ({len(value)} now)"
    if not NAME_RE.match(value):
        return "lowercase letters, digits and '-'; starts and ends with a letter or digit"
    return None


def check_description(value: str) -> str | None:
    if len(value) > DESCRIPTION_MAX:
        return f"at most {DESCRIPTION_MAX} characters ({len(value)} now)"
    return None


def check_registry_image(value: str) -> str | None:
    if not value:
        return "required: an image reference such as rg.fr-par.scw.cloud/ns/app:1.0"
    name = value.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    if len(name) > IMAGE_NAME_MAX:
        return f"image name longer than {IMAGE_NAME_MAX} characters"
    if not IMAGE_RE.match(value):
        return "not a well-formed image reference (registry/path[:tag][@digest], lowercase path)"
    return None


def parse_int(value: str) -> int | None:
    """An integer typed by a user, or None when it is not one (blank included)."""
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    return int(text)


def check_int_range(value: str, low: int, high: int, *, required: bool = True) -> str | None:
    if not value.strip():
        return "required" if required else None
    number = parse_int(value)
    if number is None:
        return "a whole number"
    if not low <= number <= high:
        return f"between {low} and {high}"
    return None


def check_scale(min_scale: str, max_scale: str) -> dict[str, str]:
    """Errors by field for the pair, so each message lands on the field it concerns."""
    errors: dict[str, str] = {}
    for field, text in (("min_scale", min_scale), ("max_scale", max_scale)):
        problem = check_int_range(text, 0, SCALE_MAX)
        if problem:
            errors[field] = problem
    if not errors:
        low, high = parse_int(min_scale), parse_int(max_scale)
        if low is not None and high is not None and low > high:
            errors["max_scale"] = f"must be at least min scale ({low})"
    return errors


def check_memory(value: int | None) -> str | None:
    if value not in MEMORY_TO_CPU:
        return "one of " + ", ".join(str(m) for m in MEMORY_LIMITS) + " MB"
    return None


def cpu_for_memory(memory_mb: int) -> int:
    """The mvCPU the API page's table gives a memory limit (nearest lower step for others)."""
    if memory_mb in MEMORY_TO_CPU:
        return MEMORY_TO_CPU[memory_mb]
    steps = [m for m in MEMORY_LIMITS if m <= memory_mb]
    return MEMORY_TO_CPU[steps[-1]] if steps else MEMORY_TO_CPU[MEMORY_LIMITS[0]]


def check_cpu_limit(value: str) -> str | None:
    """Blank means "from the memory limit"."""
    return check_int_range(value, CPU_MIN, CPU_MAX, required=False)


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min)?\s*$", re.IGNORECASE)


def parse_timeout(value: str) -> float | None:
    """Seconds from "300", "300s", "2.5s" or "5m"; None when not understood."""
    match = _DURATION_RE.match(value)
    if not match:
        return None
    seconds = float(match.group(1))
    unit = (match.group(2) or "s").lower()
    if unit in ("m", "min"):
        seconds *= 60
    return seconds


def check_timeout(value: str) -> str | None:
    if not value.strip():
        return "required"
    seconds = parse_timeout(value)
    if seconds is None or not math.isfinite(seconds):
        return 'seconds, e.g. 300 or "5m"'
    if not TIMEOUT_MIN_S <= seconds <= TIMEOUT_MAX_S:
        return "between 1 s and 900 s (15 minutes)"
    return None


def format_timeout(seconds: float) -> str:
    """The API's duration spelling: "300s" (or "2.5s")."""
    if float(seconds).is_integer():
        return f"{int(seconds)}s"
    return f"{seconds:g}s"


def check_env_key(key: str) -> str | None:
    if not key:
        return "key required"
    if not ENV_KEY_RE.match(key):
        return "key: letters, digits and '_', not starting with a digit"
    return None


def check_secret_value(value: str) -> str | None:
    size = len(value.encode("utf-8"))
    if size > SECRET_VALUE_MAX_BYTES:
        return f"value over {SECRET_VALUE_MAX_BYTES} bytes ({size})"
    return None


# The same bound holds for plain values on the server.
check_env_value = check_secret_value


def check_env_keys(keys: Iterable[str]) -> str | None:
    """Problems of the whole set: count and duplicates (each key is checked on its own row)."""
    seen: set[str] = set()
    count = 0
    for key in keys:
        count += 1
        if key in seen:
            return f"duplicate key {key}"
        seen.add(key)
    if count > ENV_MAX_KEYS:
        return f"at most {ENV_MAX_KEYS} variables ({count} now)"
    return None


# ---------------------------------------------------------------- cron


def check_cron_schedule(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "required: 5 fields, minute hour day-of-month month day-of-week"
    fields = text.split()
    if len(fields) != 5:
        return f"5 fields needed (minute hour day month weekday), {len(fields)} given"
    try:
        valid = croniter.is_valid(text)
    except Exception:  # croniter raises on some odd inputs instead of answering False
        valid = False
    if not valid:
        return "not a valid cron schedule"
    return None


def parse_cron_args(value: str) -> tuple[dict[str, Any] | None, str | None]:
    """(the JSON object, None) or (None, the problem with its line and column)."""
    text = value.strip()
    if not text:
        return {}, None
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if not isinstance(parsed, dict):
        return None, "must be a JSON object: {...}"
    return parsed, None


def next_runs(schedule: str, now: datetime, count: int = 3) -> list[datetime]:
    """The next `count` run times after `now`, in UTC (crons run in UTC)."""
    start = now.astimezone(UTC)
    itr = croniter(schedule.strip(), start)
    return [itr.get_next(datetime).astimezone(UTC) for _ in range(count)]


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTH_ALIASES = {name[:3].lower(): i + 1 for i, name in enumerate(_MONTHS)}
_DAY_ALIASES = {name[:3].lower(): i for i, name in enumerate(_DAYS)}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class _CronField:
    unit: str
    names: tuple[str, ...] | None = None
    name_offset: int = 0
    aliases: Mapping[str, int] | None = None

    def value(self, token: str) -> int:
        if self.aliases and token.lower() in self.aliases:
            return self.aliases[token.lower()]
        return int(token)

    def label(self, token: str) -> str:
        number = self.value(token)
        if self.names is not None:
            return self.names[(number - self.name_offset) % len(self.names)]
        return str(number)

    def part(self, item: str) -> str:
        base, _, step = item.partition("/")
        if base in ("*", "?"):
            if step:
                return f"every {_ordinal(int(step))} {self.unit}" if int(step) != 1 else ""
            return ""
        if "-" in base:
            low, high = base.split("-", 1)
            span = f"{self.label(low)} through {self.label(high)}"
            if step:
                return f"every {_ordinal(int(step))} {self.unit} from {span}"
            return span
        if step:
            return f"every {_ordinal(int(step))} {self.unit} from {self.label(base)}"
        return self.label(base)

    def describe(self, text: str) -> str:
        return _join([p for p in (self.part(i) for i in text.split(",")) if p])


_MINUTE = _CronField("minute")
_HOUR = _CronField("hour")
_DOM = _CronField("day")
_MONTH = _CronField("month", _MONTHS, 1, _MONTH_ALIASES)
_DOW = _CronField("day of the week", _DAYS, 0, _DAY_ALIASES)


def _is_number(text: str) -> bool:
    return text.isdigit()


def describe_cron(schedule: str) -> str:
    """A plain-words reading of a 5-field schedule, e.g. "At 04:05 UTC, on Sunday".

    Raises ValueError for a schedule `check_cron_schedule` refuses.
    """
    problem = check_cron_schedule(schedule)
    if problem:
        raise ValueError(problem)
    minute, hour, dom, month, dow = schedule.split()
    try:
        return _describe(minute, hour, dom, month, dow)
    except (ValueError, IndexError, KeyError):
        return f"Runs on schedule {schedule} (UTC)"


def _describe(minute: str, hour: str, dom: str, month: str, dow: str) -> str:
    hours = hour.split(",")
    if _is_number(minute) and all(_is_number(h) for h in hours):
        times = [f"{int(h):02d}:{int(minute):02d}" for h in hours]
        when = f"At {_join(times)} UTC"
    else:
        if minute == "*":
            when, link = "Every minute", "during"
        elif minute.startswith("*/"):
            step = int(minute[2:])
            when = "Every minute" if step == 1 else f"Every {step} minutes"
            link = "during"
        elif all(_is_number(m) for m in minute.split(",")):
            when, link = f"At minute {_MINUTE.describe(minute)}", "past"
        else:
            when, link = f"At minutes {_MINUTE.describe(minute)}", "past"
        if hour == "*":
            if link == "past":
                when += " past every hour"
        elif "/" in hour:
            when += f" {link} {_HOUR.describe(hour)}"
        else:
            when += f" {link} hour {_HOUR.describe(hour)}"
        when += " (UTC)"

    parts = [when]
    day_parts: list[str] = []
    if dom != "*" and dom != "?":
        if dom.startswith("*/"):
            day_parts.append(f"on {_DOM.describe(dom)} of the month")
        else:
            day_parts.append(f"on day-of-month {_DOM.describe(dom)}")
    if dow != "*" and dow != "?":
        day_parts.append(f"on {_DOW.describe(dow)}")
    if day_parts:
        # Both given: cron runs when either matches.
        parts.append(" or ".join(day_parts))
    if month != "*":
        parts.append(f"in {_MONTH.describe(month)}")
    return ", ".join(parts)


# ---------------------------------------------------------------- domain


def check_hostname(value: str) -> str | None:
    host = value.strip().rstrip(".")
    if not host:
        return "required, e.g. api.example.com"
    if len(host) > 253:
        return "at most 253 characters"
    labels = host.split(".")
    if len(labels) < 2:
        return "a full domain name with a dot, e.g. api.example.com"
    for label in labels:
        if not _HOST_LABEL_RE.match(label):
            return f"label {label!r}: letters, digits and '-' (1-63, not at either end)"
    if labels[-1].isdigit():
        return "a domain name, not an IP address"
    return None


# ---------------------------------------------------------------- token expiry

_RELATIVE_RE = re.compile(r"^\s*(\d+)\s*(d|day|days|h|hour|hours|w|week|weeks)\s*$", re.I)


def parse_expiry(value: str, now: datetime) -> tuple[datetime | None, str | None]:
    """(expiry or None for "never", None) or (None, the problem).

    Accepts "" (never), "30d", "12h", "2w", a date "2030-01-01" (midnight UTC) or an ISO date and
    time (no offset means UTC). The result must be in the future.
    """
    text = value.strip()
    if not text:
        return None, None
    when: datetime | None = None
    match = _RELATIVE_RE.match(text)
    if match:
        amount = int(match.group(1))
        unit = match.group(2)[0].lower()
        if amount <= 0:
            return None, "must be in the future"
        delta = {
            "d": timedelta(days=amount),
            "h": timedelta(hours=amount),
            "w": timedelta(weeks=amount),
        }[unit]
        try:
            when = now.astimezone(UTC) + delta
        except OverflowError:
            return None, "too far in the future"
    else:
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                day = date.fromisoformat(text)
                when = datetime(day.year, day.month, day.day, tzinfo=UTC)
            else:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
                when = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            return None, 'a date (2030-01-31), a date and time, or a duration like "30d"'
    if when <= now:
        return None, "must be in the future"
    return when.astimezone(UTC), None


def format_local(when: datetime, tz: tzinfo | None = None) -> str:
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def format_utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
