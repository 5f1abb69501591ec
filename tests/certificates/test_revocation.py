"""HR revokes a certificate with a reason; it is audit-logged and verifies as revoked."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certificates import services
from core.models import AuditEntry
from tests.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner):  # type: ignore[no-untyped-def]
    return CertificateFactory(user=learner)


def test_hr_revokes_from_the_certificate_page_with_a_reason(client, hr, certificate):
    client.force_login(hr)
    page = client.get(reverse("certificates:hr-detail", args=[certificate.pk]))
    assert reverse("certificates:revoke", args=[certificate.pk]) in page.content.decode()

    response = client.post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "冒名顶替参加考试"}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_by == hr
    assert certificate.revocation_reason == "冒名顶替参加考试"
    entry = AuditEntry.objects.get(action="certificate.revoked")
    assert entry.actor == hr
    assert entry.details["reason"] == "冒名顶替参加考试"
    assert entry.details["certificate"] == certificate.pk
    after = client.get(reverse("certificates:hr-detail", args=[certificate.pk])).content.decode()
    assert "冒名顶替参加考试" in after  # shown to HR with the audit trail


def test_a_reason_is_required(client, hr, certificate):
    client.force_login(hr)

    response = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "  "})

    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert not AuditEntry.objects.filter(action="certificate.revoked").exists()


def test_the_service_refuses_an_empty_reason_and_a_second_revocation(hr, certificate):
    with pytest.raises(ValidationError):
        services.revoke_certificate(certificate=certificate, actor=hr, reason="")

    services.revoke_certificate(certificate=certificate, actor=hr, reason="离职后发现违规")
    with pytest.raises(services.AlreadyRevoked):
        services.revoke_certificate(certificate=certificate, actor=hr, reason="again")

    assert AuditEntry.objects.filter(action="certificate.revoked").count() == 1


def test_revoking_twice_from_the_page_explains_itself(client, hr, certificate):
    client.force_login(hr)
    url = reverse("certificates:revoke", args=[certificate.pk])
    client.post(url, {"reason": "一"})

    response = client.post(url, {"reason": "二"}, follow=True)

    certificate.refresh_from_db()
    assert certificate.revocation_reason == "一"
    assert response.status_code == 200


def test_the_holder_sees_that_it_was_revoked(client, learner, hr, certificate):
    services.revoke_certificate(certificate=certificate, actor=hr, reason="违规")
    client.force_login(learner)

    page = client.get(reverse("certificates:detail", args=[certificate.pk]))

    assert page.context["certificate"].is_revoked
    assert "违规" not in page.content.decode()
