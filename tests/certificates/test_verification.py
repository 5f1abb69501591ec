"""Anyone can verify a certificate by its code, without signing in: every state, no extras."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services
from tests.factories import CertificateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(db):  # type: ignore[no-untyped-def]
    return UserFactory(
        email="kim.minsu@example.com",
        name="김민수",
        employee_number="E-4711",
        preferred_language="ko",
    )


def verify(client, code: str):  # type: ignore[no-untyped-def]
    return client.get(reverse("verify:certificate", args=[code]))


def test_a_valid_certificate_verifies_as_valid_with_name_track_and_dates(client, holder):
    certificate = CertificateFactory(user=holder)

    response = verify(client, certificate.verification_code)

    assert response.status_code == 200
    page = response.content.decode()
    assert "김민수" in page and "电话礼仪认证(一级)" in page
    assert certificate.serial in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.context["state"] == "valid"


def test_the_page_shows_no_other_personal_data(client, holder):
    certificate = CertificateFactory(
        user=holder, score_summary=[{"kind": "quiz", "label": "x", "score": 61, "needed": 60}]
    )

    page = verify(client, certificate.verification_code).content.decode()

    assert "kim.minsu@example.com" not in page
    assert "E-4711" not in page
    assert str(holder.department) not in page
    assert "61%" not in page  # scores stay private


def test_an_expired_certificate_verifies_as_expired(client, holder):
    issued = timezone.now() - timedelta(days=400)
    certificate = CertificateFactory(
        user=holder, issued_at=issued, expires_at=issued + timedelta(days=365)
    )

    response = verify(client, certificate.verification_code)

    assert response.status_code == 200
    assert response.context["state"] == "expired"
    assert "김민수" in response.content.decode()


def test_a_certificate_turns_expired_by_itself_at_its_end_date(client, holder):
    certificate = CertificateFactory(
        user=holder,
        issued_at=timezone.now() - timedelta(days=365),
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    assert verify(client, certificate.verification_code).context["state"] == "valid"

    certificate.expires_at = timezone.now() - timedelta(microseconds=1)
    certificate.save(update_fields=["expires_at"])  # the clock passed it: no job ran

    assert verify(client, certificate.verification_code).context["state"] == "expired"


def test_a_revoked_certificate_verifies_as_revoked_never_as_unknown(client, holder, hr):
    certificate = CertificateFactory(user=holder)
    services.revoke_certificate(certificate=certificate, actor=hr, reason="资料造假")

    response = verify(client, certificate.verification_code)

    assert response.status_code == 200
    assert response.context["state"] == "revoked"
    page = response.content.decode()
    assert "김민수" in page
    assert "资料造假" not in page  # the reason is for HR only


def test_an_unknown_code_says_so_and_offers_the_form_again(client):
    response = verify(client, "A" * 32)

    assert response.status_code == 404
    assert response.context["state"] == "not-found"
    assert 'name="code"' in response.content.decode()


def test_the_code_form_leads_to_the_result_even_from_a_pasted_link(client, holder):
    certificate = CertificateFactory(user=holder)
    link = f"https://courtesy.example.com/verify/{certificate.verification_code}/"

    form_page = client.get(reverse("verify:form"))
    response = client.get(reverse("verify:form"), {"code": link})

    assert form_page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "verify:certificate", args=[certificate.verification_code]
    )


def test_verification_is_rate_limited_with_a_friendly_page(client, settings, holder):
    settings.COURTESY_VERIFY_RATE_LIMIT = "3/600"
    certificate = CertificateFactory(user=holder)

    statuses = [verify(client, certificate.verification_code).status_code for _ in range(4)]
    limited = verify(client, certificate.verification_code)

    assert statuses == [200, 200, 200, 429]
    assert limited["Retry-After"] == "600"
    assert "10" in limited.content.decode()  # "wait 10 minutes"


def test_the_limit_is_per_visitor(client, settings, holder):
    settings.COURTESY_VERIFY_RATE_LIMIT = "1/600"
    code = CertificateFactory(user=holder).verification_code
    verify(client, code)

    other = client.get(reverse("verify:certificate", args=[code]), REMOTE_ADDR="10.0.0.9")

    assert other.status_code == 200
