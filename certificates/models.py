"""Tracks, assignments, certificates and the bookkeeping that keeps issuance exactly-once.

A certificate's status (valid, expired, revoked) is computed from its dates and revocation
fields, never stored, so it turns "expired" by itself at the right moment.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import pick_language

from . import eligibility

# 24 random bytes: 192 bits, 32 URL-safe characters.
VERIFICATION_CODE_BYTES = 24


def new_verification_code() -> str:
    return secrets.token_urlsafe(VERIFICATION_CODE_BYTES)


class Language(models.TextChoices):
    CHINESE = "zh", "中文"
    KOREAN = "ko", "한국어"


class TrackQuerySet(models.QuerySet["Track"]):
    def active(self) -> TrackQuerySet:
        return self.filter(is_active=True)


class Track(models.Model):
    """A certification: what a learner must complete, and how long the certificate lasts.

    Bundled tracks come from content/tracks/*.yaml (certificates.content).
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    titles = models.JSONField(_("titles"), default=dict, help_text="{zh, ko, en}")
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    validity_months = models.PositiveSmallIntegerField(_("validity (months)"), default=12)
    # HR's enrolment sets each assignment's due date to the hire date plus this many days.
    due_days = models.PositiveSmallIntegerField(_("days to certify after hiring"), default=30)
    # [{"type": "lessons", "course": ...}, {"type": "quiz", "quiz": ..., "min_score": 80}, ...]
    requirements = models.JSONField(_("requirements"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    content_hash = models.CharField(max_length=64, blank=True)
    source_file = models.CharField(max_length=300, blank=True)

    objects = TrackQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def title(self) -> str:
        return pick_language(self.titles)

    @property
    def description(self) -> str:
        return pick_language(self.descriptions) if self.descriptions else ""

    def requirement_specs(self) -> list[eligibility.Requirement]:
        return eligibility.parse_requirements(self.requirements)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def with_status(self, now: datetime | None = None) -> AssignmentQuerySet:
        """Annotate each assignment's `status` (see certificates.status): the one definition
        the dashboard, the exports, the learner page and the reminders share."""
        from .status import annotate_status

        return annotate_status(self, now=now or timezone.now())


class Assignment(models.Model):
    """HR asks a learner to earn a track by a date (HR's enrolment creates these)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="track_assignments",
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "assigned_at"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="one_assignment_per_track")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.track}"

    @property
    def status(self) -> str:
        """The learner's status on this track; needs `Assignment.objects.with_status()`."""
        from .status import status_name

        return status_name(self.status_code)  # type: ignore[attr-defined]


class LearnerTrack(models.Model):
    """One row per learner and track: evaluations lock it, so they run one at a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="+")
    last_evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "track"], name="one_learner_track_row")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}/{self.track_id}"


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid(self, now: datetime | None = None) -> CertificateQuerySet:
        now = now or timezone.now()
        return self.filter(expires_at__gt=now).exclude(revoked_at__lte=now)

    def expired(self, now: datetime | None = None) -> CertificateQuerySet:
        now = now or timezone.now()
        return self.filter(expires_at__lte=now).exclude(revoked_at__lte=now)

    def revoked(self, now: datetime | None = None) -> CertificateQuerySet:
        return self.filter(revoked_at__lte=now or timezone.now())

    def of(self, user: Any) -> CertificateQuerySet:
        return self.filter(user=user)


class Certificate(models.Model):
    """A certificate issued to one learner for one track in one cycle (1 = first, 2 = renewal…).

    The database guarantees one per (learner, track, cycle); revocation keeps the row, so a
    revoked code verifies as revoked, never as unknown.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="certificates"
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    # Derived from the primary key, so written just after the insert: NULL (not "") until then
    # keeps the unique constraint happy with two inserts in flight.
    serial = models.CharField(  # noqa: DJ001
        _("serial number"), max_length=40, unique=True, null=True
    )
    verification_code = models.CharField(
        _("verification code"), max_length=64, unique=True, default=new_verification_code
    )
    # What the certificate says, as it was on the day it was issued.
    learner_name = models.CharField(_("name"), max_length=120)
    track_titles = models.JSONField(_("track titles"), default=dict)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("valid until"))
    score_summary = models.JSONField(_("score summary"), default=list, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "track", "cycle"], name="one_certificate_per_cycle"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="revocation_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="certificate_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial or '#' + str(self.pk)} {self.track_title} · {self.learner_name}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:detail", args=[self.pk])

    @property
    def audit_label(self) -> str:
        return f"{self.serial} · {self.learner_name}"

    @property
    def verify_path(self) -> str:
        return reverse("verify:certificate", args=[self.verification_code])

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.verify_path

    @property
    def track_title(self) -> str:
        return pick_language(self.track_titles)

    def track_title_in(self, language: str) -> str:
        return pick_language(self.track_titles, language)

    def status_at(self, now: datetime) -> str:
        return eligibility.certificate_status(
            now=now, expires_at=self.expires_at, revoked_at=self.revoked_at
        )

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def is_valid(self) -> bool:
        return self.status == eligibility.VALID

    @property
    def is_expired(self) -> bool:
        return self.status == eligibility.EXPIRED

    @property
    def is_revoked(self) -> bool:
        return self.status == eligibility.REVOKED

    def as_past(self) -> eligibility.PastCertificate:
        return eligibility.PastCertificate(
            cycle=self.cycle,
            issued_at=self.issued_at,
            expires_at=self.expires_at,
            revoked_at=self.revoked_at,
        )


class ExpiryReminder(models.Model):
    """A reminder e-mail sent before a certificate expires; the constraint sends each once."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.days_before} days"


class LearnerReminder(models.Model):
    """A reminder e-mail about an assignment; the constraint sends each kind once."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("learner reminder")
        verbose_name_plural = _("learner reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"], name="one_learner_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.kind}"


class HRDigest(models.Model):
    """The weekly status e-mail to one HR person; the constraint sends one per ISO week."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    week = models.CharField(_("ISO week"), max_length=8, help_text="e.g. 2026-W11")
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("HR digest")
        verbose_name_plural = _("HR digests")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "week"], name="one_hr_digest_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.week}"
