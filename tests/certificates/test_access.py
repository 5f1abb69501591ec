"""Learners open only their own certificates; HR opens everybody's and alone may revoke."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from certificates.access import get_certificate_for_user
from tests.factories import CertificateFactory, TrackFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner):  # type: ignore[no-untyped-def]
    return CertificateFactory(user=learner, track=TrackFactory(slug="zh-1"))


def as_user(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_helper_gives_learners_their_own_and_hr_everyones(certificate, learner, outsider, hr):
    assert get_certificate_for_user(as_user(learner), certificate.pk) == certificate
    assert get_certificate_for_user(as_user(hr), certificate.pk) == certificate
    with pytest.raises(Http404):
        get_certificate_for_user(as_user(outsider), certificate.pk)


@pytest.mark.parametrize("name", ["certificates:detail", "certificates:pdf", "certificates:badge"])
def test_another_learner_gets_not_found(client, certificate, outsider, name):
    client.force_login(outsider)

    assert client.get(reverse(name, args=[certificate.pk])).status_code == 404


@pytest.mark.parametrize("name", ["certificates:detail", "certificates:pdf", "certificates:badge"])
def test_the_holder_and_hr_may_open_it(client, certificate, learner, hr, name):
    for person in (learner, hr):
        client.force_login(person)
        assert client.get(reverse(name, args=[certificate.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    response = client.get(reverse("certificates:detail", args=[certificate.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_certificates_lists_only_mine(client, certificate, learner, outsider):
    CertificateFactory(user=outsider, learner_name="김민수", track=certificate.track, cycle=1)
    client.force_login(learner)

    page = client.get(reverse("certificates:mine")).content.decode()

    assert certificate.serial in page and "김민수" not in page


def test_learners_cannot_open_the_hr_pages(client, certificate, learner):
    client.force_login(learner)

    assert client.get(reverse("certificates:hr-list")).status_code == 403
    assert client.get(reverse("certificates:hr-detail", args=[certificate.pk])).status_code == 403
    revoke = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"})
    assert revoke.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_hr_lists_and_searches_every_certificate(client, certificate, outsider, hr):
    other = CertificateFactory(user=outsider, learner_name="김민수", track=certificate.track)
    client.force_login(hr)

    everyone = client.get(reverse("certificates:hr-list")).content.decode()
    found = client.get(reverse("certificates:hr-list"), {"q": "김민"}).content.decode()

    assert certificate.serial in everyone and other.serial in everyone
    assert other.serial in found and certificate.serial not in found
