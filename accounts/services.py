"""People: bulk enrolment from a file, and the invitations that let new people set a password.

Enrolment is two steps. `upload_batch` keeps the file; `preview_batch` reads and checks every
row against the database and says what each would change; `confirm_batch` re-checks the same
bytes and applies all of it in one transaction, or nothing when any row has an error. Rows
are matched on the e-mail address, so uploading the same file again changes nothing and
invites nobody twice.

Invitations store only a hash of the link's token. A new person's invitation is e-mailed by a
worker after the enrolment commits (`send_invitation`); a beat sweeper sends any the broker
lost, and HR can ask for a new link (`request_invitation`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certificates.models import Assignment, Track
from core.audit import record

from . import enrolment
from .backends import forget_all_permissions
from .enrolment import CheckedRow, FileProblem
from .models import Cohort, Department, EnrolmentBatch, Invitation, User
from .roles import LEARNER, ensure_roles

logger = logging.getLogger(__name__)

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
# How long an invitation link works; HR can send a new one at any time.
INVITATION_DAYS = getattr(settings, "COURTESY_INVITATION_DAYS", 14)
# The sweeper leaves fresh requests to the task enqueued on commit.
SWEEP_AFTER = timedelta(minutes=5)


# --- lookups -------------------------------------------------------------------------------------


def department_lookup() -> dict[str, str]:
    """Every way a department may be written (name or code) → its name."""
    names: dict[str, str] = {}
    for department in Department.objects.all():
        names[enrolment.lookup_key(department.code)] = department.name
        names[enrolment.lookup_key(department.name)] = department.name
    return names


def track_lookup(tracks: Iterable[Track]) -> dict[str, str]:
    """Every way a track may be written (slug or title in any language) → its slug."""
    slugs: dict[str, str] = {}
    for track in tracks:
        for title in track.titles.values():
            slugs[enrolment.lookup_key(str(title))] = track.slug
        slugs[enrolment.lookup_key(track.slug)] = track.slug
    return slugs


# --- preview -----------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    row: CheckedRow
    action: str = NEW
    changes: list[str] = field(default_factory=list)
    cohort: str = ""
    due_dates: dict[str, date] = field(default_factory=dict)
    track_titles: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.row.errors


@dataclass
class EnrolmentPreview:
    batch: EnrolmentBatch
    rows: list[PreviewRow] = field(default_factory=list)
    file_error: str = ""
    ignored_headers: list[str] = field(default_factory=list)
    tracks: dict[str, Track] = field(default_factory=dict)

    @property
    def rows_with_errors(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return not self.file_error and bool(self.rows) and not self.rows_with_errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def count_new(self) -> int:
        return self.count(NEW)

    @property
    def count_update(self) -> int:
        return self.count(UPDATE)

    @property
    def count_unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def new_departments(self) -> list[str]:
        return sorted({row.row.department for row in self.rows if row.row.new_department})

    @property
    def new_cohorts(self) -> list[str]:
        existing = set(
            Cohort.objects.filter(name__in={r.cohort for r in self.rows}).values_list(
                "name", flat=True
            )
        )
        return sorted({row.cohort for row in self.rows if row.cohort} - existing)


def upload_batch(
    *, actor: Any, filename: str, data: bytes, create_departments: bool, cohort_name: str
) -> EnrolmentBatch:
    """Keep an uploaded people file for its preview; nothing else changes yet."""
    return EnrolmentBatch.objects.create(
        uploaded_by=actor,
        filename=filename[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        create_departments=create_departments,
        cohort_name=cohort_name.strip()[:120],
    )


def preview_batch(*, batch: EnrolmentBatch) -> EnrolmentPreview:
    """Read and check every row of the file and say what confirming it would change."""
    tracks = {track.slug: track for track in Track.objects.active()}
    preview = EnrolmentPreview(batch=batch, tracks=tracks)
    try:
        table = enrolment.read_table(bytes(batch.content), batch.filename)
    except FileProblem as problem:
        preview.file_error = str(problem)
        return preview
    preview.ignored_headers = table.ignored_headers
    checked = enrolment.check_rows(
        table,
        departments=department_lookup(),
        tracks=track_lookup(tracks.values()),
        create_departments=batch.create_departments,
    )
    preview.rows = [PreviewRow(row=row, cohort=row.cohort or batch.cohort_name) for row in checked]
    _compare_with_database(preview.rows, tracks)
    return preview


def _compare_with_database(rows: list[PreviewRow], tracks: dict[str, Track]) -> None:
    emails = [row.row.email for row in rows if row.row.email]
    people = {
        user.email: user
        for user in User.objects.filter(email__in=emails).select_related("department", "cohort")
    }
    numbers = [row.row.employee_number for row in rows if row.row.employee_number]
    number_owners = dict(
        User.objects.filter(employee_number__in=numbers).values_list("employee_number", "email")
    )
    assigned: dict[tuple[int, int], date | None] = {
        (a.user_id, a.track_id): a.due_date
        for a in Assignment.objects.filter(user__in=people.values())
    }
    for row in rows:
        row.track_titles = [tracks[slug].title for slug in row.row.tracks]
        owner = number_owners.get(row.row.employee_number)
        if row.row.employee_number and owner and owner != row.row.email:
            row.row.errors.append(
                _("Employee number %(number)s belongs to %(email)s.")
                % {"number": row.row.employee_number, "email": owner}
            )
        if row.row.hire_date:
            row.due_dates = {
                slug: row.row.hire_date + timedelta(days=tracks[slug].due_days)
                for slug in row.row.tracks
            }
        person = people.get(row.row.email)
        if person is not None:
            row.changes = _changes(row, person, tracks, assigned)
            row.action = UPDATE if row.changes else UNCHANGED


def _changes(
    row: PreviewRow, person: User, tracks: dict[str, Track], assigned: dict[Any, date | None]
) -> list[str]:
    checked = row.row
    changes = []
    if checked.name != person.name:
        changes.append(_("name"))
    if checked.employee_number and checked.employee_number != person.employee_number:
        changes.append(_("employee number"))
    if person.department is None or checked.department != person.department.name:
        changes.append(_("department"))
    if checked.hire_date != person.hire_date:
        changes.append(_("hire date"))
    if row.cohort and (person.cohort is None or person.cohort.name != row.cohort):
        changes.append(_("cohort"))
    for slug, due in row.due_dates.items():
        key = (person.pk, tracks[slug].pk)
        if key not in assigned:
            changes.append(_("new track: %(track)s") % {"track": tracks[slug].title})
        elif assigned[key] != due:
            changes.append(_("due date"))
    return changes


# --- confirmation ------------------------------------------------------------------------------


class AlreadyConfirmed(Exception):
    pass


class EnrolmentRejected(Exception):
    """The file has errors: nothing was written."""

    def __init__(self, preview: EnrolmentPreview) -> None:
        super().__init__("the file has errors")
        self.preview = preview


@dataclass(frozen=True)
class EnrolmentResult:
    created: int
    updated: int
    unchanged: int
    assignments: int
    invitations: int
    cohorts: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "assignments": self.assignments,
            "invitations": self.invitations,
            "cohorts": self.cohorts,
        }


@transaction.atomic
def confirm_batch(
    *, batch: EnrolmentBatch, actor: Any, now: datetime | None = None
) -> EnrolmentResult:
    """Apply the whole file in one transaction: people, departments, cohorts, assignments and
    invitations for the new people. Any error in any row: nothing is written."""
    now = now or timezone.now()
    locked = EnrolmentBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.is_confirmed:
        raise AlreadyConfirmed
    preview = preview_batch(batch=locked)
    if not preview.ok:
        raise EnrolmentRejected(preview)
    departments = _ensure_departments(preview.rows)
    cohorts = _ensure_cohorts(preview.rows, now)
    people = _save_people(preview, departments, cohorts)
    assignments = _save_assignments(preview, people, actor, now)
    new_people = [people[row.row.email] for row in preview.rows if row.action == NEW]
    invitations = Invitation.objects.bulk_create(
        [Invitation(user=user, invited_by=actor, send_requested_at=now) for user in new_people]
    )
    result = EnrolmentResult(
        created=preview.count(NEW),
        updated=preview.count(UPDATE),
        unchanged=preview.count(UNCHANGED),
        assignments=assignments,
        invitations=len(invitations),
        cohorts=sorted(cohorts),
    )
    record(actor, "people.enrolled", locked.filename, batch=locked.pk, **result.as_dict())
    locked.confirmed_at, locked.confirmed_by = now, actor
    locked.summary, locked.content = result.as_dict(), b""
    locked.save(update_fields=["confirmed_at", "confirmed_by", "summary", "content"])
    invitation_ids = list(
        Invitation.objects.filter(user__in=new_people).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue_invitations(invitation_ids), robust=True)
    return result


def _department_code(name: str, taken: set[str]) -> str:
    base = slugify(name)[:30] or "dept"
    code = base
    if code in taken or code == "dept":
        code = f"{base}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:6]}"  # noqa: S324
    taken.add(code)
    return code


def _ensure_departments(rows: list[PreviewRow]) -> dict[str, Department]:
    wanted = {row.row.department for row in rows}
    departments = {d.name: d for d in Department.objects.filter(name__in=wanted)}
    missing = sorted(wanted - set(departments))
    if missing:
        taken = set(Department.objects.values_list("code", flat=True))
        Department.objects.bulk_create(
            [Department(name=name, code=_department_code(name, taken)) for name in missing]
        )
        departments = {d.name: d for d in Department.objects.filter(name__in=wanted)}
    return departments


def _ensure_cohorts(rows: list[PreviewRow], now: datetime) -> dict[str, Cohort]:
    wanted = {row.cohort for row in rows if row.cohort}
    existing = set(Cohort.objects.filter(name__in=wanted).values_list("name", flat=True))
    Cohort.objects.bulk_create([Cohort(name=name, created_at=now) for name in wanted - existing])
    return {cohort.name: cohort for cohort in Cohort.objects.filter(name__in=wanted)}


def _preferred_language(row: PreviewRow, tracks: dict[str, Track]) -> str:
    languages = {tracks[slug].language for slug in row.row.tracks}
    return "ko" if languages == {"ko"} else "zh-hans"


def _save_people(
    preview: EnrolmentPreview, departments: dict[str, Department], cohorts: dict[str, Cohort]
) -> dict[str, User]:
    existing = {
        u.email: u for u in User.objects.filter(email__in=[r.row.email for r in preview.rows])
    }
    created, changed = [], []
    for row in preview.rows:
        checked = row.row
        person = existing.get(checked.email)
        if person is None:
            person = User(email=checked.email, password=make_password(None))
            person.preferred_language = _preferred_language(row, preview.tracks)
            created.append(person)
        elif row.action == UNCHANGED:
            continue
        else:
            changed.append(person)
        person.name = checked.name
        person.employee_number = checked.employee_number or person.employee_number
        person.department = departments[checked.department]
        person.hire_date = checked.hire_date
        if row.cohort:
            person.cohort = cohorts[row.cohort]
    User.objects.bulk_create(created)
    fields = ["name", "employee_number", "department", "hire_date", "cohort"]
    User.objects.bulk_update(changed, fields)
    people = {
        u.email: u for u in User.objects.filter(email__in=[r.row.email for r in preview.rows])
    }
    learner = ensure_roles()[LEARNER]
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=learner.pk) for u in people.values()],
        ignore_conflicts=True,
    )
    # A bulk insert sends no m2m_changed: tell the permission cache ourselves.
    transaction.on_commit(forget_all_permissions)
    return people


def _save_assignments(
    preview: EnrolmentPreview, people: dict[str, User], actor: Any, now: datetime
) -> int:
    """Create the missing assignments and move due dates that follow a changed hire date.

    Tracks a person already has but the file no longer names are kept: a file adds work,
    it never takes any away.
    """
    current = {
        (a.user_id, a.track_id): a for a in Assignment.objects.filter(user__in=people.values())
    }
    new, moved = [], []
    for row in preview.rows:
        user = people[row.row.email]
        for slug, due in row.due_dates.items():
            track = preview.tracks[slug]
            assignment = current.get((user.pk, track.pk))
            if assignment is None:
                new.append(
                    Assignment(
                        user=user, track=track, due_date=due, assigned_by=actor, assigned_at=now
                    )
                )
            elif assignment.due_date != due:
                assignment.due_date = due
                moved.append(assignment)
    Assignment.objects.bulk_create(new)
    Assignment.objects.bulk_update(moved, ["due_date"])
    return len(new)


# --- invitations -------------------------------------------------------------------------------


class InvitationNotNeeded(Exception):
    """The person already has a password they chose."""


class InvitationUnusable(Exception):
    """The link is unknown, used, expired or for a deactivated account."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "unknown")
        self.expired = expired


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _enqueue_invitations(invitation_ids: list[int]) -> None:
    from .tasks import send_invitation as send_invitation_task

    for invitation_id in invitation_ids:
        try:
            send_invitation_task.delay(invitation_id)
        except Exception:
            # The beat sweeper sends whatever is still waiting.
            logger.warning("could not enqueue invitation %s", invitation_id, exc_info=True)
            return


def _mail_invitation(invitation: Invitation, token: str) -> None:
    user = invitation.user
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])
    context = {
        "name": user.display_name,
        "email": user.email,
        "link": link,
        "expires_at": invitation.expires_at,
        "invited_by": invitation.invited_by.display_name if invitation.invited_by else "",
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_invitation(*, invitation_id: int, now: datetime | None = None) -> bool:
    """E-mail a fresh one-time link if a send is still waiting; True when one went out.

    The token exists only in the e-mail: the row keeps its hash. A failed send rolls the new
    hash back, so the invitation stays waiting for the sweeper.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("user", "invited_by")
                .filter(pk=invitation_id)
                .first()
            )
            if invitation is None or not invitation.send_pending or not invitation.user.is_active:
                return False
            token = secrets.token_urlsafe(32)
            invitation.token_hash = token_hash(token)
            invitation.sent_at = now
            invitation.times_sent += 1
            invitation.expires_at = now + timedelta(days=INVITATION_DAYS)
            invitation.save(update_fields=["token_hash", "sent_at", "times_sent", "expires_at"])
            _mail_invitation(invitation, token)
    except Exception:
        logger.warning("could not send invitation %s", invitation_id, exc_info=True)
        return False
    return True


def send_waiting_invitations(*, now: datetime | None = None) -> int:
    """Beat: send invitations whose e-mail never went out (a lost task, a mail outage)."""
    now = now or timezone.now()
    waiting = (
        Invitation.objects.filter(
            accepted_at__isnull=True, send_requested_at__lte=now - SWEEP_AFTER
        )
        .filter(Q(sent_at__isnull=True) | Q(sent_at__lt=F("send_requested_at")))
        .values_list("pk", flat=True)[:500]
    )
    return sum(send_invitation(invitation_id=pk, now=now) for pk in list(waiting))


@transaction.atomic
def request_invitation(*, user: User, actor: Any, now: datetime | None = None) -> Invitation:
    """HR asks for a new link: the old one stops working now, the new one is e-mailed."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().filter(user=user).first()
    if invitation is not None and invitation.accepted_at is not None:
        raise InvitationNotNeeded
    if invitation is None:
        if user.has_usable_password():
            raise InvitationNotNeeded
        invitation = Invitation(user=user, invited_by=actor)
    invitation.token_hash = None
    invitation.send_requested_at = now
    invitation.save()
    record(actor, "invitation.resent", user.email, user=user.pk)
    transaction.on_commit(lambda: _enqueue_invitations([invitation.pk]), robust=True)
    return invitation


def open_invitation(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a link names, if it may still be used (InvitationUnusable otherwise)."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise InvitationUnusable
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None or invitation.accepted_at is not None or not invitation.user.is_active:
        raise InvitationUnusable
    if invitation.expires_at is None or invitation.expires_at <= now:
        raise InvitationUnusable(expired=True)
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, now: datetime | None = None) -> User:
    """Set the invitee's password (already validated) and spend the link."""
    now = now or timezone.now()
    invitation = open_invitation(token, now=now)
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.token_hash != token_hash(token) or invitation.accepted_at is not None:
        raise InvitationUnusable
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at, invitation.token_hash = now, None
    invitation.save(update_fields=["accepted_at", "token_hash"])
    record(user, "invitation.accepted", user.email, user=user.pk)
    return user
