"""Hooks that live outside this app: grading asks for an evaluation, beat sends reminders."""

import pytest
from django.conf import settings

from certificates import services
from quizzes import services as quiz_services
from tests.factories import QuizFactory

from .conftest import read_every_lesson


@pytest.mark.django_db
def test_submitting_a_quiz_asks_for_an_evaluation(
    learner, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.factories import QuestionFactory

    QuestionFactory(type="best-reply")
    quiz = QuizFactory(draw=1)
    asked = []
    monkeypatch.setattr(services, "_enqueue_evaluation", lambda user_id: asked.append(user_id))
    read_every_lesson(learner)
    attempt = quiz_services.start_attempt(user=learner, quiz=quiz)

    with django_capture_on_commit_callbacks(execute=True):
        quiz_services.submit_attempt(attempt=attempt, answers={})

    assert asked == [learner.pk]


def test_beat_sends_the_expiry_reminders():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "certificates.tasks.send_expiry_reminders" in tasks
