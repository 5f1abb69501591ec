"""A learner practises a situation in a real browser and watches the verdict arrive."""

from pathlib import Path

import pytest

from scenarios import services
from scenarios.content import load_rule_packs, load_scenarios
from scenarios.models import Reply
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[2] / "content"
WIDTHS = {"desktop": 1280, "phone": 375}


def sign_in(page, base_url: str, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def queued(monkeypatch):
    """No broker here: the test plays the worker, grading what the page queued."""
    ids: list[int] = []
    monkeypatch.setattr(services, "enqueue_grading", lambda reply_id: ids.append(reply_id) or True)
    return ids


def test_a_learner_sends_a_reply_and_sees_the_verdict_appear(
    browser, live_server, learner, screenshot_dir, queued
):
    load_scenarios(CONTENT)
    load_rule_packs(CONTENT)
    base = live_server.url
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        sign_in(page, base, learner)

        page.locator(".home-scenarios a[href='/scenarios/']").click()
        page.wait_for_url(f"{base}/scenarios/")
        assert page.locator(".scenario-card").count() == 17
        assert no_sideways_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"scenarios-list-{label}.png"), full_page=True)

        page.get_by_role("link", name="客户辱骂").click()
        page.wait_for_url(f"{base}/scenarios/customer-cursing/")
        assert page.get_by_text("你们这什么破公司！一群废物！").is_visible()
        page.locator("#id_text").fill("你骂谁呢？爱打不打，不想打就挂！")
        page.locator("form.reply-form button[type=submit]").click()
        page.wait_for_url(f"{base}/scenarios/replies/*/")
        assert page.locator(".verdict-waiting .grading").is_visible()
        page.screenshot(path=str(screenshot_dir / f"scenarios-grading-{label}.png"))

        services.grade_pending_reply(reply_id=queued[-1])

        page.locator(".verdict-failed").wait_for(timeout=5000)
        assert page.locator(".verdict-failed mark.hit-bad").first.is_visible()
        assert page.locator(".rule-fail .rule-source").first.is_visible()
        assert no_sideways_scroll(page)
        page.screenshot(path=str(screenshot_dir / f"scenarios-verdict-{label}.png"), full_page=True)
        context.close()

    assert Reply.objects.filter(status="graded").count() == 2


def test_the_practice_form_works_from_the_keyboard(browser, live_server, learner, queued):
    load_scenarios(CONTENT)
    load_rule_packs(CONTENT)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, learner)
    page.goto(f"{live_server.url}/scenarios/opening-greeting/")

    page.locator("#id_text").focus()
    page.keyboard.type("您好，安心保险客服中心，请问有什么可以帮您？")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/scenarios/replies/*/")
    assert len(queued) == 1
    context.close()
