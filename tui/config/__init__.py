"""Configuration: the Scaleway connection, the app's settings, remembered state and its log.

No Textual here (import-linter keeps it so): the screens that show configuration live in
`tui.screens.setup` and `tui.screens.config_error`.
"""

from tui.config.app_config import AppConfig, load_app_config
from tui.config.applog import (
    REDACTED,
    forget_secrets,
    redact,
    register_secret,
    register_secrets,
    setup_logging,
    shutdown_logging,
)
from tui.config.credentials import (
    DEFAULT_API_URL,
    DEFAULT_PROFILE_NAME,
    REGIONS,
    ConfigError,
    ConfigLocation,
    Connection,
    Flags,
    ProfileSummary,
    config_file_locations,
    config_file_path,
    emulator_connection,
    list_profiles,
    resolve,
)
from tui.config.paths import AppPaths
from tui.config.settings import Settings, load_settings, save_settings
from tui.config.state import StateStore

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_PROFILE_NAME",
    "REDACTED",
    "REGIONS",
    "AppConfig",
    "AppPaths",
    "ConfigError",
    "ConfigLocation",
    "Connection",
    "Flags",
    "ProfileSummary",
    "Settings",
    "StateStore",
    "config_file_locations",
    "config_file_path",
    "emulator_connection",
    "forget_secrets",
    "list_profiles",
    "load_app_config",
    "load_settings",
    "redact",
    "register_secret",
    "register_secrets",
    "resolve",
    "save_settings",
    "setup_logging",
    "shutdown_logging",
]
