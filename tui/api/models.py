"""Pydantic v2 models of the Serverless Containers API v1beta1: resources and request bodies.

Tolerant on input, exact on output:
- unknown fields are ignored, `null` means "absent" (the field's default), numbers where a
  string is expected are accepted; a missing `id` (or log `timestamp`) is a validation error;
- enum-like fields (`status`, `privacy`, `protocol`, `http_option`, `stream`, …) are plain `str`,
  so a value this client does not know is kept and shown as it is; the `StrEnum` classes below
  name the known values (they compare equal to the strings);
- datetimes accept `Z`, offsets, a space instead of `T` and up to nanoseconds; naive ones are
  taken as UTC; all come out timezone-aware in UTC;
- `timeout` is a `timedelta` in Python and the API's duration string (`"300s"`) on the wire;
- secrets (secret env values, tokens) are `SecretStr`: masked in repr/str/`model_dump`.
  Only `request_body()` (used by the client to build the HTTP body) reveals secret values.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SecretStr,
    SerializationInfo,
    field_serializer,
    model_validator,
)

__all__ = [
    "CONTAINER_TRANSIENT_STATUSES",
    "CRON_TRANSIENT_STATUSES",
    "DOMAIN_TRANSIENT_STATUSES",
    "MEMORY_TO_CPU",
    "NAMESPACE_TRANSIENT_STATUSES",
    "REGIONS",
    "STATUS_DELETED",
    "TOKEN_TRANSIENT_STATUSES",
    "TRANSIENT_STATUSES",
    "TRANSIENT_STATUSES_BY_KIND",
    "ApiModel",
    "Container",
    "ContainerHttpOption",
    "ContainerPrivacy",
    "ContainerProtocol",
    "ContainerStatus",
    "CreateContainerRequest",
    "CreateCronRequest",
    "CreateDomainRequest",
    "CreateNamespaceRequest",
    "CreateTokenRequest",
    "Cron",
    "CronStatus",
    "Domain",
    "DomainStatus",
    "Duration",
    "ListContainersRequestOrderBy",
    "ListContainersResponse",
    "ListCronsRequestOrderBy",
    "ListCronsResponse",
    "ListDomainsRequestOrderBy",
    "ListDomainsResponse",
    "ListLogsRequestOrderBy",
    "ListLogsResponse",
    "ListNamespacesRequestOrderBy",
    "ListNamespacesResponse",
    "ListTokensRequestOrderBy",
    "ListTokensResponse",
    "Log",
    "LogStream",
    "Namespace",
    "NamespaceStatus",
    "RequestModel",
    "ResourceKind",
    "SecretHashedValue",
    "SecretInput",
    "Token",
    "TokenStatus",
    "UpdateContainerRequest",
    "UpdateCronRequest",
    "UpdateNamespaceRequest",
    "UtcDatetime",
    "format_duration",
    "is_transient",
    "memory_to_cpu",
    "parse_datetime",
    "parse_duration",
]

REGIONS: tuple[str, ...] = ("fr-par", "nl-ams", "pl-waw")

ResourceKind = Literal["namespace", "container", "cron", "domain", "token"]


# ---------------------------------------------------------------------------------------------
# Known enum values. Fields stay `str`: these only name the values this client knows.


class NamespaceStatus(StrEnum):
    UNKNOWN = "unknown"
    READY = "ready"
    DELETING = "deleting"
    ERROR = "error"
    LOCKED = "locked"
    CREATING = "creating"
    PENDING = "pending"


class ContainerStatus(StrEnum):
    UNKNOWN = "unknown"
    READY = "ready"
    DELETING = "deleting"
    ERROR = "error"
    LOCKED = "locked"
    CREATING = "creating"
    PENDING = "pending"
    CREATED = "created"


class CronStatus(StrEnum):
    UNKNOWN = "unknown"
    READY = "ready"
    DELETING = "deleting"
    ERROR = "error"
    LOCKED = "locked"
    CREATING = "creating"
    PENDING = "pending"


class DomainStatus(StrEnum):
    UNKNOWN = "unknown"
    READY = "ready"
    DELETING = "deleting"
    ERROR = "error"
    CREATING = "creating"
    PENDING = "pending"


class TokenStatus(StrEnum):
    UNKNOWN = "unknown"
    READY = "ready"
    DELETING = "deleting"
    ERROR = "error"
    CREATING = "creating"


class ContainerPrivacy(StrEnum):
    UNKNOWN_PRIVACY = "unknown_privacy"
    PUBLIC = "public"
    PRIVATE = "private"


class ContainerProtocol(StrEnum):
    UNKNOWN_PROTOCOL = "unknown_protocol"
    HTTP1 = "http1"
    H2C = "h2c"


class ContainerHttpOption(StrEnum):
    UNKNOWN_HTTP_OPTION = "unknown_http_option"
    ENABLED = "enabled"
    REDIRECTED = "redirected"


class LogStream(StrEnum):
    UNKNOWN = "unknown"
    STDOUT = "stdout"
    STDERR = "stderr"


class ListNamespacesRequestOrderBy(StrEnum):
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"
    NAME_ASC = "name_asc"
    NAME_DESC = "name_desc"


class ListContainersRequestOrderBy(StrEnum):
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"
    NAME_ASC = "name_asc"
    NAME_DESC = "name_desc"


class ListCronsRequestOrderBy(StrEnum):
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"


class ListDomainsRequestOrderBy(StrEnum):
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"
    HOSTNAME_ASC = "hostname_asc"
    HOSTNAME_DESC = "hostname_desc"


class ListTokensRequestOrderBy(StrEnum):
    CREATED_AT_ASC = "created_at_asc"
    CREATED_AT_DESC = "created_at_desc"


class ListLogsRequestOrderBy(StrEnum):
    TIMESTAMP_DESC = "timestamp_desc"
    TIMESTAMP_ASC = "timestamp_asc"


# The official SDKs' wait helpers plus the statuses newer servers add (api-facts.md).
# Everything else is terminal, `error` included.
_COMMON_TRANSIENT = frozenset({"creating", "pending", "deleting", "locking", "upgrading"})
NAMESPACE_TRANSIENT_STATUSES: frozenset[str] = _COMMON_TRANSIENT
CONTAINER_TRANSIENT_STATUSES: frozenset[str] = _COMMON_TRANSIENT
DOMAIN_TRANSIENT_STATUSES: frozenset[str] = _COMMON_TRANSIENT
CRON_TRANSIENT_STATUSES: frozenset[str] = _COMMON_TRANSIENT | {"rebalancing"}
TOKEN_TRANSIENT_STATUSES: frozenset[str] = frozenset({"creating", "deleting"})
TRANSIENT_STATUSES_BY_KIND: dict[str, frozenset[str]] = {
    "namespace": NAMESPACE_TRANSIENT_STATUSES,
    "container": CONTAINER_TRANSIENT_STATUSES,
    "domain": DOMAIN_TRANSIENT_STATUSES,
    "cron": CRON_TRANSIENT_STATUSES,
    "token": TOKEN_TRANSIENT_STATUSES,
}
# Any status that is transient for some kind: `status in TRANSIENT_STATUSES` for quick checks.
TRANSIENT_STATUSES: frozenset[str] = frozenset().union(*TRANSIENT_STATUSES_BY_KIND.values())

# Pseudo-status yielded by `wait_for_status` when a resource seen before answers 404 (deleted).
STATUS_DELETED = "deleted"


def is_transient(kind: str, status: str) -> bool:
    """True while `status` of a resource of `kind` is expected to change on its own."""
    return status in TRANSIENT_STATUSES_BY_KIND.get(kind, TRANSIENT_STATUSES)


MEMORY_TO_CPU: dict[int, int] = {
    128: 70,
    256: 140,
    512: 280,
    1024: 560,
    2048: 1120,
    3072: 1680,
    4096: 2240,
}


def memory_to_cpu(mb: int) -> int:
    """mvCPU the API page's table gives for a memory limit in MB (proportional off the table)."""
    if mb in MEMORY_TO_CPU:
        return MEMORY_TO_CPU[mb]
    return round(mb * 35 / 64)  # the table's ratio: 560 mvCPU per 1024 MB


# ---------------------------------------------------------------------------------------------
# Datetimes and durations


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _utc_after_parse(value: datetime) -> datetime:
    # pydantic's own parser (in Rust) already reads every spelling of api-facts.md: `Z`,
    # offsets, a space for `T`, nanoseconds. Only the zone is normalised here.
    try:
        return _to_utc(value)
    except OverflowError as exc:  # e.g. year 1 with a positive offset
        raise ValueError(f"datetime out of range: {exc}") from None


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_datetime(text: str) -> datetime:
    """Parse every spelling the API uses: `Z`, `+01:00`, space for `T`, nanoseconds."""
    text = text.strip()
    if not text:
        raise ValueError("empty datetime")
    normal = text.replace("z", "Z").replace("t", "T")
    if normal.endswith("Z"):
        normal = normal[:-1] + "+00:00"
    normal = _FRACTION.sub(r"\1", normal)  # Go sends nanoseconds; Python keeps microseconds
    return datetime.fromisoformat(normal)


def _serialize_datetime(value: datetime) -> str:
    return _to_utc(value).isoformat()


UtcDatetime = Annotated[
    datetime,
    AfterValidator(_utc_after_parse),
    PlainSerializer(_serialize_datetime, when_used="json"),
]

_GO_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


def parse_duration(value: Any) -> timedelta:
    """`"300s"`, `"2.5s"`, `"300.000000000s"`, Go's `"1m30s"`, a number of seconds, or
    protobuf's `{"seconds": N, "nanos": M}` → timedelta."""
    try:
        return _parse_duration(value)
    except (TypeError, OverflowError) as exc:
        raise ValueError(f"not a duration: {exc}") from None


def _parse_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, bool):
        raise ValueError("a duration cannot be a boolean")
    elif isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, dict):
        seconds = float(value.get("seconds") or 0) + float(value.get("nanos") or 0) / 1e9
    elif isinstance(value, str):
        text = value.strip()
        try:
            # The usual spelling, "300s" / "2.5s" / "300.000000000s", without the regex.
            seconds = (
                float(text[:-1]) if text.endswith("s") and text[-2:-1].isdigit() else float(text)
            )
        except ValueError:
            pos = 0
            seconds = 0.0
            for match in _GO_DURATION.finditer(text):
                if match.start() != pos:
                    break
                seconds += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
                pos = match.end()
            if pos != len(text) or not text:
                raise ValueError(f"not a duration: {value!r}") from None
    else:
        raise ValueError(f"not a duration: {value!r}")
    if not seconds >= 0 or seconds > 10**9:  # also refuses NaN
        raise ValueError(f"duration out of range: {value!r}")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """timedelta → the API's duration string: `"300s"`, `"2.5s"`."""
    whole = value.days * 86400 + value.seconds
    if value.microseconds:
        return f"{whole}.{value.microseconds:06d}".rstrip("0") + "s"
    return f"{whole}s"


Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(format_duration, when_used="json"),
]


def _dict_from_json_text(value: Any) -> Any:
    # Some servers send cron args as a JSON-encoded string.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


# ---------------------------------------------------------------------------------------------
# Base classes


class ApiModel(BaseModel):
    """A resource as the server sends it: tolerant of extra fields and nulls."""

    model_config = ConfigDict(
        extra="ignore",
        coerce_numbers_to_str=True,
        populate_by_name=True,
        hide_input_in_errors=True,  # validation errors never echo values (tokens, secrets)
        # Schemas are built on first use: a start-up validates only the list models.
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_means_absent(cls, data: Any) -> Any:
        # `None in values()` is a scan in C: the copy is only paid when there is a null.
        if isinstance(data, dict) and None in data.values():
            return {k: v for k, v in data.items() if v is not None}
        return data


class SecretHashedValue(ApiModel):
    key: str
    hashed_value: str = ""


class SecretInput(BaseModel):
    """A secret environment variable to send. `value=None` deletes `key` on update."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, defer_build=True)

    key: str
    value: SecretStr | None = None

    @field_serializer("value", when_used="always")
    def _reveal_only_for_the_wire(self, value: SecretStr | None, info: SerializationInfo) -> Any:
        if value is None:
            return None
        if isinstance(info.context, dict) and info.context.get("reveal_secrets"):
            return value.get_secret_value()
        return str(value)  # "**********"


class Namespace(ApiModel):
    id: str
    name: str = ""
    environment_variables: dict[str, str] = Field(default_factory=dict)
    organization_id: str = ""
    project_id: str = ""
    status: str = "unknown"
    registry_namespace_id: str = ""
    error_message: str | None = None
    registry_endpoint: str = ""
    description: str | None = None
    secret_environment_variables: list[SecretHashedValue] = Field(default_factory=list)
    region: str = ""
    # Newer servers.
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None


class Container(ApiModel):
    id: str
    name: str = ""
    namespace_id: str = ""
    status: str = "unknown"
    environment_variables: dict[str, str] = Field(default_factory=dict)
    min_scale: int = 0
    max_scale: int = 0
    memory_limit: int = 0
    cpu_limit: int = 0
    timeout: Duration | None = None
    error_message: str | None = None
    privacy: str = "unknown_privacy"
    description: str | None = None
    registry_image: str = ""
    max_concurrency: int = 0
    domain_name: str = ""
    protocol: str = "unknown_protocol"
    port: int = 0
    secret_environment_variables: list[SecretHashedValue] = Field(default_factory=list)
    http_option: str = "unknown_http_option"
    region: str = ""
    # Newer servers.
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None
    ready_at: UtcDatetime | None = None


class Cron(ApiModel):
    id: str
    container_id: str = ""
    schedule: str = ""
    args: Annotated[dict[str, Any], BeforeValidator(_dict_from_json_text)] = Field(
        default_factory=dict
    )
    status: str = "unknown"
    name: str = ""


class Domain(ApiModel):
    id: str
    hostname: str = ""
    container_id: str = ""
    url: str = ""
    status: str = "unknown"
    error_message: str | None = None


class Token(ApiModel):
    id: str
    # Readable only in the answer to its creation; masked everywhere else.
    token: Annotated[SecretStr | None, BeforeValidator(_empty_to_none)] = None
    container_id: Annotated[str | None, BeforeValidator(_empty_to_none)] = None
    namespace_id: Annotated[str | None, BeforeValidator(_empty_to_none)] = None
    public_key: str | None = None
    status: str = "unknown"
    description: str | None = None
    expires_at: UtcDatetime | None = None


class Log(ApiModel):
    id: str
    message: str = ""
    timestamp: UtcDatetime
    level: str = ""
    source: str = ""
    stream: str = "unknown"


class ListNamespacesResponse(ApiModel):
    namespaces: list[Namespace] = Field(default_factory=list)
    total_count: int = 0


class ListContainersResponse(ApiModel):
    containers: list[Container] = Field(default_factory=list)
    total_count: int = 0


class ListCronsResponse(ApiModel):
    crons: list[Cron] = Field(default_factory=list)
    total_count: int = 0


class ListDomainsResponse(ApiModel):
    domains: list[Domain] = Field(default_factory=list)
    total_count: int = 0


class ListTokensResponse(ApiModel):
    tokens: list[Token] = Field(default_factory=list)
    total_count: int = 0


class ListLogsResponse(ApiModel):
    logs: list[Log] = Field(default_factory=list)
    total_count: int = 0


# ---------------------------------------------------------------------------------------------
# Request bodies: every field optional unless the API requires it; only set fields are sent.


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, defer_build=True)

    def request_body(self) -> dict[str, Any]:
        """The JSON body to send: fields left at None are omitted, secret values revealed."""
        return self.model_dump(mode="json", exclude_none=True, context={"reveal_secrets": True})


class CreateNamespaceRequest(RequestModel):
    name: str
    environment_variables: dict[str, str] | None = None
    project_id: str | None = None
    description: str | None = None
    secret_environment_variables: list[SecretInput] | None = None


class UpdateNamespaceRequest(RequestModel):
    environment_variables: dict[str, str] | None = None
    description: str | None = None
    secret_environment_variables: list[SecretInput] | None = None


class _ContainerFields(RequestModel):
    environment_variables: dict[str, str] | None = None
    min_scale: int | None = None
    max_scale: int | None = None
    memory_limit: int | None = None
    cpu_limit: int | None = None
    timeout: Duration | None = None
    privacy: str | None = None
    description: str | None = None
    registry_image: str | None = None
    max_concurrency: int | None = None
    protocol: str | None = None
    port: int | None = None
    secret_environment_variables: list[SecretInput] | None = None
    http_option: str | None = None


class CreateContainerRequest(_ContainerFields):
    namespace_id: str
    name: str


class UpdateContainerRequest(_ContainerFields):
    redeploy: bool | None = None


class CreateCronRequest(RequestModel):
    container_id: str
    schedule: str
    args: dict[str, Any] | None = None
    name: str | None = None


class UpdateCronRequest(RequestModel):
    container_id: str | None = None
    schedule: str | None = None
    args: dict[str, Any] | None = None
    name: str | None = None


class CreateDomainRequest(RequestModel):
    hostname: str
    container_id: str


class CreateTokenRequest(RequestModel):
    container_id: str | None = None
    namespace_id: str | None = None
    description: str | None = None
    expires_at: UtcDatetime | None = None

    @model_validator(mode="after")
    def _one_scope(self) -> CreateTokenRequest:
        if self.container_id is not None and self.namespace_id is not None:
            raise ValueError("give container_id or namespace_id, not both")
        return self
