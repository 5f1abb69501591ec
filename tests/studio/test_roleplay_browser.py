"""A trainer edits a bundled role-play in a real browser, watches its graph follow the change,
saves it, and plays the saved call as a learner would."""

from pathlib import Path

import pytest
from django.urls import reverse

from scenarios.content import load_roleplays, load_rule_packs, load_scenarios
from scenarios.models import RolePlay, RolePlaySession

from .test_studio_browser import no_sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[2] / "content"
WIDTHS = {"desktop": 1280, "phone": 390}
CALL = "colleague-in-meeting-zh"


@pytest.fixture
def studio(browser, live_server, trainer):  # type: ignore[no-untyped-def]
    load_scenarios(CONTENT)
    load_rule_packs(CONTENT)
    load_roleplays(CONTENT)
    pages = {}
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server.url, trainer)
        pages[label] = page
    yield live_server.url, pages
    for page in pages.values():
        page.context.close()


def test_the_list_editor_and_graph_read_well_on_a_desk_and_a_phone(studio, screenshot_dir):
    base, pages = studio
    nodes = len(RolePlay.objects.get(slug=CALL).script["nodes"])
    for label, page in pages.items():
        page.goto(f"{base}{reverse('studio:roleplays')}")
        assert page.locator("tr[data-roleplay]").count() == RolePlay.objects.count()
        assert no_sideways_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"studio-roleplays-{label}.png"), full_page=True)

        page.goto(f"{base}{reverse('studio:roleplay', args=[CALL])}")
        assert page.locator(".graph-svg [data-node]").count() == nodes
        assert page.locator("fieldset[data-node-card]").count() == nodes + 1  # and an empty one
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-roleplay-editor-{label}.png"), full_page=True
        )

        page.goto(f"{base}{reverse('studio:roleplay-graph', args=[CALL])}")
        assert page.locator(".graph-svg [data-node]").count() == nodes
        scroller = page.locator(".graph-scroll")
        # The graph keeps its size and scrolls sideways inside its frame, not the page.
        wider = scroller.evaluate("el => el.scrollWidth > el.clientWidth")
        assert wider == (label == "phone") or label == "desktop"
        assert no_sideways_scroll(page)
        page.screenshot(
            path=str(screenshot_dir / f"studio-roleplay-graph-{label}.png"), full_page=True
        )


def test_a_trainer_edits_a_turn_sees_the_graph_and_plays_the_call_as_a_learner(
    studio, screenshot_dir, trainer
):
    base, pages = studio
    page = pages["desktop"]
    page.goto(f"{base}{reverse('studio:roleplay', args=[CALL])}")
    greet = page.locator('fieldset[data-node-card="greet"]')

    greet.locator("select[name$='-on_fail']").select_option("absent-after-wait")
    # the graph follows the unsaved change
    page.locator('[data-edge="greet→absent-after-wait"][data-kinds="fail timeout"]').wait_for()
    greet.locator("input[name$='-seconds']").fill("25")
    page.locator("[data-save]").click()

    page.wait_for_url(f"{base}{reverse('studio:roleplay', args=[CALL])}")
    assert page.locator(".message-success").count() == 1
    saved = RolePlay.objects.get(slug=CALL).script["nodes"]["greet"]
    assert (saved["on_fail"], saved["turn"]["seconds"]) == ("absent-after-wait", 25)
    assert page.locator('[data-edge="greet→absent-after-wait"]').count() == 1

    page.locator("[data-play=practice]").click()

    page.wait_for_url(f"{base}/scenarios/calls/*/")
    assert page.get_by_text("（电话铃响了）").is_visible()
    assert page.locator("#turn-text").is_visible()
    session = RolePlaySession.objects.get(user=trainer)
    assert session.is_trial and session.turns.get().seconds == 25
    page.screenshot(path=str(screenshot_dir / "studio-roleplay-trial-desktop.png"), full_page=True)


def test_a_broken_branch_is_shown_on_its_node_and_on_the_graph(studio, screenshot_dir):
    base, pages = studio
    page = pages["phone"]
    page.goto(f"{base}{reverse('studio:roleplay', args=[CALL])}")
    greet = page.locator('fieldset[data-node-card="greet"]')

    greet.locator("select[name$='-on_timeout']").select_option("absent")
    page.locator('[data-flag="unreachable"]').wait_for()
    page.locator("[data-save]").click()

    page.locator('[data-node-problems="absent-after-wait"]').wait_for()
    assert (
        "cannot be reached" in page.locator('[data-node-problems="absent-after-wait"]').inner_text()
    )
    assert greet.locator("select[name$='-on_timeout']").input_value() == "absent"  # kept
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "studio-roleplay-problem-phone.png"), full_page=True)
