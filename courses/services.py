"""What learners and trainers do with courses: enrol, read, progress, resume, import drafts.

Also the small public API other apps use to link to lessons:
`lesson_for_ref("course/module/lesson")` and `lesson_url_for_ref(...)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from core.audit import record

from .models import (
    CandidateRule,
    Course,
    Enrollment,
    Language,
    Lesson,
    LessonProgress,
    ModelPhrase,
    Module,
    Origin,
    ReviewStatus,
)

if TYPE_CHECKING:
    from .importer.model import ImportedDocument, ImportedLesson

IMPORT_COURSE_TITLES = {
    Language.CHINESE: "文档导入草稿",
    Language.KOREAN: "문서 가져오기 초안",
}


# --- lesson references (public API for other apps) ---------------------------------------


def lesson_for_ref(ref: str) -> Lesson | None:
    """The published lesson a "course/module/lesson" reference names, or None."""
    parts = [part.strip() for part in (ref or "").strip("/").split("/")]
    if len(parts) != 3 or not all(parts):
        return None
    course_slug, module_slug, lesson_slug = parts
    return (
        Lesson.objects.published()
        .select_related("module__course")
        .filter(module__course__slug=course_slug, module__slug=module_slug, slug=lesson_slug)
        .first()
    )


def lesson_url_for_ref(ref: str) -> str | None:
    """The URL of the published lesson a "course/module/lesson" reference names, or None."""
    lesson = lesson_for_ref(ref)
    return lesson.get_absolute_url() if lesson else None


# --- progress: what a learner sees --------------------------------------------------------


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    completed: bool
    updated_since_read: bool
    is_next: bool


@dataclass(frozen=True)
class ModuleOutline:
    module: Module
    lessons: list[LessonRow]

    @property
    def done(self) -> int:
        return sum(row.completed for row in self.lessons)

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)


@dataclass(frozen=True)
class CourseOutline:
    course: Course
    enrollment: Enrollment | None
    modules: list[ModuleOutline]
    continue_lesson: Lesson | None

    @property
    def done(self) -> int:
        return sum(module.done for module in self.modules)

    @property
    def total(self) -> int:
        return sum(module.total for module in self.modules)

    @property
    def percent(self) -> int:
        return percent(self.done, self.total)

    @property
    def is_complete(self) -> bool:
        return self.enrollment is not None and self.total > 0 and self.done == self.total

    @property
    def has_started(self) -> bool:
        return self.enrollment is not None and self.enrollment.last_lesson_id is not None

    @property
    def lessons(self) -> list[Lesson]:
        return [row.lesson for module in self.modules for row in module.lessons]

    def module_of(self, lesson: Lesson) -> ModuleOutline | None:
        return next((item for item in self.modules if item.module.pk == lesson.module_id), None)


@dataclass(frozen=True)
class CatalogEntry:
    course: Course
    modules: int
    lessons: int
    done: int
    enrollment: Enrollment | None

    @property
    def percent(self) -> int:
        return percent(self.done, self.lessons)


@dataclass(frozen=True)
class LessonPlace:
    """Where a lesson sits in its course, for previous/next navigation."""

    previous: Lesson | None
    next: Lesson | None
    number: int
    total: int


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


def course_lessons(*, user: Any, course: Course) -> list[Lesson]:
    """The lessons of a course this person may read, in reading order."""
    return list(
        Lesson.objects.visible_to(user)
        .filter(module__course=course)
        .select_related("module__course")
        .in_course_order()
    )


def completed_lesson_ids(*, user: Any, lessons: Iterable[Lesson]) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            user=user, lesson__in=list(lessons), completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def find_enrollment(*, user: Any, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def outline_course(*, user: Any, course: Course) -> CourseOutline:
    """The course as one learner sees it: modules, lessons, their own progress only."""
    lessons = course_lessons(user=user, course=course)
    enrollment = find_enrollment(user=user, course=course)
    progress = {
        row.lesson_id: row for row in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    }
    completed = {lesson_id for lesson_id, row in progress.items() if row.is_completed}
    next_lesson = pick_continue_lesson(
        lessons, completed, enrollment.last_lesson_id if enrollment else None
    )
    rows_by_module: dict[int, list[LessonRow]] = {}
    for lesson in lessons:
        row = progress.get(lesson.pk)
        rows_by_module.setdefault(lesson.module_id, []).append(
            LessonRow(
                lesson=lesson,
                completed=lesson.pk in completed,
                updated_since_read=bool(row and row.is_completed)
                and (row.completed_version or 0) < lesson.version,
                is_next=enrollment is not None and next_lesson == lesson,
            )
        )
    modules = [
        ModuleOutline(module=module, lessons=rows_by_module.get(module.pk, []))
        for module in Module.objects.visible_to(user).filter(course=course)
        if module.pk in rows_by_module
    ]
    return CourseOutline(
        course=course, enrollment=enrollment, modules=modules, continue_lesson=next_lesson
    )


def pick_continue_lesson(
    lessons: Sequence[Lesson], completed: set[int], last_lesson_id: int | None
) -> Lesson | None:
    """Resume where the learner left off: the lesson they were reading if unfinished,
    else the next unfinished one after it, else the first unfinished one."""
    ids = [lesson.pk for lesson in lessons]
    if last_lesson_id in ids:
        start = ids.index(last_lesson_id)
        for lesson in lessons[start:]:
            if lesson.pk not in completed:
                return lesson
    return next((lesson for lesson in lessons if lesson.pk not in completed), None)


def list_catalog(*, user: Any) -> list[CatalogEntry]:
    """Courses this person may take, with counts and their own progress; their UI language's
    courses first."""
    courses = list(Course.objects.visible_to(user))
    lessons = list(
        Lesson.objects.visible_to(user)
        .filter(module__course__in=courses)
        .values_list("pk", "module_id", "module__course_id")
    )
    completed = set(
        LessonProgress.objects.filter(
            user=user, lesson__in=[pk for pk, _, _ in lessons], completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    enrollments = {row.course_id: row for row in Enrollment.objects.filter(user=user)}
    preferred = "ko" if (get_language() or "").startswith("ko") else "zh"
    courses.sort(key=lambda course: (course.language != preferred, course.position, course.title))
    entries = []
    for course in courses:
        own = [(pk, module_id) for pk, module_id, course_id in lessons if course_id == course.pk]
        entries.append(
            CatalogEntry(
                course=course,
                modules=len({module_id for _, module_id in own}),
                lessons=len(own),
                done=sum(pk in completed for pk, _ in own),
                enrollment=enrollments.get(course.pk),
            )
        )
    return entries


def place_lesson(*, user: Any, lesson: Lesson) -> LessonPlace:
    return place_among(course_lessons(user=user, course=lesson.module.course), lesson)


def place_among(lessons: Sequence[Lesson], lesson: Lesson) -> LessonPlace:
    ids = [item.pk for item in lessons]
    index = ids.index(lesson.pk)
    return LessonPlace(
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        number=index + 1,
        total=len(lessons),
    )


def list_enrolled_outlines(*, user: Any) -> list[CourseOutline]:
    """Every course this person has started, most recently visited first."""
    courses = Course.objects.visible_to(user).filter(enrollments__user=user)
    outlines = [outline_course(user=user, course=course) for course in courses]
    return sorted(outlines, key=_recency, reverse=True)


def _recency(outline: CourseOutline) -> Any:
    enrollment = outline.enrollment
    assert enrollment is not None
    return enrollment.last_visited_at or enrollment.enrolled_at


# --- progress: what a learner does --------------------------------------------------------


def enroll_learner(*, user: Any, course: Course) -> Enrollment:
    """Start a course (idempotent: starting it again keeps the progress)."""
    enrollment, _ = Enrollment.objects.get_or_create(user=user, course=course)
    return enrollment


def record_lesson_visit(*, user: Any, lesson: Lesson) -> LessonProgress | None:
    """Remember the lesson a learner opened so they can resume there (enrolled learners only)."""
    now = timezone.now()
    updated = Enrollment.objects.filter(user=user, course=lesson.module.course_id).update(
        last_lesson=lesson, last_visited_at=now
    )
    if not updated:
        return None
    progress, created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"last_viewed_at": now}
    )
    if not created:
        LessonProgress.objects.filter(pk=progress.pk).update(last_viewed_at=now)
    return progress


@transaction.atomic
def complete_lesson(*, user: Any, lesson: Lesson) -> LessonProgress:
    """Mark a lesson as read (at its current version); the caller checks the enrolment."""
    now = timezone.now()
    progress, _ = LessonProgress.objects.select_for_update().get_or_create(
        user=user, lesson=lesson, defaults={"last_viewed_at": now}
    )
    progress.completed_at = progress.completed_at or now
    progress.completed_version = lesson.version
    progress.save(update_fields=["completed_at", "completed_version"])
    Enrollment.objects.filter(user=user, course=lesson.module.course_id).update(
        last_lesson=lesson, last_visited_at=now
    )
    return progress


# --- drafts imported from documents -------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    module: Module
    created: bool
    lessons: int
    phrases: int
    candidate_rules: int


class ImportTargetError(ValueError):
    """The course an import was aimed at cannot take it."""


def default_import_course(*, language: str) -> Course:
    """The unpublished course that collects imported drafts of one language."""
    if language not in Language.values:
        raise ImportTargetError(f"documents in {language!r} cannot be imported")
    course, _ = Course.objects.get_or_create(
        slug=f"imports-{language}",
        defaults={
            "title": IMPORT_COURSE_TITLES[Language(language)],
            "language": language,
            "is_published": False,
            "origin": Origin.IMPORTED,
            "position": 100,
        },
    )
    return course


@transaction.atomic
def import_document(
    *,
    document: ImportedDocument,
    data: bytes,
    filename: str,
    course: Course | None = None,
    imported_by: Any = None,
) -> ImportResult:
    """Store a parsed document as an unpublished draft module with its lessons, model phrases
    and candidate rules, all pending a trainer's review. Importing the same bytes into the same
    course again returns the existing draft."""
    sha256 = hashlib.sha256(data).hexdigest()
    course = course or default_import_course(language=document.language)
    if course.language != document.language:
        raise ImportTargetError(
            f"{filename} is in {document.language} but course {course.slug!r} is in "
            f"{course.language}"
        )
    existing = course.modules.filter(origin=Origin.IMPORTED, source_sha256=sha256).first()
    if existing:
        return _summarise_import(existing, created=False)
    module = Module.objects.create(
        course=course,
        slug=_free_module_slug(course, f"import-{sha256[:8]}"),
        title=(document.title or filename)[:200],
        position=(course.modules.aggregate(last=Max("position"))["last"] or 0) + 1,
        is_published=False,
        origin=Origin.IMPORTED,
        source_document=filename[:300],
        source_sha256=sha256,
        imported_at=timezone.now(),
        imported_by=imported_by if getattr(imported_by, "pk", None) else None,
        import_report={
            "language": document.language,
            "dropped": document.dropped.to_json(),
        },
    )
    for position, imported in enumerate(document.lessons, start=1):
        _create_draft_lesson(module, imported, position, filename)
    CandidateRule.objects.bulk_create(
        CandidateRule(
            module=module,
            kind=rule.kind,
            phrase=rule.phrase[:500],
            quoted=rule.quoted,
            evidence=rule.evidence,
            source_document=rule.source.document or filename,
            source_section=rule.source.section[:500],
            position=position,
        )
        for position, rule in enumerate(document.candidate_rules)
    )
    record(imported_by, "courses.import_document", module, file=filename, sha256=sha256)
    return _summarise_import(module, created=True)


def _create_draft_lesson(
    module: Module, imported: ImportedLesson, position: int, filename: str
) -> Lesson:
    lesson = Lesson.objects.create(
        module=module,
        slug=f"{position:02d}",
        title=(imported.title or f"{position:02d}")[:200],
        body_markdown=imported.body_markdown,
        sources=[f"{filename} › {imported.source_path}" if imported.source_path else filename],
        position=position,
        is_published=False,
        content_hash=hashlib.sha256(imported.body_markdown.encode("utf-8")).hexdigest(),
        source_path=imported.source_path[:300],
    )
    ModelPhrase.objects.bulk_create(
        ModelPhrase(
            lesson=lesson,
            text=text[:500],
            source_document=filename[:300],
            source_section=section[:500],
            position=index,
        )
        for index, (text, section) in enumerate(_phrases_with_sections(imported))
    )
    return lesson


def _phrases_with_sections(imported: ImportedLesson) -> list[tuple[str, str]]:
    """Each model phrase once, with the deepest section it was found in."""
    found: dict[str, str] = {}
    for section in imported.sections:
        for phrase in section.phrases:
            found.setdefault(phrase, section.path)
    for phrase in imported.phrases:
        found.setdefault(phrase, imported.source_path)
    return list(found.items())


def _free_module_slug(course: Course, base: str) -> str:
    slug, suffix = base, 2
    while course.modules.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _summarise_import(module: Module, *, created: bool) -> ImportResult:
    return ImportResult(
        module=module,
        created=created,
        lessons=module.lessons.count(),
        phrases=ModelPhrase.objects.filter(lesson__module=module).count(),
        candidate_rules=module.candidate_rules.count(),
    )


def list_imported_drafts() -> QuerySet[Module]:
    """Modules made from imported documents, newest first, with what is left to review."""
    pending = ReviewStatus.PENDING
    return (
        Module.objects.filter(origin=Origin.IMPORTED)
        .select_related("course", "imported_by")
        .annotate(
            lesson_count=Count("lessons", distinct=True),
            pending_rules=Count(
                "candidate_rules", filter=Q(candidate_rules__status=pending), distinct=True
            ),
            pending_phrases=Count(
                "lessons__model_phrases",
                filter=Q(lessons__model_phrases__status=pending),
                distinct=True,
            ),
        )
        .order_by("-imported_at", "-id")
    )


@transaction.atomic
def review_candidate_rule(*, rule: CandidateRule, status: str, reviewer: Any) -> CandidateRule:
    """A trainer accepts or rejects a candidate rule (accepting never publishes it anywhere)."""
    rule.status = ReviewStatus(status)
    rule.reviewed_by = reviewer
    rule.reviewed_at = timezone.now()
    rule.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record(reviewer, f"courses.candidate_rule.{status}", rule, module=rule.module_id)
    return rule


@transaction.atomic
def review_model_phrase(*, phrase: ModelPhrase, status: str, reviewer: Any) -> ModelPhrase:
    """A trainer accepts or rejects a model phrase found in an imported document."""
    phrase.status = ReviewStatus(status)
    phrase.reviewed_by = reviewer
    phrase.reviewed_at = timezone.now()
    phrase.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record(reviewer, f"courses.model_phrase.{status}", phrase, lesson=phrase.lesson_id)
    return phrase


# --- editing drafts in the authoring studio -------------------------------------------------


@transaction.atomic
def edit_lesson(*, lesson: Lesson, title: str, body_markdown: str, actor: Any) -> bool:
    """Save a trainer's edit of a lesson; returns whether anything changed.

    A changed text is a new version of the same row, so learners who read the old one see
    "updated" and keep their progress (as when bundled content changes).
    """
    body = body_markdown.replace("\r\n", "\n")
    content_hash = hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()
    if title == lesson.title and body == lesson.body_markdown:
        return False
    lesson.title, lesson.body_markdown = title, body
    lesson.content_hash = content_hash
    lesson.version += 1
    lesson.save(update_fields=["title", "body_markdown", "content_hash", "version", "updated_at"])
    record(actor, "courses.lesson.edited", lesson, version=lesson.version)
    return True


@transaction.atomic
def publish_module(*, module: Module, published: bool, actor: Any) -> Module:
    """Publish a module with all its lessons, or take it back to draft.

    Learners see it only when its course is published too.
    """
    module.is_published = published
    module.save(update_fields=["is_published", "updated_at"])
    module.lessons.update(is_published=published, updated_at=timezone.now())
    record(actor, "courses.module.published" if published else "courses.module.unpublished", module)
    return module
