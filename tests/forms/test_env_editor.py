"""EnvEditor: add, edit, remove rows; secret rows are write-only."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Button, Input

from tui.widgets.env_editor import EnvEditor, EnvRow, SecretChange, SecretRow


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
