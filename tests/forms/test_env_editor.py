"""EnvEditor: add, edit, remove rows; secret rows are write-only."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Button, Input

from tui.resources import style_path
from tui.widgets.env_editor import EnvEditor, EnvRow, SecretChange, SecretRow, row_cells
from tui.widgets.form_field import FormField


class EditorApp(App[None]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self.kwargs = kwargs
        self.changes = 0

    def compose(self) -> ComposeResult:
        yield EnvEditor(id="editor", **self.kwargs)

    def on_env_editor_changed(self) -> None:
        self.changes += 1


async def test_plain_rows_add_edit_remove() -> None:
    app = EditorApp(values={"A": "1", "B": "2"})
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        assert editor.env() == {"A": "1", "B": "2"}
        await pilot.pause()
        row = await editor.add_row()
        await pilot.pause()
        assert app.focused is row.query_one(".env-key", Input)
        await pilot.press(*"C_KEY", "tab", *"three")
        assert editor.env() == {"A": "1", "B": "2", "C_KEY": "three"}
        first = editor.edit_rows()[0]
        first.query_one(".env-remove", Button).press()
        await pilot.pause()
        assert editor.env() == {"B": "2", "C_KEY": "three"}
        assert app.changes > 0
        assert editor.draft() == {"rows": [["B", "2"], ["C_KEY", "three"]]}


async def test_plain_rows_are_checked() -> None:
    app = EditorApp(values={"OK": "1"})
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        bad = await editor.add_row("1BAD", "x")
        dup = await editor.add_row("OK", "again")
        await pilot.pause()
        problems = editor.validate(show=True)
        assert len(problems) == 2
        assert bad.has_class("-invalid") and dup.has_class("-invalid")
        assert "duplicate" in " ".join(problems)


async def test_existing_secrets_replace_remove_and_new_ones() -> None:
    app = EditorApp(secret=True, existing_secret_keys=["DB_URL", "TOKEN_X"])
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        db, tok = editor.secret_rows()
        assert editor.secret_changes() == []
        db.query_one(".secret-replace", Button).press()
        await pilot.pause()
        assert db.state == "replace"
        assert editor.validate(show=True)  # a replaced secret needs its new value
        db.query_one(".secret-new", Input).value = "postgres://new"
        tok.query_one(".secret-remove", Button).press()
        await pilot.pause()
        new = await editor.add_row("NEW_ONE", "v")
        await pilot.pause()
        assert editor.validate(show=True) == []
        assert editor.secret_changes() == [
            SecretChange("DB_URL", "postgres://new"),
            SecretChange("TOKEN_X", None),
            SecretChange("NEW_ONE", "v"),
        ]
        assert "postgres://new" not in repr(editor.secret_changes())
        draft = editor.draft()
        assert draft == {"rows": [["NEW_ONE", ""]], "removed": ["TOKEN_X"], "replaced": ["DB_URL"]}
        # Undo a removal; a new row may not reuse an existing secret's key.
        tok.query_one(".secret-remove", Button).press()
        new.query_one(".env-key", Input).value = "DB_URL"
        await pilot.pause()
        assert tok.state == "kept"
        assert any("Replace" in p for p in editor.validate(show=True))
        assert all(isinstance(r, (EnvRow, SecretRow)) for r in editor.query(".env-row"))


async def test_restore_from_a_draft_leaves_secret_values_blank() -> None:
    app = EditorApp(secret=True, existing_secret_keys=["DB_URL"])
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        await editor.restore({"rows": [["NEW", "ignored"]], "removed": ["DB_URL"]})
        await pilot.pause()
        assert [(r.key, r.value) for r in editor.edit_rows()] == [("NEW", "")]
        assert editor.secret_rows()[0].state == "remove"


# ---------------------------------------------------------------------- many rows (bugs-e2e #1)


async def test_restore_mounts_many_rows_at_once_and_reports_one_change() -> None:
    app = EditorApp()
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        await pilot.pause()
        before = app.changes
        # Three rows crashed (NoMatches on a row whose inputs were not mounted yet).
        await editor.restore({"rows": [[f"K{i}", "v"] for i in range(3)]})
        await pilot.pause()
        assert editor.env() == {"K0": "v", "K1": "v", "K2": "v"}
        assert app.changes == before + 1
        started = time.perf_counter()
        await editor.restore({"rows": [[f"VAR_{i}", f"value {i}"] for i in range(200)]})
        restored = time.perf_counter() - started
        await pilot.pause()
        assert app.is_running and app.changes == before + 2  # one change per restore
        assert len(editor.edit_rows()) == 200 and len(editor.env()) == 200
        assert restored < 1.0, f"restoring 200 rows took {restored:.2f}s"
        started = time.perf_counter()
        problems = editor.validate(show=True)
        checked = time.perf_counter() - started
        assert problems[0] == "at most 100 variables (200 now)"  # the count rule comes first
        assert checked < 0.2, f"checking 200 rows took {checked:.2f}s"
        # Each keystroke re-reads every row: one pass, no DOM query per row.
        row = editor.edit_rows()[-1]
        await row.go_live()
        row.key_input.focus()
        started = time.perf_counter()
        await pilot.press("end", *"_X")
        typed = time.perf_counter() - started
        assert editor.edit_rows()[-1].key == "VAR_199_X"
        assert typed < 1.0, f"three keystrokes took {typed:.2f}s with 200 rows"


async def test_rows_added_without_a_pause_do_not_crash() -> None:
    app = EditorApp()
    async with app.run_test() as pilot:
        editor = app.query_one(EnvEditor)
        for i in range(25):
            await editor.add_row(f"K{i}", "v")
        await pilot.pause()
        assert app.is_running
        assert list(editor.env()) == [f"K{i}" for i in range(25)]
        assert app.focused is editor.edit_rows()[-1].key_input


async def test_only_the_secret_editor_holds_secret_input() -> None:
    # bugs-e2e #3: plain values are kept in drafts and compared; they are no secret input.
    plain = EnvEditor({"A": "1"})
    secret = EnvEditor(secret=True, existing_secret_keys=["DB_URL"])
    app = EditorApp()
    async with app.run_test() as pilot:
        await app.mount_all([plain, secret])
        await pilot.pause()
        assert not plain.has_secret_input
        await plain.add_row("B", "2")
        assert not plain.has_secret_input
        assert not secret.has_secret_input
        row = await secret.add_row("TOKEN")
        assert not secret.has_secret_input
        row.value_input.value = "s3cret"
        assert secret.has_secret_input


# ---------------------------------------------------------------------- dormant rows


class StyledEditorApp(App[None]):
    """An editor in a form field, with the forms' stylesheet (as a form shows it)."""

    CSS_PATH = str(style_path("forms.tcss"))

    def __init__(self, values: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = values

    def compose(self) -> ComposeResult:
        yield Button("elsewhere", id="elsewhere")
        yield FormField(
            "Env vars",
            EnvEditor(self.values, id="editor"),
            field="environment_variables",
            classes="env-field",
        )


def _row_cells(app: App[Any], row: EnvRow) -> list[list[tuple[str, str]]]:
    """The cells a row occupies on screen: character and visible style (a space shows only
    its background)."""
    update: Any = app.screen._compositor.render_update(full=True)
    region = row.region
    lines: list[list[tuple[str, str]]] = []
    for y in range(region.y, region.bottom):
        cells: list[tuple[str, str]] = []
        x = 0
        for strip in update.strips[y]:
            for segment in strip:
                if segment.control:
                    continue
                for char in segment.text:
                    if region.x <= x < region.right:
                        style = segment.style
                        if char == " ":
                            cells.append((char, str(style.bgcolor if style else None)))
                        else:
                            cells.append((char, str(style)))
                    x += max(1, cell_len(char))
        lines.append(cells)
    return lines


@pytest.mark.parametrize(("width", "ansi"), [(100, False), (61, True)], ids=["100-rgb", "61-ansi"])
async def test_a_dormant_row_looks_exactly_like_its_live_inputs(width: int, ansi: bool) -> None:
    values = {
        "A": "1",
        "LONG_KEY_" + "X" * 40: "v" * 200,
        "": "placeholder key",
        "HOSTILE": "a\x1b[2Jb\u202ec\u200bd",
        "WIDE": "日本語の値",
        "1BAD": "x",
    }
    app = StyledEditorApp(values, ansi_color=ansi)
    async with app.run_test(size=(width, 30)) as pilot:
        editor = app.query_one(EnvEditor)
        app.query_one("#elsewhere").focus()
        editor.validate(show=True)  # 1BAD and the blank key show their error line
        await pilot.pause()
        rows = editor.edit_rows()
        assert not any(row.live for row in rows)
        dormant = [_row_cells(app, row) for row in rows]
        for row in rows:
            await row.go_live()
        app.query_one("#elsewhere").focus()
        await pilot.pause()
        assert all(row.live for row in rows)
        live = [_row_cells(app, row) for row in rows]
        for key, drawn, shown in zip(values, dormant, live, strict=True):
            assert drawn == shown, key
        assert sum(len(lines) for lines in live) >= len(values) + 2  # two rows show an error


async def test_a_dormant_row_goes_live_where_it_is_used() -> None:
    app = StyledEditorApp({"A": "1", "B": "2", "C": "3"})
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.query_one(EnvEditor)
        app.query_one("#elsewhere").focus()
        await pilot.pause()
        first, second, third = editor.edit_rows()
        # Tab: typing starts at the key.
        await pilot.press("tab")
        await pilot.pause()
        assert first.live and app.focused is first.key_input
        assert not second.live
        # A click on the value focuses the value.
        _, (value_x, _), (remove_x, _) = row_cells(second.size.width)
        await pilot.click(second, offset=(value_x + 2, 0))
        await pilot.pause()
        assert second.live and app.focused is second.value_input
        assert second.value_input.cursor_position == 1  # clicked past its one character
        await pilot.press("0")
        assert editor.env()["B"] == "20"
        await pilot.click(second, offset=(value_x, 0))  # now live: the input's own click
        await pilot.press("1")
        assert editor.env()["B"] == "120"
        # A click on ✕ removes the row.
        await pilot.click(third, offset=(remove_x + 1, 0))
        await pilot.pause()
        assert third.live, "not clicked"
        assert editor.env() == {"A": "1", "B": "120"}
