"""Which Scaleway API to talk to, and with which key — resolved the way Scaleway's tools do it.

Precedence, highest first (the same as the scw CLI and the official SDKs):

1. command-line flags (`--api-url`, `--region`, `--project-id`, `--profile`);
2. the `SCW_*` environment variables;
3. the scw config file: `$SCW_CONFIG_PATH`, else `$XDG_CONFIG_HOME/scw/config.yaml`, else
   `~/.config/scw/config.yaml`. The profile comes from `--profile`, else `SCW_PROFILE`, else the
   file's `active_profile`; a profile's keys override the file's top-level keys, and the profile
   named `default` is the top level itself;
4. nothing at all: the built-in emulator with demo data.

`--demo` skips all of it and runs on the in-process emulator. An API URL without a secret key
(`--api-url`, `SCW_API_URL` or the file's `api_url`) still connects to that server: the app then
shows the server's 401 with how to set a key.

Only the values in effect are validated, as the official tools do: a bad top-level region that a
profile overrides is never used, so it is not an error. Every error names its place (file,
profile and key; environment variable; flag) and never shows a secret value.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import SecretStr

from tui.text import clean, truncate

REGIONS: tuple[str, ...] = ("fr-par", "nl-ams", "pl-waw")
ALL_REGIONS = "all"
DEFAULT_API_URL = "https://api.scaleway.com"
DEFAULT_PROFILE_NAME = "default"

# The keys of a profile, as the scw config file and the SDKs name them.
PROFILE_KEYS: tuple[str, ...] = (
    "access_key",
    "secret_key",
    "api_url",
    "default_organization_id",
    "default_project_id",
    "default_region",
    "default_zone",
)

ENV_VARS: Mapping[str, str] = MappingProxyType(
    {
        "access_key": "SCW_ACCESS_KEY",
        "secret_key": "SCW_SECRET_KEY",
        "api_url": "SCW_API_URL",
        "default_organization_id": "SCW_DEFAULT_ORGANIZATION_ID",
        "default_project_id": "SCW_DEFAULT_PROJECT_ID",
        "default_region": "SCW_DEFAULT_REGION",
        "default_zone": "SCW_DEFAULT_ZONE",
    }
)
ENV_PROFILE = "SCW_PROFILE"
ENV_CONFIG_PATH = "SCW_CONFIG_PATH"

# Profile keys that a command-line flag can set.
FLAG_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "api_url": "--api-url",
        "default_region": "--region",
        "default_project_id": "--project-id",
    }
)

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ACCESS_KEY = re.compile(r"^SCW[A-Z0-9]{17}$")
_REGION = re.compile(r"^[a-z]{2}-[a-z]{3}$")
_ZONE = re.compile(r"^[a-z]{2}-[a-z]{3}-[0-9]+$")
# A line of the config file that holds a secret: masked whenever the file is quoted on screen.
_SECRET_LINE = re.compile(r"^(\s*[\"']?secret_key[\"']?\s*:\s*)(\S.*)$")

Mode = Literal["emulator", "remote"]


class ConfigError(Exception):
    """A configuration value or file that cannot be used, with the place it came from.

    `str(error)` is one line: "<place>: <problem>". The parts are attributes too, so a screen can
    lay them out: `path`, `line`, `column`, `profile`, `key`, `env_var`, `flag`, `problem`,
    `hint`, and `excerpt` (numbered lines around a YAML error, secret values masked).
    """

    def __init__(
        self,
        problem: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        profile: str | None = None,
        key: str | None = None,
        env_var: str | None = None,
        flag: str | None = None,
        hint: str = "",
        excerpt: tuple[tuple[int, str], ...] = (),
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.column = column
        self.profile = profile
        self.key = key
        self.env_var = env_var
        self.flag = flag
        self.hint = hint
        self.excerpt = excerpt
        super().__init__(self.message)

    @property
    def place(self) -> str:
        if self.flag is not None:
            return f"flag {self.flag}"
        if self.env_var is not None:
            return f"environment variable {self.env_var}"
        parts: list[str] = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.line is not None:
            where = f"line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
            parts.append(where)
        if self.profile is not None:
            parts.append(f"profile {self.profile!r}")
        if self.key is not None:
            parts.append(f"key {self.key}")
        return ", ".join(parts) if parts else "configuration"

    @property
    def message(self) -> str:
        return f"{self.place}: {self.problem}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Flags:
    """The command-line options that take part in resolution (all optional)."""

    profile: str | None = None
    region: str | None = None
    project_id: str | None = None
    api_url: str | None = None
    demo: bool = False

    @classmethod
    def from_namespace(cls, namespace: object) -> Flags:
        """From an `argparse.Namespace` (missing attributes count as not given)."""
        return cls(
            profile=getattr(namespace, "profile", None),
            region=getattr(namespace, "region", None),
            project_id=getattr(namespace, "project_id", None),
            api_url=getattr(namespace, "api_url", None),
            demo=bool(getattr(namespace, "demo", False)),
        )


@dataclass(frozen=True, repr=False)
class Connection:
    """Where to connect and as whom. `repr` and `str` never show the secret key."""

    mode: Mode
    api_url: str | None  # None on the in-process emulator
    secret_key: SecretStr | None
    access_key: str | None
    organization_id: str | None
    project_id: str | None  # the project filter, None for every project
    regions: tuple[str, ...]
    zone: str | None
    profile: str | None  # the scw profile in use, None when no config file took part
    config_path: Path | None  # the scw config file that was read, None when none was
    source: Mapping[str, str] = field(default_factory=dict)  # field -> where it came from
    warnings: tuple[str, ...] = ()
    demo: bool = False

    @property
    def is_emulator(self) -> bool:
        return self.mode == "emulator"

    @property
    def region(self) -> str:
        """The region for calls that need one region (the first one shown)."""
        return self.regions[0]

    @property
    def all_regions(self) -> bool:
        return set(self.regions) == set(REGIONS)

    @property
    def host(self) -> str:
        """What the header shows: DEMO on the built-in emulator, else the API's host[:port]."""
        if self.api_url is None:
            return "DEMO"
        return urlsplit(self.api_url).netloc or self.api_url

    def secret_key_value(self) -> str | None:
        return None if self.secret_key is None else self.secret_key.get_secret_value()

    def masked_secret_key(self) -> str:
        return mask_secret(self.secret_key)

    def summary(self) -> list[tuple[str, str, str]]:
        """(label, value, where it came from) rows for display; the secret key masked."""
        rows = [
            ("mode", "built-in emulator (demo)" if self.is_emulator else "remote API", "mode"),
            ("API URL", self.api_url or "in-process emulator", "api_url"),
            ("profile", self.profile or "-", "profile"),
            ("access key", self.access_key or "-", "access_key"),
            ("secret key", self.masked_secret_key(), "secret_key"),
            ("organization", self.organization_id or "-", "organization_id"),
            ("project filter", self.project_id or "all projects", "project_id"),
            ("regions", ", ".join(self.regions), "regions"),
            ("zone", self.zone or "-", "zone"),
        ]
        return [(label, value, self.source.get(name, "-")) for label, value, name in rows]

    def __repr__(self) -> str:
        return (
            f"Connection(mode={self.mode!r}, api_url={self.api_url!r}, "
            f"secret_key={self.masked_secret_key()!r}, access_key={self.access_key!r}, "
            f"organization_id={self.organization_id!r}, project_id={self.project_id!r}, "
            f"regions={self.regions!r}, zone={self.zone!r}, profile={self.profile!r}, "
            f"demo={self.demo!r})"
        )

    __str__ = __repr__


def mask_secret(secret: SecretStr | str | None) -> str:
    """A secret shown as set/unset with its last 4 characters, enough to tell keys apart."""
    if secret is None:
        return "not set"
    value = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
    if len(value) < 12:
        return "********"
    return "********…" + value[-4:]


# -- the scw config file ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigLocation:
    """One rule of the config file search, with the path it gives on this machine."""

    rule: str  # e.g. "$SCW_CONFIG_PATH"
    path: Path | None  # None when the rule does not apply (variable not set)
    note: str  # "not set", "found", "not found", ...
    used: bool  # True for the rule that decides the path


def _home(env: Mapping[str, str], home: Path | None) -> Path:
    if home is not None:
        return Path(home)
    if env.get("HOME"):
        return Path(env["HOME"])
    return Path.home()


def config_file_path(env: Mapping[str, str] | None = None, *, home: Path | None = None) -> Path:
    """The scw config file path on this machine (whether or not it exists)."""
    env = os.environ if env is None else env
    if env.get(ENV_CONFIG_PATH):
        return Path(env[ENV_CONFIG_PATH]).expanduser()
    if env.get("XDG_CONFIG_HOME"):
        return Path(env["XDG_CONFIG_HOME"]) / "scw" / "config.yaml"
    return _home(env, home) / ".config" / "scw" / "config.yaml"


def config_file_locations(
    env: Mapping[str, str] | None = None, *, home: Path | None = None
) -> list[ConfigLocation]:
    """Each rule of the search in order, for showing users where the file is looked for."""
    env = os.environ if env is None else env
    chosen = config_file_path(env, home=home)
    rules: list[tuple[str, Path | None]] = [
        (
            f"${ENV_CONFIG_PATH}",
            Path(env[ENV_CONFIG_PATH]).expanduser() if env.get(ENV_CONFIG_PATH) else None,
        ),
        (
            "$XDG_CONFIG_HOME/scw/config.yaml",
            Path(env["XDG_CONFIG_HOME"]) / "scw" / "config.yaml"
            if env.get("XDG_CONFIG_HOME")
            else None,
        ),
        ("~/.config/scw/config.yaml", _home(env, home) / ".config" / "scw" / "config.yaml"),
    ]
    locations: list[ConfigLocation] = []
    decided = False
    for rule, path in rules:
        if path is None:
            locations.append(ConfigLocation(rule, None, "not set", False))
            continue
        used = not decided and path == chosen
        decided = decided or used
        if not used:
            note = "not consulted (a rule above decides)"
        elif path.is_file():
            note = "found"
        elif path.exists():
            note = "exists but is not a file"
        else:
            note = "not found"
        locations.append(ConfigLocation(rule, path, note, used))
    return locations


@dataclass(frozen=True)
class ScwConfigFile:
    """The parts of an scw config file this app uses (unknown keys are ignored, as scw does)."""

    path: Path
    top: Mapping[str, str]
    active_profile: str | None
    profiles: Mapping[str, Mapping[str, str]]
    mode: int  # permission bits

    @property
    def has_secret(self) -> bool:
        return "secret_key" in self.top or any("secret_key" in p for p in self.profiles.values())


def _excerpt(text: str, line: int | None, around: int = 2) -> tuple[tuple[int, str], ...]:
    if line is None:
        return ()
    lines = text.splitlines()
    start = max(1, line - around)
    end = min(len(lines), line + around)
    out = []
    for number in range(start, end + 1):
        content = lines[number - 1]
        content = _SECRET_LINE.sub(lambda m: m.group(1) + "********", content)
        out.append((number, clean(content)))
    return tuple(out)


def _strings(raw: object, *, path: Path, profile: str | None, what: str) -> dict[str, str]:
    """The profile keys of one mapping (top level or a profile), checked to be strings."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{what} must be a mapping of keys to values, not {type(raw).__name__}",
            path=path,
            profile=profile,
            hint="See the sample config.yaml on the setup screen.",
        )
    values: dict[str, str] = {}
    for key in PROFILE_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            shown = "" if key == "secret_key" else f" ({truncate(clean(repr(value)), 60)})"
            raise ConfigError(
                f"must be a string, not {type(value).__name__}{shown}",
                path=path,
                profile=profile,
                key=key,
                hint="Quote the value in the YAML file.",
            )
        if value != "":
            values[key] = value
    return values


def read_config_file(path: Path) -> ScwConfigFile | None:
    """Parse the scw config file at `path`; None when there is no file there.

    Raises `ConfigError` (with the line, for YAML syntax errors) when it cannot be used.
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", path=path) from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError("is not a regular file", path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"is not UTF-8 text ({exc.reason})", path=path) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read: {exc.strerror or exc}", path=path) from None
    import yaml  # here, not at the top: ~10 ms of every start-up without a config file

    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # str(exc) quotes the offending line, which may hold the secret key: build the message
        # from the problem alone and keep a masked excerpt apart.
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "is not valid YAML"
        context = getattr(exc, "context", None)
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        raise ConfigError(
            clean(message),
            path=path,
            line=line,
            column=column,
            hint="Fix the file (YAML: 'key: value', two-space indents under 'profiles:'), "
            "or move it away to start without it.",
            excerpt=_excerpt(text, line),
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"must hold a YAML mapping (key: value lines), not {type(data).__name__}",
            path=path,
            hint="See the sample config.yaml on the setup screen.",
        )
    top = _strings(data, path=path, profile=None, what="the file")
    active = data.get("active_profile")
    if active is not None and not isinstance(active, str):
        raise ConfigError(
            f"must be a profile name (a string), not {type(active).__name__}",
            path=path,
            key="active_profile",
        )
    raw_profiles = data.get("profiles")
    if raw_profiles is None:
        raw_profiles = {}
    if not isinstance(raw_profiles, dict):
        raise ConfigError(
            f"must be a mapping of profile names to keys, not {type(raw_profiles).__name__}",
            path=path,
            key="profiles",
        )
    profiles: dict[str, Mapping[str, str]] = {}
    for name, raw in raw_profiles.items():
        name_text = str(name)
        profiles[name_text] = MappingProxyType(
            _strings(raw, path=path, profile=name_text, what=f"profile {name_text!r}")
        )
    return ScwConfigFile(
        path=path,
        top=MappingProxyType(top),
        active_profile=active or None,
        profiles=MappingProxyType(profiles),
        mode=stat.S_IMODE(st.st_mode),
    )


def permission_warning(config: ScwConfigFile) -> str | None:
    """A warning when the file can be read by the group or by others (POSIX only)."""
    if os.name != "posix" or not config.mode & (stat.S_IRGRP | stat.S_IROTH):
        return None
    who = " and ".join(
        w
        for w, bit in (("its group", stat.S_IRGRP), ("other users", stat.S_IROTH))
        if config.mode & bit
    )
    return (
        f"{config.path} is readable by {who} (mode {config.mode:04o}); it may hold your "
        f"secret key. Run: chmod 600 {config.path}"
    )


# -- validation ------------------------------------------------------------------------------


def _shown(value: str) -> str:
    return truncate(clean(repr(value)), 80)


def check_value(key: str, value: str) -> tuple[str, str] | None:
    """None when `value` is valid for `key`, else (problem, hint). Never echoes a secret."""
    if key == "secret_key":
        if _UUID.match(value):
            return None
        hint = (
            "That looks like an access key: the secret key is the UUID shown once when the "
            "API key was created."
            if value.startswith("SCW")
            else "Create an API key in the Scaleway console (IAM > API keys) and copy its "
            "secret key."
        )
        return (
            "is not a valid secret key: expected a UUID like "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (the value is not shown)",
            hint,
        )
    if key == "access_key":
        if _ACCESS_KEY.match(value):
            return None
        return (
            f"{_shown(value)} is not a valid access key: expected SCW followed by 17 "
            "capital letters or digits",
            "Copy the access key from the Scaleway console (IAM > API keys).",
        )
    if key in ("default_organization_id", "default_project_id"):
        if _UUID.match(value):
            return None
        what = "organization" if key == "default_organization_id" else "project"
        return (
            f"{_shown(value)} is not a valid {what} ID: expected a UUID like "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            f"Copy the {what} ID from the Scaleway console.",
        )
    if key == "default_region":
        if not _REGION.match(value):
            return (
                f"{_shown(value)} is not a region: expected a name like fr-par",
                f"Serverless Containers runs in {', '.join(REGIONS)}.",
            )
        if value not in REGIONS:
            return (
                f"{_shown(value)} is not a region of Serverless Containers ({', '.join(REGIONS)})",
                "Pick one of those, or use --region to override it for this session.",
            )
        return None
    if key == "default_zone":
        if _ZONE.match(value):
            return None
        return (f"{_shown(value)} is not a zone: expected a name like fr-par-1", "")
    if key == "api_url":
        return _check_url(value)
    return None


def _check_url(value: str) -> tuple[str, str] | None:
    hint = "Write it like https://api.scaleway.com or http://127.0.0.1:4000"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return (f"{_shown(value)} is not a valid URL", hint)
    if parts.scheme not in ("http", "https"):
        return (f"{_shown(value)} must start with http:// or https://", hint)
    if not parts.hostname:
        return (f"{_shown(value)} has no host", hint)
    if any(ch.isspace() for ch in value):
        return (f"{_shown(value)} contains spaces", hint)
    if parts.query or parts.fragment:
        return (f"{_shown(value)} must not have a query or a fragment", hint)
    if value.endswith("/"):
        return (f"{_shown(value)} must not end with a slash", hint)
    return None


# -- resolution ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layer:
    """One source of values, with how to name it in messages and in `Connection.source`."""

    kind: Literal["flag", "env", "profile", "top"]
    values: Mapping[str, str]
    path: Path | None = None
    profile: str | None = None

    def describe(self, key: str) -> str:
        if self.kind == "flag":
            return f"flag {FLAG_NAMES[key]}"
        if self.kind == "env":
            return f"env {ENV_VARS[key]}"
        if self.kind == "profile":
            return f"{self.path} (profile {self.profile!r})"
        if self.profile is not None and self.profile != DEFAULT_PROFILE_NAME:
            return f"{self.path} (top level, under profile {self.profile!r})"
        return f"{self.path} (top level)"

    def error(self, key: str, problem: str, hint: str) -> ConfigError:
        if self.kind == "flag":
            return ConfigError(problem, flag=FLAG_NAMES[key], hint=hint)
        if self.kind == "env":
            return ConfigError(problem, env_var=ENV_VARS[key], hint=hint)
        if self.kind == "profile":
            return ConfigError(problem, path=self.path, profile=self.profile, key=key, hint=hint)
        problem_here = problem
        if self.profile is not None and self.profile != DEFAULT_PROFILE_NAME:
            problem_here = f"{problem} (top-level value, used by profile {self.profile!r})"
        return ConfigError(problem_here, path=self.path, key=key, hint=hint)


def _env_values(env: Mapping[str, str]) -> dict[str, str]:
    # An empty variable counts as unset: `SCW_SECRET_KEY= scw-containers` is a common way to
    # switch one off for a single command.
    return {key: env[var] for key, var in ENV_VARS.items() if env.get(var)}


def _check_flags(flags: Flags) -> None:
    if flags.profile is not None and not flags.profile.strip():
        raise ConfigError("needs a profile name", flag="--profile")
    if flags.region is not None and flags.region != ALL_REGIONS:
        problem = check_value("default_region", flags.region)
        if problem is not None:
            raise ConfigError(
                f"{_shown(flags.region)} is not one of {', '.join(REGIONS)}, {ALL_REGIONS}",
                flag="--region",
            )
    if flags.project_id is not None:
        problem = check_value("default_project_id", flags.project_id)
        if problem is not None:
            raise ConfigError(problem[0], flag="--project-id", hint=problem[1])
    if flags.api_url is not None:
        problem = check_value("api_url", flags.api_url)
        if problem is not None:
            raise ConfigError(problem[0], flag="--api-url", hint=problem[1])


def _regions_from_flag(flags: Flags) -> tuple[tuple[str, ...], str]:
    if flags.region is None or flags.region == ALL_REGIONS:
        where = "flag --region" if flags.region is not None else "default (no region configured)"
        return REGIONS, where
    return (flags.region,), "flag --region"


def emulator_connection(
    flags: Flags | None = None, *, warnings: Iterable[str] = (), reason: str | None = None
) -> Connection:
    """The in-process emulator with demo data (`--demo`, or no secret key anywhere).

    Only flags apply: a region or project from the environment or a profile belongs to a real
    account and would hide the demo data. `reason` says why, for `source["mode"]`.
    """
    flags = flags or Flags(demo=True)
    regions, region_source = _regions_from_flag(flags)
    if reason is None:
        reason = "flag --demo" if flags.demo else "default (no secret key found)"
    source = {"mode": reason}
    source["regions"] = region_source
    if flags.project_id:
        source["project_id"] = "flag --project-id"
    return Connection(
        mode="emulator",
        api_url=None,
        secret_key=None,
        access_key=None,
        organization_id=None,
        project_id=flags.project_id,
        regions=regions,
        zone=None,
        profile=None,
        config_path=None,
        source=MappingProxyType(source),
        warnings=tuple(warnings),
        demo=True,
    )


def _as_flags(flags: Flags | Mapping[str, Any] | argparse.Namespace | None) -> Flags:
    if flags is None:
        return Flags()
    if isinstance(flags, Flags):
        return flags
    if isinstance(flags, Mapping):
        return Flags(**dict(flags))
    return Flags.from_namespace(flags)


def _select_profile(
    flags: Flags, env: Mapping[str, str], config: ScwConfigFile | None
) -> tuple[str | None, str]:
    """The profile name and what chose it (for messages)."""
    if flags.profile:
        return flags.profile, "flag --profile"
    if env.get(ENV_PROFILE):
        return env[ENV_PROFILE], f"environment variable {ENV_PROFILE}"
    if config is not None and config.active_profile:
        return config.active_profile, "active_profile"
    return None, ""


def resolve(
    flags: Flags | Mapping[str, Any] | argparse.Namespace | None = None,
    env: Mapping[str, str] | None = None,
    *,
    home: Path | None = None,
) -> Connection:
    """The connection to use, from flags, environment and the scw config file.

    `env` defaults to `os.environ`; `home` to `$HOME` from `env`, then the user's home. Raises
    `ConfigError` for any value or file that cannot be used.
    """
    flags = _as_flags(flags)
    env = os.environ if env is None else env
    _check_flags(flags)
    warnings: list[str] = []
    if flags.demo:
        if flags.api_url:
            warnings.append("--api-url is ignored with --demo (the built-in emulator is used)")
        return emulator_connection(flags, warnings=warnings)

    path = config_file_path(env, home=home)
    config = read_config_file(path)
    if config is None and env.get(ENV_CONFIG_PATH):
        warnings.append(f"{ENV_CONFIG_PATH} is set to {path}, which does not exist")
    if config is not None:
        warning = permission_warning(config)
        if warning:
            warnings.append(warning)

    profile, chosen_by = _select_profile(flags, env, config)
    layers: list[_Layer] = []
    flag_values = {
        key: value
        for key, value in (
            ("api_url", flags.api_url),
            ("default_project_id", flags.project_id),
            ("default_region", flags.region),
        )
        if value
    }
    layers.append(_Layer("flag", flag_values))
    layers.append(_Layer("env", _env_values(env)))
    if profile is not None and profile != DEFAULT_PROFILE_NAME:
        if config is None:
            raise ConfigError(
                f"profile {profile!r} (from {chosen_by}) cannot be used: "
                "there is no scw config file",
                path=path,
                profile=profile,
                hint="Create the file (see the setup screen, or run 'scw init'), "
                "or choose no profile.",
            )
        if profile not in config.profiles:
            known = ", ".join(repr(p) for p in (DEFAULT_PROFILE_NAME, *config.profiles))
            raise ConfigError(
                f"profile {profile!r} (from {chosen_by}) does not exist; profiles in the "
                f"file: {known}",
                path=path,
                profile=profile,
                key="active_profile" if chosen_by == "active_profile" else None,
                hint="Add it under 'profiles:' or choose another one with --profile.",
            )
        layers.append(_Layer("profile", config.profiles[profile], path, profile))
    if config is not None:
        layers.append(_Layer("top", config.top, path, profile))

    effective: dict[str, str] = {}
    source: dict[str, str] = {}
    for key in PROFILE_KEYS:
        for layer in layers:
            if key not in layer.values:
                continue
            value = layer.values[key]
            if not (layer.kind == "flag" and key == "default_region" and value == ALL_REGIONS):
                problem = check_value(key, value)
                if problem is not None:
                    raise layer.error(key, *problem)
            effective[key] = value
            source[key] = layer.describe(key)
            break

    if "secret_key" not in effective and "api_url" not in effective:
        partial = sorted(k for k in effective if k not in ("default_region", "default_zone"))
        if partial:
            warnings.append(
                "No secret key found (only "
                + ", ".join(partial)
                + "): running on the built-in emulator with demo data."
            )
        return emulator_connection(flags, warnings=warnings)

    region_value = effective.get("default_region")
    if region_value is None or region_value == ALL_REGIONS:
        regions: tuple[str, ...] = REGIONS
        source["regions"] = source.get("default_region", "default (no region configured)")
    else:
        regions = (region_value,)
        source["regions"] = source["default_region"]

    renamed = {
        "default_organization_id": "organization_id",
        "default_project_id": "project_id",
        "default_zone": "zone",
    }
    final_source = {renamed.get(k, k): v for k, v in source.items() if k != "default_region"}
    final_source.setdefault("api_url", "default")
    final_source["mode"] = (
        source["secret_key"] if "secret_key" in effective else source["api_url"] + " (no key)"
    )
    if config is None:
        final_source["profile"] = "no scw config file"
    else:
        if profile is None:
            final_source["profile"] = "none chosen (top level of the file)"
        elif chosen_by == "active_profile":
            final_source["profile"] = f"active_profile in {config.path}"
        else:
            final_source["profile"] = chosen_by
    secret = effective.get("secret_key")
    return Connection(
        mode="remote",
        api_url=effective.get("api_url", DEFAULT_API_URL),
        secret_key=SecretStr(secret) if secret is not None else None,
        access_key=effective.get("access_key"),
        organization_id=effective.get("default_organization_id"),
        project_id=effective.get("default_project_id"),
        regions=regions,
        zone=effective.get("default_zone"),
        profile=(profile or DEFAULT_PROFILE_NAME) if config is not None else None,
        config_path=config.path if config is not None else None,
        source=MappingProxyType(final_source),
        warnings=tuple(warnings),
        demo=False,
    )


# -- profiles, for switching in the app ------------------------------------------------------


@dataclass(frozen=True)
class ProfileSummary:
    """A profile of the scw config file as a switcher shows it (no secret in here)."""

    name: str
    active: bool  # the one SCW_PROFILE or active_profile selects
    has_secret_key: bool
    region: str | None
    project_id: str | None


def list_profiles(
    env: Mapping[str, str] | None = None, *, home: Path | None = None
) -> list[ProfileSummary]:
    """The profiles of the scw config file: `default` (the top level) first, then by name.

    Empty when there is no config file. Raises `ConfigError` for a file that cannot be read.
    """
    env = os.environ if env is None else env
    config = read_config_file(config_file_path(env, home=home))
    if config is None:
        return []
    selected = env.get(ENV_PROFILE) or config.active_profile or DEFAULT_PROFILE_NAME
    summaries = [
        ProfileSummary(
            name=DEFAULT_PROFILE_NAME,
            active=selected == DEFAULT_PROFILE_NAME,
            has_secret_key="secret_key" in config.top,
            region=config.top.get("default_region"),
            project_id=config.top.get("default_project_id"),
        )
    ]
    for name in sorted(config.profiles):
        if name == DEFAULT_PROFILE_NAME:
            continue  # "default" always means the top level, as in the scw CLI
        merged = {**config.top, **config.profiles[name]}
        summaries.append(
            ProfileSummary(
                name=name,
                active=selected == name,
                has_secret_key="secret_key" in merged,
                region=merged.get("default_region"),
                project_id=merged.get("default_project_id"),
            )
        )
    return summaries


SAMPLE_CONFIG_YAML = """\
# ~/.config/scw/config.yaml  (chmod 600: it holds your secret key)
access_key: SCWXXXXXXXXXXXXXXXXX
secret_key: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
default_organization_id: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
default_project_id: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx
default_region: fr-par
default_zone: fr-par-1
# active_profile: staging
profiles:
  staging:
    secret_key: yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy
    default_project_id: yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy
    default_region: nl-ams
"""

ENV_VAR_HELP: tuple[tuple[str, str], ...] = (
    ("SCW_ACCESS_KEY", "access key (SCW + 17 characters)"),
    ("SCW_SECRET_KEY", "secret key (UUID); needed for a real account"),
    ("SCW_DEFAULT_ORGANIZATION_ID", "organization ID (UUID)"),
    ("SCW_DEFAULT_PROJECT_ID", "project to show (UUID); else every project"),
    ("SCW_DEFAULT_REGION", "fr-par, nl-ams or pl-waw; else all three"),
    ("SCW_DEFAULT_ZONE", "zone, e.g. fr-par-1"),
    ("SCW_API_URL", "API root, e.g. http://127.0.0.1:4000 for a local emulator"),
    ("SCW_PROFILE", "profile of the config file to use"),
    ("SCW_CONFIG_PATH", "config file to read instead of the default one"),
)
