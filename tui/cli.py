"""`scw-containers` (and `python -m tui`): the command line of DESIGN.md.

```
scw-containers [--demo] [--api-url URL] [--profile NAME] [--region fr-par|nl-ams|pl-waw|all]
               [--project-id UUID] [--read-only] [--debug]
scw-containers emulator [...]         serve the emulator (see `scw-containers emulator --help`)
scw-containers --version | --help
```

Textual and the app are imported only when the console really starts, so `--help`,
`--version` and `emulator` stay quick.
"""

from __future__ import annotations

import argparse
import gc
import sys
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui import __version__

if TYPE_CHECKING:
    from tui.app import ScwContainersApp

REGION_CHOICES = ("fr-par", "nl-ams", "pl-waw", "all")


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a UUID: {value!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scw-containers",
        description=(
            "A keyboard-first terminal console for Scaleway Serverless Containers. "
            "Credentials: flags > SCW_* environment > scw config file. With no secret key "
            "anywhere it opens the built-in emulator with demo data (the header shows DEMO)."
        ),
        epilog=(
            "subcommand:\n"
            "  emulator [--host H] [--port P|0] [--seed empty|demo] [--speed F] [--state FILE]\n"
            "           [--secret-key UUID] [--organization-id UUID] [--project-id UUID]\n"
            "           [--no-quotas]\n"
            "                        serve the emulator over HTTP (scw-containers emulator -h)\n"
            "\n"
            "python -m tui ... is the same."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--demo", action="store_true", help="use the built-in emulator (in process, no port)"
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="API root, e.g. a running emulator (also SCW_API_URL); the header shows its host",
    )
    parser.add_argument("--profile", metavar="NAME", help="scw config profile to use")
    parser.add_argument(
        "--region",
        choices=REGION_CHOICES,
        help="region to show; 'all' shows fr-par, nl-ams and pl-waw (default when none is set)",
    )
    parser.add_argument(
        "--project-id", metavar="UUID", type=_uuid, help="show only this project's resources"
    )
    parser.add_argument(
        "--read-only", action="store_true", help="hide every action that changes something"
    )
    parser.add_argument("--debug", action="store_true", help="log more detail to the app log")
    parser.add_argument("--version", action="version", version=f"scw-containers {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "emulator":
        from tui.emulator.server import run

        return run(args_list[1:])
    args = build_parser().parse_args(args_list)
    try:
        app = build_console(args)
        result = app.run()
    finally:
        from tui.config import shutdown_logging

        shutdown_logging()
    if app.return_code:
        return app.return_code
    return result if isinstance(result, int) else 0


def build_console(args: argparse.Namespace) -> ScwContainersApp:
    """The console as `main` runs it: config, app log, state store and the app (the start-up
    benchmark builds it here too, so it measures what a user gets)."""
    # Start-up builds a few hundred thousand objects that live as long as the app (modules,
    # styles, widgets) and the collector would scan them over and over meanwhile: ~10 % of the
    # start-up. The app turns it back on once the first tree is shown (or after a few seconds)
    # and freezes those objects out of later full passes.
    gc.disable()
    from tui.config import Flags, StateStore, load_app_config, setup_logging

    config = load_app_config(Flags.from_namespace(args), read_only=args.read_only, debug=args.debug)
    try:
        setup_logging(config.paths.log_dir, debug=args.debug)
    except OSError as error:  # an unwritable log dir must not keep the console from opening
        print(f"scw-containers: no app log ({error})", file=sys.stderr)
    from tui.app import create_app

    app = create_app(config, state_store=StateStore(config.paths.state_file))
    app.gc_paused_for_start = True
    return app


if __name__ == "__main__":
    raise SystemExit(main())
