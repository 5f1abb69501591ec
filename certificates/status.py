"""Where each learner stands on each assigned track: one status, computed by the database.

The dashboard, its exports, the learner page, the reminders and the HR digest all read
`Assignment.objects.with_status(now)`, so they always agree. Statuses, first match wins:

  certified    a valid certificate that expires in more than 30 days
  expiring     a valid certificate that expires within 30 days
  revoked      no valid certificate, and the latest one was revoked
  expired      no valid certificate, and the latest one expired
  overdue      never certified, and the due date has passed
  in_progress  a lesson of the track's course opened, or a quiz or role-play of it started
  not_started  nothing yet

A certified-then-lapsed learner shows as expired or revoked, not overdue: HR acts differently
on "let it lapse" and "never finished onboarding".

The query annotates `status_code`, an integer in order of urgency, so sorting by urgency,
filtering and counting reuse one expression: one certificate subquery per row, and the
activity subqueries only for learners who hold no certificate (COALESCE and CASE stop early).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Lesson, LessonProgress
from quizzes.models import Attempt, AttemptStatus, Quiz

from .eligibility import LessonsRequirement, QuizRequirement, RequirementError, RolePlayRequirement
from .models import Certificate, Track

EXPIRING_WITHIN = timedelta(days=30)

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
CERTIFIED = "certified"
EXPIRING = "expiring"
EXPIRED = "expired"
OVERDUE = "overdue"
REVOKED = "revoked"

# The order HR reads them in (cards, charts, tables, exports).
STATUSES: tuple[str, ...] = (
    NOT_STARTED,
    IN_PROGRESS,
    CERTIFIED,
    EXPIRING,
    EXPIRED,
    OVERDUE,
    REVOKED,
)
# status_code: position in this tuple, most urgent first (the default sort).
BY_URGENCY: tuple[str, ...] = (
    OVERDUE,
    EXPIRED,
    REVOKED,
    EXPIRING,
    NOT_STARTED,
    IN_PROGRESS,
    CERTIFIED,
)
CODE = {status: code for code, status in enumerate(BY_URGENCY)}

LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    CERTIFIED: _("Certified"),
    EXPIRING: _("Expiring within 30 days"),
    EXPIRED: _("Expired"),
    OVERDUE: _("Overdue"),
    REVOKED: _("Revoked"),
}
# Badge classes of static/css/app.css.
TONES = {
    NOT_STARTED: "",
    IN_PROGRESS: "",
    CERTIFIED: "badge-ok",
    EXPIRING: "badge-warn",
    EXPIRED: "badge-warn",
    OVERDUE: "badge-bad",
    REVOKED: "badge-bad",
}


def status_name(code: int | None) -> str:
    return BY_URGENCY[code] if code is not None and 0 <= code < len(BY_URGENCY) else NOT_STARTED


def label(status: str) -> str:
    return str(LABELS.get(status, status))


# --- the pieces of the expression --------------------------------------------------------------


def _valid(now: datetime) -> Q:
    return Q(expires_at__gt=now) & ~Q(revoked_at__lte=now)


def relevant_certificates(now: datetime) -> QuerySet[Certificate]:
    """The row's certificates, the one that decides its status first: a valid one if any,
    else the latest cycle."""
    return (
        Certificate.objects.filter(user=OuterRef("user_id"), track=OuterRef("track_id"))
        .annotate(
            valid_first=Case(
                When(_valid(now), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("valid_first", "-cycle")
    )


def _certificate_code(now: datetime) -> Subquery:
    code = Case(
        When(revoked_at__lte=now, then=Value(CODE[REVOKED])),
        When(expires_at__lte=now, then=Value(CODE[EXPIRED])),
        When(expires_at__lte=now + EXPIRING_WITHIN, then=Value(CODE[EXPIRING])),
        default=Value(CODE[CERTIFIED]),
        output_field=IntegerField(),
    )
    return Subquery(
        relevant_certificates(now).annotate(code=code).values("code")[:1],
        output_field=IntegerField(),
    )


class TrackSources:
    """The slugs a track is made of: its courses, quizzes and role-plays."""

    def __init__(self, track: Track) -> None:
        try:
            specs = track.requirement_specs()
        except RequirementError:
            specs = []
        self.track = track
        self.courses = [s.course for s in specs if isinstance(s, LessonsRequirement)]
        self.quizzes = [s.quiz for s in specs if isinstance(s, QuizRequirement)]
        self.roleplays = [s.roleplay for s in specs if isinstance(s, RolePlayRequirement)]


def _activity(sources: TrackSources) -> Q | None:
    """Anything the learner did toward this track: a lesson opened, a quiz or role-play begun."""
    found: list[Exists] = []
    if sources.courses:
        lessons = Lesson.objects.filter(module__course__slug__in=sources.courses).values("pk")
        found.append(
            Exists(LessonProgress.objects.filter(user=OuterRef("user_id"), lesson__in=lessons))
        )
    if sources.quizzes:
        quizzes = Quiz.objects.filter(slug__in=sources.quizzes).values("pk")
        found.append(Exists(Attempt.objects.filter(user=OuterRef("user_id"), quiz__in=quizzes)))
    if sources.roleplays:
        from scenarios.models import RolePlaySession

        sessions = RolePlaySession.objects.filter(
            user=OuterRef("user_id"), roleplay__slug__in=sources.roleplays, is_trial=False
        )
        found.append(Exists(sessions))
    if not found:
        return None
    condition = Q(found[0])
    for exists in found[1:]:
        condition |= Q(exists)
    return condition


def _uncertified_code(now: datetime, tracks: Iterable[Track]) -> Case:
    started = []
    for track in tracks:
        activity = _activity(TrackSources(track))
        if activity is not None:
            started.append(When(Q(track_id=track.pk) & activity, then=Value(CODE[IN_PROGRESS])))
    return Case(
        When(due_date__lt=timezone.localdate(now), then=Value(CODE[OVERDUE])),
        *started,
        default=Value(CODE[NOT_STARTED]),
        output_field=IntegerField(),
    )


def status_code(now: datetime, tracks: Iterable[Track]) -> Coalesce:
    return Coalesce(
        _certificate_code(now), _uncertified_code(now, tracks), output_field=IntegerField()
    )


def annotate_status(
    assignments: QuerySet[Any], *, now: datetime, tracks: Sequence[Track] | None = None
) -> QuerySet[Any]:
    """Add `status_code` (see BY_URGENCY; `Assignment.status` names it) to each assignment.

    `tracks` are the tracks whose activity counts as "in progress" (default: all of them);
    pass them when you have them, to save a query.
    """
    if tracks is None:
        tracks = list(Track.objects.all())
    return assignments.annotate(status_code=status_code(now, tracks))


def with_status_filter(assignments: QuerySet[Any], status: str) -> QuerySet[Any]:
    """Keep one status (any other value: no filter).

    Written as "none of the other statuses": PostgreSQL guesses that `expression = value`
    keeps 0.5 % of the rows, plans the joins to users and departments as nested loops for a
    handful, and takes seconds on thousands. "Not in the other six" it guesses at 97 %, and
    hash joins are right for both.
    """
    if status not in CODE:
        return assignments
    others = [code for name, code in CODE.items() if name != status]
    return assignments.exclude(status_code__in=others)


# --- extra columns for the rows HR reads (computed only for the rows shown or exported) ------


def annotate_details(
    assignments: QuerySet[Any], *, now: datetime, tracks: Sequence[Track]
) -> QuerySet[Any]:
    """The deciding certificate (id, expiry) and the best quiz score toward the track."""
    deciding = relevant_certificates(now)
    best_scores = []
    for track in tracks:
        sources = TrackSources(track)
        if not sources.quizzes:
            continue
        best = (
            Attempt.objects.filter(user=OuterRef("user_id"), quiz__slug__in=sources.quizzes)
            .exclude(status=AttemptStatus.OPEN)
            .order_by()
            .values("user")
            .annotate(best=Max("score"))
            .values("best")[:1]
        )
        best_scores.append(When(track_id=track.pk, then=Subquery(best)))
    return assignments.annotate(
        certificate_id=Subquery(deciding.values("pk")[:1]),
        certificate_expires_at=Subquery(deciding.values("expires_at")[:1]),
        best_score=Case(*best_scores, default=None, output_field=IntegerField())
        if best_scores
        else Value(None, output_field=IntegerField()),
    )


@contextmanager
def without_jit() -> Iterator[None]:
    """Run the status queries with PostgreSQL's JIT off, for this transaction only.

    The planner prices each row's subqueries as if they read whole tables, so JIT kicks in
    and spends longer compiling than the query then runs (measured: 120 ms → 55 ms for 10,000
    learners). Other databases: nothing to do.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
