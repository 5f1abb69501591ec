"""Scenario quizzes: a bank of versioned questions, quizzes that draw from it, and attempts.

The answer key lives only in `Question.payload`; pages and endpoints see an attempt's layout,
which names every option by an opaque per-attempt token (see services.py).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import Scenario


class Language(models.TextChoices):
    CHINESE = "zh", "中文"
    KOREAN = "ko", "한국어"


class QuestionType(models.TextChoices):
    BEST_REPLY = "best-reply", _("Best reply")
    ACCEPTABLE_REPLIES = "acceptable-replies", _("Acceptable replies")
    ORDER_STEPS = "order-steps", _("Order the steps")
    SPOT_VIOLATION = "spot-violation", _("Spot the violation")


class ReviewPolicy(models.TextChoices):
    AFTER_SUBMIT = "after-submit", _("Answers and explanations after each attempt")
    AFTER_PASS = "after-pass", _("Answers and explanations once passed")
    NEVER = "never", _("Score only")


class Quiz(models.Model):
    """A quiz definition (content/quizzes/<slug>.yaml): which pool it draws from and its rules."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    course_slug = models.SlugField(_("course"), max_length=80, blank=True)
    # The quiz trains one situation when its pool is a single scenario; course quizzes have none.
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
    )
    pool_language = models.CharField(_("pool language"), max_length=2, choices=Language.choices)
    pool_scenarios = models.JSONField(
        _("pool scenarios"), default=list, blank=True, help_text="Scenario slugs; empty = all"
    )
    draw = models.PositiveSmallIntegerField(
        _("questions per attempt"), null=True, blank=True, help_text="Empty = the whole pool"
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=80)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempt limit"), default=0, help_text="0 = unlimited"
    )
    time_limit_seconds = models.PositiveIntegerField(_("time limit (s)"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.AFTER_SUBMIT
    )
    published = models.BooleanField(_("published"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    source_file = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["language", "position", "slug"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.slug

    def pool(self) -> "models.QuerySet[Question]":
        questions = Question.objects.filter(active=True, language=self.pool_language)
        if self.pool_scenarios:
            questions = questions.filter(scenario__slug__in=self.pool_scenarios)
        return questions

    @property
    def is_timed(self) -> bool:
        return bool(self.time_limit_seconds)

    @property
    def time_limit_minutes(self) -> int:
        return -(-(self.time_limit_seconds or 0) // 60)


class Question(models.Model):
    """One version of a bank question. A changed question in content becomes a new row."""

    key = models.CharField(_("key"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="questions"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    type = models.CharField(_("type"), max_length=24, choices=QuestionType.choices)
    prompt = models.TextField(_("prompt"))
    # The items (options, steps or transcript lines) WITH the key and the explanations.
    payload = models.JSONField(_("payload"))
    lesson_ref = models.CharField(_("lesson"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    content_hash = models.CharField(max_length=64)
    active = models.BooleanField(_("active"), default=True)
    source_file = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scenario__position", "language", "position", "key", "-version"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="question_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(active=True), name="one_active_version_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def items(self) -> list[dict[str, Any]]:
        """Options, steps or transcript lines, in content order (the index is their identity)."""
        return list(self.payload.get("items", []))


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    EXPIRED = "expired", _("Closed at the time limit")


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def finished(self) -> "AttemptQuerySet":
        return self.exclude(status=AttemptStatus.OPEN)

    def overdue(self, now: Any, grace_seconds: int) -> "AttemptQuerySet":
        return self.filter(
            status=AttemptStatus.OPEN,
            deadline__lt=now - timedelta(seconds=grace_seconds),
        )


class Attempt(models.Model):
    """One learner's go at a quiz. `layout` fixes the drawn questions and each item's token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.OPEN
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # [{"question": <Question pk>, "items": [[token, content index], ...] in display order}]
    layout = models.JSONField(default=list)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="open"),
                name="one_open_attempt_per_learner_and_quiz",
            )
        ]

    def __str__(self) -> str:
        return f"{self.quiz.slug} #{self.number} ({self.user_id})"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    def seconds_left(self, now: Any = None) -> int | None:
        if self.deadline is None:
            return None
        remaining = (self.deadline - (now or timezone.now())).total_seconds()
        return max(0, int(remaining))


class Response(models.Model):
    """The learner's saved answer to one question of an attempt (content indices, not tokens)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    answer = models.JSONField(default=list)
    saved_at = models.DateTimeField(_("saved"))
    final = models.BooleanField(_("final"), default=False)
    points = models.FloatField(_("points"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="one_response_per_attempt_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"
