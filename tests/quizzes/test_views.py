"""The quiz pages over HTTP: integrity before submission, ownership, submit and autosave."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, Question, Response

from .conftest import form_data, right_answers, slot_for, tokens, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def secrets_of(attempt: Attempt) -> set[str]:
    """Everything that would give the key away: explanations, rules, sources."""
    found = set()
    for slot in attempt.layout:
        question = Question.objects.get(pk=slot["question"])
        for item in question.items:
            found |= {item.get(name, "") for name in ("explanation", "rule", "source")}
    return {text for text in found if text}


def pages_before_submission(client, attempt: Attempt) -> dict[str, str]:
    quiz = attempt.quiz
    position, slot = slot_for(attempt, "best-reply")
    save = client.post(
        reverse("quizzes:save", args=[attempt.pk, position]),
        form_data(attempt, {position: tokens(slot, [1])}),
        HTTP_HX_REQUEST="true",
    )
    return {
        "attempt": client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode(),
        "save": save.content.decode(),
        "detail": client.get(reverse("quizzes:detail", args=[quiz.slug])).content.decode(),
        "list": client.get(reverse("quizzes:list")).content.decode(),
        "history": client.get(reverse("quizzes:history")).content.decode(),
        "home": client.get(reverse("home")).content.decode(),
        "result": client.get(
            reverse("quizzes:result", args=[attempt.pk]), follow=True
        ).content.decode(),
    }


def test_no_page_or_endpoint_leaks_the_key_before_submission(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)

    pages = pages_before_submission(client, attempt)

    hidden = secrets_of(attempt)
    for name, html in pages.items():
        for secret in hidden:
            assert secret not in html, f"{name} shows {secret!r}"
    soup = BeautifulSoup(pages["attempt"], "html.parser")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            text = text.replace("spot-violation", "")  # the question type's name is no secret
            assert "correct" not in attribute.lower() and "violation" not in attribute.lower()
            assert "correct" not in text.lower() and "violation" not in text.lower(), element


def test_the_page_names_options_by_tokens_not_by_content_position(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)

    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    values = [tag["value"] for tag in soup.select("input[type=radio], input[type=checkbox]")]
    rank_names = [tag["name"] for tag in soup.select("select.step-rank")]
    layout_tokens = {token for slot in attempt.layout for token, _ in slot["items"]}
    assert values and set(values) <= layout_tokens
    assert all(name.split("-rank-")[1] in layout_tokens for name in rank_names)
    assert not {"0", "1", "2", "3"} & set(values)


def test_another_learners_attempt_is_a_404_on_every_url(client_of, learner, outsider, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    client = client_of(outsider)

    responses = [
        client.get(reverse("quizzes:attempt", args=[attempt.pk])),
        client.get(reverse("quizzes:result", args=[attempt.pk])),
        client.post(reverse("quizzes:save", args=[attempt.pk, 1]), {"q1-shown": "1"}),
        client.post(reverse("quizzes:submit", args=[attempt.pk]), {}),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert Attempt.objects.get(pk=attempt.pk).status == "open"


def test_taking_a_quiz_end_to_end_over_http(client_of, learner, quiz):
    client = client_of(learner)

    started = client.post(reverse("quizzes:start", args=[quiz.slug]))
    attempt = Attempt.objects.get(user=learner)
    submitted = client.post(
        reverse("quizzes:submit", args=[attempt.pk]), form_data(attempt, right_answers(attempt))
    )
    result = client.get(submitted["Location"])

    assert started["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    assert submitted["Location"] == reverse("quizzes:result", args=[attempt.pk])
    html = result.content.decode()
    assert "100%" in html
    for secret in secrets_of(attempt):  # now every explanation, rule and source is shown
        assert secret in html


def test_a_double_submit_keeps_the_first_answers(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    url = reverse("quizzes:submit", args=[attempt.pk])

    client.post(url, form_data(attempt, right_answers(attempt)))
    second = client.post(url, form_data(attempt, wrong_answers(attempt)))

    attempt.refresh_from_db()
    assert second.status_code == 302
    assert attempt.score == 100


def test_an_autosave_after_submission_is_refused_and_sends_the_page_to_the_result(
    client_of, learner, quiz
):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    client.post(
        reverse("quizzes:submit", args=[attempt.pk]), form_data(attempt, right_answers(attempt))
    )
    position, slot = slot_for(attempt, "best-reply")
    before = Response.objects.get(attempt=attempt, question_id=slot["question"]).answer

    response = client.post(
        reverse("quizzes:save", args=[attempt.pk, position]),
        form_data(attempt, wrong_answers(attempt)),
        HTTP_HX_REQUEST="true",
    )

    assert response["HX-Redirect"] == reverse("quizzes:result", args=[attempt.pk])
    assert Response.objects.get(attempt=attempt, question_id=slot["question"]).answer == before


def test_autosave_answers_with_a_saved_note(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    position, slot = slot_for(attempt, "order-steps")

    response = client.post(
        reverse("quizzes:save", args=[attempt.pk, position]),
        form_data(attempt, {position: tokens(slot, [0, 1, 2, 3])}),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert re.search(r"\d\d:\d\d:\d\d", response.content.decode())  # "saved at <time>"
    assert Response.objects.get(attempt=attempt).answer == [0, 1, 2, 3]


def test_the_page_shows_saved_answers_when_the_learner_comes_back(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    position, slot = slot_for(attempt, "order-steps")
    services.save_answers(attempt=attempt, answers={position: tokens(slot, [0, 1, 2, 3])})

    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    shown = [li.select_one(".step-text").get_text() for li in soup.select("[data-steps] li")]
    question = Question.objects.get(pk=slot["question"])
    assert shown == [item["text"] for item in question.items]


def test_an_expired_attempt_opens_on_its_result(client_of, learner, quiz):
    quiz.time_limit_seconds = 60
    quiz.save()
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    services.save_answers(attempt=attempt, answers=right_answers(attempt))

    later = timezone.now() + timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(reverse("quizzes:attempt", args=[attempt.pk]), follow=True)

    attempt.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("quizzes:result", args=[attempt.pk])
    assert (attempt.status, attempt.score) == ("expired", 100)


def test_the_timer_starts_from_the_servers_remaining_seconds(client_of, learner, quiz):
    quiz.time_limit_seconds = 600
    quiz.save()
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)

    with mock.patch(
        "django.utils.timezone.now", return_value=attempt.started_at + timedelta(seconds=100)
    ):
        html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    timer = BeautifulSoup(html, "html.parser").select_one("[data-seconds-left]")
    assert timer["data-seconds-left"] == "500"
    assert "8:20" in timer.get_text()


def test_the_result_explains_partial_credit(client_of, learner, quiz):
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    position, slot = slot_for(attempt, "acceptable-replies")
    answers = right_answers(attempt)
    answers[position] = tokens(slot, [0, 2])  # one acceptable, one not

    client.post(reverse("quizzes:submit", args=[attempt.pk]), form_data(attempt, answers))
    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert "(1 − 1) ÷ 2" in html or "1 − " in html
    assert "75%" in html  # three right questions, one at 0


def test_a_score_only_quiz_shows_no_explanations(client_of, learner, quiz):
    quiz.review = "never"
    quiz.save()
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    client.post(
        reverse("quizzes:submit", args=[attempt.pk]), form_data(attempt, wrong_answers(attempt))
    )

    html = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()

    assert "0%" in html
    for secret in secrets_of(attempt):
        assert secret not in html


def test_the_start_button_is_refused_when_no_attempt_is_left(client_of, learner, quiz):
    quiz.max_attempts = 1
    quiz.save()
    client = client_of(learner)
    attempt = services.start_attempt(user=learner, quiz=quiz)
    services.submit_attempt(attempt=attempt, answers={})

    response = client.post(reverse("quizzes:start", args=[quiz.slug]), follow=True)

    assert Attempt.objects.filter(user=learner).count() == 1
    assert "机会" in response.content.decode() or "attempt" in response.content.decode()


def test_pages_need_a_signed_in_learner(client, quiz):
    response = client.get(reverse("quizzes:list"))

    assert response.status_code == 302
    assert "login" in response["Location"]
