import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.models import User
from certificates.models import Assignment
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def test_the_demo_learner_is_a_new_hire_with_a_track_to_earn():
    track = TrackFactory(slug="phone-etiquette-zh-level-1", due_days=30)

    call_command("setup_demo", stdout=io.StringIO())
    call_command("setup_demo", stdout=io.StringIO())

    learner = User.objects.get(email="learner@demo.courtesy")
    [assignment] = Assignment.objects.filter(user=learner)
    assert assignment.track == track
    assert assignment.due_date == learner.hire_date + timedelta(days=30)
    assert learner.cohort.name == "演示批次"
    assert not Assignment.objects.exclude(user=learner).exists()


def test_without_the_bundled_track_the_demo_still_sets_up():
    call_command("setup_demo", stdout=io.StringIO())

    assert not Assignment.objects.exists()
