"""Where the app keeps its own files: settings, remembered state and its log.

platformdirs gives the folders each platform expects (on Linux: `$XDG_CONFIG_HOME`,
`$XDG_STATE_HOME`, honoured by platformdirs itself). Tests and the CLI can put all three under
one folder with `AppPaths.under(root)` so that nothing touches the real home.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "scw-containers"
SETTINGS_FILE_NAME = "settings.toml"
STATE_FILE_NAME = "state.json"
LOG_FILE_NAME = "scw-containers.log"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    state_dir: Path
    log_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """All three folders inside `root` (tests, portable installs)."""
        root = Path(root)
        return cls(config_dir=root / "config", state_dir=root / "state", log_dir=root / "log")

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE_NAME

    @property
    def state_file(self) -> Path:
        return self.state_dir / STATE_FILE_NAME

    @property
    def log_file(self) -> Path:
        return self.log_dir / LOG_FILE_NAME

    def all_dirs(self) -> tuple[Path, Path, Path]:
        return (self.config_dir, self.state_dir, self.log_dir)
