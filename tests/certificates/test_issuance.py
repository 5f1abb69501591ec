"""Evaluation issues a certificate exactly once per cycle, with history and fresh evidence."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from core.models import AuditEntry
from tests.factories import CertificateFactory

from .conftest import meet_track, read_every_lesson, take_quiz

pytestmark = pytest.mark.django_db


def test_a_learner_who_meets_every_requirement_is_certified(learner, track):
    meet_track(learner)

    issued = services.evaluate_tracks(user=learner)

    [certificate] = issued
    assert certificate.learner_name == "李小满"
    assert certificate.track == track and certificate.cycle == 1
    assert certificate.is_valid
    assert re.fullmatch(r"LS-\d{4}-\d{6}", certificate.serial)
    assert certificate.expires_at.year == certificate.issued_at.year + 1
    assert {"kind": "quiz", "label": "结业认证测验", "score": 92, "needed": 80} in (
        certificate.score_summary
    )


def test_the_verification_code_is_long_random_and_url_safe(learner, outsider, track):
    meet_track(learner)
    meet_track(outsider)

    codes = [cert.verification_code for cert in services.evaluate_tracks(user=learner)]
    codes += [cert.verification_code for cert in services.evaluate_tracks(user=outsider)]

    assert len(set(codes)) == 2
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", code)  # 24 random bytes = 192 bits


def test_nothing_is_issued_while_a_requirement_is_missing(learner, track):
    read_every_lesson(learner)
    take_quiz(learner, 75)

    assert services.evaluate_tracks(user=learner) == []
    assert not Certificate.objects.exists()


def test_evaluating_again_issues_nothing_new(learner, track):
    meet_track(learner)
    services.evaluate_tracks(user=learner)

    again = services.evaluate_tracks(user=learner)

    assert again == []
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_for_the_same_cycle(learner, track):
    CertificateFactory(user=learner, track=track, cycle=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(user=learner, track=track, cycle=1)


def test_a_lost_race_at_the_constraint_issues_nothing_and_keeps_the_first(learner, track):
    meet_track(learner)
    first = services.evaluate_tracks(user=learner)[0]
    progress = services.requirements.measure_track(track, user=learner)

    # An evaluation that decided on stale facts reaches the insert: the constraint stops it.
    late = services._create_certificate(learner, track, 1, progress, timezone.now())

    assert late is None
    assert list(Certificate.objects.all()) == [first]


def test_the_learner_is_told_by_e_mail(learner, track, django_capture_on_commit_callbacks):
    meet_track(learner)

    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.evaluate_tracks(user=learner)[0]

    [message] = mail.outbox
    assert message.to == ["learner@example.com"]
    assert certificate.serial in message.body
    assert certificate.verify_url in message.body


def test_issuing_is_audit_logged(learner, track):
    meet_track(learner)

    certificate = services.evaluate_tracks(user=learner)[0]

    entry = AuditEntry.objects.get(action="certificate.issued")
    assert entry.details["certificate"] == certificate.pk
    assert entry.actor == learner


def test_an_expired_certificate_is_renewed_only_by_passing_again(learner, track):
    meet_track(learner)
    first = services.evaluate_tracks(user=learner)[0]
    later = first.expires_at + timedelta(days=3)

    assert services.evaluate_tracks(user=learner, now=later) == []  # old results do not count

    take_quiz(learner, 85, at=later)
    [renewed] = services.evaluate_tracks(user=learner, now=later)

    assert renewed.cycle == 2
    assert renewed.issued_at == later and renewed.expires_at > first.expires_at
    assert renewed.verification_code != first.verification_code
    first.refresh_from_db()
    assert first.status_at(later) == "expired"  # history kept
    assert Certificate.objects.filter(user=learner).count() == 2


def test_passing_again_in_the_renewal_window_renews_before_expiry(learner, track):
    meet_track(learner)
    first = services.evaluate_tracks(user=learner)[0]
    in_window = first.expires_at - timedelta(days=20)
    take_quiz(learner, 90, at=in_window)

    [renewed] = services.evaluate_tracks(user=learner, now=in_window)

    assert renewed.cycle == 2
    assert first.status_at(in_window) == "valid"


def test_a_pass_outside_the_renewal_window_does_not_renew(learner, track):
    meet_track(learner)
    first = services.evaluate_tracks(user=learner)[0]
    early = first.expires_at - timedelta(days=90)
    take_quiz(learner, 100, at=early)

    assert services.evaluate_tracks(user=learner, now=early) == []


def test_after_revocation_a_new_pass_is_needed(learner, hr, track):
    meet_track(learner)
    first = services.evaluate_tracks(user=learner)[0]
    services.revoke_certificate(certificate=first, actor=hr, reason="考试作弊")

    assert services.evaluate_tracks(user=learner) == []

    take_quiz(learner, 88, at=timezone.now() + timedelta(seconds=1))
    [second] = services.evaluate_tracks(user=learner, now=timezone.now() + timedelta(seconds=2))
    assert second.cycle == 2


def test_role_play_requirements_wait_until_role_plays_exist(learner, track, monkeypatch):
    from scenarios import services as scenario_services

    monkeypatch.delattr(scenario_services, "roleplay_passed", raising=False)
    track.requirements = [*track.requirements, {"type": "roleplay", "roleplay": "angry-caller"}]
    track.save()
    meet_track(learner)

    progress = services.track_progress(user=learner, track=track)

    assert services.evaluate_tracks(user=learner) == []
    roleplay = progress.requirements[-1]
    assert roleplay.kind == "roleplay" and not roleplay.available and not roleplay.met


def test_a_role_play_not_passed_keeps_the_track_unmet(learner, track):
    track.requirements = [*track.requirements, {"type": "roleplay", "roleplay": "angry-caller"}]
    track.save()
    meet_track(learner)

    assert services.evaluate_tracks(user=learner) == []


def test_role_play_requirements_ask_the_scenarios_app(learner, track, monkeypatch):
    from scenarios import services as scenario_services

    asked = []

    def roleplay_passed(user, slug, *, since=None):  # type: ignore[no-untyped-def]
        asked.append((user, slug, since))
        return True

    monkeypatch.setattr(scenario_services, "roleplay_passed", roleplay_passed, raising=False)
    track.requirements = [*track.requirements, {"type": "roleplay", "roleplay": "angry-caller"}]
    track.save()
    meet_track(learner)

    [certificate] = services.evaluate_tracks(user=learner)

    assert asked == [(learner, "angry-caller", None)]
    assert certificate.score_summary[-1] == {"kind": "roleplay", "label": "angry-caller"}


def test_the_evaluation_task_issues_for_the_learner(learner, track):
    from certificates.tasks import evaluate_learner

    meet_track(learner)

    ids = evaluate_learner.run(learner.pk)

    assert ids == [Certificate.objects.get(user=learner).pk]
    assert evaluate_learner.run(learner.pk) == []
    assert evaluate_learner.run(999999) == []


def test_schedule_evaluation_enqueues_after_commit(
    learner, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates import tasks

    sent = []
    monkeypatch.setattr(tasks.evaluate_learner, "delay", lambda user_id: sent.append(user_id))

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_evaluation(user_id=learner.pk)
        assert sent == []

    assert sent == [learner.pk]


def test_a_broker_outage_never_fails_the_caller(
    learner, monkeypatch, django_capture_on_commit_callbacks
):
    from certificates import tasks

    def broken(user_id):  # type: ignore[no-untyped-def]
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.evaluate_learner, "delay", broken)

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_evaluation(user_id=learner.pk)
