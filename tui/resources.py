"""Where the package's data files are, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The folder of `.tcss` files.

    An installed wheel carries them as `tui/styles/` (pyproject force-includes the top-level
    `styles/`); a checkout or an editable install has them beside the package.
    """
    bundled = _PACKAGE_DIR / "styles"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / "styles"


def style_path(name: str) -> Path:
    return styles_dir() / name
