"""One status per learner and track, decided by the database, on a controlled clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import status
from certificates.models import Assignment
from tests.certificates.conftest import take_quiz
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, TrackFactory
from tests.hr.conftest import certify, enrol, open_a_lesson

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=365)


def status_of(user, now=None):  # type: ignore[no-untyped-def]
    return Assignment.objects.with_status(now).get(user=user).status


def test_each_learner_gets_the_status_hr_expects(one_of_each):
    found = {name: status_of(user) for name, user in one_of_each.items()}

    assert found == {name: name for name in one_of_each}


def test_a_certificate_turns_expiring_thirty_days_before_it_ends(track):
    now = timezone.now()
    person = enrol("张伟", track, due=timezone.localdate(now))
    certify(person, track, issued=now - YEAR, expires=now + timedelta(days=45))

    assert status_of(person, now) == status.CERTIFIED
    assert status_of(person, now + timedelta(days=16)) == status.EXPIRING
    assert status_of(person, now + timedelta(days=45)) == status.EXPIRED


def test_a_renewal_counts_while_the_old_certificate_runs_out(track):
    now = timezone.now()
    person = enrol("张伟", track)
    certify(person, track, issued=now - YEAR, expires=now + timedelta(days=5))
    certify(person, track, issued=now, expires=now + YEAR, cycle=2)

    assert status_of(person, now) == status.CERTIFIED


def test_an_older_valid_certificate_outranks_a_revoked_newer_one(track, hr):
    now = timezone.now()
    person = enrol("张伟", track)
    certify(person, track, issued=now - timedelta(days=300), expires=now + timedelta(days=65))
    certify(
        person,
        track,
        issued=now - timedelta(days=2),
        expires=now + YEAR,
        cycle=2,
        revoked_at=now - timedelta(days=1),
        revocation_reason="发错了",
    )

    assert status_of(person, now) == status.CERTIFIED


def test_a_lapsed_certificate_reads_expired_not_overdue(track):
    now = timezone.now()
    person = enrol("陈静", track, due=timezone.localdate(now) - timedelta(days=400))
    certify(person, track, issued=now - YEAR - timedelta(days=1), expires=now - timedelta(days=1))

    assert status_of(person, now) == status.EXPIRED


def test_overdue_starts_the_day_after_the_due_date(track):
    today = timezone.localdate()
    person = enrol("杨磊", track, due=today)
    open_a_lesson(person)

    assert status_of(person) == status.IN_PROGRESS
    assert status_of(person, timezone.now() + timedelta(days=1)) == status.OVERDUE


def test_without_a_due_date_nobody_is_overdue(track):
    person = enrol("王芳", track, due=None)

    assert status_of(person, timezone.now() + YEAR) == status.NOT_STARTED


def test_a_quiz_attempt_alone_means_in_progress(track):
    person = enrol("李娜", track, due=timezone.localdate() + timedelta(days=10))

    take_quiz(person, 30)

    assert status_of(person) == status.IN_PROGRESS


def test_work_on_another_track_does_not_count(track):
    other_course = CourseFactory(slug="closing-calls")
    LessonFactory(module=ModuleFactory(course=other_course))
    TrackFactory(
        slug="closing-level-1", requirements=[{"type": "lessons", "course": "closing-calls"}]
    )
    person = enrol("王芳", track, due=timezone.localdate() + timedelta(days=10))
    from courses.models import Lesson, LessonProgress

    LessonProgress.objects.create(
        user=person, lesson=Lesson.objects.get(module__course=other_course)
    )

    assert status_of(person) == status.NOT_STARTED


def test_counting_every_status_is_one_query(one_of_each, django_assert_num_queries):
    assignments = Assignment.objects.with_status().order_by().values("status_code")

    with django_assert_num_queries(1):
        codes = sorted(status.status_name(row["status_code"]) for row in assignments)

    assert codes == sorted(status.STATUSES)


def test_filtering_by_each_status_keeps_exactly_its_people(one_of_each):
    assignments = Assignment.objects.with_status()

    found = {
        name: [a.user for a in status.with_status_filter(assignments, name)]
        for name in status.STATUSES
    }

    assert found == {name: [person] for name, person in one_of_each.items()}
