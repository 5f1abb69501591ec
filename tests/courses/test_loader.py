"""Loading the bundled courses: idempotent, versioned, and loud about bad files."""

from pathlib import Path

import pytest

from core.content import ContentError
from courses.content import load_courses
from courses.models import Course, Lesson, LessonProgress, Module, Origin
from courses.services import complete_lesson, enroll_learner, outline_course
from tests.factories import ModuleFactory

from .conftest import CONTENT, ZH_COURSE

pytestmark = pytest.mark.django_db

FIRST_LESSON = Path("courses", ZH_COURSE, "01-voice", "01-tone-and-pace.md")


def snapshot() -> dict[str, object]:
    return {
        "courses": list(Course.objects.values_list("slug", "updated_at", "is_published")),
        "modules": list(Module.objects.values_list("slug", "updated_at", "is_published")),
        "lessons": list(
            Lesson.objects.values_list("slug", "updated_at", "version", "content_hash")
        ),
    }


def test_both_bundled_courses_load_with_every_lesson_published(bundled_courses):
    zh = Course.objects.get(slug="phone-etiquette-zh")
    ko = Course.objects.get(slug="phone-etiquette-ko")

    assert zh.is_published and zh.language == "zh"
    assert ko.is_published and ko.language == "ko"
    assert zh.modules.count() == 9
    assert Lesson.objects.published().filter(module__course=zh).count() == 27
    assert "new" in bundled_courses


def test_a_second_run_changes_nothing(bundled_courses):
    before = snapshot()

    summary = load_courses(CONTENT)

    assert snapshot() == before
    assert "(0 new, 0 new versions, 0 unpublished)" in summary


def test_lesson_cards_and_sources_come_from_the_front_matter(bundled_courses):
    lesson = Lesson.objects.get(module__course__slug=ZH_COURSE, slug="01-tone-and-pace")

    assert "您好，××客户服务中心，请问有什么可以帮您？" in lesson.say
    assert "你有什么事就说嘛。" in lesson.never_say
    assert "000 §7 C–E" in lesson.sources
    assert {s.slug for s in lesson.scenarios.all()} == {"opening-greeting", "customer-cursing"}
    assert lesson.minutes == 4
    assert lesson.ref == f"{ZH_COURSE}/voice/01-tone-and-pace"


def test_an_edited_lesson_becomes_a_new_version_and_progress_survives(content_copy, learner):
    load_courses(content_copy)
    lesson = Lesson.objects.get(slug="01-tone-and-pace")
    course = lesson.module.course
    enroll_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lesson)
    path = content_copy / FIRST_LESSON
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句：语速要跟着客户走。\n")

    summary = load_courses(content_copy)

    lesson.refresh_from_db()
    assert lesson.version == 2
    assert "补充一句" in lesson.body_markdown
    assert "1 new versions" in summary
    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.is_completed and progress.read_an_older_version
    assert outline_course(user=learner, course=course).done == 1


def test_a_lesson_removed_from_the_course_is_unpublished_not_deleted(content_copy, learner):
    load_courses(content_copy)
    removed = Lesson.objects.get(slug="02-smiling-voice")
    LessonProgress.objects.create(user=learner, lesson=removed)
    course_yaml = content_copy / "courses" / ZH_COURSE / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8").replace(
            "[01-tone-and-pace, 02-smiling-voice, 03-respect-and-patience]",
            "[01-tone-and-pace, 03-respect-and-patience]",
        ),
        encoding="utf-8",
    )

    summary = load_courses(content_copy)

    removed.refresh_from_db()
    assert not removed.is_published
    assert LessonProgress.objects.filter(lesson=removed).exists()
    assert "1 unpublished" in summary
    assert Lesson.objects.get(slug="03-respect-and-patience").position == 1


def test_a_module_removed_from_the_course_disappears_for_learners(content_copy):
    load_courses(content_copy)
    course_yaml = content_copy / "courses" / ZH_COURSE / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    start = text.index("  - slug: records")
    course_yaml.write_text(text[:start], encoding="utf-8")

    load_courses(content_copy)

    records = Module.objects.get(slug="records")
    assert not records.is_published
    assert records.lessons.count() == 3
    assert not Lesson.objects.published().filter(module=records).exists()


def test_a_lesson_put_back_is_published_again(content_copy):
    load_courses(content_copy)
    course_yaml = content_copy / "courses" / ZH_COURSE / "course.yaml"
    original = course_yaml.read_text(encoding="utf-8")
    course_yaml.write_text(original.replace("02-smiling-voice, ", ""), encoding="utf-8")
    load_courses(content_copy)

    course_yaml.write_text(original, encoding="utf-8")
    load_courses(content_copy)

    lesson = Lesson.objects.get(slug="02-smiling-voice")
    assert lesson.is_published and lesson.version == 1


def test_drafts_imported_into_a_bundled_course_are_left_alone(content_copy):
    load_courses(content_copy)
    course = Course.objects.get(slug=ZH_COURSE)
    draft = ModuleFactory(course=course, is_published=False, origin=Origin.IMPORTED)

    load_courses(content_copy)

    draft.refresh_from_db()
    assert draft.is_published is False
    assert Module.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    ("edit", "complaint"),
    [
        (lambda text: text.replace("title: 语气、语速与音量\n", ""), "'title' is required"),
        (lambda text: text.replace("minutes: 4", "minutes: four"), "'minutes'"),
        (lambda text: text.replace("scenarios: [", "scenarios: [no-such-scenario, "), "unknown"),
        (lambda text: text.replace("say:\n", "say: 1\nx:\n"), "'say' must be a list"),
        (lambda text: text.replace("---\n", "", 1), "front matter"),
        (lambda text: text.replace("sources: [", "sources: [[", 1), "invalid YAML"),
    ],
)
def test_a_bad_lesson_file_is_named_and_nothing_is_loaded(content_copy, edit, complaint):
    path = content_copy / FIRST_LESSON
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    with pytest.raises(ContentError) as error:
        load_courses(content_copy)

    assert "01-tone-and-pace.md" in str(error.value)
    assert complaint in str(error.value)
    assert not Course.objects.exists()


def test_a_lesson_listed_but_missing_is_named(content_copy):
    (content_copy / FIRST_LESSON).unlink()

    with pytest.raises(ContentError, match=r"01-tone-and-pace\.md.*does not exist"):
        load_courses(content_copy)


def test_a_broken_course_yaml_is_named(content_copy):
    course_yaml = content_copy / "courses" / ZH_COURSE / "course.yaml"
    course_yaml.write_text("slug: phone-etiquette-zh\nmodules: [\n", encoding="utf-8")

    with pytest.raises(ContentError, match=r"course\.yaml.*invalid YAML \(line"):
        load_courses(content_copy)


def test_a_lesson_file_that_is_not_utf8_is_named(content_copy):
    (content_copy / FIRST_LESSON).write_bytes("---\ntitle: 语气\n---\n正文".encode("gb18030"))

    with pytest.raises(ContentError, match=r"01-tone-and-pace\.md: not UTF-8"):
        load_courses(content_copy)
