import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAFF_PAGES = {"trainer-workspace": "trainer", "hr-dashboard": "hr"}


@pytest.mark.parametrize("url_name", ["home", "trainer-workspace", "hr-dashboard"])
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url_name", ["trainer-workspace", "hr-dashboard"])
def test_a_learner_is_refused_trainer_and_hr_pages(client, learner, url_name):
    client.force_login(learner)

    response = client.get(reverse(url_name))

    assert response.status_code == 403


def test_hr_cannot_reach_the_authoring_workspace(client, hr):
    client.force_login(hr)

    assert client.get(reverse("trainer-workspace")).status_code == 403
    assert client.get(reverse("hr-dashboard")).status_code == 200


def test_a_trainer_cannot_reach_people_data(client, trainer):
    client.force_login(trainer)

    assert client.get(reverse("hr-dashboard")).status_code == 403
    assert client.get(reverse("trainer-workspace")).status_code == 200


def test_each_role_sees_its_own_home_page(client, learner, trainer, hr):
    pages = {}
    for user in (learner, trainer, hr):
        client.force_login(user)
        pages[user.email] = client.get(reverse("home")).content.decode()

    assert reverse("trainer-workspace") not in pages[learner.email]
    assert reverse("hr-dashboard") not in pages[learner.email]
    assert reverse("trainer-workspace") in pages[trainer.email]
    assert reverse("hr-dashboard") not in pages[trainer.email]
    assert reverse("hr-dashboard") in pages[hr.email]
