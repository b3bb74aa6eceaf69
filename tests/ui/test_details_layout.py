"""The detail pane shows another node without laying the whole screen out again (issue 9, 2a),
and its scrolling text still follows its content: the scroll's virtual height matches each new
content, the last lines stay reachable, hidden tabs catch up when opened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static

from tui.api.models import Container, Cron, Namespace
from tui.live.events import Transition
from tui.resources import style_path
from tui.widgets.details import DetailsPane

from .helpers import screen_lines, screen_text

NAMESPACE_ID = "11111111-1111-4111-8111-111111111111"
CONTAINER_ID = "22222222-2222-4222-8222-222222222222"


def namespace() -> Namespace:
    return Namespace(
        id=NAMESPACE_ID,
        name="payments",
        status="ready",
        region="fr-par",
        environment_variables={"LOG": "debug"},
    )


def container(
    name: str = "web", *, env: int = 2, status: str = "ready", **fields: Any
) -> Container:
    return Container(
        id=fields.pop("id", CONTAINER_ID),
        name=name,
        namespace_id=NAMESPACE_ID,
        status=status,
        environment_variables={f"KEY_{i:03d}": f"value-{i}" for i in range(env)},
        min_scale=0,
        max_scale=5,
        memory_limit=2048,
        cpu_limit=1000,
        privacy="public",
        protocol="http1",
        port=8080,
        http_option="redirected",
        region="fr-par",
        domain_name="paymentsxxxxx-web.functions.fnc.fr-par.scw.cloud",
        **fields,
    )


class PaneApp(App[None]):
    CSS_PATH: ClassVar[Any] = [style_path("app.tcss"), style_path("main.tcss")]

    def compose(self) -> ComposeResult:
        yield DetailsPane(id="details")


class Reflows:
    """Counts the screen's layout passes (`Compositor.reflow`)."""

    def __init__(self, app: App[Any]) -> None:
        self.count = 0
        compositor = app.screen._compositor
        original = compositor.reflow

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        compositor.reflow = counted  # type: ignore[method-assign]


async def ready(pilot: Pilot[Any]) -> DetailsPane:
    pane = pilot.app.query_one(DetailsPane)
    for _ in range(100):
        if pane.tabs_ready:
            break
        await pilot.pause(0.02)
    assert pane.tabs_ready
    await settle(pilot)
    return pane


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.pause(0.05)


def scroll(pane: DetailsPane, body_id: str = "details-body") -> VerticalScroll:
    parent = pane.query_one(f"#{body_id}", Static).parent
    assert isinstance(parent, VerticalScroll)
    return parent


def body_lines(pane: DetailsPane, body_id: str = "details-body") -> int:
    """The lines of the body's current content, as Textual measures them."""
    body = pane.query_one(f"#{body_id}", Static)
    styles: Any = body.styles  # what Textual passes (typed as a `RulesMap`)
    return body.visual.get_height(styles, body.content_size.width)


async def shows(pilot: Pilot[Any], pane: DetailsPane, show: Callable[[], None]) -> int:
    """Show something, wait for the frame; the number of layout passes it took."""
    reflows = Reflows(pilot.app)
    show()
    await settle(pilot)
    return reflows.count


async def test_the_scroll_follows_long_then_short_then_long_content() -> None:
    async with PaneApp().run_test(size=(100, 30)) as pilot:
        pane = await ready(pilot)
        area = scroll(pane)
        for env, last_key in ((60, "KEY_059"), (0, None), (45, "KEY_044")):
            pane.show_container("fr-par", container(env=env), namespace())
            await settle(pilot)
            lines = body_lines(pane)
            assert pane.query_one("#details-body", Static).size.height == lines
            assert area.virtual_size.height == lines
            assert area.max_scroll_y == max(0, lines - area.scrollable_content_region.height)
            area.scroll_end(animate=False)
            await settle(pilot)
            text = screen_text(pilot.app)
            # The last line of the body is on screen once scrolled to the end.
            assert "l logs" in text
            if last_key is not None:
                assert last_key in text
            area.scroll_home(animate=False)
            await settle(pilot)


async def test_another_node_of_the_same_height_is_drawn_without_a_layout_pass() -> None:
    async with PaneApp().run_test(size=(100, 30)) as pilot:
        pane = await ready(pilot)
        pane.show_container("fr-par", container("web", env=3), namespace())
        await settle(pilot)
        height = pane.query_one("#details-body", Static).size.height

        other = container("api-gateway", env=3, id="3" * 8 + CONTAINER_ID[8:])
        passes = await shows(pilot, pane, lambda: pane.show_container("fr-par", other, namespace()))
        assert passes == 0
        text = screen_text(pilot.app)
        assert "container api-gateway  ● ready" in text
        assert "33333333-2222-4222-8222-222222222222" in text
        assert pane.query_one("#details-body", Static).size.height == height
        assert scroll(pane).virtual_size.height == height

        # A taller body is laid out (and scrolls to its end).
        passes = await shows(
            pilot, pane, lambda: pane.show_container("fr-par", container(env=40), namespace())
        )
        assert passes >= 1
        assert scroll(pane).virtual_size.height == body_lines(pane) > height


async def test_the_same_content_again_is_not_redrawn() -> None:
    async with PaneApp().run_test(size=(100, 30)) as pilot:
        pane = await ready(pilot)
        pane.show_container("fr-par", container(), namespace())
        await settle(pilot)
        body = pane.query_one("#details-body", Static)
        shown = body.content
        passes = await shows(
            pilot, pane, lambda: pane.show_container("fr-par", container(), namespace())
        )
        assert passes == 0
        assert body.content is shown


async def test_a_closed_tab_is_brought_up_to_date_when_opened() -> None:
    at = datetime(2025, 1, 6, 16, 0, tzinfo=UTC)
    transitions = [
        Transition(
            kind="container",
            resource_id=CONTAINER_ID,
            name="web",
            region="fr-par",
            from_status=before,
            to_status=after,
            at=at + timedelta(seconds=10 * i),
            duration_s=8.0,
            error_message=None,
        )
        for i, (before, after) in enumerate([(None, "created"), ("created", "pending")] * 20)
    ]
    async with PaneApp().run_test(size=(100, 30)) as pilot:
        pane = await ready(pilot)
        pane.show_container("fr-par", container(), namespace())
        pane.set_related("crons", None)
        await settle(pilot)

        # Filled while their tabs are closed: no layout pass for what nobody sees.
        def fill() -> None:
            pane.set_timeline(transitions, show_names=False)
            pane.set_related(
                "crons",
                [Cron(id="c1", container_id=CONTAINER_ID, schedule="*/5 * * * *", name="nightly")],
            )

        assert await shows(pilot, pane, fill) == 0

        pane.show_tab("tab-timeline")
        await settle(pilot)
        area = scroll(pane, "timeline-body")
        assert area.virtual_size.height == body_lines(pane, "timeline-body") > 40
        area.scroll_end(animate=False)
        await settle(pilot)
        assert "appeared → created" in screen_text(pilot.app)

        pane.show_tab("tab-crons")
        await settle(pilot)
        assert "nightly" in screen_text(pilot.app)

        # Back on Details: what was shown meanwhile is there, at its height.
        pane.show_container("fr-par", container("other", env=30), namespace())
        await settle(pilot)
        pane.show_tab("tab-details")
        await settle(pilot)
        assert "container other" in screen_text(pilot.app)
        assert scroll(pane).virtual_size.height == body_lines(pane)


async def test_a_long_name_is_cut_and_the_status_stays_in_view() -> None:
    async with PaneApp().run_test(size=(60, 20)) as pilot:
        pane = await ready(pilot)
        pane.show_container("fr-par", container("x" * 80, status="pending"), namespace())
        await settle(pilot)
        title = screen_lines(pilot.app)[0]
        assert title.rstrip().endswith("pending")
        assert "xxx…  " in title
        glyph = title.rstrip()[-9]
        # The glyph of a transient status spins.
        for _ in range(20):
            await pilot.pause(0.05)
            if screen_lines(pilot.app)[0].rstrip()[-9] != glyph:
                break
        else:
            raise AssertionError("the status glyph does not spin")

        pane.show_message("Connecting…", "Loading…")
        await settle(pilot)
        assert screen_lines(pilot.app)[0].rstrip() == " Connecting…"


async def test_a_resize_wraps_the_body_again_at_the_new_width() -> None:
    async with PaneApp().run_test(size=(100, 30)) as pilot:
        pane = await ready(pilot)
        pane.show_container(
            "fr-par", container(description="a few words of description " * 8), namespace()
        )
        await settle(pilot)
        wide = body_lines(pane)
        await pilot.resize_terminal(50, 30)
        await settle(pilot)
        assert body_lines(pane) > wide
        assert scroll(pane).virtual_size.height == body_lines(pane)
        assert pane.query_one("#details-body", Static).size.height == body_lines(pane)
