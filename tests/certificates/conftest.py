"""A small track (two lessons and a quiz), helpers that make a learner meet it, and a key."""

from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from certificates import badges
from certificates.models import Track
from courses.models import LessonProgress
from quizzes.models import Attempt, AttemptStatus, Quiz
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, QuizFactory, TrackFactory


@pytest.fixture(scope="session")
def badge_key_pem() -> str:
    return badges.generate_key_pem().decode("ascii")


@pytest.fixture(autouse=True)
def badge_key(settings, badge_key_pem):  # type: ignore[no-untyped-def]
    """Every test signs with a throwaway key, never a developer's var/keys/ one."""
    settings.COURTESY_BADGE_PRIVATE_KEY = badge_key_pem
    return badge_key_pem


@pytest.fixture(autouse=True)
def fresh_rate_limits(db):  # type: ignore[no-untyped-def]
    """The verification rate limit counts in the shared cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def track(db) -> Track:  # type: ignore[no-untyped-def]
    course = CourseFactory(slug="phone-basics", title="电话礼仪入职培训")
    module = ModuleFactory(course=course)
    LessonFactory(module=module, slug="greeting")
    LessonFactory(module=module, slug="closing")
    QuizFactory(slug="phone-basics-final", title="结业认证测验", pass_mark=80)
    return TrackFactory(
        slug="phone-basics-level-1",
        requirements=[
            {"type": "lessons", "course": "phone-basics"},
            {"type": "quiz", "quiz": "phone-basics-final", "min_score": 80},
        ],
    )


def read_every_lesson(user, course_slug: str = "phone-basics") -> None:  # type: ignore[no-untyped-def]
    from courses.models import Lesson

    for lesson in Lesson.objects.filter(module__course__slug=course_slug):
        LessonProgress.objects.update_or_create(
            user=user,
            lesson=lesson,
            defaults={"completed_at": timezone.now(), "completed_version": 1},
        )


def take_quiz(  # type: ignore[no-untyped-def]
    user, score: int, at: datetime | None = None, quiz_slug: str = "phone-basics-final"
) -> Attempt:
    """A finished attempt with this score, as the quiz app records one."""
    quiz = Quiz.objects.get(slug=quiz_slug)
    at = at or timezone.now()
    number = Attempt.objects.filter(user=user, quiz=quiz).count() + 1
    return Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=number,
        status=AttemptStatus.SUBMITTED,
        started_at=at,
        submitted_at=at,
        score=score,
        passed=score >= quiz.pass_mark,
    )


def meet_track(user, at: datetime | None = None) -> None:  # type: ignore[no-untyped-def]
    read_every_lesson(user)
    take_quiz(user, 92, at=at)
