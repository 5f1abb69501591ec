"""A new agent takes the first lessons of the bundled Chinese course in a real browser."""

from pathlib import Path

import pytest

from courses.content import load_courses
from scenarios.content import load_scenarios
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTENT = Path(__file__).resolve().parents[2] / "content"
COURSE = "/courses/phone-etiquette-zh/"
LESSONS = [
    ("voice/01-tone-and-pace/", "语气、语速与音量"),
    ("voice/02-smiling-voice/", "带着微笑说话"),
    ("voice/03-respect-and-patience/", "尊重与耐心"),
]
WIDTHS = {"desktop": 1280, "phone": 375}


def sign_in(page, base_url: str, user) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_learner_reads_the_first_lessons_and_resumes_from_home(
    browser, live_server, learner, screenshot_dir
):
    load_scenarios(CONTENT)
    load_courses(CONTENT)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, base, learner)

    # The home page leads to the catalog; the catalog starts the course.
    page.locator(".home-courses a[href='/courses/']").last.click()
    page.wait_for_url(f"{base}/courses/")
    assert page.get_by_role("link", name="电话礼仪入职培训").is_visible()
    assert page.get_by_role("link", name="전화 응대 예절 입문").is_visible()
    page.locator(f"form[action='{COURSE}start/'] button").click()

    # Lesson 1, then "mark as read and continue" twice.
    for index, (path, title) in enumerate(LESSONS):
        page.wait_for_url(f"{base}{COURSE}{path}")
        assert page.get_by_role("heading", level=1).inner_text() == title
        if index == 0:
            assert page.locator(".phrase-say").get_by_text("请问有什么可以帮您").is_visible()
            assert page.locator(".phrase-never").get_by_text("你有什么事就说嘛。").is_visible()
            assert page.locator(".lesson-sources").get_by_text("000 §7 C–E").is_visible()
        if index < 2:
            page.locator("button.complete-btn").click()

    # Back on the course page: two lessons read, the third is where to continue.
    page.goto(f"{base}{COURSE}")
    assert page.locator(".course-hero [role=progressbar]").get_attribute("aria-valuenow") == "7"
    assert page.locator(".lesson-row.is-done").count() == 2
    continue_button = page.locator(".continue-btn")
    assert continue_button.get_attribute("href") == f"{COURSE}{LESSONS[2][0]}"
    assert LESSONS[2][1] in continue_button.inner_text()

    # Home offers the same lesson to resume.
    page.goto(f"{base}/")
    page.locator(".home-continue").click()
    page.wait_for_url(f"{base}{COURSE}{LESSONS[2][0]}")

    state = context.storage_state()
    context.close()
    for label, width in WIDTHS.items():
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", storage_state=state
        )
        page = context.new_page()
        for name, url in (
            ("catalog", "/courses/"),
            ("course", COURSE),
            ("lesson", f"{COURSE}{LESSONS[0][0]}"),
            ("home", "/"),
        ):
            page.goto(f"{base}{url}")
            assert no_sideways_scroll(page), f"{name} scrolls sideways at {width}px"
            page.screenshot(
                path=str(screenshot_dir / f"courses-{name}-{label}.png"), full_page=True
            )
        context.close()
