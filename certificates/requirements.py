"""Measure a learner's progress toward each requirement of a track (reads the other apps).

The rules about what counts are in `eligibility` (pure); this module only fetches facts:
lessons read (courses), the best quiz score since a moment (quizzes) and role-plays passed
without a critical violation (scenarios, once role-plays exist).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from courses.models import Course, Lesson, LessonProgress
from quizzes.models import Attempt, Quiz

from . import eligibility
from .eligibility import LessonsRequirement, Progress, QuizRequirement, RolePlayRequirement
from .models import Track


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def measure_lessons(requirement: LessonsRequirement, *, user: Any) -> Progress:
    """Lessons read count whenever they were read: a renewal does not ask to read them again."""
    course = Course.objects.filter(slug=requirement.course).first()
    lessons = Lesson.objects.published().filter(module__course__slug=requirement.course)
    done = LessonProgress.objects.filter(
        user=user, lesson__in=lessons, completed_at__isnull=False
    ).count()
    return Progress(
        requirement=requirement,
        label=course.title if course else requirement.course,
        done=done,
        total=lessons.count(),
        url=course.get_absolute_url() if course else "",
    )


def measure_quiz(
    requirement: QuizRequirement, *, user: Any, since: datetime | None = None
) -> Progress:
    """The best finished attempt since `since` (any attempt when None) against the mark."""
    quiz = Quiz.objects.filter(slug=requirement.quiz).first()
    needed = requirement.min_score or (quiz.pass_mark if quiz else 100)
    best = None
    if quiz is not None:
        attempts = Attempt.objects.filter(user=user, quiz=quiz).finished()
        if since is not None:
            attempts = attempts.filter(submitted_at__gte=since)
        best = attempts.aggregate(best=Max("score"))["best"]
    return Progress(
        requirement=requirement,
        label=quiz.title if quiz else requirement.quiz,
        done=int(best is not None and best >= needed),
        total=1,
        url=_url("quizzes:detail", quiz.slug) if quiz else "",
        score=best,
        needed=needed,
        available=quiz is not None,
    )


def roleplay_passed(user: Any, slug: str, *, since: datetime | None = None) -> bool | None:
    """Ask the scenarios app whether a role-play was passed with no critical violation.

    None while scenarios offers no `roleplay_passed(user, slug, *, since=None)` yet.
    """
    from scenarios import services as scenario_services

    check = getattr(scenario_services, "roleplay_passed", None)
    if check is None:
        return None
    return bool(check(user, slug, since=since))


def measure_roleplay(
    requirement: RolePlayRequirement, *, user: Any, since: datetime | None = None
) -> Progress:
    passed = roleplay_passed(user, requirement.roleplay, since=since)
    return Progress(
        requirement=requirement,
        label=requirement.roleplay,
        done=int(bool(passed)),
        total=1,
        available=passed is not None,
    )


def measure(
    requirement: eligibility.Requirement, *, user: Any, since: datetime | None = None
) -> Progress:
    if isinstance(requirement, LessonsRequirement):
        return measure_lessons(requirement, user=user)
    if isinstance(requirement, QuizRequirement):
        return measure_quiz(requirement, user=user, since=since)
    return measure_roleplay(requirement, user=user, since=since)


def measure_track(track: Track, *, user: Any, since: datetime | None = None) -> list[Progress]:
    return [measure(spec, user=user, since=since) for spec in track.requirement_specs()]


def requirement_sentence(progress: Progress) -> str:
    """What the learner has to do, in the UI language."""
    if progress.kind == "lessons":
        return gettext("Read every lesson of “%(label)s”") % {"label": progress.label}
    if progress.kind == "quiz":
        return gettext("Score at least %(needed)s%% in “%(label)s”") % {
            "needed": progress.needed,
            "label": progress.label,
        }
    return gettext("Pass the role-play “%(label)s” with no critical mistake") % {
        "label": progress.label
    }
