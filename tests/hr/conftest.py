"""A small organisation: one track (two lessons and a quiz), departments, a cohort, and a
helper that enrols a person with a due date, so each test states only what it is about."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from certificates.models import Assignment, Track
from courses.models import Lesson, LessonProgress
from tests.certificates.conftest import take_quiz
from tests.factories import (
    CertificateFactory,
    CohortFactory,
    CourseFactory,
    DepartmentFactory,
    LessonFactory,
    ModuleFactory,
    QuizFactory,
    TrackFactory,
    UserFactory,
)


@pytest.fixture
def track(db) -> Track:  # type: ignore[no-untyped-def]
    course = CourseFactory(slug="phone-basics", title="电话礼仪入职培训")
    module = ModuleFactory(course=course)
    LessonFactory(module=module, slug="greeting")
    LessonFactory(module=module, slug="closing")
    QuizFactory(slug="phone-basics-final", title="结业认证测验", pass_mark=80)
    return TrackFactory(
        slug="phone-basics-level-1",
        titles={"zh": "电话礼仪认证(一级)", "ko": "전화 예절 인증(1급)", "en": "Phone etiquette"},
        due_days=30,
        requirements=[
            {"type": "lessons", "course": "phone-basics"},
            {"type": "quiz", "quiz": "phone-basics-final", "min_score": 80},
        ],
    )


@pytest.fixture
def service_one(db):  # type: ignore[no-untyped-def]
    return DepartmentFactory(code="service-1", name="客服一部")


@pytest.fixture
def service_two(db):  # type: ignore[no-untyped-def]
    return DepartmentFactory(code="service-2", name="客服二部")


@pytest.fixture
def march(db):  # type: ignore[no-untyped-def]
    return CohortFactory(name="2026年3月入职")


def enrol(  # type: ignore[no-untyped-def]
    name: str,
    track: Track,
    *,
    department=None,
    cohort=None,
    due: date | None = None,
    email: str = "",
) -> User:
    user = UserFactory(
        name=name,
        email=email or f"{abs(hash(name)) % 10**8}@example.com",
        department=department or DepartmentFactory(code="service-1", name="客服一部"),
        cohort=cohort,
        hire_date=(due - timedelta(days=30)) if due else None,
    )
    Assignment.objects.create(user=user, track=track, due_date=due)
    return user


def open_a_lesson(user: User) -> None:
    LessonProgress.objects.create(user=user, lesson=Lesson.objects.first())


def certify(user: User, track: Track, *, issued: datetime, expires: datetime, **fields):  # type: ignore[no-untyped-def]
    return CertificateFactory(
        user=user, track=track, issued_at=issued, expires_at=expires, **fields
    )


@pytest.fixture
def one_of_each(track, service_one, service_two, march, hr):  # type: ignore[no-untyped-def]
    """One person in each status, as of now."""
    now = timezone.now()
    today = timezone.localdate(now)
    later, earlier = today + timedelta(days=20), today - timedelta(days=3)
    people = {
        "not_started": enrol("王芳", track, department=service_one, cohort=march, due=later),
        "in_progress": enrol("李娜", track, department=service_one, cohort=march, due=later),
        "certified": enrol("张伟", track, department=service_one, due=earlier),
        "expiring": enrol("刘洋", track, department=service_two, due=earlier),
        "expired": enrol("陈静", track, department=service_two, due=earlier),
        "overdue": enrol("杨磊", track, department=service_two, cohort=march, due=earlier),
        "revoked": enrol("赵敏", track, department=service_two, due=earlier),
    }
    open_a_lesson(people["in_progress"])
    take_quiz(people["overdue"], 40, at=now - timedelta(days=1))
    year = timedelta(days=365)
    certify(people["certified"], track, issued=now - timedelta(days=10), expires=now + year)
    certify(people["expiring"], track, issued=now - year, expires=now + timedelta(days=10))
    certify(
        people["expired"],
        track,
        issued=now - year - timedelta(days=5),
        expires=now - timedelta(days=5),
    )
    certify(
        people["revoked"],
        track,
        issued=now - timedelta(days=40),
        expires=now + year,
        revoked_at=now - timedelta(days=1),
        revocation_reason="考试作弊",
        revoked_by=hr,
    )
    return people
