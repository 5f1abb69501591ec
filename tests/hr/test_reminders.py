"""Overdue reminders to learners and the weekly HR digest, each sent once, on a set clock."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from certificates import services
from certificates.models import HRDigest, LearnerReminder
from tests.factories import UserFactory
from tests.hr.conftest import certify, enrol

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in March 2026, 09:00 in Shanghai (ISO week 2026-W12).
MONDAY_9AM = datetime(2026, 3, 16, 9, 0, tzinfo=SHANGHAI)


def sent_by(run, at):  # type: ignore[no-untyped-def]
    before = len(mail.outbox)
    count = run(now=at)
    assert count == len(mail.outbox) - before
    return mail.outbox[before:]


def test_an_overdue_learner_is_reminded_once(track):
    late = enrol("杨磊", track, due=MONDAY_9AM.date() - timedelta(days=1))
    on_time = enrol("王芳", track, due=MONDAY_9AM.date() + timedelta(days=3))

    [reminder] = sent_by(services.send_overdue_reminders, MONDAY_9AM)
    later = sent_by(services.send_overdue_reminders, MONDAY_9AM + timedelta(hours=1))
    next_week = sent_by(services.send_overdue_reminders, MONDAY_9AM + timedelta(days=7))

    assert reminder.to == [late.email]
    assert "电话礼仪认证(一级)" in reminder.subject
    assert "2026" in reminder.body and "/certificates/" in reminder.body
    assert later == []
    assert [message.to for message in next_week] == [[on_time.email]]  # her turn came
    assert LearnerReminder.objects.filter(kind="overdue").count() == 2


def test_the_day_the_due_date_passes_nobody_is_woken_at_night(track):
    enrol("杨磊", track, due=MONDAY_9AM.date() - timedelta(days=1))

    at_night = sent_by(services.send_overdue_reminders, MONDAY_9AM.replace(hour=2))
    in_the_morning = sent_by(services.send_overdue_reminders, MONDAY_9AM.replace(hour=8))

    assert at_night == [] and len(in_the_morning) == 1


def test_certified_or_lapsed_people_get_no_overdue_reminder(track):
    now = MONDAY_9AM
    done = enrol("张伟", track, due=now.date() - timedelta(days=10))
    lapsed = enrol("陈静", track, due=now.date() - timedelta(days=400))
    certify(done, track, issued=now - timedelta(days=5), expires=now + timedelta(days=360))
    certify(lapsed, track, issued=now - timedelta(days=370), expires=now - timedelta(days=5))

    assert sent_by(services.send_overdue_reminders, now) == []


def test_a_failed_send_is_tried_again_on_the_next_run(track, monkeypatch):
    enrol("杨磊", track, due=MONDAY_9AM.date() - timedelta(days=1))
    real_mail = services._mail

    def down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "_mail", down)
    assert services.send_overdue_reminders(now=MONDAY_9AM) == 0
    monkeypatch.setattr(services, "_mail", real_mail)

    assert len(sent_by(services.send_overdue_reminders, MONDAY_9AM + timedelta(hours=1))) == 1


def test_hr_gets_one_digest_a_week_from_monday_morning(track, hr, learner, trainer):
    enrol("杨磊", track, due=MONDAY_9AM.date() - timedelta(days=2))
    expiring = enrol("刘洋", track, due=MONDAY_9AM.date() - timedelta(days=300))
    certify(
        expiring,
        track,
        issued=MONDAY_9AM - timedelta(days=350),
        expires=MONDAY_9AM + timedelta(days=15),
    )
    sunday = MONDAY_9AM - timedelta(days=1)

    before_the_week = sent_by(services.send_hr_digests, MONDAY_9AM.replace(hour=7))
    [digest] = sent_by(services.send_hr_digests, MONDAY_9AM)
    same_week = sent_by(services.send_hr_digests, MONDAY_9AM + timedelta(days=3))
    next_week = sent_by(services.send_hr_digests, MONDAY_9AM + timedelta(days=7))

    assert len(sent_by(services.send_hr_digests, sunday)) == 1  # last week's, sent late
    assert before_the_week == []
    assert digest.to == [hr.email]
    assert "2026-W12" in digest.subject
    assert "杨磊" in digest.body and "刘洋" in digest.body
    assert "/hr/?status=overdue" in digest.body
    assert same_week == [] and len(next_week) == 1
    assert set(HRDigest.objects.values_list("week", flat=True)) == {
        "2026-W11",
        "2026-W12",
        "2026-W13",
    }


def test_every_hr_person_gets_their_own_digest(track, hr):
    colleague = UserFactory(email="hr2@example.com", name="周人事", roles=["HR", "Learner"])
    UserFactory(email="left@example.com", roles=["HR"], is_active=False)

    digests = sent_by(services.send_hr_digests, MONDAY_9AM)

    assert sorted(message.to[0] for message in digests) == sorted([hr.email, colleague.email])


def test_the_digest_counts_agree_with_the_dashboard(client, one_of_each, hr):
    from django.urls import reverse

    from certificates.status import STATUSES

    client.force_login(hr)
    board = client.get(reverse("hr-dashboard")).context["board"]
    digest = services.build_digest(now=datetime.now(tz=SHANGHAI))

    assert {name: digest.totals.get(name, 0) for name in STATUSES} == {
        name: board.totals.get(name, 0) for name in STATUSES
    }
