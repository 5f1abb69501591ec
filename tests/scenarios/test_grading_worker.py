"""The grading path through Redis and a real Celery worker process.

Run with REDIS_URL=redis://127.0.0.1:6379/1; without it these tests skip (CI requires them).
"""

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.urls import reverse

from config.celery_app import app
from scenarios import services
from scenarios.models import Reply, Verdict
from scenarios.tasks import grade_reply
from tests.conftest import WorkerProcess, wait_for

from .conftest import GOOD_REPLY, RUDE_REPLY

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DEAD_BROKER = "redis://127.0.0.1:1/0"


@contextmanager
def worker(worker_env: dict[str, str], **env: str) -> Iterator[WorkerProcess]:
    """A real worker with extra environment (test-only timing knobs, attempt cap)."""
    process = WorkerProcess(dict(worker_env, **env)).start()
    try:
        yield process
    finally:
        process.stop()


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker (e.g. a dead one) for a while."""

    def reset_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_url = original
        reset_pools()


def graded_runs(process: WorkerProcess) -> list[str]:
    return [
        line.rsplit(":", 1)[-1].strip()
        for line in process.log
        if "scenarios.tasks.grade_reply[" in line and " succeeded in " in line
    ]


def sweep_until(predicate, timeout: float = 40):  # type: ignore[no-untyped-def]
    """Play beat: run the sweeper (every row, however young) until predicate() holds."""

    def swept():  # type: ignore[no-untyped-def]
        if predicate():
            return True
        services.requeue_ungraded_replies(older_than_seconds=0)
        return False

    return wait_for(swept, timeout=timeout, interval=0.5)


def test_a_posted_reply_is_graded_by_the_worker_and_shown(
    celery_worker, client, learner, cursing, published_pack
):
    client.force_login(learner)

    response = client.post(
        reverse("scenarios:practice", args=["customer-cursing"]),
        {"language": "zh", "text": RUDE_REPLY},
    )

    reply = Reply.objects.get()
    verdict = wait_for(lambda: Verdict.objects.filter(reply=reply).first(), timeout=30)
    assert response.status_code == 302
    assert (verdict.passed, verdict.pack_id) == (False, published_pack.pk)
    part = client.get(reverse("scenarios:verdict", args=[reply.pk]), HTTP_HX_REQUEST="true")
    assert '<mark class="hit-bad">你骂谁</mark>' in part.content.decode()


def test_running_the_task_twice_leaves_one_verdict_and_changes_nothing(
    celery_worker, learner, cursing, published_pack
):
    reply = services.submit_reply(user=learner, scenario=cursing, language="zh", text=GOOD_REPLY)
    wait_for(lambda: Reply.objects.get(pk=reply.pk).status == "graded", timeout=30)
    before = (Reply.objects.values().get(pk=reply.pk), list(Verdict.objects.values()))

    grade_reply.delay(reply.pk)

    runs = wait_for(lambda: len(graded_runs(celery_worker)) >= 2 and graded_runs(celery_worker))
    assert runs == ["'graded'", "'skipped'"]
    assert (Reply.objects.values().get(pk=reply.pk), list(Verdict.objects.values())) == before


def test_a_worker_killed_mid_task_still_gives_exactly_one_verdict(
    worker_env, learner, cursing, published_pack, monkeypatch
):
    knobs = {"COURTESY_TEST_GRADE_DELAY": "2", "COURTESY_TEST_CLAIM_TIMEOUT": "3"}
    for name, value in knobs.items():
        monkeypatch.setenv(name, value)
    with worker(worker_env, **knobs) as process:
        reply = services.submit_reply(
            user=learner, scenario=cursing, language="zh", text=GOOD_REPLY
        )
        wait_for(lambda: Reply.objects.get(pk=reply.pk).status == "grading", timeout=30)

        for pid in process.child_pids():
            os.kill(pid, signal.SIGKILL)
        sweep_until(lambda: Verdict.objects.filter(reply=reply).exists())

        assert any("WorkerLostError" in line or "SIGKILL" in line for line in process.log)
    reply.refresh_from_db()
    assert Verdict.objects.filter(reply=reply).count() == 1
    assert (reply.status, reply.attempts) == ("graded", 2)


def test_a_reply_posted_while_the_broker_is_down_is_kept_and_graded_once_it_is_back(
    celery_worker, client, learner, cursing, published_pack
):
    client.force_login(learner)
    started = time.monotonic()

    with broker_at(DEAD_BROKER):
        response = client.post(
            reverse("scenarios:practice", args=["customer-cursing"]),
            {"language": "zh", "text": GOOD_REPLY},
        )

    reply = Reply.objects.get()
    assert response.status_code == 302
    assert time.monotonic() - started < 5
    time.sleep(1)
    assert Reply.objects.get(pk=reply.pk).status == "pending"

    sent = services.requeue_ungraded_replies(older_than_seconds=0)

    assert sent == 1
    wait_for(lambda: Reply.objects.get(pk=reply.pk).status == "graded", timeout=30)
    reply.refresh_from_db()
    assert Verdict.objects.filter(reply=reply).count() == 1
    assert reply.attempts == 1


def test_a_reply_that_keeps_failing_ends_failed_at_the_attempt_cap(
    worker_env, client, learner, cursing
):
    # No rule pack is published, so every attempt fails.
    with worker(worker_env, COURTESY_TASK_ATTEMPT_CAP="2"):
        reply = services.submit_reply(
            user=learner, scenario=cursing, language="zh", text=GOOD_REPLY
        )
        sweep_until(lambda: Reply.objects.get(pk=reply.pk).status == "failed")

    reply.refresh_from_db()
    assert reply.attempts == 2
    assert reply.last_error.startswith("gave up after 2 attempts")
    assert not Verdict.objects.exists()
    client.force_login(learner)
    page = client.get(reverse("scenarios:reply", args=[reply.pk])).content.decode()
    assert "verdict-error" in page and "hx-trigger" not in page
