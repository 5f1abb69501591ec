"""Only trainers reach the studio: every URL, every method, for learners and HR alike."""

import pytest
from django.urls import URLPattern, reverse

from studio import urls as studio_urls

pytestmark = pytest.mark.django_db

SAMPLE_ARGUMENTS = {
    "pk": 1,
    "filename": "zh/cursing.yaml",
    "slug": "customer-cursing",
    "key": "zh-customer-cursing-best-1",
    "question_type": "best-reply",
}


def every_studio_url() -> list[str]:
    urls = []
    for pattern in studio_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = pattern.pattern.converters.keys()
        kwargs = {name: SAMPLE_ARGUMENTS[name] for name in names}
        urls.append(reverse(f"studio:{pattern.name}", kwargs=kwargs))
    return urls


def test_the_studio_has_the_urls_this_test_walks():
    assert len(every_studio_url()) == len(studio_urls.urlpatterns) >= 25


@pytest.mark.parametrize("persona", ["learner", "hr"])
def test_learners_and_hr_get_403_on_every_studio_url(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    refused = {
        url: (client.get(url).status_code, client.post(url).status_code)
        for url in every_studio_url()
    }

    assert refused == {url: (403, 403) for url in refused}


def test_someone_signed_out_is_sent_to_the_login_page(client):
    for url in every_studio_url():
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_posts_without_a_csrf_token_are_refused(trainer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainer)

    response = strict.post(reverse("studio:draft-start"), {"title": "x"})

    assert response.status_code == 403


def test_the_authoring_workspace_links_into_every_editor(client, trainer):
    client.force_login(trainer)

    page = client.get(reverse("trainer-workspace")).content.decode()

    for name in ("imports", "rules", "questions", "scenarios"):
        assert reverse(f"studio:{name}") in page


def test_a_trainer_opens_the_studio_overview(client, trainer):
    client.force_login(trainer)

    response = client.get(reverse("studio:index"))

    assert response.status_code == 200
    assert "Authoring studio" in response.content.decode()
