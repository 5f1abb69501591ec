import io

import pytest
from django.core.management import call_command

from accounts.management.commands.setup_demo import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_setup_demo_creates_one_account_per_role_and_can_run_twice(client):
    call_command("setup_demo", stdout=io.StringIO())
    call_command("setup_demo", stdout=io.StringIO())

    assert User.objects.filter(email__endswith="@demo.courtesy").count() == 3
    trainer = User.objects.get(email="trainer@demo.courtesy")
    hr = User.objects.get(email="hr@demo.courtesy")
    learner = User.objects.get(email="learner@demo.courtesy")
    assert trainer.is_trainer and not trainer.is_hr
    assert hr.is_hr and not hr.is_trainer
    assert not learner.is_trainer and not learner.is_hr
    assert client.login(email="learner@demo.courtesy", password=DEMO_PASSWORD)


def test_no_demo_account_exists_unless_setup_demo_ran():
    assert not User.objects.filter(email__endswith="@demo.courtesy").exists()
