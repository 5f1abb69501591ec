"""The grading path without a worker: submit, claim, verdict, retries, the sweeper."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from kombu.exceptions import OperationalError

from scenarios import services
from scenarios.models import Reply, RulePack, Verdict
from scenarios.tasks import grade_reply, sweep_ungraded
from tests.factories import ReplyFactory

from .conftest import GOOD_REPLY, RUDE_REPLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def delay():
    with mock.patch.object(grade_reply, "delay") as patched:
        yield patched


def submit(user, scenario, text=GOOD_REPLY, language="zh"):
    return services.submit_reply(user=user, scenario=scenario, language=language, text=text)


# --- submitting -----------------------------------------------------------------------------------


def test_a_reply_is_saved_pending_and_queued_once_the_transaction_commits(
    learner, cursing, published_pack, delay, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = submit(learner, cursing)
        assert not delay.called

    assert len(callbacks) == 1
    delay.assert_called_once_with(reply.pk)
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.text) == ("pending", 0, GOOD_REPLY)


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_reply_is_refused_and_nothing_is_saved(learner, cursing, published_pack, text):
    with pytest.raises(ValidationError) as raised:
        submit(learner, cursing, text=text)

    assert raised.value.code == "empty"
    assert not Reply.objects.exists()


def test_a_reply_over_2000_characters_is_refused_with_its_length(learner, cursing, published_pack):
    with pytest.raises(ValidationError) as raised:
        submit(learner, cursing, text="您" * 2001)

    assert raised.value.code == "too_long"
    assert "2001" in raised.value.messages[0] and "2000" in raised.value.messages[0]
    assert not Reply.objects.exists()


def test_a_reply_of_exactly_2000_characters_is_accepted(learner, cursing, published_pack, delay):
    reply = submit(learner, cursing, text="您" * 2000)

    assert len(reply.text) == 2000


def test_a_language_the_scenario_has_no_rules_for_is_refused(learner, cursing, published_pack):
    with pytest.raises(ValidationError) as raised:
        submit(learner, cursing, language="en")

    assert raised.value.code == "language"


def test_a_broker_outage_never_fails_the_submission(
    learner, cursing, published_pack, delay, django_capture_on_commit_callbacks
):
    delay.side_effect = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")

    with django_capture_on_commit_callbacks(execute=True):
        reply = submit(learner, cursing)

    reply.refresh_from_db()
    assert reply.status == Reply.Status.PENDING
    assert delay.called


# --- grading --------------------------------------------------------------------------------------


def test_grading_writes_one_verdict_with_the_pack_version_it_used(learner, cursing, published_pack):
    reply = ReplyFactory(user=learner, scenario=cursing, text=RUDE_REPLY)

    outcome = grade_reply(reply.pk)

    assert outcome == "graded"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.last_error) == ("graded", 1, "")
    verdict = reply.verdict
    assert (verdict.passed, verdict.pack) == (False, published_pack)
    assert verdict.outcomes["pack_version"] == published_pack.version
    failed = [o["rule_id"] for o in verdict.rule_outcomes if o["status"] == "fail"]
    assert failed == ["test.no-retaliation", "test.apologise", "test.offer-help"]


def test_grading_a_graded_reply_again_changes_nothing(learner, cursing, published_pack):
    reply = ReplyFactory(user=learner, scenario=cursing)
    grade_reply(reply.pk)
    before = (Reply.objects.values().get(pk=reply.pk), Verdict.objects.values().get())

    outcome = grade_reply(reply.pk)

    assert outcome == "skipped"
    assert (Reply.objects.values().get(pk=reply.pk), Verdict.objects.values().get()) == before


def test_a_reply_another_run_is_grading_is_left_to_it(learner, cursing, published_pack):
    reply = ReplyFactory(
        user=learner, scenario=cursing, status="grading", attempts=1, claimed_at=timezone.now()
    )

    assert grade_reply(reply.pk) == "skipped"

    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("grading", 1)
    assert not Verdict.objects.exists()


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_timeout(
    learner, cursing, published_pack
):
    stale = timezone.now() - services.claim_timeout() - timedelta(seconds=1)
    reply = ReplyFactory(
        user=learner, scenario=cursing, status="grading", attempts=1, claimed_at=stale
    )

    assert grade_reply(reply.pk) == "graded"

    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("graded", 2)
    assert Verdict.objects.filter(reply=reply).count() == 1


def test_a_run_that_lost_its_claim_writes_nothing(learner, cursing, published_pack):
    reply = ReplyFactory(user=learner, scenario=cursing)
    real_grade = services.ruleengine.grade

    def taken_over_meanwhile(*args, **kwargs):
        Reply.objects.filter(pk=reply.pk).update(claim_token=None)
        return real_grade(*args, **kwargs)

    with mock.patch.object(services.ruleengine, "grade", side_effect=taken_over_meanwhile):
        outcome = grade_reply(reply.pk)

    assert outcome == "superseded"
    assert not Verdict.objects.exists()


def test_a_failing_attempt_hands_the_reply_back_with_its_error(learner, cursing):
    reply = ReplyFactory(user=learner, scenario=cursing)  # no rule pack is published

    outcome = grade_reply(reply.pk)

    assert outcome == "retry"
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("pending", 1)
    assert "NoPublishedPack" in reply.last_error


def test_after_the_attempt_cap_the_reply_is_marked_failed(learner, cursing, settings):
    settings.COURTESY_TASK_ATTEMPT_CAP = 3
    reply = ReplyFactory(user=learner, scenario=cursing)

    outcomes = [grade_reply(reply.pk) for _ in range(4)]

    assert outcomes == ["retry", "retry", "failed", "skipped"]
    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("failed", 3)
    assert reply.last_error.startswith("gave up after 3 attempts; last error: NoPublishedPack")


def test_a_reply_killed_at_every_attempt_is_given_up_at_the_cap(
    learner, cursing, settings, published_pack
):
    settings.COURTESY_TASK_ATTEMPT_CAP = 2
    stale = timezone.now() - services.claim_timeout() - timedelta(seconds=1)
    reply = ReplyFactory(
        user=learner, scenario=cursing, status="grading", attempts=2, claimed_at=stale
    )

    assert grade_reply(reply.pk) == "failed"

    reply.refresh_from_db()
    assert reply.status == "failed"
    assert reply.last_error.startswith("gave up after 2 attempts")


def test_a_reply_the_engine_can_never_grade_fails_at_once(learner, cursing, published_pack):
    reply = ReplyFactory(user=learner, scenario=cursing, text="您" * 2001)

    assert grade_reply(reply.pk) == "failed"

    reply.refresh_from_db()
    assert (reply.status, reply.attempts) == ("failed", 1)
    assert "2001 characters" in reply.last_error


def test_failed_replies_can_be_sent_back_for_grading(
    learner, cursing, published_pack, delay, django_capture_on_commit_callbacks
):
    reply = ReplyFactory(user=learner, scenario=cursing, status="failed", attempts=5)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.retry_failed_replies(replies=Reply.objects.all())

    assert count == 1
    delay.assert_called_once_with(reply.pk)
    assert grade_reply(reply.pk) == "graded"


# --- the sweeper ----------------------------------------------------------------------------------


def test_the_sweeper_requeues_old_pending_and_stale_grading_replies_only(learner, cursing, delay):
    now = timezone.now()
    old_pending = ReplyFactory(
        user=learner, scenario=cursing, submitted_at=now - timedelta(seconds=31)
    )
    ReplyFactory(user=learner, scenario=cursing, submitted_at=now - timedelta(seconds=5))
    stale = ReplyFactory(
        user=learner,
        scenario=cursing,
        status="grading",
        submitted_at=now - timedelta(minutes=5),
        claimed_at=now - services.claim_timeout() - timedelta(seconds=1),
    )
    ReplyFactory(
        user=learner,
        scenario=cursing,
        status="grading",
        submitted_at=now - timedelta(minutes=5),
        claimed_at=now,
    )
    ReplyFactory(
        user=learner, scenario=cursing, status="graded", submitted_at=now - timedelta(minutes=5)
    )
    ReplyFactory(
        user=learner, scenario=cursing, status="failed", submitted_at=now - timedelta(minutes=5)
    )

    sent = sweep_ungraded()

    assert sent == 2
    assert sorted(call.args[0] for call in delay.call_args_list) == sorted(
        [old_pending.pk, stale.pk]
    )


def test_the_sweeper_stops_quietly_while_the_broker_is_down(learner, cursing, delay):
    old = timezone.now() - timedelta(minutes=1)
    ReplyFactory.create_batch(3, user=learner, scenario=cursing, submitted_at=old)
    delay.side_effect = OperationalError("connection refused")

    assert sweep_ungraded() == 0

    assert delay.call_count == 1
    assert Reply.objects.filter(status="pending").count() == 3


def test_test_timing_knobs_are_ignored_outside_the_test_settings(settings, monkeypatch):
    monkeypatch.setenv("COURTESY_TEST_CLAIM_TIMEOUT", "1")
    settings.SETTINGS_MODULE = "config.settings.production"

    assert services.claim_timeout() == timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 15)


def test_rule_packs_that_judged_replies_cannot_be_deleted(learner, cursing, published_pack):
    grade_reply(ReplyFactory(user=learner, scenario=cursing).pk)

    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        RulePack.objects.all().delete()
