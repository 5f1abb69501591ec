import json

import pytest

from core import health

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_database_and_broker_answer(client, monkeypatch):
    monkeypatch.setattr(health, "check_broker", lambda: (True, "redis"))

    response = client.get("/healthz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    # Nothing listens on port 1: the real check must report the broker down, quickly.
    from config.celery_app import app

    monkey_url = "redis://127.0.0.1:1/0"
    old = app.conf.broker_url
    app.conf.broker_url = monkey_url
    settings.CELERY_BROKER_URL = monkey_url
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old

    assert response.status_code == 503
    assert json.loads(response.content)["broker"]["ok"] is False


def test_healthz_reports_a_real_redis_broker(client, redis_url, settings):
    from config.celery_app import app

    old = app.conf.broker_url
    app.conf.broker_url = redis_url
    settings.CELERY_BROKER_URL = redis_url
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old

    assert response.status_code == 200
    assert json.loads(response.content)["broker"]["detail"] == "redis"
