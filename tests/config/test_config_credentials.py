"""Resolution of the Scaleway connection: precedence, profiles, formats, errors and warnings."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import pytest
from scwcfg_data import ACCESS, ORG, OTHER_PROJECT, OTHER_SECRET, PROJECT, SECRET, WriteConfig

from tui.config import credentials
from tui.config.credentials import (
    DEFAULT_API_URL,
    REGIONS,
    ConfigError,
    Flags,
    config_file_locations,
    config_file_path,
    list_profiles,
    resolve,
)

FULL_TOP = f"""\
access_key: {ACCESS}
secret_key: {SECRET}
default_organization_id: {ORG}
default_project_id: {PROJECT}
default_region: fr-par
default_zone: fr-par-1
"""

PROFILES = f"""\
secret_key: {SECRET}
default_region: fr-par
default_project_id: {PROJECT}
profiles:
  prod:
    secret_key: {OTHER_SECRET}
    default_region: nl-ams
  staging:
    default_region: pl-waw
    default_project_id: {OTHER_PROJECT}
"""


# -- nothing configured ----------------------------------------------------------------------


def test_nothing_anywhere_is_the_demo_emulator(env: dict[str, str]) -> None:
    conn = resolve(None, env)
    assert conn.mode == "emulator"
    assert conn.demo and conn.is_emulator
    assert conn.api_url is None and conn.secret_key is None
    assert conn.regions == REGIONS
    assert conn.host == "DEMO"
    assert conn.warnings == ()
    assert conn.profile is None


def test_demo_flag_forces_the_emulator_even_with_a_key(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(FULL_TOP)
    env["SCW_SECRET_KEY"] = OTHER_SECRET
    conn = resolve(Flags(demo=True), env)
    assert conn.is_emulator and conn.demo
    assert conn.secret_key is None
    assert conn.source["mode"] == "flag --demo"


def test_demo_flag_does_not_read_a_broken_file(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config("secret_key: [unclosed\n")
    assert resolve(Flags(demo=True), env).is_emulator


def test_demo_keeps_the_region_and_project_flags(env: dict[str, str]) -> None:
    conn = resolve(Flags(demo=True, region="nl-ams", project_id=PROJECT), env)
    assert conn.regions == ("nl-ams",)
    assert conn.project_id == PROJECT


def test_demo_ignores_api_url_with_a_warning(env: dict[str, str]) -> None:
    conn = resolve(Flags(demo=True, api_url="http://127.0.0.1:4000"), env)
    assert conn.is_emulator
    assert any("--api-url" in w for w in conn.warnings)


def test_partial_config_without_a_secret_warns_and_runs_the_demo(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(f"access_key: {ACCESS}\ndefault_project_id: {PROJECT}\n")
    conn = resolve(None, env)
    assert conn.is_emulator
    assert len(conn.warnings) == 1
    assert "No secret key" in conn.warnings[0]
    assert conn.project_id is None  # a real project would hide the demo data


# -- file locations --------------------------------------------------------------------------


def test_home_config_file(env: dict[str, str], write_config: WriteConfig, home: Path) -> None:
    path = write_config(FULL_TOP)
    assert path == home / ".config" / "scw" / "config.yaml"
    conn = resolve(None, env)
    assert conn.mode == "remote"
    assert conn.config_path == path
    assert conn.secret_key is not None and conn.secret_key.get_secret_value() == SECRET
    assert conn.access_key == ACCESS
    assert conn.organization_id == ORG
    assert conn.project_id == PROJECT
    assert conn.regions == ("fr-par",)
    assert conn.zone == "fr-par-1"
    assert conn.api_url == DEFAULT_API_URL
    assert conn.profile == "default"
    assert conn.source["secret_key"] == f"{path} (top level)"
    assert conn.source["api_url"] == "default"


def test_xdg_config_home_beats_home(
    env: dict[str, str], write_config: WriteConfig, tmp_path: Path
) -> None:
    write_config(f"secret_key: {OTHER_SECRET}\n")
    xdg = tmp_path / "xdg"
    xdg_file = write_config(f"secret_key: {SECRET}\n", xdg / "scw" / "config.yaml")
    env["XDG_CONFIG_HOME"] = str(xdg)
    conn = resolve(None, env)
    assert conn.config_path == xdg_file
    assert conn.secret_key_value() == SECRET


def test_scw_config_path_beats_xdg(
    env: dict[str, str], write_config: WriteConfig, tmp_path: Path
) -> None:
    xdg = tmp_path / "xdg"
    write_config(f"secret_key: {OTHER_SECRET}\n", xdg / "scw" / "config.yaml")
    custom = write_config(f"secret_key: {SECRET}\n", tmp_path / "elsewhere.yaml")
    env["XDG_CONFIG_HOME"] = str(xdg)
    env["SCW_CONFIG_PATH"] = str(custom)
    conn = resolve(None, env)
    assert conn.config_path == custom
    assert conn.secret_key_value() == SECRET


def test_missing_scw_config_path_warns(env: dict[str, str], tmp_path: Path) -> None:
    env["SCW_CONFIG_PATH"] = str(tmp_path / "nowhere.yaml")
    conn = resolve(None, env)
    assert conn.is_emulator
    assert any("SCW_CONFIG_PATH" in w and "nowhere.yaml" in w for w in conn.warnings)


def test_home_argument_and_home_variable(tmp_path: Path) -> None:
    assert config_file_path({"HOME": "/h/ada"}) == Path("/h/ada/.config/scw/config.yaml")
    assert config_file_path({}, home=tmp_path) == tmp_path / ".config/scw/config.yaml"


def test_config_file_locations_mark_the_rule_used(
    env: dict[str, str], write_config: WriteConfig, tmp_path: Path
) -> None:
    path = write_config(FULL_TOP)
    locations = config_file_locations(env)
    assert [loc.rule for loc in locations] == [
        "$SCW_CONFIG_PATH",
        "$XDG_CONFIG_HOME/scw/config.yaml",
        "~/.config/scw/config.yaml",
    ]
    assert [loc.used for loc in locations] == [False, False, True]
    assert locations[0].note == "not set" and locations[0].path is None
    assert locations[2].path == path and locations[2].note == "found"

    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    locations = config_file_locations(env)
    assert [loc.used for loc in locations] == [False, True, False]
    assert locations[1].note == "not found"
    assert "not consulted" in locations[2].note


# -- precedence: flag > env > profile > top level --------------------------------------------

ENV_CASES = [
    ("SCW_ACCESS_KEY", "SCWZZZZZZZZZZZZZZZZZ", "access_key"),
    ("SCW_SECRET_KEY", OTHER_SECRET, "secret_key_value"),
    ("SCW_DEFAULT_ORGANIZATION_ID", OTHER_PROJECT, "organization_id"),
    ("SCW_DEFAULT_PROJECT_ID", OTHER_PROJECT, "project_id"),
    ("SCW_DEFAULT_ZONE", "nl-ams-2", "zone"),
    ("SCW_API_URL", "http://127.0.0.1:4000", "api_url"),
]


@pytest.mark.parametrize(("variable", "value", "attribute"), ENV_CASES)
def test_environment_beats_the_file(
    env: dict[str, str],
    write_config: WriteConfig,
    variable: str,
    value: str,
    attribute: str,
) -> None:
    write_config(FULL_TOP + "api_url: https://api.example.com\n")
    env[variable] = value
    conn = resolve(None, env)
    got = getattr(conn, attribute)
    assert (got() if callable(got) else got) == value
    source_key = {
        "secret_key_value": "secret_key",
    }.get(attribute, attribute)
    assert conn.source[source_key] == f"env {variable}"


def test_environment_region_beats_the_file(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config(FULL_TOP)
    env["SCW_DEFAULT_REGION"] = "pl-waw"
    conn = resolve(None, env)
    assert conn.regions == ("pl-waw",)
    assert conn.source["regions"] == "env SCW_DEFAULT_REGION"


def test_environment_alone_is_enough(env: dict[str, str]) -> None:
    env.update(SCW_SECRET_KEY=SECRET, SCW_DEFAULT_PROJECT_ID=PROJECT)
    conn = resolve(None, env)
    assert conn.mode == "remote"
    assert conn.secret_key_value() == SECRET
    assert conn.config_path is None and conn.profile is None
    assert conn.regions == REGIONS  # no region anywhere: all three


def test_empty_environment_variable_counts_as_unset(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(FULL_TOP)
    env.update(SCW_SECRET_KEY="", SCW_DEFAULT_REGION="")
    conn = resolve(None, env)
    assert conn.secret_key_value() == SECRET
    assert conn.regions == ("fr-par",)


def test_flags_beat_the_environment(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config(FULL_TOP)
    env.update(
        SCW_API_URL="http://127.0.0.1:1111",
        SCW_DEFAULT_REGION="pl-waw",
        SCW_DEFAULT_PROJECT_ID=OTHER_PROJECT,
    )
    flags = Flags(api_url="http://127.0.0.1:2222", region="nl-ams", project_id=PROJECT)
    conn = resolve(flags, env)
    assert conn.api_url == "http://127.0.0.1:2222"
    assert conn.regions == ("nl-ams",)
    assert conn.project_id == PROJECT
    assert conn.source["api_url"] == "flag --api-url"
    assert conn.source["regions"] == "flag --region"
    assert conn.source["project_id"] == "flag --project-id"


def test_region_all_flag_beats_a_configured_region(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(FULL_TOP)
    env["SCW_DEFAULT_REGION"] = "pl-waw"
    conn = resolve(Flags(region="all"), env)
    assert conn.regions == REGIONS and conn.all_regions
    assert conn.region == "fr-par"


def test_region_from_profile_else_all(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config(f"secret_key: {SECRET}\nprofiles:\n  eu:\n    default_region: nl-ams\n")
    assert resolve(None, env).regions == REGIONS
    assert resolve(None, env).source["regions"] == "default (no region configured)"
    assert resolve(Flags(profile="eu"), env).regions == ("nl-ams",)


def test_project_filter_from_profile_default_project(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(PROFILES)
    assert resolve(None, env).project_id == PROJECT
    assert resolve(Flags(profile="staging"), env).project_id == OTHER_PROJECT
    assert resolve(Flags(profile="staging", project_id=PROJECT), env).project_id == PROJECT


def test_no_project_anywhere_means_every_project(env: dict[str, str]) -> None:
    env["SCW_SECRET_KEY"] = SECRET
    assert resolve(None, env).project_id is None


# -- profiles --------------------------------------------------------------------------------


def test_profile_keys_override_the_top_level(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    path = write_config(PROFILES)
    conn = resolve(Flags(profile="prod"), env)
    assert conn.profile == "prod"
    assert conn.secret_key_value() == OTHER_SECRET
    assert conn.regions == ("nl-ams",)
    assert conn.project_id == PROJECT  # not in the profile: the top level's
    assert conn.source["secret_key"] == f"{path} (profile 'prod')"
    assert conn.source["project_id"] == f"{path} (top level, under profile 'prod')"
    assert conn.source["profile"] == "flag --profile"


def test_active_profile_selects_the_profile(env: dict[str, str], write_config: WriteConfig) -> None:
    path = write_config("active_profile: staging\n" + PROFILES)
    conn = resolve(None, env)
    assert conn.profile == "staging"
    assert conn.regions == ("pl-waw",)
    assert conn.secret_key_value() == SECRET  # staging has no key: the top level's
    assert conn.source["profile"] == f"active_profile in {path}"


def test_scw_profile_beats_active_profile(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config("active_profile: staging\n" + PROFILES)
    env["SCW_PROFILE"] = "prod"
    conn = resolve(None, env)
    assert conn.profile == "prod"
    assert conn.regions == ("nl-ams",)
    assert conn.source["profile"] == "environment variable SCW_PROFILE"


def test_profile_flag_beats_scw_profile(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config("active_profile: staging\n" + PROFILES)
    env["SCW_PROFILE"] = "staging"
    conn = resolve(Flags(profile="prod"), env)
    assert conn.profile == "prod"
    assert conn.secret_key_value() == OTHER_SECRET


def test_profile_named_default_is_the_top_level(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config("active_profile: prod\n" + PROFILES)
    conn = resolve(Flags(profile="default"), env)
    assert conn.profile == "default"
    assert conn.secret_key_value() == SECRET
    assert conn.regions == ("fr-par",)


def test_environment_beats_the_profile(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config(PROFILES)
    env["SCW_DEFAULT_REGION"] = "pl-waw"
    env["SCW_SECRET_KEY"] = SECRET
    conn = resolve(Flags(profile="prod"), env)
    assert conn.regions == ("pl-waw",)
    assert conn.secret_key_value() == SECRET


@pytest.mark.parametrize("chooser", ["flag", "env", "active_profile"])
def test_missing_profile_names_file_profile_and_chooser(
    env: dict[str, str], write_config: WriteConfig, chooser: str
) -> None:
    flags = Flags()
    text = PROFILES
    if chooser == "flag":
        flags = Flags(profile="nope")
    elif chooser == "env":
        env["SCW_PROFILE"] = "nope"
    else:
        text = "active_profile: nope\n" + PROFILES
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        resolve(flags, env)
    error = caught.value
    assert error.path == path and error.profile == "nope"
    message = str(error)
    assert str(path) in message and "'nope'" in message
    assert "does not exist" in message
    assert "'prod'" in message and "'staging'" in message  # what exists
    expected = {"flag": "--profile", "env": "SCW_PROFILE", "active_profile": "active_profile"}
    assert expected[chooser] in message


def test_profile_without_a_config_file(env: dict[str, str], home: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(Flags(profile="prod"), env)
    assert "no scw config file" in str(caught.value)
    assert str(home / ".config/scw/config.yaml") in str(caught.value)


def test_list_profiles(env: dict[str, str], write_config: WriteConfig) -> None:
    assert list_profiles(env) == []
    write_config("active_profile: staging\n" + PROFILES)
    found = list_profiles(env)
    assert [p.name for p in found] == ["default", "prod", "staging"]
    by_name = {p.name: p for p in found}
    assert by_name["staging"].active and not by_name["default"].active
    assert by_name["staging"].has_secret_key  # inherited from the top level
    assert by_name["staging"].region == "pl-waw"
    assert by_name["prod"].project_id == PROJECT
    env["SCW_PROFILE"] = "prod"
    assert [p.name for p in list_profiles(env) if p.active] == ["prod"]
    assert SECRET not in repr(found) and OTHER_SECRET not in repr(found)


# -- api_url without a key -------------------------------------------------------------------


def test_api_url_flag_without_key_connects_remote(env: dict[str, str]) -> None:
    conn = resolve(Flags(api_url="http://127.0.0.1:4000"), env)
    assert conn.mode == "remote" and not conn.demo
    assert conn.secret_key is None
    assert conn.api_url == "http://127.0.0.1:4000"
    assert conn.host == "127.0.0.1:4000"
    assert conn.source["mode"] == "flag --api-url (no key)"


def test_scw_api_url_without_key_connects_remote(env: dict[str, str]) -> None:
    env["SCW_API_URL"] = "http://127.0.0.1:4000"
    conn = resolve(None, env)
    assert conn.mode == "remote" and conn.secret_key is None


# -- invalid values --------------------------------------------------------------------------

BAD_VALUES = [
    ("access_key", "AKIA1234567890123456", "access key"),
    ("access_key", "SCWabc", "access key"),
    ("secret_key", "not-a-uuid", "secret key"),
    ("default_organization_id", "org-1", "organization ID"),
    ("default_project_id", "1234", "project ID"),
    ("default_region", "paris", "not a region"),
    ("default_region", "it-mil", "not a region of Serverless Containers"),
    ("default_zone", "fr-par", "not a zone"),
    ("api_url", "api.scaleway.com", "http:// or https://"),
    ("api_url", "https://api.scaleway.com/", "slash"),
    ("api_url", "ftp://api.scaleway.com", "http:// or https://"),
    ("api_url", "https://", "no host"),
    ("api_url", "https://api.scaleway.com?x=1", "query"),
    ("api_url", "http://127.0.0.1:notaport", "not a valid URL"),
]
ENV_FOR = credentials.ENV_VARS


@pytest.mark.parametrize(("key", "value", "words"), BAD_VALUES)
def test_bad_top_level_value_names_file_and_key(
    env: dict[str, str], write_config: WriteConfig, key: str, value: str, words: str
) -> None:
    top = {"secret_key": SECRET, key: value}
    path = write_config("".join(f"{k}: '{v}'\n" for k, v in top.items()))
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    error = caught.value
    assert (error.path, error.key, error.profile) == (path, key, None)
    assert str(path) in str(error) and f"key {key}" in str(error)
    assert words in str(error)


@pytest.mark.parametrize(("key", "value", "words"), BAD_VALUES)
def test_bad_profile_value_names_file_profile_and_key(
    env: dict[str, str], write_config: WriteConfig, key: str, value: str, words: str
) -> None:
    path = write_config(
        f"secret_key: {SECRET}\nactive_profile: work\nprofiles:\n  work:\n    {key}: '{value}'\n"
    )
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    error = caught.value
    assert (error.path, error.profile, error.key) == (path, "work", key)
    message = str(error)
    assert str(path) in message and "profile 'work'" in message and f"key {key}" in message
    assert words in message


@pytest.mark.parametrize(("key", "value", "words"), BAD_VALUES)
def test_bad_environment_value_names_the_variable(
    env: dict[str, str], key: str, value: str, words: str
) -> None:
    env["SCW_SECRET_KEY"] = SECRET
    env[ENV_FOR[key]] = value
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    assert caught.value.env_var == ENV_FOR[key]
    assert f"environment variable {ENV_FOR[key]}" in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("flags", "flag"),
    [
        (Flags(region="paris"), "--region"),
        (Flags(region="it-mil"), "--region"),
        (Flags(project_id="nope"), "--project-id"),
        (Flags(api_url="localhost:4000"), "--api-url"),
        (Flags(api_url="http://localhost:4000/"), "--api-url"),
        (Flags(profile=" "), "--profile"),
    ],
)
def test_bad_flag_names_the_flag(env: dict[str, str], flags: Flags, flag: str) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve(flags, env)
    assert caught.value.flag == flag
    assert str(caught.value).startswith(f"flag {flag}: ")


def test_top_level_error_used_by_a_profile_says_so(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(f"secret_key: {SECRET}\ndefault_zone: bad\nprofiles:\n  p:\n    x: 1\n")
    with pytest.raises(ConfigError) as caught:
        resolve(Flags(profile="p"), env)
    assert "used by profile 'p'" in str(caught.value)


def test_a_bad_value_that_is_overridden_is_not_an_error(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(
        f"secret_key: {SECRET}\ndefault_region: it-mil\nprofiles:\n  p:\n"
        "    default_region: nl-ams\n  broken:\n    default_region: nowhere\n"
    )
    assert resolve(Flags(profile="p"), env).regions == ("nl-ams",)
    assert resolve(Flags(region="pl-waw"), env).regions == ("pl-waw",)
    env["SCW_DEFAULT_REGION"] = "fr-par"
    assert resolve(None, env).regions == ("fr-par",)


def test_bad_secret_key_is_never_echoed(env: dict[str, str], write_config: WriteConfig) -> None:
    almost = "5f0c8a3e-9b7d-4e21-a6c4-1d2e3f4a5b6"  # one character short
    write_config(f"secret_key: {almost}\n")
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    assert almost not in str(caught.value)
    assert "not shown" in str(caught.value)


def test_access_key_in_the_secret_field_gets_a_hint(env: dict[str, str]) -> None:
    env["SCW_SECRET_KEY"] = ACCESS
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    assert "access key" in caught.value.hint
    assert ACCESS not in str(caught.value)


def test_local_emulator_urls_are_accepted(env: dict[str, str]) -> None:
    for url in ("http://127.0.0.1:4000", "http://localhost", "https://api.scaleway.com/sub"):
        assert resolve(Flags(api_url=url), env).api_url == url


def test_uppercase_uuid_is_accepted(env: dict[str, str]) -> None:
    env["SCW_SECRET_KEY"] = SECRET.upper()
    assert resolve(None, env).secret_key_value() == SECRET.upper()


# -- broken files ----------------------------------------------------------------------------


def test_broken_yaml_gives_file_and_line(env: dict[str, str], write_config: WriteConfig) -> None:
    path = write_config(
        f"access_key: {ACCESS}\nsecret_key: {SECRET}\nprofiles:\n  prod:\n"
        f"    secret_key: {OTHER_SECRET}\n   default_region: [nl-ams\n"
    )
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    error = caught.value
    assert error.path == path
    assert error.line is not None and 5 <= error.line <= 7
    assert f"line {error.line}" in str(error)
    assert "invalid YAML" in str(error)
    # The excerpt quotes the file around the error with secret values masked.
    assert error.excerpt
    quoted = "\n".join(text for _, text in error.excerpt)
    assert SECRET not in quoted and OTHER_SECRET not in quoted
    assert "secret_key: ********" in quoted
    assert SECRET not in str(error) and OTHER_SECRET not in str(error)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- a\n- b\n", "mapping"),
        ("just a string\n", "mapping"),
        ("secret_key: 12345\n", "must be a string"),
        ("default_region: [fr-par]\n", "must be a string"),
        ("profiles: [a, b]\n", "profiles"),
        ("profiles:\n  p: 3\n", "profile 'p'"),
        ("active_profile: [x]\n", "active_profile"),
    ],
)
def test_wrong_shapes_are_config_errors(
    env: dict[str, str], write_config: WriteConfig, text: str, words: str
) -> None:
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)


def test_non_string_secret_is_not_echoed(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config("secret_key: 123456789\n")
    with pytest.raises(ConfigError) as caught:
        resolve(None, env)
    assert "123456789" not in str(caught.value)
    assert caught.value.key == "secret_key"


def test_empty_file_is_no_configuration(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config("")
    assert resolve(None, env).is_emulator
    write_config("# only a comment\n")
    assert resolve(None, env).is_emulator


def test_not_utf8_and_not_a_file(env: dict[str, str], write_config: WriteConfig) -> None:
    path = write_config("x")
    path.write_bytes(b"secret_key: \xff\xfe\n")
    with pytest.raises(ConfigError, match="UTF-8"):
        resolve(None, env)
    path.unlink()
    path.mkdir()
    with pytest.raises(ConfigError, match="not a regular file"):
        resolve(None, env)


def test_unknown_keys_are_ignored_like_scw_does(
    env: dict[str, str], write_config: WriteConfig
) -> None:
    write_config(f"secret_key: {SECRET}\nsend_telemetry: true\ninsecure: false\n")
    assert resolve(None, env).mode == "remote"


# -- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "warned"), [(0o600, False), (0o640, True), (0o644, True)])
def test_permission_warning(
    env: dict[str, str], write_config: WriteConfig, mode: int, warned: bool
) -> None:
    path = write_config(FULL_TOP, mode=mode)
    conn = resolve(None, env)
    matching = [w for w in conn.warnings if "readable by" in w]
    assert bool(matching) is warned
    if warned:
        assert str(path) in matching[0] and "chmod 600" in matching[0]
        assert f"{mode:04o}" in matching[0]


# -- the result ------------------------------------------------------------------------------


def test_connection_never_shows_the_secret(env: dict[str, str], write_config: WriteConfig) -> None:
    write_config(FULL_TOP)
    conn = resolve(None, env)
    for text in (repr(conn), str(conn), repr(conn.source), str(conn.summary())):
        assert SECRET not in text
    assert conn.masked_secret_key().endswith(SECRET[-4:])
    assert SECRET[:8] not in conn.masked_secret_key()


def test_connection_is_frozen(env: dict[str, str]) -> None:
    conn = resolve(None, env)
    with pytest.raises(dataclasses.FrozenInstanceError):
        conn.mode = "remote"  # type: ignore[misc]
    with pytest.raises(TypeError):
        conn.source["x"] = "y"  # type: ignore[index]


def test_flags_from_argparse_and_mapping(env: dict[str, str]) -> None:
    namespace = argparse.Namespace(profile=None, region="pl-waw", project_id=None, demo=True)
    flags = Flags.from_namespace(namespace)
    assert flags == Flags(region="pl-waw", demo=True)
    assert resolve(namespace, env).regions == ("pl-waw",)
    assert resolve({"region": "nl-ams", "demo": True}, env).regions == ("nl-ams",)


def test_default_environment_is_the_process_one(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("SCW_SECRET_KEY", SECRET)
    assert resolve().secret_key_value() == SECRET
