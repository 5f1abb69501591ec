"""My certificates, the home section and the certificate page, as a learner sees them."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests.factories import AssignmentFactory, CertificateFactory, TrackFactory

from .conftest import meet_track, read_every_lesson

pytestmark = pytest.mark.django_db


def test_home_shows_progress_toward_each_requirement(client, learner, track):
    read_every_lesson(learner)
    client.force_login(learner)

    page = client.get(reverse("home")).content.decode()

    assert "电话礼仪认证(一级)" in page
    assert "结业认证测验" in page
    assert 'aria-valuenow="50"' in page  # lessons done, quiz not yet


def test_an_assigned_track_is_listed_first_with_its_due_date(client, learner, track):
    other = TrackFactory(slug="other-track", position=0, titles={"zh": "其他认证"})
    track.position = 5
    track.save()
    CertificateFactory(user=learner, track=other)
    AssignmentFactory(user=learner, track=track, due_date="2026-12-31")
    client.force_login(learner)

    tracks = client.get(reverse("certificates:mine")).context["tracks"]

    assert [entry.track for entry in tracks] == [track, other]
    assert tracks[0].assignment.due_date.year == 2026


def test_a_met_track_is_issued_and_the_page_polls_until_it_arrives(
    client, learner, track, monkeypatch, django_capture_on_commit_callbacks
):
    meet_track(learner)
    asked = []
    monkeypatch.setattr(services, "_enqueue_evaluation", lambda user_id: asked.append(user_id))
    client.force_login(learner)

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("certificates:mine"))
    assert asked == [learner.pk]  # a lost task is asked for again
    assert 'hx-trigger="every 2s"' in page.content.decode()

    services.evaluate_tracks(user=learner)
    with django_capture_on_commit_callbacks(execute=True):
        poll = client.get(reverse("certificates:mine"), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in poll.content.decode()
    assert Certificate.objects.get(user=learner).get_absolute_url() in poll.content.decode()
    assert asked == [learner.pk]  # polls never enqueue


def test_the_certificate_page_offers_the_pdf_badge_and_verification(client, learner):
    certificate = CertificateFactory(user=learner)
    client.force_login(learner)

    page = client.get(certificate.get_absolute_url()).content.decode()

    assert reverse("certificates:pdf", args=[certificate.pk]) in page
    assert reverse("certificates:badge", args=[certificate.pk]) in page
    assert certificate.verify_url in page
    assert '<svg class="qr"' in page


def test_the_pdf_downloads_in_the_learners_language(client, learner):
    certificate = CertificateFactory(user=learner)
    client.force_login(learner)

    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert certificate.serial in response["Content-Disposition"]


def test_history_shows_every_cycle(client, learner, track):
    first = CertificateFactory(user=learner, track=track, cycle=1)
    second = CertificateFactory(user=learner, track=track, cycle=2)
    client.force_login(learner)

    page = client.get(second.get_absolute_url()).content.decode()

    assert first.serial in page and second.serial in page
