"""The published rules of the API, in one table: limits, formats, quotas, delays, orders.

Every validation the emulator does comes from here, and each violation becomes one
``invalid_arguments`` detail naming the field (see :class:`FieldError`).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

REGIONS = ("fr-par", "nl-ams", "pl-waw")

# --- names, descriptions, images, hostnames -------------------------------------------------
NAME_PATTERN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
NAME_RE = re.compile(NAME_PATTERN)
NAME_MAX_LENGTH = 34
DESCRIPTION_MAX_LENGTH = 255
# A docker image reference: [registry[:port]/]path[:tag][@digest]
IMAGE_RE = re.compile(
    r"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"(?::[0-9]+)?/)?"
    r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@sha256:[a-f0-9]{64})?$"
)
IMAGE_MAX_LENGTH = 512
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)
# A tag that can never be pulled (and images marked missing by the control API).
MISSING_IMAGE_TAG = ":missing"
# Hostnames whose HTTP-01 challenge always fails.
UNREACHABLE_TLD = ".invalid"

# --- containers ------------------------------------------------------------------------------
MEMORY_LIMITS = (128, 256, 512, 1024, 2048, 3072, 4096)
MEMORY_TO_CPU = {128: 70, 256: 140, 512: 280, 1024: 560, 2048: 1120, 3072: 1680, 4096: 2240}
CPU_MIN, CPU_MAX = 70, 6000
SCALE_MIN, SCALE_MAX = 0, 50
MAX_CONCURRENCY_MIN, MAX_CONCURRENCY_MAX = 1, 80
PORT_MIN, PORT_MAX = 1, 65535
TIMEOUT_MIN_S, TIMEOUT_MAX_S = 1.0, 900.0
TIMEOUT_RE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)s$")
PRIVACY = ("public", "private")
PROTOCOLS = ("http1", "h2c")
HTTP_OPTIONS = ("enabled", "redirected")

CONTAINER_DEFAULTS: dict[str, Any] = {
    "min_scale": 0,
    "max_scale": 5,
    "memory_limit": 2048,
    "timeout": "300s",
    "privacy": "public",
    "max_concurrency": 50,
    "protocol": "http1",
    "port": 8080,
    "http_option": "enabled",
}

# --- environment -----------------------------------------------------------------------------
ENV_MAX_KEYS = 100
ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ENV_VALUE_MAX_BYTES = 65536
SECRET_VALUE_MAX_BYTES = 65536

# --- lists -----------------------------------------------------------------------------------
PAGE_SIZE_DEFAULT, PAGE_SIZE_MIN, PAGE_SIZE_MAX = 20, 1, 100
ORDERS = {
    "namespace": ("created_at_asc", "created_at_desc", "name_asc", "name_desc"),
    "container": ("created_at_asc", "created_at_desc", "name_asc", "name_desc"),
    "cron": ("created_at_asc", "created_at_desc"),
    "domain": ("created_at_asc", "created_at_desc", "hostname_asc", "hostname_desc"),
    "token": ("created_at_asc", "created_at_desc"),
    "log": ("timestamp_desc", "timestamp_asc"),
}

# --- logs ------------------------------------------------------------------------------------
LOG_STREAMS = ("unknown", "stdout", "stderr")
LOG_DEFAULTS = {"level": "info", "stream": "stdout", "source": "user"}
LOG_MESSAGE_MAX_BYTES = 65536
LOG_LINES_KEPT_PER_CONTAINER = 50_000

# --- quotas (403 quotas_exceeded; create_app(quotas=False) lifts them) -----------------------
QUOTA_NAMESPACES_PER_PROJECT = 100
QUOTA_CONTAINERS_PER_ORGANIZATION = 1000
QUOTA_DOMAINS_PER_CONTAINER = 50
QUOTA_LOG_LINES_PER_MINUTE = 30_000

# --- lifecycle (seconds at speed 1; --speed F divides them) ----------------------------------
DELAY_NAMESPACE_CREATE = 2.0
DELAY_CONTAINER_PULL = 3.0
DELAY_CONTAINER_START = 5.0
DELAY_DELETE = 2.0
DELAY_DOMAIN = 5.0
DELAY_CRON = 1.0
DELAY_TOKEN = 1.0
DEMO_PENDING_S = 60.0
# Whatever the speed, a transient phase lasts at least this long, so a client can see it.
MIN_PHASE_S = 0.1
# At most this many firings of one cron are applied at once (after a long pause/advance).
CRON_MAX_CATCH_UP = 50

TRANSIENT_STATUSES = {
    "namespace": ("creating", "pending", "deleting"),
    "container": ("creating", "pending", "deleting"),
    "cron": ("creating", "pending", "deleting"),
    "domain": ("creating", "pending", "deleting"),
    "token": ("creating", "deleting"),
}
STATUSES = {
    "namespace": ("unknown", "ready", "deleting", "error", "locked", "creating", "pending"),
    "container": (
        "unknown",
        "ready",
        "deleting",
        "error",
        "locked",
        "creating",
        "pending",
        "created",
    ),
    "cron": ("unknown", "ready", "deleting", "error", "locked", "creating", "pending"),
    "domain": ("unknown", "ready", "deleting", "error", "creating", "pending"),
    "token": ("unknown", "ready", "deleting", "error", "creating"),
}

#: The rules as published (what the forms of the console show as help).
RULES_TABLE: tuple[tuple[str, str], ...] = (
    (
        "name",
        f"{NAME_PATTERN}, 1-{NAME_MAX_LENGTH} chars; unique per namespace (containers) "
        "or per project and region (namespaces)",
    ),
    (
        "memory_limit",
        "one of " + ", ".join(map(str, MEMORY_LIMITS)) + f" MB; cpu_limit {CPU_MIN}-{CPU_MAX}",
    ),
    ("scale", f"{SCALE_MIN} <= min_scale <= max_scale <= {SCALE_MAX}"),
    ("max_concurrency", f"{MAX_CONCURRENCY_MIN}-{MAX_CONCURRENCY_MAX}"),
    ("port", f"{PORT_MIN}-{PORT_MAX}"),
    ("timeout", f"a duration string like '300s', {TIMEOUT_MIN_S:g}s-{TIMEOUT_MAX_S:g}s"),
    (
        "environment_variables",
        f"<= {ENV_MAX_KEYS} keys, key {ENV_KEY_RE.pattern}; "
        f"secret value <= {SECRET_VALUE_MAX_BYTES} bytes",
    ),
    ("description", f"<= {DESCRIPTION_MAX_LENGTH} chars"),
    ("registry_image", "a well-formed image reference (registry/path:tag)"),
    ("schedule", "a 5-field cron schedule, UTC; args a JSON object"),
    ("hostname", "a valid hostname, unique"),
    ("token", "container_id xor namespace_id; expires_at in the future"),
)


@dataclass(frozen=True)
class FieldError:
    """One ``invalid_arguments`` detail: ``reason`` is unknown/required/format/constraint."""

    argument_name: str
    reason: str
    help_message: str

    def as_json(self) -> dict[str, str]:
        return {
            "argument_name": self.argument_name,
            "reason": self.reason,
            "help_message": self.help_message,
        }


# --- validators: each returns a FieldError or None -------------------------------------------


def check_uuid(value: Any, field: str, *, required: bool = True) -> FieldError | None:
    if value is None or value == "":
        return FieldError(field, "required", f"{field} is required") if required else None
    if not isinstance(value, str) or not is_uuid(value):
        return FieldError(field, "format", f"{field} must be a UUID")
    return None


def is_uuid(value: str) -> bool:
    if len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_region(value: str) -> FieldError | None:
    if value not in REGIONS:
        return FieldError("region", "constraint", "region must be one of " + ", ".join(REGIONS))
    return None


def check_name(value: Any, field: str = "name", *, required: bool = True) -> FieldError | None:
    if value is None:
        return FieldError(field, "required", f"{field} is required") if required else None
    if not isinstance(value, str):
        return FieldError(field, "format", f"{field} must be a string")
    if not 1 <= len(value) <= NAME_MAX_LENGTH:
        return FieldError(
            field, "constraint", f"{field} must be 1 to {NAME_MAX_LENGTH} characters long"
        )
    if not NAME_RE.match(value):
        return FieldError(
            field,
            "format",
            f"{field} must contain only lowercase letters, digits and hyphens, "
            "and start and end with a letter or digit",
        )
    return None


def check_description(value: Any, field: str = "description") -> FieldError | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return FieldError(field, "format", f"{field} must be a string")
    if len(value) > DESCRIPTION_MAX_LENGTH:
        return FieldError(
            field, "constraint", f"{field} must be at most {DESCRIPTION_MAX_LENGTH} characters"
        )
    return None


def check_int(
    value: Any, field: str, low: int, high: int, *, required: bool = False
) -> FieldError | None:
    if value is None:
        return FieldError(field, "required", f"{field} is required") if required else None
    if isinstance(value, bool) or not isinstance(value, int):
        return FieldError(field, "format", f"{field} must be an integer")
    if not low <= value <= high:
        return FieldError(field, "constraint", f"{field} must be between {low} and {high}")
    return None


def check_memory(value: Any, field: str = "memory_limit") -> FieldError | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return FieldError(field, "format", f"{field} must be an integer (MB)")
    if value not in MEMORY_LIMITS:
        return FieldError(
            field,
            "constraint",
            f"{field} must be one of " + ", ".join(map(str, MEMORY_LIMITS)) + " (MB)",
        )
    return None


def check_enum(value: Any, field: str, allowed: tuple[str, ...]) -> FieldError | None:
    """``unknown_<field>`` means "not set" (what the JS SDK sends by default)."""
    if value is None or value == f"unknown_{field}":
        return None
    if value not in allowed:
        return FieldError(field, "constraint", f"{field} must be one of " + ", ".join(allowed))
    return None


def parse_timeout(value: Any, field: str = "timeout") -> tuple[float | None, FieldError | None]:
    """``"300s"``, ``"2.5s"``, ``"300.000000000s"`` → seconds (1 s - 900 s)."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, FieldError(field, "format", f"{field} must be a duration string like '300s'")
    match = TIMEOUT_RE.match(value.strip())
    if not match:
        return None, FieldError(field, "format", f"{field} must be a duration string like '300s'")
    seconds = float(match.group(1))
    if not TIMEOUT_MIN_S <= seconds <= TIMEOUT_MAX_S:
        return None, FieldError(
            field,
            "constraint",
            f"{field} must be between {TIMEOUT_MIN_S:g}s and {TIMEOUT_MAX_S:g}s",
        )
    return seconds, None


def format_timeout(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"{int(seconds)}s"
    return f"{round(seconds, 9):.9f}".rstrip("0").rstrip(".") + "s"


def check_image(value: Any, field: str = "registry_image") -> FieldError | None:
    if value is None:
        return None
    if not isinstance(value, str):
        return FieldError(field, "format", f"{field} must be a string")
    if not value or len(value) > IMAGE_MAX_LENGTH or not IMAGE_RE.match(value):
        return FieldError(
            field,
            "format",
            f"{field} must be a well-formed image reference like "
            "rg.fr-par.scw.cloud/namespace/image:tag",
        )
    return None


def check_hostname(value: Any, field: str = "hostname") -> FieldError | None:
    if value is None or value == "":
        return FieldError(field, "required", f"{field} is required")
    if not isinstance(value, str) or not HOSTNAME_RE.match(value):
        return FieldError(field, "format", f"{field} must be a valid hostname like app.example.com")
    return None


def check_env(value: Any, field: str = "environment_variables") -> FieldError | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return FieldError(field, "format", f"{field} must be an object of strings")
    if len(value) > ENV_MAX_KEYS:
        return FieldError(field, "constraint", f"{field} must have at most {ENV_MAX_KEYS} keys")
    for key, item in value.items():
        if not ENV_KEY_RE.match(key):
            return FieldError(
                field,
                "format",
                f"{field}: key {key!r} must match {ENV_KEY_RE.pattern}",
            )
        if not isinstance(item, str):
            return FieldError(field, "format", f"{field}: value of {key!r} must be a string")
        if len(item.encode()) > ENV_VALUE_MAX_BYTES:
            return FieldError(
                field,
                "constraint",
                f"{field}: value of {key!r} must be at most {ENV_VALUE_MAX_BYTES} bytes",
            )
    return None


def check_secrets(
    value: Any, field: str = "secret_environment_variables", *, allow_delete: bool
) -> FieldError | None:
    if value is None:
        return None
    if not isinstance(value, list):
        return FieldError(field, "format", f"{field} must be a list of {{key, value}}")
    if len(value) > ENV_MAX_KEYS:
        return FieldError(field, "constraint", f"{field} must have at most {ENV_MAX_KEYS} keys")
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            return FieldError(field, "format", f"{field} must be a list of {{key, value}}")
        key = item["key"]
        if not ENV_KEY_RE.match(key):
            return FieldError(
                field, "format", f"{field}: key {key!r} must match {ENV_KEY_RE.pattern}"
            )
        secret = item.get("value")
        if secret is None:
            if not allow_delete:
                return FieldError(field, "required", f"{field}: value of {key!r} is required")
            continue
        if not isinstance(secret, str):
            return FieldError(field, "format", f"{field}: value of {key!r} must be a string")
        if len(secret.encode()) > SECRET_VALUE_MAX_BYTES:
            return FieldError(
                field,
                "constraint",
                f"{field}: value of {key!r} must be at most {SECRET_VALUE_MAX_BYTES} bytes",
            )
    return None


def check_cron_schedule(value: Any, field: str = "schedule") -> FieldError | None:
    from croniter import croniter

    if value is None or value == "":
        return FieldError(field, "required", f"{field} is required")
    if not isinstance(value, str):
        return FieldError(field, "format", f"{field} must be a string")
    if len(value.split()) != 5 or not croniter.is_valid(value):
        return FieldError(
            field, "format", f"{field} must be a 5-field cron schedule like '*/5 * * * *' (UTC)"
        )
    return None


def check_cron_args(value: Any, field: str = "args") -> FieldError | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return FieldError(field, "format", f"{field} must be a JSON object")
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return FieldError(field, "format", f"{field} must be a JSON object")
    return None


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_datetime(value: Any) -> datetime | None:
    """RFC 3339 in the spellings clients send (``Z``, offsets, a space for ``T``, ns digits)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def check_page(value: str | None) -> tuple[int, FieldError | None]:
    if value is None or value == "":
        return 1, None
    try:
        page = int(value)
    except ValueError:
        return 1, FieldError("page", "format", "page must be an integer")
    if page < 1:
        return 1, FieldError("page", "constraint", "page must be 1 or more")
    return page, None


def check_page_size(value: str | None) -> tuple[int, FieldError | None]:
    if value is None or value == "":
        return PAGE_SIZE_DEFAULT, None
    try:
        size = int(value)
    except ValueError:
        return PAGE_SIZE_DEFAULT, FieldError("page_size", "format", "page_size must be an integer")
    if not PAGE_SIZE_MIN <= size <= PAGE_SIZE_MAX:
        return PAGE_SIZE_DEFAULT, FieldError(
            "page_size",
            "constraint",
            f"page_size must be between {PAGE_SIZE_MIN} and {PAGE_SIZE_MAX}",
        )
    return size, None


def check_order(value: str | None, kind: str) -> tuple[str, FieldError | None]:
    allowed = ORDERS[kind]
    if value is None or value == "":
        return allowed[0], None
    if value not in allowed:
        return allowed[0], FieldError(
            "order_by", "constraint", "order_by must be one of " + ", ".join(allowed)
        )
    return value, None
