import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_person_signs_in_with_email_and_password(client, learner, password):
    response = client.post(
        reverse("account_login"), {"login": "LEARNER@example.com", "password": password}
    )

    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == learner


def test_a_wrong_password_is_refused_with_a_message(client, learner):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": "nope"})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert response.context["form"].errors


def test_repeated_failed_logins_lock_out_even_the_right_password(client, learner, password):
    cache.clear()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": learner.email, "password": password})

    assert not response.wsgi_request.user.is_authenticated
    assert "登录失败次数过多" in response.content.decode()
    cache.clear()


def test_nobody_can_sign_up_without_an_invitation(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "walk-in@example.com",
            "password1": "s3cret-pass-9",
            "password2": "s3cret-pass-9",
        },
    )

    assert "仅限受邀注册" in response.content.decode()
    from accounts.models import User

    assert not User.objects.filter(email="walk-in@example.com").exists()


def test_password_reset_sends_an_email(client, learner):
    cache.clear()

    client.post(reverse("account_reset_password"), {"email": learner.email})

    assert len(mail.outbox) == 1
    assert learner.email in mail.outbox[0].to


def test_sign_out_needs_a_post(client, learner):
    client.force_login(learner)

    client.post(reverse("account_logout"))

    assert client.get(reverse("home")).status_code == 302


def test_the_shared_cache_is_not_process_local(settings):
    assert "locmem" not in settings.CACHES["default"]["BACKEND"]
