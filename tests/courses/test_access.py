"""Who may open what: drafts are trainers' business, progress is each learner's own."""

import pytest
from django.urls import reverse

from courses.services import complete_lesson, enroll_learner
from tests.factories import CourseFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db


def lesson_url(lesson) -> str:  # type: ignore[no-untyped-def]
    return lesson.get_absolute_url()


@pytest.fixture
def draft_course():  # type: ignore[no-untyped-def]
    course = CourseFactory(is_published=False, title="未发布的课程")
    LessonFactory(module=ModuleFactory(course=course), title="草稿课")
    return course


@pytest.fixture
def course_with_draft_module():  # type: ignore[no-untyped-def]
    course = CourseFactory(title="公开课程")
    LessonFactory(module=ModuleFactory(course=course), title="公开的一课")
    draft = LessonFactory(
        module=ModuleFactory(course=course, is_published=False, title="导入草稿单元"),
        title="导入的草稿课",
    )
    return course, draft


def test_an_anonymous_visitor_is_sent_to_sign_in(client, course_with_draft_module):
    course, _ = course_with_draft_module

    response = client.get(course.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_learner_gets_404_for_a_draft_course_and_its_lessons(client, learner, draft_course):
    client.force_login(learner)
    lesson = draft_course.modules.get().lessons.get()

    assert client.get(draft_course.get_absolute_url()).status_code == 404
    assert client.get(lesson_url(lesson)).status_code == 404
    assert client.post(reverse("courses:enroll", args=[draft_course.slug])).status_code == 404
    assert "未发布的课程" not in client.get(reverse("courses:catalog")).content.decode()


def test_a_learner_never_sees_a_draft_module_of_a_published_course(
    client, learner, course_with_draft_module
):
    course, draft = course_with_draft_module
    client.force_login(learner)

    page = client.get(course.get_absolute_url()).content.decode()

    assert "公开的一课" in page
    assert "导入草稿单元" not in page
    assert client.get(lesson_url(draft)).status_code == 404


def test_a_trainer_sees_drafts_marked_as_drafts(client, trainer, course_with_draft_module):
    course, draft = course_with_draft_module
    client.force_login(trainer)

    page = client.get(course.get_absolute_url()).content.decode()
    lesson_page = client.get(lesson_url(draft))

    assert "导入草稿单元" in page
    assert lesson_page.status_code == 200
    assert "Draft: only trainers see it" in lesson_page.content.decode()


def test_another_learners_progress_is_never_shown(client, learner, outsider):
    course = CourseFactory(title="接听课程")
    lessons = LessonFactory.create_batch(2, module=ModuleFactory(course=course))
    enroll_learner(user=outsider, course=course)
    for lesson in lessons:
        complete_lesson(user=outsider, lesson=lesson)
    enroll_learner(user=learner, course=course)
    client.force_login(learner)

    course_page = client.get(course.get_absolute_url()).content.decode()
    catalog = client.get(reverse("courses:catalog")).content.decode()
    home = client.get(reverse("home")).content.decode()

    for page in (course_page, catalog, home):
        assert "0 of 2 read" in page
        assert "2 of 2 read" not in page
    assert 'aria-valuenow="100"' not in course_page


def test_marking_a_draft_lesson_read_is_refused_to_a_learner(
    client, learner, course_with_draft_module
):
    course, draft = course_with_draft_module
    enroll_learner(user=learner, course=course)
    client.force_login(learner)

    response = client.post(reverse("courses:complete", args=draft.ref.split("/")))

    assert response.status_code == 404
    assert not draft.progress.exists()
