"""The pure rules: requirement specs, cycles, expiry, status and reminders (no database)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from certificates import eligibility as e

NOW = datetime(2026, 5, 3, 9, 0, tzinfo=UTC)


def test_it_reads_every_requirement_type():
    specs = e.parse_requirements(
        [
            {"type": "lessons", "course": "phone-etiquette-zh"},
            {"type": "quiz", "quiz": "final", "min_score": 80},
            {"type": "roleplay", "roleplay": "cursing-then-manager-zh"},
        ]
    )

    assert specs == [
        e.LessonsRequirement(course="phone-etiquette-zh"),
        e.QuizRequirement(quiz="final", min_score=80),
        e.RolePlayRequirement(roleplay="cursing-then-manager-zh"),
    ]
    assert [spec.to_dict() for spec in specs][1] == {
        "type": "quiz",
        "quiz": "final",
        "min_score": 80,
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "at least one requirement"),
        ([{"type": "essay"}], "unknown type 'essay'"),
        ([{"type": "quiz", "quiz": "final", "min_score": 120}], "from 1 to 100"),
        ([{"type": "lessons"}], "'course' must name"),
        ([{"type": "quiz", "quiz": "a"}, {"type": "quiz", "quiz": "a"}], "listed twice"),
    ],
)
def test_it_explains_a_malformed_requirement(raw, message):
    with pytest.raises(e.RequirementError, match=message):
        e.parse_requirements(raw)


def progress(done: int, total: int, available: bool = True) -> e.Progress:
    return e.Progress(e.LessonsRequirement("c"), "c", done, total, available=available)


def test_a_track_is_met_only_when_every_requirement_is():
    assert e.all_met([progress(2, 2), progress(1, 1)])
    assert not e.all_met([progress(2, 2), progress(0, 1)])
    assert not e.all_met([progress(0, 0)])  # an empty course certifies nothing
    assert not e.all_met([progress(1, 1, available=False)])  # role-plays not there yet
    assert not e.all_met([])


def test_the_first_certificate_counts_any_result():
    decision = e.next_cycle([], NOW)

    assert decision == e.CycleDecision(cycle=1, evidence_since=None, open=True)


def test_a_valid_certificate_keeps_the_cycle_closed_until_its_renewal_window():
    issued = NOW - timedelta(days=100)
    past = e.PastCertificate(cycle=1, issued_at=issued, expires_at=issued + timedelta(days=365))

    assert not e.next_cycle([past], NOW).open
    in_window = past.expires_at - timedelta(days=10)
    decision = e.next_cycle([past], in_window)
    assert decision.open and decision.cycle == 2
    assert decision.evidence_since == past.expires_at - e.RENEWAL_WINDOW


def test_after_a_revocation_only_results_after_it_count():
    revoked_at = NOW - timedelta(days=1)
    past = e.PastCertificate(1, NOW - timedelta(days=5), NOW + timedelta(days=300), revoked_at)

    decision = e.next_cycle([past], NOW)

    assert decision == e.CycleDecision(cycle=2, evidence_since=revoked_at, open=True)


def test_months_are_added_on_the_calendar():
    assert e.add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert e.add_months(datetime(2026, 11, 15, tzinfo=UTC), 12) == datetime(
        2027, 11, 15, tzinfo=UTC
    )
    assert e.add_months(datetime(2028, 2, 29, tzinfo=UTC), 12) == datetime(2029, 2, 28, tzinfo=UTC)


def test_status_comes_from_the_dates_and_revocation():
    expires = NOW + timedelta(days=1)

    assert e.certificate_status(now=NOW, expires_at=expires, revoked_at=None) == "valid"
    assert e.certificate_status(now=expires, expires_at=expires, revoked_at=None) == "expired"
    assert e.certificate_status(now=NOW, expires_at=expires, revoked_at=NOW) == "revoked"
    assert e.certificate_status(now=expires, expires_at=expires, revoked_at=NOW) == "revoked"


def test_reminders_are_due_30_and_7_days_before_expiry_once_each():
    expires = NOW + timedelta(days=60)

    def due(days_left: float, sent: list[int]) -> int | None:
        return e.reminder_due(
            expires_at=expires, now=expires - timedelta(days=days_left), already_sent=sent
        )

    assert due(31, []) is None
    assert due(30, []) == 30
    assert due(29, [30]) is None
    assert due(7, [30]) == 7
    assert due(3, [30, 7]) is None
    assert due(0, []) is None  # expired: too late to remind


def test_after_a_pause_only_the_most_urgent_reminder_is_sent():
    expires = NOW + timedelta(days=5)

    assert e.reminder_due(expires_at=expires, now=NOW, already_sent=[]) == 7


def test_dates_read_naturally_in_each_language():
    day = date(2026, 5, 3)

    assert e.format_date(day, "zh-hans") == "2026年5月3日"
    assert e.format_date(day, "ko") == "2026년 5월 3일"
    assert e.format_date(day, "en") == "3 May 2026"
