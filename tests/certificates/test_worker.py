"""A learner who completes the track is certified by a real worker within seconds."""

import time

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests.conftest import wait_for

from .conftest import meet_track

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_grading_hook_gets_the_learner_certified_within_seconds(celery_worker, learner, track):
    meet_track(learner)
    started = time.monotonic()

    services.schedule_evaluation(user_id=learner.pk)  # what grading calls after commit

    certificate = wait_for(lambda: Certificate.objects.filter(user=learner).first(), timeout=20)
    assert time.monotonic() - started < 10
    assert certificate.is_valid and certificate.learner_name == "李小满"


def test_opening_my_certificates_recovers_a_lost_evaluation(celery_worker, client, learner, track):
    meet_track(learner)  # graded, but the evaluation task never reached the broker
    client.force_login(learner)

    client.get(reverse("certificates:mine"))

    wait_for(lambda: Certificate.objects.filter(user=learner).exists(), timeout=20)
    page = client.get(reverse("certificates:mine"), HTTP_HX_REQUEST="true").content.decode()
    assert Certificate.objects.get(user=learner).get_absolute_url() in page
