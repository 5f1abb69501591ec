"""A task travels through Redis to a real worker process, which writes to the database."""

import pytest

from core.models import WorkerHeartbeat
from core.tasks import record_heartbeat
from tests.conftest import wait_for

pytestmark = pytest.mark.services


def test_a_real_worker_runs_a_task_sent_through_redis(celery_worker, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis")

    record_heartbeat.delay()

    beat = wait_for(lambda: WorkerHeartbeat.objects.first(), timeout=30)
    assert beat.seen_at is not None
    assert any("core.tasks.record_heartbeat" in line for line in celery_worker.log)


def test_the_worker_uses_the_reliability_settings_on_purpose():
    from config.celery_app import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit < conf.broker_transport_options.get("visibility_timeout", 3600)
