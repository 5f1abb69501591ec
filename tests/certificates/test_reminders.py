"""Reminder e-mails 30 and 7 days before expiry, each once, on a controlled clock."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates import services
from certificates.models import ExpiryReminder
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner):  # type: ignore[no-untyped-def]
    issued = timezone.now()
    return CertificateFactory(
        user=learner, issued_at=issued, expires_at=issued + timedelta(days=365)
    )


def run_beat(at):  # type: ignore[no-untyped-def]
    before = len(mail.outbox)
    sent = services.send_expiry_reminders(now=at)
    assert sent == len(mail.outbox) - before
    return mail.outbox[before:]


def test_reminders_go_out_30_and_7_days_before_expiry_once_each(certificate):
    expires = certificate.expires_at

    assert run_beat(expires - timedelta(days=31)) == []
    [first] = run_beat(expires - timedelta(days=30))
    assert run_beat(expires - timedelta(days=30, hours=-1)) == []  # the next hourly run
    assert run_beat(expires - timedelta(days=8)) == []
    [second] = run_beat(expires - timedelta(days=7))
    assert run_beat(expires - timedelta(days=6)) == []
    assert run_beat(expires + timedelta(days=1)) == []  # expired: nothing more

    assert first.to == second.to == ["learner@example.com"]
    assert "30" in first.subject and "7" in second.subject
    assert certificate.serial in first.body
    assert sorted(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7, 30]


def test_reminders_speak_the_learners_language(certificate):
    korean = UserFactory(email="minsu@example.com", name="김민수", preferred_language="ko")
    other = CertificateFactory(
        user=korean, issued_at=certificate.issued_at, expires_at=certificate.expires_at
    )

    messages = run_beat(certificate.expires_at - timedelta(days=30))

    by_person = {message.to[0]: message for message in messages}
    assert "전화 예절 인증(1급)" in by_person["minsu@example.com"].subject
    assert "电话礼仪认证(一级)" in by_person["learner@example.com"].subject
    assert other.serial in by_person["minsu@example.com"].body


def test_a_renewed_or_revoked_certificate_gets_no_reminder(certificate, learner, hr):
    CertificateFactory(
        user=learner,
        track=certificate.track,
        cycle=2,
        issued_at=certificate.expires_at - timedelta(days=40),
        expires_at=certificate.expires_at + timedelta(days=365),
    )
    revoked = CertificateFactory(issued_at=certificate.issued_at, expires_at=certificate.expires_at)
    services.revoke_certificate(certificate=revoked, actor=hr, reason="违规")

    assert run_beat(certificate.expires_at - timedelta(days=30)) == []


def test_a_failed_send_is_retried_on_the_next_run(certificate, monkeypatch):
    at = certificate.expires_at - timedelta(days=30)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("SMTP down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert services.send_expiry_reminders(now=at) == 0
    assert not ExpiryReminder.objects.exists()

    monkeypatch.undo()
    assert len(run_beat(at)) == 1


def test_the_beat_task_runs_the_service(certificate, monkeypatch):
    from certificates.tasks import send_expiry_reminders

    seen = []
    monkeypatch.setattr(services, "send_expiry_reminders", lambda: seen.append(True) or 3)

    assert send_expiry_reminders.run() == 3
    assert seen == [True]
