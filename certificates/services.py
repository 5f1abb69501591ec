"""Issuing, revoking and reminding: everything that writes certificates.

Other apps call `schedule_evaluation(user_id=...)` after they grade something (a quiz attempt,
a role-play); a worker then runs `evaluate_tracks`, which issues a certificate exactly once per
learner, track and cycle: evaluations of one learner and track take a row lock in turn, and a
unique constraint on (learner, track, cycle) backs it up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import record
from scenarios.models import pick_language

from . import eligibility, requirements
from .eligibility import CycleDecision, Progress
from .models import (
    Assignment,
    Certificate,
    ExpiryReminder,
    HRDigest,
    LearnerReminder,
    LearnerTrack,
    Track,
)

logger = logging.getLogger(__name__)


# --- evaluation and issuance -----------------------------------------------------------------


def schedule_evaluation(*, user_id: int) -> None:
    """Re-evaluate the learner's tracks on a worker once the current transaction commits.

    The hook for services that grade things. A broker outage is logged, never raised: the
    learner's "my certificates" page schedules the evaluation again when it sees a track met.
    """
    transaction.on_commit(lambda: _enqueue_evaluation(user_id), robust=True)


def _enqueue_evaluation(user_id: int) -> bool:
    from .tasks import evaluate_learner

    try:
        evaluate_learner.delay(user_id)
    except Exception:
        logger.warning("could not enqueue track evaluation for user %s", user_id, exc_info=True)
        return False
    return True


def _history(user: Any, track: Track) -> list[eligibility.PastCertificate]:
    return [cert.as_past() for cert in Certificate.objects.filter(user=user, track=track)]


def _lock_learner_track(user: Any, track: Track, now: datetime) -> LearnerTrack:
    """Take this learner's row for this track for the rest of the transaction."""
    LearnerTrack.objects.get_or_create(user=user, track=track)
    row = LearnerTrack.objects.select_for_update().get(user=user, track=track)
    row.last_evaluated_at = now
    row.save(update_fields=["last_evaluated_at"])
    return row


def _create_certificate(
    user: Any, track: Track, cycle: int, progress: list[Progress], now: datetime
) -> Certificate | None:
    """Insert the certificate; None when the constraint says this cycle is already issued."""
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                track=track,
                cycle=cycle,
                learner_name=user.display_name,
                track_titles=dict(track.titles),
                issued_at=now,
                expires_at=eligibility.add_months(now, track.validity_months),
                score_summary=[item.summary() for item in progress],
            )
    except IntegrityError:
        logger.info("certificate for user %s, track %s, cycle %s exists", user.pk, track, cycle)
        return None
    certificate.serial = eligibility.serial_number(certificate.pk, now)
    certificate.save(update_fields=["serial"])
    return certificate


def evaluate_track(*, user: Any, track: Track, now: datetime | None = None) -> Certificate | None:
    """Issue this track's certificate if the learner now meets it; the new certificate or None."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_learner_track(user, track, now)
        decision = eligibility.next_cycle(_history(user, track), now)
        if not decision.open:
            return None
        progress = requirements.measure_track(track, user=user, since=decision.evidence_since)
        if not eligibility.all_met(progress):
            return None
        certificate = _create_certificate(user, track, decision.cycle, progress, now)
        if certificate is None:
            return None
        record(
            user,
            "certificate.issued",
            certificate.audit_label,
            certificate=certificate.pk,
            serial=certificate.serial,
            cycle=certificate.cycle,
        )
        transaction.on_commit(lambda: notify_issued(certificate_id=certificate.pk), robust=True)
    return certificate


def evaluate_tracks(*, user: Any, now: datetime | None = None) -> list[Certificate]:
    """Evaluate every active track for one learner; returns the certificates issued now."""
    issued = []
    for track in Track.objects.active():
        certificate = evaluate_track(user=user, track=track, now=now)
        if certificate is not None:
            issued.append(certificate)
    return issued


# --- what a learner sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrackProgress:
    track: Track
    assignment: Assignment | None
    requirements: list[Progress]
    latest: Certificate | None
    decision: CycleDecision

    @property
    def current(self) -> Certificate | None:
        """The latest certificate while it is valid."""
        return self.latest if self.latest and self.latest.is_valid else None

    @property
    def met(self) -> bool:
        return eligibility.all_met(self.requirements)

    @property
    def ready(self) -> bool:
        """Requirements met and a new certificate due: the worker is about to issue it."""
        return self.decision.open and self.met

    @property
    def renewing(self) -> bool:
        """Certified, and inside the renewal window of the current certificate."""
        return self.current is not None and self.decision.open

    @property
    def percent(self) -> int:
        return eligibility.overall_percent(self.requirements)

    @property
    def lines(self) -> list[tuple[Progress, str]]:
        return [(item, requirements.requirement_sentence(item)) for item in self.requirements]


def track_progress(
    *, user: Any, track: Track, assignment: Assignment | None = None
) -> TrackProgress:
    certificates = list(Certificate.objects.filter(user=user, track=track))
    decision = eligibility.next_cycle([cert.as_past() for cert in certificates], timezone.now())
    return TrackProgress(
        track=track,
        assignment=assignment,
        requirements=requirements.measure_track(track, user=user, since=decision.evidence_since),
        latest=max(certificates, key=lambda cert: cert.cycle, default=None),
        decision=decision,
    )


def _ui_track_language() -> str:
    return "ko" if (translation.get_language() or "").startswith("ko") else "zh"


def _has_started(progress: TrackProgress) -> bool:
    return any(item.done for item in progress.requirements)


def list_track_progress(*, user: Any) -> list[TrackProgress]:
    """Tracks for "my certificates": assigned ones first, then the ones under way or earned;
    with none of those, the tracks in the UI language, to show where a certificate comes from."""
    assignments = {a.track_id: a for a in Assignment.objects.filter(user=user)}
    earned = set(Certificate.objects.filter(user=user).values_list("track_id", flat=True))
    entries = [
        track_progress(user=user, track=track, assignment=assignments.get(track.pk))
        for track in Track.objects.active()
    ]
    shown = [
        entry
        for entry in entries
        if entry.assignment or entry.track.pk in earned or _has_started(entry)
    ]
    if not shown:
        shown = [entry for entry in entries if entry.track.language == _ui_track_language()]
    return sorted(shown, key=lambda entry: (entry.assignment is None, entry.track.position))


def learner_certificates(*, user: Any) -> QuerySet[Certificate]:
    """Every certificate the learner ever received, newest first (history is kept)."""
    return Certificate.objects.filter(user=user).select_related("track")


# --- revocation ------------------------------------------------------------------------------


class AlreadyRevoked(Exception):
    pass


@transaction.atomic
def revoke_certificate(
    *, certificate: Certificate, actor: Any, reason: str, now: datetime | None = None
) -> Certificate:
    """HR withdraws a certificate; the row stays, so its code verifies as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking this certificate."), code="reason")
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise AlreadyRevoked
    locked.revoked_at = now or timezone.now()
    locked.revoked_by = actor
    locked.revocation_reason = reason
    locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    record(
        actor,
        "certificate.revoked",
        locked.audit_label,
        reason=reason,
        certificate=locked.pk,
        serial=locked.serial,
        learner=locked.user_id,
    )
    return locked


def revoked_certificate_ids(now: datetime | None = None) -> list[int]:
    return list(Certificate.objects.revoked(now).values_list("pk", flat=True))


# --- public verification ---------------------------------------------------------------------


def find_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names, revoked or not; None when unknown."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return Certificate.objects.select_related("track").filter(verification_code=code).first()


# --- e-mail ----------------------------------------------------------------------------------


def _learner_language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _mail(user: Any, template: str, context: dict[str, Any]) -> None:
    with translation.override(_learner_language(user)):
        subject = render_to_string(f"certificates/email/{template}_subject.txt", context)
        body = render_to_string(f"certificates/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _mail_context(certificate: Certificate) -> dict[str, Any]:
    site = settings.SITE_URL.rstrip("/")
    return {
        "certificate": certificate,
        "name": certificate.learner_name,
        "track_title": certificate.track_title_in(_learner_language(certificate.user)),
        "certificate_url": site + certificate.get_absolute_url(),
        "mine_url": site + reverse("certificates:mine"),
        "verify_url": certificate.verify_url,
    }


def notify_issued(*, certificate_id: int) -> None:
    """Tell the learner their certificate is ready (after the issuing transaction commits)."""
    certificate = Certificate.objects.select_related("user", "track").get(pk=certificate_id)
    try:
        _mail(certificate.user, "issued", _mail_context(certificate))
    except Exception:
        logger.warning("could not e-mail certificate %s", certificate_id, exc_info=True)


def _reminder_candidates(now: datetime) -> QuerySet[Certificate]:
    """Valid certificates expiring within the longest reminder window, latest cycle only."""
    horizon = now + timedelta(days=max(eligibility.REMINDER_DAYS))
    renewed = Certificate.objects.filter(
        user=OuterRef("user"), track=OuterRef("track"), cycle__gt=OuterRef("cycle")
    )
    return (
        Certificate.objects.valid(now)
        .filter(expires_at__lte=horizon)
        .exclude(Exists(renewed))
        .select_related("user", "track")
        .prefetch_related("reminders")
    )


def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """Beat: e-mail learners whose certificate expires in 30 or 7 days; each reminder once.

    The reminder row is written in the same transaction as the e-mail is sent: a failed send
    rolls it back for the next run, and the unique constraint stops a second beat from
    sending it again.
    """
    now = now or timezone.now()
    sent = 0
    for certificate in _reminder_candidates(now):
        days = eligibility.reminder_due(
            expires_at=certificate.expires_at,
            now=now,
            already_sent=[reminder.days_before for reminder in certificate.reminders.all()],
        )
        if days is not None and _send_reminder(certificate, days, now):
            sent += 1
    return sent


def _send_reminder(certificate: Certificate, days: int, now: datetime) -> bool:
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(certificate=certificate, days_before=days, sent_at=now)
            _mail(certificate.user, "reminder", {**_mail_context(certificate), "days": days})
    except IntegrityError:
        return False
    except Exception:
        logger.warning("could not send reminder for certificate %s", certificate.pk, exc_info=True)
        return False
    return True


def reminders_sent(certificates: Iterable[Certificate]) -> dict[int, list[int]]:
    rows = ExpiryReminder.objects.filter(certificate__in=list(certificates))
    sent: dict[int, list[int]] = {}
    for row in rows:
        sent.setdefault(row.certificate_id, []).append(row.days_before)
    return sent


# --- HR ----------------------------------------------------------------------------------------


def search_certificates(*, query: str = "", status: str = "") -> QuerySet[Certificate]:
    """HR's list: by learner name, e-mail or serial, optionally one status."""
    certificates = Certificate.objects.select_related("user", "user__department", "track")
    query = query.strip()
    if query:
        certificates = certificates.filter(
            Q(learner_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(serial__icontains=query)
        )
    if status == eligibility.VALID:
        certificates = certificates.valid()
    elif status == eligibility.EXPIRED:
        certificates = certificates.expired()
    elif status == eligibility.REVOKED:
        certificates = certificates.revoked()
    return certificates


def certificate_history(certificate: Certificate) -> QuerySet[Certificate]:
    """Every cycle of this learner's certificate for the same track, newest first."""
    return Certificate.objects.filter(user=certificate.user_id, track=certificate.track_id)


# --- HR: overdue reminders and the weekly digest ------------------------------------------------

# E-mails about assignments go out from this local hour, never in the night.
MAIL_FROM_HOUR = 8
DIGEST_LIST_LENGTH = 20


def _office_hours(now: datetime) -> bool:
    return timezone.localtime(now).hour >= MAIL_FROM_HOUR


def send_overdue_reminders(*, now: datetime | None = None) -> int:
    """Beat: e-mail each learner whose assignment is overdue (by the shared status), once.

    The reminder row and the e-mail share a transaction: a failed send is retried by the next
    run, and the unique constraint stops a second run from sending it again.
    """
    from .status import OVERDUE, with_status_filter

    now = now or timezone.now()
    if not _office_hours(now):
        return 0
    overdue = (
        with_status_filter(Assignment.objects.with_status(now), OVERDUE)
        .filter(user__is_active=True)
        .exclude(reminders__kind=LearnerReminder.Kind.OVERDUE)
        .select_related("user", "track")
    )
    return sum(_send_overdue_reminder(assignment, now) for assignment in overdue)


def _send_overdue_reminder(assignment: Assignment, now: datetime) -> bool:
    user = assignment.user
    context = {
        "name": user.display_name,
        "track_title": pick_language(assignment.track.titles, _learner_language(user)),
        "due_date": assignment.due_date,
        "mine_url": settings.SITE_URL.rstrip("/") + reverse("certificates:mine"),
    }
    try:
        with transaction.atomic():
            LearnerReminder.objects.create(
                assignment=assignment, kind=LearnerReminder.Kind.OVERDUE, sent_at=now
            )
            _mail(user, "overdue", context)
    except IntegrityError:
        return False
    except Exception:
        logger.warning("could not send overdue reminder %s", assignment.pk, exc_info=True)
        return False
    return True


def iso_week(now: datetime) -> str:
    year, week, _weekday = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def hr_recipients() -> QuerySet[Any]:
    """Active people who may see everybody's status (the HR role, or the permission itself)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    permission = Permission.objects.filter(
        content_type__app_label="accounts", codename="view_people"
    ).first()
    people = get_user_model().objects.filter(is_active=True)
    return people.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission)
    ).distinct()


@dataclass(frozen=True)
class DigestLine:
    name: str
    department: str
    track: str
    day: Any


@dataclass(frozen=True)
class Digest:
    week: str
    totals: dict[str, int]
    overdue: list[DigestLine]
    expiring: list[DigestLine]
    certified_this_week: int


def build_digest(*, now: datetime) -> Digest:
    """This week's numbers for HR, from the same status query the dashboard uses."""
    from django.db.models import Count

    from .status import EXPIRING, OVERDUE, annotate_details, status_name, with_status_filter

    tracks = list(Track.objects.all())
    titles = {track.pk: track.title for track in tracks}
    assignments = Assignment.objects.filter(user__is_active=True).with_status(now)
    grouped = assignments.order_by().values("status_code").annotate(n=Count("pk"))
    totals = {status_name(row["status_code"]): row["n"] for row in grouped}

    def lines(name: str, day_field: str) -> list[DigestLine]:
        rows = annotate_details(
            with_status_filter(assignments, name), now=now, tracks=tracks
        ).select_related("user", "user__department")
        rows = rows.order_by(day_field, "user__name")[:DIGEST_LIST_LENGTH]
        return [
            DigestLine(
                name=row.user.display_name,
                department=row.user.department.name if row.user.department else "",
                track=titles.get(row.track_id, ""),
                day=_local_day(getattr(row, day_field)),
            )
            for row in rows
        ]

    return Digest(
        week=iso_week(now),
        totals=totals,
        overdue=lines(OVERDUE, "due_date"),
        expiring=lines(EXPIRING, "certificate_expires_at"),
        certified_this_week=Certificate.objects.filter(
            issued_at__gte=now - timedelta(days=7), issued_at__lte=now
        ).count(),
    )


def _local_day(value: Any) -> Any:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def send_hr_digests(*, now: datetime | None = None) -> int:
    """Beat (hourly): the week's digest to every HR person, once a week, the first hour from
    08:00 local time in the week (normally Monday 08:00)."""
    now = now or timezone.now()
    if not _office_hours(now):
        return 0
    week = iso_week(now)
    already = HRDigest.objects.filter(week=week).values("recipient_id")
    recipients = list(hr_recipients().exclude(pk__in=already))
    if not recipients:
        return 0
    digest = build_digest(now=now)
    return sum(_send_digest(person, digest, now) for person in recipients)


def _send_digest(person: Any, digest: Digest, now: datetime) -> bool:
    from .status import LABELS, STATUSES

    site = settings.SITE_URL.rstrip("/")
    with translation.override(_learner_language(person)):
        totals = [(str(LABELS[name]), digest.totals.get(name, 0)) for name in STATUSES]
    context = {
        "name": person.display_name,
        "digest": digest,
        "totals": totals,
        "overdue_count": digest.totals.get("overdue", 0),
        "expiring_count": digest.totals.get("expiring", 0),
        "dashboard_url": site + reverse("hr-dashboard"),
        "overdue_url": site + reverse("hr-dashboard") + "?status=overdue",
        "expiring_url": site + reverse("hr-dashboard") + "?status=expiring",
    }
    try:
        with transaction.atomic():
            HRDigest.objects.create(recipient=person, week=digest.week, sent_at=now)
            _mail(person, "hr_digest", context)
    except IntegrityError:
        return False
    except Exception:
        logger.warning("could not send the HR digest to %s", person.pk, exc_info=True)
        return False
    return True
