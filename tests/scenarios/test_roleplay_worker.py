"""A role-play call graded through Redis by a real Celery worker process, including when the
worker dies mid-task and when the broker is down as the reply is posted.

Run with REDIS_URL=redis://127.0.0.1:6379/1; without it these tests skip (CI requires them).
"""

import os
import signal
import time

import pytest
from django.urls import reverse

from scenarios import services
from scenarios.models import Reply, RolePlaySession, RolePlayTurn, Verdict
from tests.conftest import wait_for

from .conftest import GOOD_GREETING
from .test_grading_worker import DEAD_BROKER, broker_at, sweep_until, worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def playing(client, learner, call, call_pack):  # type: ignore[no-untyped-def]
    """A call started through the pages, its first line on screen."""
    client.force_login(learner)
    client.post(reverse("scenarios:roleplay-start", args=[call.slug]), {"mode": "practice"})
    session = RolePlaySession.objects.get()
    client.get(reverse("scenarios:session", args=[session.pk]))
    return session


def send(client, session: RolePlaySession, text: str, turn: int = 1):  # type: ignore[no-untyped-def]
    url = reverse("scenarios:session-reply", args=[session.pk])
    return client.post(url, {"text": text, "turn": turn})


def second_line(session: RolePlaySession) -> RolePlayTurn | None:
    return session.turns.filter(index=2).first()


def test_a_reply_is_graded_by_the_worker_and_the_next_line_follows(celery_worker, client, playing):
    started = time.monotonic()

    response = send(client, playing, GOOD_GREETING)

    nxt = wait_for(lambda: second_line(playing), timeout=30)
    waited = time.monotonic() - started
    first = playing.turns.get(index=1)
    assert response.status_code == 302
    assert (first.status, first.points, nxt.node) == ("passed", 100, "curse")
    assert Verdict.objects.get().reply_id == first.reply_id
    state = client.get(
        reverse("scenarios:session-state", args=[playing.pk]), {"turn": 1}, HTTP_HX_REQUEST="true"
    )
    assert state["HX-Refresh"] == "true"
    assert waited < 20, f"the verdict took {waited:.1f} s"


def test_a_worker_killed_mid_task_still_gives_one_verdict_and_one_next_line(
    worker_env, client, playing, monkeypatch
):
    knobs = {"COURTESY_TEST_GRADE_DELAY": "2", "COURTESY_TEST_CLAIM_TIMEOUT": "3"}
    for name, value in knobs.items():
        monkeypatch.setenv(name, value)
    with worker(worker_env, **knobs) as process:
        send(client, playing, GOOD_GREETING)
        reply = Reply.objects.get()
        wait_for(lambda: Reply.objects.get(pk=reply.pk).status == "grading", timeout=30)

        for pid in process.child_pids():
            os.kill(pid, signal.SIGKILL)
        sweep_until(lambda: second_line(playing) is not None)

        assert any("WorkerLostError" in line or "SIGKILL" in line for line in process.log)
        time.sleep(1)  # any stray second run would land now
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("graded", 2)
    assert Verdict.objects.filter(reply=reply).count() == 1
    assert list(playing.turns.values_list("index", "node", "status")) == [
        (1, "greet", "passed"),
        (2, "curse", "open"),
    ]


def test_a_reply_posted_while_the_broker_is_down_is_graded_by_the_sweeper_once_it_is_back(
    celery_worker, client, playing
):
    started = time.monotonic()

    with broker_at(DEAD_BROKER):
        response = send(client, playing, GOOD_GREETING)

    assert response.status_code == 302 and time.monotonic() - started < 5
    time.sleep(1)
    assert Reply.objects.get().status == "pending"
    assert playing.turns.get(index=1).status == "answered"

    sent = services.requeue_ungraded_replies(older_than_seconds=0)

    assert sent == 1
    wait_for(lambda: second_line(playing), timeout=30)
    assert Verdict.objects.count() == 1 and Reply.objects.get().attempts == 1
