"""The home section, the quiz list and the history show a learner their own quizzes."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from quizzes import services
from quizzes.content import load_quizzes
from quizzes.models import Quiz
from scenarios.content import load_scenarios
from scenarios.models import Scenario

from .conftest import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundled(db):  # type: ignore[no-untyped-def]
    load_scenarios(settings.CONTENT_DIR)
    load_quizzes(settings.CONTENT_DIR)


def soup_of(client, url: str) -> BeautifulSoup:
    return BeautifulSoup(client.get(url).content.decode(), "html.parser")


def test_home_links_to_a_quiz_for_every_catalogued_situation(client, learner, bundled):
    client.force_login(learner)

    home = soup_of(client, reverse("home"))

    chips = home.select(".home-quizzes .chip")
    assert len(chips) == Scenario.objects.count() == 17
    for chip in chips:
        assert client.get(chip["href"]).status_code == 200


def test_home_shows_quizzes_to_take_and_my_recent_results(client, learner, quiz):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    services.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))

    section = soup_of(client, reverse("home")).select_one(".home-quizzes")

    rows = [row.get_text(" ", strip=True) for row in section.select(".quiz-row")]
    assert any(quiz.title in row and "0%" in row for row in rows)


def test_a_korean_speaker_is_offered_the_korean_quizzes_first(client, learner, bundled):
    learner.preferred_language = "ko"
    learner.save()
    client.force_login(learner)

    section = soup_of(client, reverse("home")).select_one(".home-quizzes")

    first = section.select(".quiz-row a")[0]
    assert first["lang"] == "ko"


def test_the_list_groups_quizzes_by_situation_with_my_best_score(client, learner, quiz):
    client.force_login(learner)
    for answers in (wrong_answers, right_answers):
        attempt = services.start_attempt(user=learner, quiz=quiz)
        services.submit_attempt(attempt=attempt, answers=answers(attempt))

    page = soup_of(client, reverse("quizzes:list"))

    card = page.select_one(".scenario-card")
    assert quiz.scenario.title in card.h3.get_text()
    assert "100%" in card.get_text()


def test_history_lists_only_my_finished_attempts(client, learner, outsider, quiz):
    mine = services.start_attempt(user=learner, quiz=quiz)
    services.submit_attempt(attempt=mine, answers=right_answers(mine))
    theirs = services.start_attempt(user=outsider, quiz=quiz)
    services.submit_attempt(attempt=theirs, answers=wrong_answers(theirs))
    client.force_login(learner)

    page = soup_of(client, reverse("quizzes:history"))

    links = [a["href"] for a in page.select(".attempt-table a[href*='/result/']")]
    assert links == [reverse("quizzes:result", args=[mine.pk])]


def test_an_unpublished_quiz_is_not_found(client, learner, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(published=False)
    client.force_login(learner)

    assert client.get(reverse("quizzes:detail", args=[quiz.slug])).status_code == 404
    assert client.post(reverse("quizzes:start", args=[quiz.slug])).status_code == 404
