"""The trainers' authoring room: rule drafts, calibration runs, regrades and kept uploads.

Everything a learner sees still lives in the other apps (scenarios, courses, quizzes); these
models only hold what authoring needs on the way there, plus the history a regrade leaves.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scenarios.models import Reply, RulePack, Verdict


class RuleDraftQuerySet(models.QuerySet["RuleDraft"]):
    def open(self) -> "RuleDraftQuerySet":
        return self.filter(published_pack__isnull=True)


class RuleDraft(models.Model):
    """A trainer's working copy of the rulebook.

    Unlike a RulePack (an immutable, valid version) a draft may not compile while it is being
    edited; publishing it stores its files as a new RulePack version.
    """

    title = models.CharField(_("what this draft changes"), max_length=120, blank=True)
    sources = models.JSONField(_("files"), default=dict, help_text="file name → YAML text")
    base_pack = models.ForeignKey(
        RulePack,
        verbose_name=_("started from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_pack = models.ForeignKey(
        RulePack,
        verbose_name=_("published as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = RuleDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("rule draft")
        verbose_name_plural = _("rule drafts")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.published_pack_id is None

    @property
    def file_names(self) -> list[str]:
        return sorted(self.sources)


class CalibrationRun(models.Model):
    """Labelled replies a trainer uploaded, and how the rules judged them."""

    draft = models.ForeignKey(
        RuleDraft,
        verbose_name=_("rule draft"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calibrations",
    )
    pack_version = models.CharField(_("rule-pack version"), max_length=32)
    filename = models.CharField(_("file"), max_length=255)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    # ruleengine.CalibrationReport.to_dict(), with each row's line in the file added.
    report = models.JSONField(_("report"), default=dict)
    # Rows that could not be read or graded: [{"row": n, "message": "..."}]
    row_errors = models.JSONField(_("rows left out"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calibration run")
        verbose_name_plural = _("calibration runs")

    def __str__(self) -> str:
        return f"{self.filename} ({self.pack_version})"

    @property
    def accuracy_percent(self) -> float:
        return round(100 * float(self.report.get("accuracy", 0)), 1)


class Regrade(models.Model):
    """One run of "grade past replies again with this version"."""

    pack = models.ForeignKey(
        RulePack, verbose_name=_("rule-pack version"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    examined = models.PositiveIntegerField(_("replies examined"), default=0)
    changed = models.PositiveIntegerField(_("results changed"), default=0)
    skipped = models.PositiveIntegerField(_("replies that could not be graded"), default=0)
    learners_notified = models.PositiveIntegerField(_("learners notified"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")

    def __str__(self) -> str:
        return f"regrade #{self.pk} with {self.pack.version}"


class VerdictRevision(models.Model):
    """A verdict as it stood before a regrade replaced it (the verdict row is one per reply)."""

    verdict = models.ForeignKey(
        Verdict, verbose_name=_("verdict"), on_delete=models.CASCADE, related_name="revisions"
    )
    regrade = models.ForeignKey(
        Regrade, verbose_name=_("regrade"), on_delete=models.CASCADE, related_name="revisions"
    )
    passed = models.BooleanField(_("passed"))
    score = models.PositiveSmallIntegerField(_("score"))
    outcomes = models.JSONField(_("rule outcomes"))
    pack = models.ForeignKey(
        RulePack, verbose_name=_("rule-pack version"), on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField(_("graded"))

    class Meta:
        ordering = ["-regrade__started_at", "-id"]
        verbose_name = _("earlier verdict")
        verbose_name_plural = _("earlier verdicts")

    def __str__(self) -> str:
        return f"reply #{self.verdict.reply_id} before regrade #{self.regrade_id}"


class ResultNoticeQuerySet(models.QuerySet["ResultNotice"]):
    def unseen_by(self, user: Any) -> "ResultNoticeQuerySet":
        return self.filter(user=user, seen_at__isnull=True)


class ResultNotice(models.Model):
    """Tells a learner that a regrade changed the result of one of their replies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="result_notices",
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.CASCADE, related_name="+"
    )
    regrade = models.ForeignKey(
        Regrade, verbose_name=_("regrade"), on_delete=models.CASCADE, related_name="notices"
    )
    old_passed = models.BooleanField(_("passed before"))
    old_score = models.PositiveSmallIntegerField(_("score before"))
    new_passed = models.BooleanField(_("passed now"))
    new_score = models.PositiveSmallIntegerField(_("score now"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    seen_at = models.DateTimeField(_("seen"), null=True, blank=True)

    objects = ResultNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("changed-result notice")
        verbose_name_plural = _("changed-result notices")

    def __str__(self) -> str:
        return f"{self.user} reply #{self.reply_id}: {self.old_score} → {self.new_score}"


class DocumentUpload(models.Model):
    """An uploaded policy document, kept between its preview and its import."""

    filename = models.CharField(_("file"), max_length=255)
    data = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(_("language"), max_length=4, default="auto")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")

    def __str__(self) -> str:
        return self.filename
