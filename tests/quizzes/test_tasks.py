"""The sweeper closes abandoned timed attempts, also when beat sends it through a real worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quizzes import services
from quizzes.models import Attempt
from quizzes.tasks import close_expired_attempts
from tests.conftest import wait_for

from .conftest import right_answers


def abandoned_attempt(user, quiz) -> Attempt:  # type: ignore[no-untyped-def]
    """An attempt whose learner saved every answer, then closed the laptop an hour ago."""
    quiz.time_limit_seconds = 600
    quiz.save()
    attempt = services.start_attempt(user=user, quiz=quiz)
    services.save_answers(attempt=attempt, answers=right_answers(attempt))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=an_hour_ago, deadline=an_hour_ago + timedelta(seconds=600)
    )
    return attempt


@pytest.mark.django_db
def test_the_task_closes_abandoned_attempts_with_their_saved_answers(learner, quiz):
    attempt = abandoned_attempt(learner, quiz)

    closed = close_expired_attempts()

    attempt.refresh_from_db()
    assert closed == 1
    assert (attempt.status, attempt.score, attempt.passed) == ("expired", 100, True)


@pytest.mark.services
def test_a_real_worker_runs_the_sweeper_sent_through_redis(celery_worker, learner, quiz):
    attempt = abandoned_attempt(learner, quiz)

    close_expired_attempts.delay()

    wait_for(lambda: Attempt.objects.get(pk=attempt.pk).status == "expired", timeout=30)
    assert Attempt.objects.get(pk=attempt.pk).score == 100
