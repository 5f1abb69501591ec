"""A person's page: progress, attempts, scores and certificates; HR sees anyone, a learner
only themselves, and nobody here reads reply texts."""

import pytest
from django.urls import reverse

from tests.certificates.conftest import take_quiz
from tests.factories import ReplyFactory, ScenarioFactory
from tests.hr.conftest import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(track):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    someone = enrol(
        "杨磊", track, due=timezone.localdate() - timedelta(days=2), email="yang.lei@example.com"
    )
    take_quiz(someone, 72)
    ReplyFactory(
        user=someone, scenario=ScenarioFactory(), text="你自己看说明书去吧，这种问题别来烦我"
    )
    return someone


def test_hr_sees_status_progress_attempts_and_scores(client, hr, person):
    client.force_login(hr)

    response = client.get(reverse("certificates:learner", args=[person.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    [entry] = response.context["overview"].tracks
    assert entry.status == "overdue"
    assert "72%" in html and "结业认证测验" in html
    assert "yang.lei@example.com" in html


def test_reply_texts_are_not_shown_to_hr(client, hr, person):
    client.force_login(hr)

    html = client.get(reverse("certificates:learner", args=[person.pk])).content.decode()

    assert "说明书" not in html


def test_a_learner_sees_their_own_page_but_nobody_elses(client, person, outsider):
    client.force_login(person)
    mine = client.get(reverse("certificates:learner", args=[person.pk]))

    client.force_login(outsider)
    theirs = client.get(reverse("certificates:learner", args=[person.pk]))

    assert mine.status_code == 200
    assert reverse("accounts:resend-invitation", args=[person.pk]) not in mine.content.decode()
    assert theirs.status_code == 404


def test_the_board_links_each_person_to_their_page(client, hr, person):
    client.force_login(hr)

    html = client.get(reverse("hr-dashboard")).content.decode()

    assert reverse("certificates:learner", args=[person.pk]) in html


def test_hr_can_send_an_invitation_from_the_page(client, hr, person):
    person.set_unusable_password()
    person.save()
    client.force_login(hr)

    html = client.get(reverse("certificates:learner", args=[person.pk])).content.decode()

    assert reverse("accounts:resend-invitation", args=[person.pk]) in html
