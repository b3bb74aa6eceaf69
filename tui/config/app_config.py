"""Everything the app needs to start, gathered in one value the CLI builds and tests can fake.

`load_app_config` never raises for a bad scw configuration: it returns the demo connection with
`config_error` set, so the app can open its error screen (quit, or continue on the demo) instead
of printing a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.config import applog
from tui.config.credentials import (
    ConfigError,
    Connection,
    Flags,
    ProfileSummary,
    emulator_connection,
    list_profiles,
    resolve,
)
from tui.config.paths import AppPaths
from tui.config.settings import Settings, load_settings


@dataclass(frozen=True)
class AppConfig:
    connection: Connection
    settings: Settings
    paths: AppPaths
    flags: Flags = field(default_factory=Flags)
    read_only: bool = False
    debug: bool = False
    settings_problems: tuple[str, ...] = ()
    config_error: ConfigError | None = None  # set when the scw config could not be used
    env: Mapping[str, str] | None = field(default=None, repr=False, compare=False)
    home: Path | None = field(default=None, repr=False, compare=False)

    @property
    def problems(self) -> tuple[str, ...]:
        """Warnings to show once at start: connection warnings, then settings problems."""
        return (*self.connection.warnings, *self.settings_problems)

    def switch(self, *, profile: str | None = None, region: str | None = None) -> AppConfig:
        """The config with another profile and/or region, resolved again from scratch.

        Raises `ConfigError` (the current config stays valid). Leaves demo mode: switching to a
        profile means the user wants that account.
        """
        flags = self.flags
        if profile is not None:
            flags = replace(flags, profile=profile, demo=False)
        if region is not None:
            flags = replace(flags, region=region)
        if self.connection.is_emulator and profile is None:
            # Only the region changes on the demo: stay on the in-process emulator.
            return replace(self, flags=flags, connection=emulator_connection(flags))
        connection = resolve(flags, self.env, home=self.home)
        applog.register_secret(connection.secret_key)
        return replace(self, flags=flags, connection=connection, config_error=None)

    def on_demo(self) -> AppConfig:
        """The same config on the in-process emulator (the error screen's "continue on demo")."""
        flags = replace(self.flags, demo=True)
        connection = emulator_connection(flags, reason="demo chosen in the app")
        return replace(self, flags=flags, connection=connection, config_error=None)

    def profiles(self) -> list[ProfileSummary]:
        """The scw profiles to switch to (raises `ConfigError` for a broken file)."""
        return list_profiles(self.env, home=self.home)


def load_app_config(
    flags: Flags | None = None,
    *,
    read_only: bool = False,
    debug: bool = False,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    paths: AppPaths | None = None,
) -> AppConfig:
    """Resolve the connection and load the settings; registers the secret key for redaction."""
    flags = flags or Flags()
    paths = paths or AppPaths.default()
    env = os.environ if env is None else env
    error: ConfigError | None = None
    try:
        connection = resolve(flags, env, home=home)
    except ConfigError as exc:
        error = exc
        connection = emulator_connection(
            replace(flags, demo=True), reason="the configuration cannot be used"
        )
    applog.register_secret(connection.secret_key)
    settings, problems = load_settings(paths.settings_file)
    return AppConfig(
        connection=connection,
        settings=settings,
        paths=paths,
        flags=flags,
        read_only=read_only,
        debug=debug,
        settings_problems=tuple(problems),
        config_error=error,
        env=env,
        home=home,
    )
