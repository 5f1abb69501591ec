"""Permissions read from Redis: one cache read per page, and a change counts at once."""

import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import TRAINER

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_permissions(redis_url, settings):  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            # A prefix of its own: nothing another test or the broker keeps is touched.
            "KEY_PREFIX": f"permissions-test-{uuid.uuid4().hex[:8]}",
        }
    }
    settings.AUTHENTICATION_BACKENDS = [
        "accounts.backends.CachedPermissionsBackend",
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    from django.core.cache import caches

    caches._settings = None  # the cache handler reads CACHES again
    yield
    caches._settings = None


def permission_queries(client: Client, url: str) -> tuple[int, list[str]]:
    statements: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        status = client.get(url).status_code
    return status, [sql for sql in statements if "auth_permission" in sql]


@pytest.mark.usefixtures("redis_permissions")
def test_the_second_page_asks_redis_not_the_database(trainer) -> None:
    client = Client()
    client.force_login(trainer)
    studio = reverse("studio:index")
    status, first = permission_queries(client, studio)
    assert status == 200 and first  # the first look-up reads the rows
    status, second = permission_queries(client, studio)
    assert status == 200 and second == []


@pytest.mark.usefixtures("redis_permissions")
def test_a_trainer_removed_from_the_role_is_refused_on_the_next_request(trainer) -> None:
    client = Client()
    client.force_login(trainer)
    studio = reverse("studio:index")
    assert client.get(studio).status_code == 200
    trainer.groups.remove(Group.objects.get(name=TRAINER))
    assert client.get(studio).status_code == 403


@pytest.mark.usefixtures("redis_permissions")
def test_a_permission_taken_from_the_group_stops_working_for_all_its_members(trainer) -> None:
    client = Client()
    client.force_login(trainer)
    studio = reverse("studio:index")
    assert client.get(studio).status_code == 200
    group = Group.objects.get(name=TRAINER)
    group.permissions.remove(Permission.objects.get(codename="author_content"))
    assert client.get(studio).status_code == 403
    group.permissions.add(Permission.objects.get(codename="author_content"))
    assert client.get(studio).status_code == 200


@pytest.mark.usefixtures("redis_permissions")
def test_people_signed_in_before_redis_was_configured_stay_signed_in(trainer) -> None:
    client = Client()
    client.force_login(trainer, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("studio:index")).status_code == 200


def test_with_redis_away_the_database_answers_and_pages_still_work(settings, trainer) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    settings.AUTHENTICATION_BACKENDS = [
        "accounts.backends.CachedPermissionsBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    from django.core.cache import caches

    caches._settings = None
    try:
        client = Client()
        client.force_login(trainer)
        page = client.get(reverse("studio:index"))
        trainer.groups.remove(Group.objects.get(name=TRAINER))  # and changes still save
        refused = client.get(reverse("studio:index"))
    finally:
        caches._settings = None

    assert page.status_code == 200 and refused.status_code == 403
