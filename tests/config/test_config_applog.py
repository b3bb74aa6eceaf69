"""The app log: rotated, private, and secrets redacted by value while ids stay readable."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

from pydantic import SecretStr
from scwcfg_data import PROJECT, SECRET

from tui.config import applog
from tui.config.applog import REDACTED, log_files, redact, register_secret, setup_logging

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjb250YWluZXIifQ.c2lnbmF0dXJlLXZhbHVl"
SECRET_ENV_VALUE = 'p@ss "word"\nline2'
CONTAINER_ID = "8d3f5c1e-2b4a-4c6d-9e8f-0a1b2c3d4e5f"

log = logging.getLogger("tui.test_config_applog")


def all_log_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_secrets_never_reach_the_log_files_but_ids_do(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    path = setup_logging(folder, debug=True, secrets=[SecretStr(SECRET)])
    register_secret(TOKEN)
    register_secret(SECRET_ENV_VALUE)

    log.info("connecting with key %s to container %s", SECRET, CONTAINER_ID)
    log.info(f"token created for {CONTAINER_ID}: {TOKEN}")
    log.debug("request headers %r", {"X-Auth-Token": SECRET, "project": PROJECT})
    log.info("body %s", json.dumps({"key": "DB", "value": SECRET_ENV_VALUE}))
    log.warning("repr of the env value: %r", SECRET_ENV_VALUE)
    try:
        raise RuntimeError(f"denied for {SECRET} on {CONTAINER_ID}")
    except RuntimeError:
        log.exception("call failed with token %s", TOKEN)
    try:
        secret_in_a_local = TOKEN
        empty: dict[str, int] = {}
        empty["missing-" + secret_in_a_local]
    except KeyError:
        log.error("lookup failed", exc_info=True, stack_info=True)
    flush()

    assert path == folder / "scw-containers.log"
    text = all_log_text(folder)
    assert SECRET not in text
    assert TOKEN not in text
    assert "p@ss" not in text
    assert CONTAINER_ID in text
    assert PROJECT in text
    assert text.count(REDACTED) >= 8
    assert "Traceback" in text and "RuntimeError" in text  # the traceback is kept, redacted


def test_redaction_covers_other_handlers_of_the_same_record(tmp_path: Path) -> None:
    setup_logging(tmp_path / "log", secrets=[SECRET])
    captured: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(self.format(record))

    collector = Collect()
    root = logging.getLogger()
    root.addHandler(collector)  # after ours: it sees the record our filter redacted
    try:
        try:
            raise ValueError(SECRET)
        except ValueError:
            log.exception("bad key %s", SECRET)
    finally:
        root.removeHandler(collector)
    assert captured and all(SECRET not in line for line in captured)


def test_named_credentials_are_redacted_even_unregistered() -> None:
    text = redact(
        "X-Auth-Token: 0123456789abcdef, secret_key=abcdef0123456789 "
        "'x-auth-token': 'zzzzzzzzzzzz' Authorization: Bearer tok123456 id=" + CONTAINER_ID
    )
    assert "0123456789abcdef" not in text
    assert "abcdef0123456789" not in text
    assert "zzzzzzzzzzzz" not in text
    assert "tok123456" not in text
    assert CONTAINER_ID in text


def test_short_values_are_not_registered() -> None:
    register_secret("on")
    register_secret(None)
    register_secret("")
    assert redact("turn it on") == "turn it on"
    assert applog.secret_values() == frozenset()


def test_longest_secret_is_cut_whole() -> None:
    register_secret("abcd")
    register_secret("abcdefgh")
    assert redact("x abcdefgh y") == f"x {REDACTED} y"


def test_rotation_keeps_files_bounded_and_redacted(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    setup_logging(folder, secrets=[SECRET], max_bytes=2_000, backup_count=2)
    for number in range(200):
        log.info("line %d key=%s container %s", number, SECRET, CONTAINER_ID)
    flush()
    files = log_files(folder)
    assert [p.name for p in files] == [
        "scw-containers.log",
        "scw-containers.log.1",
        "scw-containers.log.2",
    ]
    for file in files:
        assert file.stat().st_size <= 2_200
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert SECRET not in file.read_text()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_debug_flag_sets_the_level(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    log.debug("hidden detail")
    log.info("visible")
    flush()
    text = all_log_text(tmp_path / "a")
    assert "visible" in text and "hidden detail" not in text
    setup_logging(tmp_path / "b", debug=True)  # replaces the first handler
    log.debug("shown detail")
    flush()
    assert "shown detail" in all_log_text(tmp_path / "b")
    assert "shown detail" not in all_log_text(tmp_path / "a")
    assert applog.current_log_file() == tmp_path / "b" / "scw-containers.log"


def test_shutdown_detaches(tmp_path: Path) -> None:
    setup_logging(tmp_path / "log")
    applog.shutdown_logging()
    assert applog.current_log_file() is None
    log.warning("after shutdown")
    assert not (tmp_path / "log" / "scw-containers.log").exists()


def test_a_bad_format_string_is_redacted_not_raised() -> None:
    register_secret(SECRET)
    record = logging.LogRecord("tui.x", logging.INFO, __file__, 1, "two %s %s", (SECRET,), None)
    assert applog.RedactingFilter().filter(record)
    assert record.args is None
    assert "two" in record.getMessage() and SECRET not in record.getMessage()
