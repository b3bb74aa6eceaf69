"""Secrets audit: a full session with a known secret key, secret env values and a token.

The console runs as `scw-containers --api-url http://127.0.0.1:PORT` against an emulator started
with `--secret-key KEY`, with its app log at DEBUG. In the session: secret env values sent through
the API and typed in the namespace and container forms, a token created through the token form
(shown once), the usual screens visited, a form with a typed secret left open at quit (a draft).

Then every file the app wrote on its own (config, state and log folders, and HOME) and every
screen captured after the token dialog closed are searched: none holds the key, a secret value
or the token.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Button, Input, Static

from tui.api import ContainersClient
from tui.app import create_app
from tui.config import Settings, StateStore, forget_secrets, setup_logging, shutdown_logging
from tui.emulator.seed import DEMO_NAMESPACE_ID
from tui.screens.forms import flows
from tui.screens.forms.confirm import ConfirmScreen
from tui.screens.forms.container import ContainerForm
from tui.screens.forms.namespace import NamespaceForm
from tui.screens.forms.token import TokenForm
from tui.screens.forms.token_created import TokenCreatedScreen
from tui.screens.logs import LogScreen
from tui.widgets.env_editor import EnvEditor

from .support import (
    FIGURES,
    Emulator,
    answer_yes,
    files_under,
    leaks,
    occurrences,
    remote_config,
    screen_text,
    terminal_output,
    wait_until,
)

SECRET_KEY = "5ec2e7a1-0b5e-4c1d-9e2f-a11ce5ec2e70"
API_SECRET = "api-secret-value-7f3a9c"  # sent through the API by a script
NS_SECRET = "namespace-secret-value-1b2c3d"  # typed in the namespace form
CT_SECRET = "container-secret-value-4e5f6a"  # typed in the container form
DRAFT_SECRET = "draft-secret-value-9z8y7x"  # typed in a form left open at quit
SETTINGS = Settings(poll_transient_s=0.3, poll_settled_s=0.5, bell_on_deploy_end=False)


async def _add_secret(pilot: object, form: object, key: str, value: str) -> None:
    editor = form.query_one("#secrets", EnvEditor)  # type: ignore[attr-defined]
    before = len(editor.edit_rows())
    editor.query_one(".env-add", Button).press()
    await wait_until(pilot, lambda: len(editor.edit_rows()) == before + 1)  # type: ignore[arg-type]
    row = editor.edit_rows()[-1]
    row.query_one(".env-key", Input).value = key
    row.query_one(".env-value", Input).value = value


async def test_no_secret_in_any_file_or_screen_after_a_full_session(
    spawn: Callable[..., Emulator], tmp_path: Path
) -> None:
    emulator = spawn("--seed", "demo", "--speed", "20", secret_key=SECRET_KEY)
    async with ContainersClient(api_url=emulator.url, secret_key=SECRET_KEY) as script:
        scripted = await script.create_container(
            namespace_id=DEMO_NAMESPACE_ID,
            name="with-api-secret",
            registry_image="nginx:1.27",
            secret_environment_variables={"API_SECRET": API_SECRET},
            region="fr-par",
        )
        FIGURES.add_client(script.stats)

    config = remote_config(emulator.url, tmp_path, secret_key=SECRET_KEY, settings=SETTINGS)
    log_file = setup_logging(config.paths.log_dir, debug=True)
    app = create_app(config, state_store=StateStore(config.paths.state_file))
    screens: list[str] = []

    def capture(where: str, svg: bool = False) -> None:
        screens.append(f"--- {where}\n{screen_text(app)}\n{terminal_output(app)}")
        if svg:  # slower: a few only
            screens.append(app.export_screenshot())

    token = ""
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            tree = main.resource_tree
            await wait_until(pilot, lambda: tree.select_key("region:fr-par"), message="tree")
            tree.focus()

            # A namespace with a secret typed in its form.
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, NamespaceForm))
            form = app.screen
            await pilot.pause()
            form.query_one("#name", Input).value = "audited"
            await _add_secret(pilot, form, "NS_SECRET", NS_SECRET)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, NamespaceForm), timeout=15)
            namespace = next(
                n for n in await app.client.list_namespaces_all() if n.name == "audited"
            )

            # A container in it, with a secret typed in the container form.
            await wait_until(pilot, lambda: tree.select_key(namespace.id), timeout=15)
            tree.focus()
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, ContainerForm))
            form = app.screen
            await pilot.pause()
            form.query_one("#name", Input).value = "audited-app"
            form.query_one("#registry_image", Input).value = "nginx:1.27"
            await _add_secret(pilot, form, "CT_SECRET", CT_SECRET)
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, ContainerForm), timeout=15)
            made = await app.client.list_containers_all(namespace_id=namespace.id)
            container = next(c for c in made if c.name == "audited-app")

            # A token through the token form, shown once.
            app.run_flow(flows.create_token_flow(app, container), "token")
            await wait_until(pilot, lambda: isinstance(app.screen, TokenForm))
            await pilot.pause()
            app.screen.query_one("#description", Input).value = "audit"
            app.screen.query_one("#expires", Input).value = "30d"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, TokenCreatedScreen), timeout=15)
            await pilot.pause()
            shown = app.screen.query_one("#token-value", Static).render()
            token = str(getattr(shown, "plain", shown)).strip()
            assert len(token) > 16 and token[:24] in screen_text(app)  # shown (maybe wrapped)
            await pilot.click("#token-copy")  # kept by the user (OSC 52), then closed
            assert app.clipboard == token
            await pilot.click("#token-close")
            await wait_until(pilot, lambda: not isinstance(app.screen, TokenCreatedScreen))
            await pilot.pause()
            capture("after the token dialog", svg=True)

            # The rest of a session: details and their tabs, raw JSON, logs, help, palette.
            for resource_id in (container.id, scripted.id, namespace.id):
                await wait_until(pilot, lambda r=resource_id: tree.select_key(r), timeout=15)
                tree.focus()
                await pilot.pause(0.3)
                capture(f"details of {resource_id}", svg=True)
                for _ in range(3):
                    await pilot.press("right_square_bracket")
                    await pilot.pause(0.1)
                    capture(f"next tab of {resource_id}")
            await wait_until(pilot, lambda: tree.select_key(container.id))
            tree.focus()
            await pilot.press("y")
            await pilot.pause(0.3)
            capture("raw JSON")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main)
            await pilot.press("l")
            await wait_until(pilot, lambda: isinstance(app.screen, LogScreen))
            await pilot.pause(1.0)
            capture("logs")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main)
            await pilot.press("question_mark")
            await pilot.pause(0.3)
            capture("help")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main)
            await pilot.press("e")  # edit form: secrets shown as keys and ••••
            await wait_until(pilot, lambda: isinstance(app.screen, ContainerForm))
            await pilot.pause(0.3)
            capture("edit form")
            await pilot.press("escape")
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen):  # see bugs-e2e.md #3
                await answer_yes(pilot)
            await wait_until(pilot, lambda: app.screen is main)

            # A form left open with a typed secret when the user quits: a draft, without it.
            await wait_until(pilot, lambda: tree.select_key(namespace.id))
            tree.focus()
            await pilot.press("c")
            await wait_until(pilot, lambda: isinstance(app.screen, ContainerForm))
            form = app.screen
            await pilot.pause()
            form.query_one("#name", Input).value = "left-open"
            await _add_secret(pilot, form, "DRAFT_SECRET", DRAFT_SECRET)
            await pilot.pause(0.5)
            capture("form left open", svg=True)
            await app.action_quit()
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await answer_yes(pilot)
            await wait_until(pilot, lambda: not app.is_running, timeout=10)
        FIGURES.add_client(app.client.stats)
    finally:
        shutdown_logging()
        forget_secrets()

    secrets = {
        "secret key": SECRET_KEY,
        "API secret": API_SECRET,
        "namespace secret": NS_SECRET,
        "container secret": CT_SECRET,
        "draft secret": DRAFT_SECRET,
        "token": token,
    }
    written = files_under([tmp_path / "app", tmp_path / "home"])
    assert log_file in written and log_file.stat().st_size > 0, "the app log is empty"
    assert config.paths.state_file in written, "no state file: the draft was not kept"
    assert "left-open" in config.paths.state_file.read_text(encoding="utf-8")
    log_text = log_file.read_text(encoding="utf-8")
    assert container.id in log_text or namespace.id in log_text  # ids stay readable
    found = {name: occurrences(value, written) for name, value in secrets.items()}
    assert not any(found.values()), found
    on_screen = {
        name: [s[:40] for s in screens if leaks(value, s)] for name, value in secrets.items()
    }
    assert not any(on_screen.values()), on_screen
    FIGURES.note(
        "secrets_audit",
        f"{len(written)} files, {len(screens)} screen captures: 0 occurrences of 6 secrets",
    )
