"""Models: tolerant parsing, exact request bodies, secrets never shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr, ValidationError

from tui.api import models


def test_container_tolerates_nulls_extras_unknown_enums_and_coerces_numbers() -> None:
    c = models.Container.model_validate(
        {
            "id": "c1",
            "name": "web",
            "status": "upgrading",  # newer than this client
            "privacy": "semi_private",
            "min_scale": None,
            "environment_variables": {"A": 1, "B": "x"},
            "secret_environment_variables": None,
            "sandbox": "v2",  # unknown field
            "timeout": "300s",
            "created_at": "2030-01-01 12:00:00",
        }
    )
    assert c.status == "upgrading" and c.privacy == "semi_private"
    assert c.min_scale == 0 and c.secret_environment_variables == []
    assert c.environment_variables == {"A": "1", "B": "x"}
    assert c.timeout == timedelta(seconds=300)
    assert c.created_at == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert c.model_dump(mode="json")["timeout"] == "300s"
    assert type(c.status) is str


def test_missing_id_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        models.Namespace.model_validate({"name": "x"})


@pytest.mark.parametrize(
    "text",
    [
        "2030-01-01T12:00:00Z",
        "2030-01-01T13:00:00+01:00",
        "2030-01-01 12:00:00+00:00",
        "2030-01-01 12:00:00",
        "2030-01-01T12:00:00.000000000Z",
        "2030-01-01t12:00:00z",
    ],
)
def test_every_datetime_spelling(text: str) -> None:
    log = models.Log.model_validate({"id": "1", "timestamp": text})
    assert log.timestamp == datetime(2030, 1, 1, 12, tzinfo=UTC)
    assert log.timestamp.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("300s", 300),
        ("2.5s", 2.5),
        ("300.000000000s", 300),
        ("1m30s", 90),
        ("1h", 3600),
        ("500ms", 0.5),
        (42, 42),
        ("15", 15),
        ({"seconds": 3, "nanos": 500_000_000}, 3.5),
    ],
)
def test_durations(text: object, seconds: float) -> None:
    assert models.parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("bad", ["", "abc", "-5s", "5x", "1s2", True, None, float("nan")])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError):
        models.parse_duration(bad)


@pytest.mark.parametrize(
    ("seconds", "text"), [(300, "300s"), (2.5, "2.5s"), (0.25, "0.25s"), (86400, "86400s")]
)
def test_format_duration(seconds: float, text: str) -> None:
    assert models.format_duration(timedelta(seconds=seconds)) == text


def test_request_body_only_set_fields_and_secret_values() -> None:
    body = models.CreateContainerRequest(
        namespace_id="ns",
        name="web",
        timeout=timedelta(seconds=60),
        environment_variables={},
        secret_environment_variables=[
            models.SecretInput(key="PASSWORD", value=SecretStr("hunter2")),
            models.SecretInput(key="OLD"),
        ],
    ).request_body()
    assert body == {
        "namespace_id": "ns",
        "name": "web",
        "timeout": "60s",
        "environment_variables": {},
        "secret_environment_variables": [{"key": "PASSWORD", "value": "hunter2"}, {"key": "OLD"}],
    }


def test_secrets_masked_in_repr_str_dump_and_errors() -> None:
    secret = models.SecretInput(key="K", value="hunter2")
    request = models.UpdateNamespaceRequest(secret_environment_variables=[secret])
    token = models.Token.model_validate({"id": "t", "token": "tok-SECRET-value"})
    for text in (
        repr(secret),
        str(secret),
        repr(request),
        request.model_dump_json(),
        str(request.model_dump()),
        repr(token),
        token.model_dump_json(),
    ):
        assert "hunter2" not in text and "tok-SECRET-value" not in text
    assert token.token is not None and token.token.get_secret_value() == "tok-SECRET-value"
    with pytest.raises(ValidationError) as info:
        models.Token.model_validate({"id": "t", "token": "tok-SECRET-value", "expires_at": []})
    assert "tok-SECRET-value" not in str(info.value)
    with pytest.raises(ValidationError) as info2:
        models.SecretInput.model_validate({"key": 1, "value": "hunter2", "x": "hunter2"})
    assert "hunter2" not in str(info2.value)


def test_token_scope_one_of() -> None:
    with pytest.raises(ValidationError):
        models.CreateTokenRequest(container_id="a", namespace_id="b")
    body = models.CreateTokenRequest(
        container_id="a", expires_at=datetime(2030, 1, 1, 13, tzinfo=UTC)
    ).request_body()
    assert body == {"container_id": "a", "expires_at": "2030-01-01T13:00:00+00:00"}


def test_cron_args_from_json_text_and_token_empty_scope() -> None:
    cron = models.Cron.model_validate({"id": "c", "args": '{"a": 1}'})
    assert cron.args == {"a": 1}
    token = models.Token.model_validate({"id": "t", "container_id": "", "namespace_id": "ns"})
    assert token.container_id is None and token.namespace_id == "ns"


def test_transient_sets_and_memory_table() -> None:
    assert models.is_transient("container", "pending")
    assert not models.is_transient("container", "error")
    assert not models.is_transient("container", "created")
    assert models.is_transient("cron", "rebalancing")
    assert not models.is_transient("token", "pending")
    assert "locking" in models.TRANSIENT_STATUSES
    assert [models.memory_to_cpu(m) for m in (128, 256, 512, 1024, 2048, 3072, 4096)] == [
        70,
        140,
        280,
        560,
        1120,
        1680,
        2240,
    ]
    assert models.memory_to_cpu(6144) == 3360
