"""A new hire takes a scenario quiz in a real browser: from home, to the result, and again."""

import re

import pytest
from django.conf import settings

from courses.content import load_courses
from quizzes.content import load_quizzes
from quizzes.models import Attempt, Question, Quiz, Response
from scenarios.content import load_scenarios
from tests.factories import PASSWORD

from .conftest import right_answers, wrong_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"\d\d:\d\d:\d\d")


@pytest.fixture
def bundled_quizzes(db):  # type: ignore[no-untyped-def]
    load_scenarios(settings.CONTENT_DIR)
    load_courses(settings.CONTENT_DIR)
    load_quizzes(settings.CONTENT_DIR)


def sign_in(browser, live_server, user, width):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def wait_saved(page, position: int) -> None:  # type: ignore[no-untyped-def]
    status = page.locator(f"#status-{position}")
    status.filter(has_text=SAVED).wait_for()


def sort_steps(page, position: int, wanted: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Put the steps in the wanted order with the up buttons only (no drag and drop)."""
    steps = page.locator(f"#question-{position} [data-step]")
    for target, token in enumerate(wanted):
        names = [steps.nth(i).locator("select").get_attribute("name") for i in range(steps.count())]
        current = next(i for i, name in enumerate(names) if name.endswith(f"-rank-{token}"))
        for _ in range(current - target):
            step = page.locator(
                f"#question-{position} [data-step]:has(select[name$='-rank-{token}'])"
            )
            step.locator("[data-move='-1']").click()
            page.locator(f"#question-{position}").locator(".step-moves").first.wait_for()


def answer_on_the_page(page, attempt: Attempt, answers: dict[int, list[str]]) -> None:  # type: ignore[no-untyped-def]
    for position, chosen in answers.items():
        question = Question.objects.get(pk=attempt.layout[position - 1]["question"])
        if question.type == "order-steps":
            sort_steps(page, position, chosen)
        else:
            for token in chosen:
                page.locator(f"#question-{position} input[value='{token}']").check()
        wait_saved(page, position)


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_new_hire_takes_a_scenario_quiz_from_home_to_feedback(
    browser, live_server, learner, bundled_quizzes, screenshot_dir
):
    quiz = Quiz.objects.get(slug="customer-cursing-zh")
    context, page = sign_in(browser, live_server, learner, 1280)

    # From the home page, the situation's quiz is one click away.
    page.locator(".home-quizzes .chip", has_text=quiz.scenario.title).click()
    page.wait_for_url(f"**/quizzes/{quiz.slug}/")
    page.screenshot(path=str(screenshot_dir / "quizzes-detail-desktop.png"), full_page=True)
    page.locator(f"form[action$='/{quiz.slug}/start/'] button").click()
    page.wait_for_url("**/quizzes/attempts/*/")
    attempt = Attempt.objects.get(user=learner, quiz=quiz, status="open")
    assert page.locator("[data-question]").count() == 3

    answers = right_answers(attempt)
    answer_on_the_page(page, attempt, answers)
    assert page.locator("[data-answered-count]").inner_text() == "3"
    # Autosave already holds every answer before the learner submits.
    assert Response.objects.filter(attempt=attempt).count() == 3
    page.screenshot(path=str(screenshot_dir / "quizzes-attempt-desktop.png"), full_page=True)

    page.locator("[data-submit]").click()
    page.wait_for_url(f"**/quizzes/attempts/{attempt.pk}/result/")

    assert page.locator(".score strong").inner_text() == "100%"
    assert page.locator("article.feedback").count() == 3
    assert page.locator("article.feedback .cite").count() >= 3
    page.screenshot(path=str(screenshot_dir / "quizzes-result-desktop.png"), full_page=True)

    # Each question links back to the lesson it trains.
    page.locator("article.feedback a", has_text=re.compile(".+")).first.click()
    page.wait_for_url("**/courses/**")
    page.goto(f"{live_server.url}/")
    recent = page.locator(".home-quizzes .quiz-row", has_text=quiz.title)
    assert "100%" in recent.first.inner_text()
    page.screenshot(path=str(screenshot_dir / "quizzes-home-desktop.png"), full_page=True)
    context.close()


def test_on_a_phone_a_learner_gets_every_mistake_explained_and_can_retry(
    browser, live_server, learner, bundled_quizzes, screenshot_dir
):
    quiz = Quiz.objects.get(slug="transfer-call-zh")
    context, page = sign_in(browser, live_server, learner, 375)
    page.goto(f"{live_server.url}/quizzes/")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "quizzes-list-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    page.locator(f"form[action$='/{quiz.slug}/start/'] button").click()
    page.wait_for_url("**/quizzes/attempts/*/")
    attempt = Attempt.objects.get(user=learner, quiz=quiz, status="open")
    answer_on_the_page(page, attempt, wrong_answers(attempt))
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "quizzes-attempt-phone.png"), full_page=True)

    page.locator("[data-submit]").click()
    page.wait_for_url(f"**/quizzes/attempts/{attempt.pk}/result/")

    assert page.locator(".score strong").inner_text() == "0%"
    assert page.locator("article.feedback.outcome-correct").count() == 0
    assert no_sideways_scroll(page)
    page.screenshot(path=str(screenshot_dir / "quizzes-result-phone.png"), full_page=True)

    page.locator(f"form[action$='/{quiz.slug}/start/'] button").first.click()
    page.wait_for_url("**/quizzes/attempts/*/")
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 2
    context.close()


def test_when_time_runs_out_the_page_submits_what_was_answered(
    browser, live_server, learner, bundled_quizzes, screenshot_dir
):
    quiz = Quiz.objects.get(slug="customer-cursing-zh")
    Quiz.objects.filter(pk=quiz.pk).update(time_limit_seconds=6)
    context, page = sign_in(browser, live_server, learner, 375)
    page.goto(f"{live_server.url}/quizzes/{quiz.slug}/")
    page.locator(f"form[action$='/{quiz.slug}/start/'] button").click()
    page.wait_for_url("**/quizzes/attempts/*/")
    attempt = Attempt.objects.get(user=learner, quiz=quiz, status="open")
    first = {1: right_answers(attempt)[1]}
    answer_on_the_page(page, attempt, first)
    page.screenshot(path=str(screenshot_dir / "quizzes-timer-phone.png"))
    assert re.fullmatch(r"0:0\d", page.locator("[data-timer-text]").inner_text())

    page.wait_for_url(f"**/quizzes/attempts/{attempt.pk}/result/", timeout=15_000)

    attempt.refresh_from_db()
    assert attempt.status == "submitted"
    assert attempt.score == 33  # one of three questions, answered before the clock ran out
    context.close()
