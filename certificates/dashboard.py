"""HR's certification status board: filters, counts, rows, charts and the learner page.

Every number and row comes from `Assignment.objects.with_status()` (certificates.status), so
the page, its CSV/XLSX exports, the learner page, the reminders and the digest agree. The
default view costs a fixed number of queries whatever the number of people: one grouped
count (every card, chart and per-department/cohort table is folded from it), one page of
rows, one monthly count, and the three short lists the filters offer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Cohort, Department, Invitation
from core.models import AuditEntry
from quizzes.models import Attempt

from . import charts, services, status
from .models import Assignment, Certificate, LearnerReminder, Track

PAGE_SIZE = 50
MONTHS_CHARTED = 12

# Sort keys people can click, and the columns each orders by (ties broken by name).
SORTS: dict[str, tuple[str, ...]] = {
    "status": ("status_code", "due_date"),
    "name": ("user__name", "user__email"),
    "department": ("user__department__name",),
    "cohort": ("user__cohort__name",),
    "track": ("track__position", "track__slug"),
    "due_date": ("due_date",),
}
DEFAULT_SORT = "status"


# --- filters -----------------------------------------------------------------------------------


def _int_or_none(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if number > 0 else None


@dataclass(frozen=True)
class Filters:
    """What HR asked for, from the query string (unknown values are ignored, never errors)."""

    query: str = ""
    department: int | None = None
    cohort: int | None = None
    track: int | None = None
    status: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = False
    page: str = "1"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        sort = params.get("sort", "") or DEFAULT_SORT
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        return cls(
            query=" ".join(params.get("q", "").split())[:100],
            department=_int_or_none(params.get("department")),
            cohort=_int_or_none(params.get("cohort")),
            track=_int_or_none(params.get("track")),
            status=params.get("status", "") if params.get("status") in status.CODE else "",
            sort=sort if sort in SORTS else DEFAULT_SORT,
            descending=descending and sort in SORTS,
            page=params.get("page", "1")[:6],
        )

    @property
    def sort_param(self) -> str:
        return f"-{self.sort}" if self.descending else self.sort

    @property
    def narrowed(self) -> bool:
        """Anything but the default view."""
        return bool(self.query or self.department or self.cohort or self.track or self.status)


def population(filters: Filters) -> QuerySet[Assignment]:
    """Assignments of active people matching the filters, whatever their status."""
    assignments = Assignment.objects.filter(user__is_active=True)
    if filters.department:
        assignments = assignments.filter(user__department_id=filters.department)
    if filters.cohort:
        assignments = assignments.filter(user__cohort_id=filters.cohort)
    if filters.track:
        assignments = assignments.filter(track_id=filters.track)
    if filters.query:
        assignments = assignments.filter(
            Q(user__name__icontains=filters.query)
            | Q(user__email__icontains=filters.query)
            | Q(user__employee_number__icontains=filters.query)
        )
    return assignments


def _ordering(filters: Filters) -> list[str]:
    sign = "-" if filters.descending else ""
    columns = [sign + column for column in SORTS[filters.sort]]
    if filters.status and filters.sort == "status":
        # One status shown: ordering by it would only make the database compute it again.
        columns = columns[1:]
    return [*columns, "user__name", "user__email", "pk"]


# --- rows (the page and the exports) -----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Any


# The page's table and both exports show exactly these, in this order.
COLUMNS: tuple[Column, ...] = (
    Column("name", _("Learner")),
    Column("employee_number", _("Employee number")),
    Column("email", _("E-mail")),
    Column("department", _("Department")),
    Column("cohort", _("Cohort")),
    Column("track", _("Track")),
    Column("due_date", _("Due date")),
    Column("status", _("Status")),
    Column("certificate_expires", _("Certificate expiry")),
    Column("best_score", _("Best quiz score")),
)


@dataclass(frozen=True)
class Header:
    """A column heading; sortable ones link to their sort (again: the other way round)."""

    column: Column
    sortable: bool
    next_sort: str = ""
    aria_sort: str = ""


def headers(filters: Filters) -> list[Header]:
    result = []
    for column in COLUMNS:
        if column.key not in SORTS:
            result.append(Header(column=column, sortable=False))
            continue
        current = filters.sort == column.key
        descending = current and not filters.descending
        result.append(
            Header(
                column=column,
                sortable=True,
                next_sort=f"-{column.key}" if descending else column.key,
                aria_sort=("descending" if filters.descending else "ascending") if current else "",
            )
        )
    return result


ROW_FIELDS = (
    "pk",
    "user_id",
    "track_id",
    "user__name",
    "user__email",
    "user__employee_number",
    "user__department__name",
    "user__cohort__name",
    "due_date",
    "status_code",
    "certificate_id",
    "certificate_expires_at",
    "best_score",
)


@dataclass(frozen=True)
class StatusRow:
    assignment_id: int
    user_id: int
    name: str
    email: str
    employee_number: str
    department: str
    cohort: str
    track: str
    due_date: date | None
    status: str
    certificate_id: int | None
    certificate_expires_at: datetime | None
    best_score: int | None

    @property
    def status_label(self) -> str:
        return status.label(self.status)

    @property
    def status_tone(self) -> str:
        return status.TONES[self.status]

    @property
    def certificate_expires(self) -> date | None:
        if self.certificate_expires_at is None:
            return None
        return timezone.localdate(self.certificate_expires_at)

    @property
    def cells(self) -> list[tuple[Column, Any]]:
        """(column, value) in COLUMNS order: the page renders these, the exports write them."""
        values: dict[str, Any] = {
            "name": self.name,
            "employee_number": self.employee_number,
            "email": self.email,
            "department": self.department,
            "cohort": self.cohort,
            "track": self.track,
            "due_date": self.due_date,
            "status": self.status_label,
            "certificate_expires": self.certificate_expires,
            "best_score": self.best_score,
        }
        return [(column, values[column.key]) for column in COLUMNS]

    def values(self) -> list[Any]:
        """The cells as plain values (dates stay dates, for XLSX)."""
        return [value for _column, value in self.cells]


def _row(values: Mapping[str, Any], track_titles: Mapping[int, str]) -> StatusRow:
    return StatusRow(
        assignment_id=values["pk"],
        user_id=values["user_id"],
        name=values["user__name"] or values["user__email"].split("@", 1)[0],
        email=values["user__email"],
        employee_number=values["user__employee_number"] or "",
        department=values["user__department__name"] or "",
        cohort=values["user__cohort__name"] or "",
        track=track_titles.get(values["track_id"], ""),
        due_date=values["due_date"],
        status=status.status_name(values["status_code"]),
        certificate_id=values["certificate_id"],
        certificate_expires_at=values["certificate_expires_at"],
        best_score=values["best_score"],
    )


def row_queryset(filters: Filters, *, now: datetime, tracks: Sequence[Track]) -> QuerySet[Any]:
    assignments = status.annotate_status(population(filters), now=now, tracks=tracks)
    assignments = status.with_status_filter(assignments, filters.status)
    assignments = status.annotate_details(assignments, now=now, tracks=tracks)
    return assignments.order_by(*_ordering(filters)).values(*ROW_FIELDS)


def iter_rows(filters: Filters, *, now: datetime | None = None) -> Iterator[StatusRow]:
    """Every row of the filtered view, in the page's order (for the exports)."""
    tracks = list(Track.objects.all())
    titles = {track.pk: track.title for track in tracks}
    rows = row_queryset(filters, now=now or timezone.now(), tracks=tracks)
    with status.without_jit():
        for values in rows.iterator(chunk_size=2000):
            yield _row(values, titles)


class _KnownCountPaginator(Paginator):
    """The grouped counts already know how many rows match: no COUNT(*) query."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count


# --- counts and tables -------------------------------------------------------------------------


@dataclass
class GroupRow:
    """One department or cohort: how many people stand where."""

    pk: int | None
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(name, self.counts.get(name, 0)) for name in status.STATUSES]


@dataclass
class Dashboard:
    filters: Filters
    totals: dict[str, int]
    by_department: list[GroupRow]
    by_cohort: list[GroupRow]
    page: Page
    status_chart: charts.Chart
    monthly_chart: charts.Chart
    months: list[tuple[date, int]]
    departments: list[Department]
    cohorts: list[Cohort]
    tracks: list[Track]
    columns: tuple[Column, ...] = COLUMNS

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def headers(self) -> list[Header]:
        return headers(self.filters)

    @property
    def sort_choices(self) -> list[tuple[str, str]]:
        """Every sort as (parameter, label), for the form (the table's headings do the same)."""
        labels = {column.key: str(column.label) for column in COLUMNS}
        choices = [("status", str(_("Most urgent first")))]
        for key in SORTS:
            if key != "status":
                choices.append((key, f"{labels[key]} ↑"))
                choices.append((f"-{key}", f"{labels[key]} ↓"))
        choices.append(("-status", str(_("Most urgent last"))))
        return choices

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return [(name, status.label(name)) for name in status.STATUSES]

    @property
    def cards(self) -> list[tuple[str, str, int, str]]:
        """(status, label, count, tone) in reading order."""
        return [
            (name, status.label(name), self.totals.get(name, 0), status.TONES[name])
            for name in status.STATUSES
        ]


def _grouped_counts(
    filters: Filters, now: datetime, tracks: Sequence[Track]
) -> list[tuple[int | None, int | None, str, int]]:
    assignments = status.annotate_status(population(filters), now=now, tracks=tracks)
    grouped = (
        assignments.order_by()
        .values("user__department_id", "user__cohort_id", "status_code")
        .annotate(n=Count("pk"))
    )
    return [
        (
            row["user__department_id"],
            row["user__cohort_id"],
            status.status_name(row["status_code"]),
            row["n"],
        )
        for row in grouped
    ]


def _group_rows(
    counts: Sequence[tuple[int | None, str, int]], names: Mapping[int, str], nobody: str
) -> list[GroupRow]:
    groups: dict[int | None, GroupRow] = {}
    for pk, name, n in counts:
        group = groups.setdefault(pk, GroupRow(pk=pk, name=names.get(pk, nobody) if pk else nobody))
        group.counts[name] = group.counts.get(name, 0) + n
    return sorted(groups.values(), key=lambda group: (group.pk is None, group.name))


def _month_starts(now: datetime, count: int) -> list[date]:
    today = timezone.localdate(now)
    year, month = today.year, today.month
    starts = []
    for _index in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def certifications_per_month(filters: Filters, *, now: datetime) -> list[tuple[date, int]]:
    """Certificates issued per month over the last twelve months, for the filtered people."""
    starts = _month_starts(now, MONTHS_CHARTED)
    first = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1))
    issued = Certificate.objects.filter(issued_at__gte=first, user__is_active=True)
    if filters.department:
        issued = issued.filter(user__department_id=filters.department)
    if filters.cohort:
        issued = issued.filter(user__cohort_id=filters.cohort)
    if filters.track:
        issued = issued.filter(track_id=filters.track)
    if filters.query:
        issued = issued.filter(
            Q(user__name__icontains=filters.query)
            | Q(user__email__icontains=filters.query)
            | Q(user__employee_number__icontains=filters.query)
        )
    per_month = (
        issued.order_by()
        .annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    counts: dict[date, int] = defaultdict(int)
    for row in per_month:
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, datetime) else month
        counts[month.replace(day=1)] += row["n"]
    return [(start, counts.get(start, 0)) for start in starts]


def _monthly_chart(months: list[tuple[date, int]]) -> charts.Chart:
    items = []
    for index, (start, n) in enumerate(months):
        caption = str(start.year) if index == 0 or start.month == 1 else ""
        items.append((f"{start.month:02d}", n, caption))
    return charts.columns(items)


def build_dashboard(*, filters: Filters, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    with status.without_jit():
        return _build_dashboard(filters, now)


def _build_dashboard(filters: Filters, now: datetime) -> Dashboard:
    tracks = list(Track.objects.order_by("position", "slug"))
    departments = list(Department.objects.all())
    cohorts = list(Cohort.objects.all())
    grouped = _grouped_counts(filters, now, tracks)
    totals: dict[str, int] = defaultdict(int)
    for _dept, _cohort, name, n in grouped:
        totals[name] += n
    matching = totals.get(filters.status, 0) if filters.status else sum(totals.values())
    titles = {track.pk: track.title for track in tracks}
    paginator = _KnownCountPaginator(
        row_queryset(filters, now=now, tracks=tracks), PAGE_SIZE, matching
    )
    page = paginator.get_page(filters.page)
    page.object_list = [_row(values, titles) for values in page.object_list]
    months = certifications_per_month(filters, now=now)
    return Dashboard(
        filters=filters,
        totals=dict(totals),
        by_department=_group_rows(
            [(d, name, n) for d, _c, name, n in grouped],
            {d.pk: d.name for d in departments},
            str(_("No department")),
        ),
        by_cohort=_group_rows(
            [(c, name, n) for _d, c, name, n in grouped],
            {c.pk: c.name for c in cohorts},
            str(_("No cohort")),
        ),
        page=page,
        status_chart=charts.horizontal_bars(
            [
                (status.label(name), totals.get(name, 0), f"status-{name}")
                for name in status.STATUSES
            ]
        ),
        monthly_chart=_monthly_chart(months),
        months=months,
        departments=departments,
        cohorts=cohorts,
        tracks=tracks,
    )


# --- one learner -------------------------------------------------------------------------------


@dataclass
class LearnerTrack:
    assignment: Assignment
    status: str
    progress: services.TrackProgress
    reminders: list[LearnerReminder]

    @property
    def status_label(self) -> str:
        return status.label(self.status)

    @property
    def status_tone(self) -> str:
        return status.TONES[self.status]


@dataclass
class LearnerOverview:
    person: Any
    tracks: list[LearnerTrack]
    attempts: list[Attempt]
    roleplays: list[Any]
    certificates: list[Certificate]
    invitation: Invitation | None


def learner_overview(*, person: Any, now: datetime | None = None) -> LearnerOverview:
    """One person's standing: status and progress per assigned track, quiz attempts with
    scores, role-play results (scores only: reply texts are for trainers) and certificates."""
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.with_status(now)
        .filter(user=person)
        .select_related("track")
        .prefetch_related("reminders")
    )
    tracks = [
        LearnerTrack(
            assignment=assignment,
            status=assignment.status,
            progress=services.track_progress(
                user=person, track=assignment.track, assignment=assignment
            ),
            reminders=list(assignment.reminders.all()),
        )
        for assignment in assignments
    ]
    return LearnerOverview(
        person=person,
        tracks=tracks,
        attempts=list(
            Attempt.objects.filter(user=person).select_related("quiz").order_by("-started_at")[:50]
        ),
        roleplays=_roleplay_results(person),
        certificates=list(services.learner_certificates(user=person)),
        invitation=Invitation.objects.filter(user=person).first(),
    )


def _roleplay_results(person: Any) -> list[Any]:
    from scenarios.models import RolePlaySession

    return list(
        RolePlaySession.objects.filter(user=person, is_trial=False)
        .select_related("roleplay")
        .only(
            "pk",
            "mode",
            "status",
            "started_at",
            "finished_at",
            "score",
            "passed",
            "critical_violation",
            "roleplay__title",
            "roleplay__slug",
        )
        .order_by("-started_at")[:50]
    )


# --- the audit log -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    who: str = ""
    target: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> AuditFilters:
        return cls(
            action=params.get("action", "")[:60],
            who=" ".join(params.get("who", "").split())[:100],
            target=" ".join(params.get("target", "").split())[:100],
            since=_date_or_none(params.get("since")),
            until=_date_or_none(params.get("until")),
        )

    def querystring(self) -> str:
        values = {
            "action": self.action,
            "who": self.who,
            "target": self.target,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return urlencode({key: value for key, value in values.items() if value})


def _date_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The audit log, newest first. `action` matches a whole action or a family ("people.")."""
    entries = AuditEntry.objects.select_related("actor")
    if filters.action.endswith("."):
        entries = entries.filter(action__startswith=filters.action)
    elif filters.action:
        entries = entries.filter(action=filters.action)
    if filters.who:
        entries = entries.filter(
            Q(actor__name__icontains=filters.who) | Q(actor__email__icontains=filters.who)
        )
    if filters.target:
        entries = entries.filter(target__icontains=filters.target)
    if filters.since:
        entries = entries.filter(at__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_start_of(filters.until, days=1))
    return entries


def _start_of(day: date, days: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=days), datetime.min.time()))


def audit_actions() -> list[tuple[str, list[str]]]:
    """Recorded actions by family ("people", "certificate", …), for the filter."""
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    families: dict[str, list[str]] = defaultdict(list)
    for action in actions:
        families[action.split(".", 1)[0]].append(action)
    return sorted(families.items())


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    details: list[tuple[str, str]]


def _detail_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "、".join(_detail_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}={_detail_text(item)}" for key, item in value.items())
    return str(value)


def audit_lines(entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """Entries with their details as short texts (lists joined, nothing as Python reprs)."""
    return [
        AuditLine(
            entry=entry,
            details=[(str(key), _detail_text(value)) for key, value in entry.details.items()],
        )
        for entry in entries
    ]


def describe_filters(filters: Filters) -> dict[str, str]:
    """The filters as people read them (names, not ids), for the audit log."""
    described = {"q": filters.query, "status": filters.status, "sort": filters.sort_param}
    if filters.department:
        department = Department.objects.filter(pk=filters.department).first()
        described["department"] = department.name if department else str(filters.department)
    if filters.cohort:
        cohort = Cohort.objects.filter(pk=filters.cohort).first()
        described["cohort"] = cohort.name if cohort else str(filters.cohort)
    if filters.track:
        track = Track.objects.filter(pk=filters.track).first()
        described["track"] = track.slug if track else str(filters.track)
    return {key: value for key, value in described.items() if value}
