"""Pure certification logic: requirement specs, progress, cycles, expiry, status and reminders.

No Django, no database and no clock: callers pass the facts and `now`, so every rule here is
tested with plain values.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

# How long before expiry a learner may recertify; passes from then on count for the next cycle.
RENEWAL_WINDOW = timedelta(days=30)
# Reminder e-mails, in days before expiry.
REMINDER_DAYS: tuple[int, ...] = (30, 7)

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"


class RequirementError(ValueError):
    """A track's requirement list is malformed (the message says which entry and why)."""


# --- requirement specs ---------------------------------------------------------------------


@dataclass(frozen=True)
class LessonsRequirement:
    """Every published lesson of a course marked as read."""

    course: str
    kind: str = "lessons"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "course": self.course}


@dataclass(frozen=True)
class QuizRequirement:
    """A finished attempt at a quiz scoring at least `min_score` (None: the quiz's pass mark)."""

    quiz: str
    min_score: int | None = None
    kind: str = "quiz"

    def to_dict(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": self.kind, "quiz": self.quiz}
        if self.min_score is not None:
            spec["min_score"] = self.min_score
        return spec


@dataclass(frozen=True)
class RolePlayRequirement:
    """A role-play passed with no critical violation."""

    roleplay: str
    kind: str = "roleplay"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.kind, "roleplay": self.roleplay}


Requirement = LessonsRequirement | QuizRequirement | RolePlayRequirement


def _slug_field(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RequirementError(f"{where}: '{key}' must name a {key} by its slug")
    return value.strip()


def _parse_one(entry: Any, where: str) -> Requirement:
    if not isinstance(entry, Mapping):
        raise RequirementError(f"{where}: expected a mapping with a 'type'")
    kind = entry.get("type")
    if kind == "lessons":
        return LessonsRequirement(course=_slug_field(entry, "course", where))
    if kind == "quiz":
        min_score = entry.get("min_score")
        valid_score = isinstance(min_score, int) and not isinstance(min_score, bool)
        if min_score is not None and not (valid_score and 0 < min_score <= 100):
            raise RequirementError(f"{where}: 'min_score' must be a whole number from 1 to 100")
        return QuizRequirement(quiz=_slug_field(entry, "quiz", where), min_score=min_score)
    if kind == "roleplay":
        return RolePlayRequirement(roleplay=_slug_field(entry, "roleplay", where))
    raise RequirementError(f"{where}: unknown type {kind!r} (lessons, quiz or roleplay)")


def parse_requirements(raw: Any) -> list[Requirement]:
    """Validate a track's requirement list (as written in content or stored) into specs."""
    if not isinstance(raw, list) or not raw:
        raise RequirementError("requirements: a track needs at least one requirement")
    parsed = [_parse_one(entry, f"requirements[{index}]") for index, entry in enumerate(raw)]
    if len(set(parsed)) != len(parsed):
        raise RequirementError("requirements: the same requirement is listed twice")
    return parsed


# --- progress ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How far one learner is with one requirement.

    `done`/`total` count lessons read, or 1/1 for a passed quiz or role-play. `available` is
    False when the thing cannot be checked on this site yet (e.g. role-plays before they
    exist): such a requirement is never met.
    """

    requirement: Requirement
    label: str
    done: int
    total: int
    url: str = ""
    score: int | None = None
    needed: int | None = None
    available: bool = True

    @property
    def kind(self) -> str:
        return self.requirement.kind

    @property
    def met(self) -> bool:
        return self.available and self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    def summary(self) -> dict[str, Any]:
        """What the certificate keeps of this requirement (its score summary line)."""
        line: dict[str, Any] = {"kind": self.kind, "label": self.label}
        if self.kind == "lessons":
            line.update(done=self.done, total=self.total)
        if self.score is not None:
            line.update(score=self.score, needed=self.needed)
        return line


def all_met(progress: Sequence[Progress]) -> bool:
    return bool(progress) and all(item.met for item in progress)


def overall_percent(progress: Sequence[Progress]) -> int:
    """Progress over a track: each requirement weighs the same."""
    if not progress:
        return 0
    return round(sum(item.percent for item in progress) / len(progress))


# --- cycles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PastCertificate:
    cycle: int
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class CycleDecision:
    """Which cycle a new certificate would belong to, and from when evidence counts for it.

    `evidence_since` None means any result ever counts (the first certificate). `open` is
    False while the current certificate is valid and outside its renewal window.
    """

    cycle: int
    evidence_since: datetime | None
    open: bool


def next_cycle(
    history: Iterable[PastCertificate], now: datetime, renewal_window: timedelta = RENEWAL_WINDOW
) -> CycleDecision:
    """Decide whether a learner may be certified now, and on which evidence.

    A recertification needs fresh quiz and role-play passes: from the start of the renewal
    window of the latest certificate, or from its revocation. Otherwise an expired or revoked
    certificate would be reissued at once from the results that earned it.
    """
    latest = max(history, key=lambda past: past.cycle, default=None)
    if latest is None:
        return CycleDecision(cycle=1, evidence_since=None, open=True)
    if latest.revoked_at is not None:
        return CycleDecision(cycle=latest.cycle + 1, evidence_since=latest.revoked_at, open=True)
    window_opens = latest.expires_at - renewal_window
    return CycleDecision(
        cycle=latest.cycle + 1, evidence_since=window_opens, open=now >= window_opens
    )


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def certificate_status(*, now: datetime, expires_at: datetime, revoked_at: datetime | None) -> str:
    """valid, expired or revoked: computed from the dates, so it never goes stale."""
    if revoked_at is not None and revoked_at <= now:
        return REVOKED
    if now >= expires_at:
        return EXPIRED
    return VALID


# --- reminders -------------------------------------------------------------------------------


def reminder_due(
    *,
    expires_at: datetime,
    now: datetime,
    already_sent: Iterable[int],
    days: Sequence[int] = REMINDER_DAYS,
) -> int | None:
    """The reminder (days before expiry) to send now, or None.

    Only the most urgent one that is due is sent: after a pause (beat was down) a learner
    gets the 7-day reminder, not the 30-day one as well. Nothing once the certificate expired.
    """
    if now >= expires_at:
        return None
    due = [day for day in days if now >= expires_at - timedelta(days=day)]
    if not due:
        return None
    most_urgent = min(due)
    if any(sent <= most_urgent for sent in already_sent):
        return None
    return most_urgent


# --- presentation ----------------------------------------------------------------------------


def format_date(day: date, language: str) -> str:
    """A date as people write it in the certificate's language."""
    code = (language or "").lower()
    if code.startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    if code.startswith("ko"):
        return f"{day.year}년 {day.month}월 {day.day}일"
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def serial_number(pk: int, issued_at: datetime) -> str:
    """Human-readable and sortable; the unguessable part is the verification code."""
    return f"LS-{issued_at:%Y}-{pk:06d}"
