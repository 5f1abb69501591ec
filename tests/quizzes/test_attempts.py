"""Starting, saving, submitting and closing attempts through the services."""

import random
from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt, Question, Response
from quizzes.tasks import close_expired_attempts
from tests.factories import QuestionFactory, QuizFactory

from .conftest import right_answers, slot_for, tokens, wrong_answers

pytestmark = pytest.mark.django_db


def at(moment):
    """Pin the clock every service reads."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_attempt_draws_n_questions_from_the_pool(learner):
    for _ in range(6):
        QuestionFactory()
    quiz = QuizFactory(draw=3)

    attempt = services.start_attempt(user=learner, quiz=quiz)

    assert len(attempt.layout) == 3
    assert len({slot["question"] for slot in attempt.layout}) == 3


def test_options_are_shuffled_per_attempt_under_fresh_tokens(learner, outsider, quiz):
    first = services.start_attempt(user=learner, quiz=quiz, rng=random.Random(1))
    second = services.start_attempt(user=outsider, quiz=quiz, rng=random.Random(2))

    first_tokens = {token for slot in first.layout for token, _ in slot["items"]}
    second_tokens = {token for slot in second.layout for token, _ in slot["items"]}
    assert not first_tokens & second_tokens
    orders = {
        tuple(tuple(index for _, index in slot["items"]) for slot in attempt.layout)
        for attempt in (first, second)
    }
    assert len(orders) == 2


def test_steps_are_never_shown_already_in_the_right_order(learner, quiz):
    for seed in range(30):
        attempt = services.start_attempt(user=learner, quiz=quiz, rng=random.Random(seed))
        _, slot = slot_for(attempt, "order-steps")
        assert [index for _, index in slot["items"]] != sorted(index for _, index in slot["items"])
        Attempt.objects.filter(pk=attempt.pk).update(status="submitted")


def test_starting_again_resumes_the_open_attempt(learner, quiz):
    first = services.start_attempt(user=learner, quiz=quiz)

    again = services.start_attempt(user=learner, quiz=quiz)

    assert again.pk == first.pk
    assert Attempt.objects.filter(user=learner, quiz=quiz).count() == 1


def test_the_database_allows_one_open_attempt_per_learner_and_quiz(learner, quiz):
    first = services.start_attempt(user=learner, quiz=quiz)

    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(
            user=learner, quiz=quiz, started_at=timezone.now(), layout=first.layout
        )


def test_a_race_to_start_resumes_the_attempt_that_won(learner, quiz):
    winner = services.start_attempt(user=learner, quiz=quiz)

    # The second request did not see the open attempt before it tried to insert its own.
    with mock.patch.object(services, "open_attempt_for", return_value=None):
        loser = services.start_attempt(user=learner, quiz=quiz)

    assert loser.pk == winner.pk


def test_the_attempt_limit_is_enforced(learner, quiz):
    quiz.max_attempts = 1
    quiz.save()
    attempt = services.start_attempt(user=learner, quiz=quiz)
    services.submit_attempt(attempt=attempt, answers={})

    with pytest.raises(services.AttemptLimitReached):
        services.start_attempt(user=learner, quiz=quiz)


def test_a_fully_right_attempt_scores_100_and_passes(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)

    attempt = services.submit_attempt(attempt=attempt, answers=right_answers(attempt))

    assert (attempt.status, attempt.score, attempt.passed) == ("submitted", 100, True)
    assert all(response.final for response in attempt.responses.all())


def test_a_wrong_attempt_fails_and_unanswered_questions_score_zero(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    answers = wrong_answers(attempt)
    position, _ = slot_for(attempt, "best-reply")
    del answers[position]

    attempt = services.submit_attempt(attempt=attempt, answers=answers)

    assert (attempt.score, attempt.passed) == (0, False)


def test_tokens_from_another_attempt_count_for_nothing(learner, outsider, quiz):
    mine = services.start_attempt(user=learner, quiz=quiz)
    theirs = services.start_attempt(user=outsider, quiz=quiz)

    mine = services.submit_attempt(attempt=mine, answers=right_answers(theirs))

    assert mine.score == 0


def test_a_second_submit_changes_nothing(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    attempt = services.submit_attempt(attempt=attempt, answers=right_answers(attempt))
    submitted_at = attempt.submitted_at

    again = services.submit_attempt(attempt=attempt, answers=wrong_answers(attempt))

    assert (again.score, again.submitted_at) == (100, submitted_at)
    assert Response.objects.filter(attempt=attempt, points=1.0).count() == 4


def test_answers_cannot_change_after_submission(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    services.submit_attempt(attempt=attempt, answers=right_answers(attempt))
    saved = list(Response.objects.filter(attempt=attempt).values_list("answer", flat=True))

    with pytest.raises(services.AttemptClosed):
        services.save_answers(attempt=attempt, answers=wrong_answers(attempt))

    assert list(Response.objects.filter(attempt=attempt).values_list("answer", flat=True)) == saved


def test_autosave_keeps_the_latest_answer_per_question(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    position, slot = slot_for(attempt, "acceptable-replies")

    services.save_answers(attempt=attempt, answers={position: tokens(slot, [2])})
    services.save_answers(attempt=attempt, answers={position: tokens(slot, [0, 1])})

    response = Response.objects.get(attempt=attempt)
    assert response.answer == [0, 1]
    assert not response.final


# --- the clock -------------------------------------------------------------------------------


@pytest.fixture
def timed_quiz(quiz):
    quiz.time_limit_seconds = 600
    quiz.save()
    return quiz


def test_a_submit_after_the_deadline_is_graded_on_what_was_saved_in_time(learner, timed_quiz):
    start = timezone.now()
    with at(start):
        attempt = services.start_attempt(user=learner, quiz=timed_quiz)
    right = right_answers(attempt)
    best_position, _ = slot_for(attempt, "best-reply")
    with at(start + timedelta(minutes=5)):
        services.save_answers(attempt=attempt, answers={best_position: right[best_position]})

    with at(start + timedelta(minutes=11)):
        attempt = services.submit_attempt(attempt=attempt, answers=right)

    assert attempt.status == "expired"
    assert attempt.score == 25  # the one saved answer counts; the late ones do not
    assert attempt.submitted_at == attempt.deadline


def test_a_submit_within_the_grace_after_the_deadline_is_accepted(learner, timed_quiz):
    start = timezone.now()
    with at(start):
        attempt = services.start_attempt(user=learner, quiz=timed_quiz)

    with at(attempt.deadline + timedelta(seconds=services.GRACE_SECONDS - 1)):
        attempt = services.submit_attempt(attempt=attempt, answers=right_answers(attempt))

    assert (attempt.status, attempt.score) == ("submitted", 100)


def test_a_save_after_the_deadline_closes_the_attempt_with_the_saved_answers(learner, timed_quiz):
    start = timezone.now()
    with at(start):
        attempt = services.start_attempt(user=learner, quiz=timed_quiz)
        services.save_answers(attempt=attempt, answers=right_answers(attempt))

    with at(start + timedelta(hours=1)), pytest.raises(services.AttemptClosed):
        services.save_answers(attempt=attempt, answers=wrong_answers(attempt))

    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.passed) == ("expired", 100, True)


def test_the_sweeper_closes_abandoned_attempts_and_never_zeroes_them(learner, outsider, timed_quiz):
    start = timezone.now()
    with at(start):
        abandoned = services.start_attempt(user=learner, quiz=timed_quiz)
        services.save_answers(attempt=abandoned, answers=right_answers(abandoned))
    with at(start + timedelta(minutes=9)):
        still_running = services.start_attempt(user=outsider, quiz=timed_quiz)

    with at(start + timedelta(minutes=11)):
        closed = close_expired_attempts()

    abandoned.refresh_from_db()
    still_running.refresh_from_db()
    assert closed == 1
    assert (abandoned.status, abandoned.score) == ("expired", 100)
    assert still_running.status == "open"


def test_the_sweeper_is_idempotent(learner, timed_quiz):
    start = timezone.now()
    with at(start):
        services.start_attempt(user=learner, quiz=timed_quiz)

    with at(start + timedelta(hours=1)):
        first, second = services.close_expired_attempts(), services.close_expired_attempts()

    assert (first, second) == (1, 0)


def test_an_expired_attempt_does_not_block_starting_a_new_one(learner, timed_quiz):
    start = timezone.now()
    with at(start):
        old = services.start_attempt(user=learner, quiz=timed_quiz)

    with at(start + timedelta(hours=1)):
        new = services.start_attempt(user=learner, quiz=timed_quiz)

    old.refresh_from_db()
    assert old.status == "expired"
    assert new.pk != old.pk and new.number == 2


# --- results for certification ---------------------------------------------------------------


def test_best_result_prefers_a_pass_then_the_higher_score(learner, quiz):
    assert services.best_result(learner, quiz) is None
    for answers in (wrong_answers, right_answers, wrong_answers):
        attempt = services.start_attempt(user=learner, quiz=quiz)
        services.submit_attempt(attempt=attempt, answers=answers(attempt))

    assert services.best_result(learner, quiz) == services.BestResult(passed=True, score=100)


def test_an_old_attempt_keeps_the_question_version_it_was_taken_on(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    attempt = services.submit_attempt(attempt=attempt, answers=right_answers(attempt))
    taken_on = {slot["question"] for slot in attempt.layout}

    Question.objects.filter(pk__in=taken_on).update(active=False)

    from quizzes.feedback import attempt_feedback

    assert {fb.question.pk for fb in attempt_feedback(attempt)} == taken_on


def test_steps_left_in_the_shuffled_order_are_not_an_answer(learner, quiz):
    attempt = services.start_attempt(user=learner, quiz=quiz)
    position, slot = slot_for(attempt, "order-steps")
    as_shown = [token for token, _ in slot["items"]]

    attempt = services.submit_attempt(attempt=attempt, answers={position: as_shown})

    assert not Response.objects.filter(attempt=attempt).exists()
    assert attempt.score == 0
