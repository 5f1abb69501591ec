"""A learner starts a course, reads lesson after lesson, and picks up where they left off."""

import pytest
from django.urls import reverse

from courses.models import Enrollment, LessonProgress
from courses.services import complete_lesson, enroll_learner
from tests.factories import CourseFactory, LessonFactory, ModuleFactory

from .conftest import ZH_COURSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():  # type: ignore[no-untyped-def]
    """Two modules: 接听 (two lessons) and 结束 (one lesson)."""
    course = CourseFactory(slug="basics", title="基础课程")
    answering = ModuleFactory(course=course, slug="answering", title="接听", position=1)
    closing = ModuleFactory(course=course, slug="closing", title="结束", position=2)
    LessonFactory(module=answering, slug="first", title="三声之内接起", position=1)
    LessonFactory(module=answering, slug="second", title="标准问候语", position=2)
    LessonFactory(module=closing, slug="third", title="结束语", position=1)
    return course


def lesson(course, slug):  # type: ignore[no-untyped-def]
    return course.modules.get(lessons__slug=slug).lessons.get(slug=slug)


def complete_url(course, slug) -> str:  # type: ignore[no-untyped-def]
    return reverse("courses:complete", args=lesson(course, slug).ref.split("/"))


def test_the_catalog_lists_published_courses_with_counts(client, learner, course):
    CourseFactory(title="草稿课程", is_published=False)
    client.force_login(learner)

    page = client.get(reverse("courses:catalog")).content.decode()

    assert "基础课程" in page
    assert "草稿课程" not in page
    assert "2 modules" in page
    assert "3 lessons" in page
    assert "Start this course" in page


def test_starting_a_course_is_an_explicit_post_that_opens_the_first_lesson(client, learner, course):
    client.force_login(learner)

    assert client.get(reverse("courses:enroll", args=[course.slug])).status_code == 405
    response = client.post(reverse("courses:enroll", args=[course.slug]))

    assert response.status_code == 302
    assert response["Location"] == lesson(course, "first").get_absolute_url()
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


def test_starting_twice_keeps_one_enrolment_and_the_progress(client, learner, course):
    enroll_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lesson(course, "first"))
    client.force_login(learner)

    client.post(reverse("courses:enroll", args=[course.slug]))

    assert Enrollment.objects.filter(user=learner, course=course).count() == 1
    assert LessonProgress.objects.filter(user=learner, completed_at__isnull=False).count() == 1


def test_mark_as_read_and_continue_goes_to_the_next_lesson_across_modules(client, learner, course):
    enroll_learner(user=learner, course=course)
    client.force_login(learner)

    first = client.post(complete_url(course, "first"))
    second = client.post(complete_url(course, "second"))

    assert first["Location"] == lesson(course, "second").get_absolute_url()
    assert second["Location"] == lesson(course, "third").get_absolute_url()
    assert LessonProgress.objects.filter(user=learner, completed_at__isnull=False).count() == 2


def test_finishing_the_last_lesson_returns_to_a_completed_course(client, learner, course):
    enroll_learner(user=learner, course=course)
    for slug in ("first", "second"):
        complete_lesson(user=learner, lesson=lesson(course, slug))
    client.force_login(learner)

    response = client.post(complete_url(course, "third"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == course.get_absolute_url()
    assert "You have read every lesson of this course." in page
    assert "3 of 3 read" in page


def test_marking_read_without_starting_the_course_asks_to_start_it(client, learner, course):
    client.force_login(learner)

    response = client.post(complete_url(course, "first"))

    assert response["Location"] == course.get_absolute_url()
    assert not LessonProgress.objects.exists()


def test_the_course_page_shows_progress_per_module_and_course(client, learner, course):
    enroll_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lesson(course, "first"))
    client.force_login(learner)

    page = client.get(course.get_absolute_url()).content.decode()

    assert "1 of 3 read" in page  # the course
    assert "1 of 2 read" in page  # 接听
    assert "0 of 1 read" in page  # 结束
    assert 'aria-valuenow="33"' in page
    assert 'aria-valuenow="50"' in page


def test_the_course_page_and_home_offer_to_continue_where_the_learner_left_off(
    client, learner, course
):
    enroll_learner(user=learner, course=course)
    client.force_login(learner)
    client.post(complete_url(course, "first"))
    client.get(lesson(course, "second").get_absolute_url())

    course_page = client.get(course.get_absolute_url()).content.decode()
    home = client.get(reverse("home")).content.decode()

    second_url = lesson(course, "second").get_absolute_url()
    for page in (course_page, home):
        assert "Continue" in page
        assert "标准问候语" in page
        assert f'href="{second_url}"' in page


def test_resume_skips_ahead_when_the_last_lesson_opened_is_already_read(client, learner, course):
    enroll_learner(user=learner, course=course)
    for slug in ("first", "second"):
        complete_lesson(user=learner, lesson=lesson(course, slug))
    client.force_login(learner)
    client.get(lesson(course, "first").get_absolute_url())  # re-reading an old lesson

    page = client.get(course.get_absolute_url()).content.decode()

    third_url = lesson(course, "third").get_absolute_url()
    assert f'continue-btn" href="{third_url}"' in page


def test_the_lesson_page_links_previous_and_next(client, learner, course):
    client.force_login(learner)

    page = client.get(lesson(course, "second").get_absolute_url()).content.decode()

    assert f'href="{lesson(course, "first").get_absolute_url()}" rel="prev"' in page
    assert f'href="{lesson(course, "third").get_absolute_url()}" rel="next"' in page
    assert "Lesson 2 of 3" in page


def test_home_points_to_the_catalog_before_any_course_is_started(client, learner, course):
    client.force_login(learner)

    page = client.get(reverse("home")).content.decode()

    assert reverse("courses:catalog") in page
    assert "Browse the courses" in page


def test_home_has_no_course_section_when_nothing_is_published(client, learner):
    CourseFactory(is_published=False)
    client.force_login(learner)

    page = client.get(reverse("home")).content.decode()

    assert 'id="home-courses-heading"' not in page


def test_a_bundled_lesson_ends_with_its_cards_scenarios_and_sources(
    client, learner, bundled_courses
):
    client.force_login(learner)
    url = reverse("courses:lesson", args=[ZH_COURSE, "voice", "01-tone-and-pace"])

    page = client.get(url).content.decode()

    assert "Say this" in page and "Never say this" in page
    assert "您好，××客户服务中心，请问有什么可以帮您？" in page
    assert "你有什么事就说嘛。" in page
    assert "Practise it in these scenarios" in page
    assert "000 §7 C–E" in page
    assert "<h2>客户只能“听”到你</h2>" in page


def test_a_lesson_updated_since_it_was_read_says_so(client, learner, course):
    first = lesson(course, "first")
    enroll_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=first)
    first.version = 2
    first.save()
    client.force_login(learner)

    lesson_page = client.get(first.get_absolute_url()).content.decode()
    course_page = client.get(course.get_absolute_url()).content.decode()

    assert "Updated since you read it" in lesson_page
    assert "Mark as read and continue" in lesson_page
    assert "Updated" in course_page
    assert "1 of 3 read" in course_page


def test_the_scenarios_a_lesson_trains_link_to_their_practice_pages(
    client, learner, bundled_courses
):
    client.force_login(learner)
    url = reverse("courses:lesson", args=[ZH_COURSE, "voice", "01-tone-and-pace"])

    page = client.get(url).content.decode()

    assert f'href="{reverse("scenarios:practice", args=["opening-greeting"])}"' in page
