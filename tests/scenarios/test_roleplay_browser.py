"""A new hire plays a whole bundled role-play in a real browser, against the clock."""

from pathlib import Path

import pytest

from courses.content import load_courses
from scenarios import services
from scenarios.content import load_roleplays, load_rule_packs, load_scenarios
from scenarios.models import RolePlaySession

from .test_practice_browser import no_sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[2] / "content"
REPLY = "您好，非常抱歉让您久等了。我马上为您查询，请您稍等。感谢您的来电，再见。"
CALL = "colleague-in-meeting-zh"


@pytest.fixture
def queued(monkeypatch):  # type: ignore[no-untyped-def]
    """No broker here: the test plays the worker, grading what the page queued."""
    ids: list[int] = []
    monkeypatch.setattr(services, "enqueue_grading", lambda reply_id: ids.append(reply_id) or True)
    monkeypatch.setattr(services, "request_certificate_check", lambda user_id: False)
    return ids


@pytest.fixture
def bundled(db):  # type: ignore[no-untyped-def]
    load_scenarios(CONTENT)
    load_rule_packs(CONTENT)
    load_roleplays(CONTENT)
    load_courses(CONTENT)


def timer_seconds(page) -> int:  # type: ignore[no-untyped-def]
    minutes, seconds = page.locator("[data-timer-text]").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def answer_turn(page, number: int, queued: list[int], shots: Path | None) -> None:  # type: ignore[no-untyped-def]
    """Reply to the line on screen, watch it being graded, then grade it as the worker would."""
    page.locator("#turn-text").fill(REPLY)
    page.locator("#turn-text").press("Control+Enter")
    page.locator(".turn-waiting .grading").wait_for(timeout=15000)
    if shots:
        page.screenshot(path=str(shots), full_page=True)
    services.grade_pending_reply(reply_id=queued[-1])
    next_line = page.locator(f"input[name=turn][value='{number + 1}'], .report-summary").first
    next_line.wait_for(state="attached", timeout=15000)


def test_a_new_hire_plays_a_whole_call_from_the_home_page(
    browser, live_server, learner, screenshot_dir, queued, bundled
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, learner)

    page.locator(".home-roleplays a[href='/scenarios/roleplays/']").click()
    page.wait_for_url(f"{base}/scenarios/roleplays/")
    languages = page.locator(".roleplay-card-title a").evaluate_all("els => els.map(e => e.lang)")
    assert languages == sorted(languages, key=lambda language: language != "zh")  # Chinese first
    page.screenshot(path=str(screenshot_dir / "scenarios-roleplays-desktop.png"), full_page=True)
    page.locator(f"a[href='/scenarios/roleplays/{CALL}/']").click()
    page.locator("button[name=mode][value=practice]").click()
    page.wait_for_url(f"{base}/scenarios/calls/*/")

    # The clock runs on the server: a reload resumes with the draft and less time left.
    assert page.get_by_text("（电话铃响了）").is_visible()
    page.locator("#turn-text").press_sequentially("您好，")
    page.locator("#draft-status").filter(has_text=":").wait_for(timeout=15000)
    page.wait_for_timeout(1200)
    page.reload()
    assert page.locator("#turn-text").input_value() == "您好，"
    assert timer_seconds(page) < 20
    page.screenshot(path=str(screenshot_dir / "scenarios-call-turn-desktop.png"), full_page=True)

    for number in range(1, 13):
        shot = screenshot_dir / "scenarios-call-grading-desktop.png" if number == 2 else None
        answer_turn(page, number, queued, shot)
        if page.locator(".report-summary").count():
            break
        assert page.locator(".turn-verdict").last.is_visible()
        if number == 2:
            page.screenshot(
                path=str(screenshot_dir / "scenarios-call-verdict-desktop.png"), full_page=True
            )

    session = RolePlaySession.objects.get()
    assert session.status == "finished" and session.turns.count() == number
    assert page.locator(".report-table tbody tr").count() == number
    assert page.locator(".report-score-number strong").inner_text() == str(session.score)
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "scenarios-call-report-desktop.png"), full_page=True)
    report_url = page.url
    page.goto(f"{base}/")
    assert page.locator(f".home-roleplays a[href='{report_url.removeprefix(base)}']").is_visible()
    page.locator(".home-roleplays").screenshot(
        path=str(screenshot_dir / "scenarios-home-roleplays-desktop.png")
    )
    context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = phone.new_page()
    sign_in(page, base, learner)
    page.goto(report_url)
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "scenarios-call-report-phone.png"), full_page=True)
    page.goto(f"{base}/scenarios/roleplays/parcel-privacy-ko/")
    page.locator("button[name=mode][value=assessment]").click()
    page.wait_for_url(f"{base}/scenarios/calls/*/")
    answer_turn(page, 1, queued, None)
    assert page.locator(".line-you .badge").first.is_visible()  # "reply received", no verdict
    assert page.locator(".turn-verdict").count() == 0
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "scenarios-call-turn-phone.png"), full_page=True)
    phone.close()
