"""Settings only the app can check (issue 10, item 12): a theme it doesn't have, and keys the
`[keys]` table gives to two actions of one screen. Both are reported like the file's other
problems, as notifications at start."""

from __future__ import annotations

from pathlib import Path

from tui.app import _default_keys, create_app, demo_config
from tui.config import AppPaths
from tui.config.settings import keymap_conflicts, load_settings

PATH = Path("settings.toml")


def test_a_key_given_to_two_actions_of_one_screen_is_a_problem() -> None:
    defaults = _default_keys()
    (problem,) = keymap_conflicts({"tree.down": "j,n"}, defaults, path=PATH)
    assert '"n"' in problem and "notifications" in problem and "keys.tree.down" in problem


def test_keys_of_different_screens_and_shared_by_design_are_not_problems() -> None:
    defaults = _default_keys()
    assert keymap_conflicts({"tree.down": "down,j"}, defaults, path=PATH) == []
    # `/` filters the tree and the log view: two screens, never active together.
    assert keymap_conflicts({"logs.follow": "f,slash"}, defaults, path=PATH) != []
    assert keymap_conflicts({"sort": "s,f"}, defaults, path=PATH) == []  # `f`: logs only
    # A list's `c` in front of the screen's `c` is how the defaults are meant.
    assert keymap_conflicts({"related.create": "c"}, defaults, path=PATH) == []
    # The app-wide keys meet every screen's.
    assert keymap_conflicts({"refresh": "t"}, defaults, path=PATH) != []


async def test_unknown_theme_and_key_conflict_are_notified_at_start(tmp_path: Path) -> None:
    paths = AppPaths.under(tmp_path)
    paths.settings_file.parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(
        'theme = "no-such-theme"\n[keys]\n"tree.down" = "j,n"\n', encoding="utf-8"
    )
    settings, problems = load_settings(paths.settings_file)
    assert problems == []  # the file itself is well formed: only the app can tell
    app = create_app(demo_config(settings=settings, paths=paths))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("no-such-theme" in p and "theme" in p for p in app.problems)
        assert any("keys.tree.down" in p for p in app.problems)
        shown = [record.message for record in app.notification_log]
        for problem in app.problems:
            assert problem in shown
        assert app.theme == "textual-dark"
