"""Courses, their modules and lessons, who follows them, and drafts imported from documents.

Bundled courses come from content/courses/ (courses.content); imported documents become
unpublished draft modules whose model phrases and candidate rules wait for a trainer's review.
Learners only ever see what is published; trainers see drafts too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from scenarios.models import Scenario

AUTHOR_PERMISSION = "accounts.author_content"


def sees_drafts(user: Any) -> bool:
    """Trainers review drafts in the learner pages; everybody else sees published work only."""
    return bool(user.is_authenticated and user.has_perm(AUTHOR_PERMISSION))


class Language(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    KOREAN = "ko", _("Korean")


class Origin(models.TextChoices):
    BUNDLED = "bundled", _("bundled content")
    IMPORTED = "imported", _("imported document")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("pending review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class CourseQuerySet(models.QuerySet["Course"]):
    def published(self) -> CourseQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: Any) -> CourseQuerySet:
        return self if sees_drafts(user) else self.published()


class ModuleQuerySet(models.QuerySet["Module"]):
    def visible_to(self, user: Any) -> ModuleQuerySet:
        if sees_drafts(user):
            return self
        return self.filter(is_published=True, course__is_published=True)


class LessonQuerySet(models.QuerySet["Lesson"]):
    def published(self) -> LessonQuerySet:
        return self.filter(
            is_published=True, module__is_published=True, module__course__is_published=True
        )

    def visible_to(self, user: Any) -> LessonQuerySet:
        return self if sees_drafts(user) else self.published()

    def in_course_order(self) -> LessonQuerySet:
        return self.order_by("module__position", "module__id", "position", "id")


class Course(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    summary = models.TextField(_("summary"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.BUNDLED
    )
    source_path = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course", args=[self.slug])


class Module(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.BUNDLED
    )
    # Provenance: the folder of a bundled module, or the document a draft was imported from.
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    source_sha256 = models.CharField(_("source SHA-256"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_report = models.JSONField(_("import report"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="module_slug_unique_in_course")
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="lessons"
    )
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body_markdown = models.TextField(_("body (Markdown)"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=0)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    say = models.JSONField(_("say this"), default=list, blank=True)
    never_say = models.JSONField(_("never say this"), default=list, blank=True)
    scenarios = models.ManyToManyField(
        Scenario, verbose_name=_("scenarios"), blank=True, related_name="lessons"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    # A changed source makes a new version of the same row, so progress survives edits.
    version = models.PositiveIntegerField(_("version"), default=1)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    source_path = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["module", "slug"], name="lesson_slug_unique_in_module")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "courses:lesson", args=[self.module.course.slug, self.module.slug, self.slug]
        )

    @property
    def ref(self) -> str:
        """The stable reference other apps use: "course/module/lesson"."""
        return f"{self.module.course.slug}/{self.module.slug}/{self.slug}"

    def say_cards(self) -> list[str]:
        """The "say this" phrases: the lesson's own, then model phrases a trainer accepted."""
        accepted = self.model_phrases.filter(status=ReviewStatus.ACCEPTED)
        return [*self.say, *(phrase.text for phrase in accepted if phrase.text not in self.say)]

    @property
    def is_visible_to_learners(self) -> bool:
        module = self.module
        return self.is_published and module.is_published and module.course.is_published


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="course_enrollments",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    last_lesson = models.ForeignKey(
        Lesson,
        verbose_name=_("last lesson opened"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_visited_at = models.DateTimeField(_("last visited at"), null=True, blank=True)

    class Meta:
        ordering = ["-last_visited_at", "-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="one_enrollment_per_learner_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress"
    )
    first_viewed_at = models.DateTimeField(_("first opened at"), auto_now_add=True)
    last_viewed_at = models.DateTimeField(_("last opened at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The lesson version the learner last marked as read: a newer version shows "updated".
    completed_version = models.PositiveIntegerField(_("version read"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="one_progress_per_learner_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def read_an_older_version(self) -> bool:
        return self.is_completed and (self.completed_version or 0) < self.lesson.version

    @property
    def read_the_current_version(self) -> bool:
        return self.is_completed and not self.read_an_older_version


class ModelPhrase(models.Model):
    """A stock phrase an imported document gives as a norm, waiting to become a card."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="model_phrases"
    )
    text = models.CharField(_("phrase"), max_length=500)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    source_section = models.CharField(_("source section"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["lesson", "position", "id"]
        verbose_name = _("model phrase")
        verbose_name_plural = _("model phrases")

    def __str__(self) -> str:
        return self.text


class CandidateRule(models.Model):
    """A rule an imported document suggests (e.g. a phrase it forbids); never live by itself."""

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.CASCADE, related_name="candidate_rules"
    )
    kind = models.CharField(_("kind"), max_length=20, default="forbid")
    phrase = models.CharField(_("phrase"), max_length=500)
    quoted = models.BooleanField(
        _("quoted in the document"),
        default=True,
        help_text=_("Unquoted candidates are prohibition sentences to turn into phrases by hand."),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    source_section = models.CharField(_("source section"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["module", "position", "id"]
        verbose_name = _("candidate rule")
        verbose_name_plural = _("candidate rules")

    def __str__(self) -> str:
        return f"{self.kind}: {self.phrase}"
