"""A role-play call against the server's clock, its branches, its score and its report.

The clock is the test's (`clock` fixture); replies are graded by hand, as the worker would.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scenarios import roleplays, services
from scenarios.models import Reply, RolePlaySession, RolePlayTurn, Verdict
from tests.factories import LessonFactory, ModuleFactory, ScenarioFactory

from .conftest import (
    BAD_GREETING,
    GOOD_GREETING,
    GOOD_REPLY,
    GOODBYE,
    RUDE_REPLY,
    TIMED_RULEBOOK,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker", "call_pack")]

# Taken before the `no_broker` fixture replaces it.
request_certificate_check = services.request_certificate_check


def start(learner, call, mode: str = "practice") -> RolePlaySession:  # type: ignore[no-untyped-def]
    session, _started = roleplays.start_session(user=learner, roleplay=call, mode=mode)
    return session


def shown(session: RolePlaySession) -> RolePlayTurn:
    """The learner's page shows the current line (and so starts its clock)."""
    turn = roleplays.show_current_turn(session=session)
    assert turn is not None
    return turn


def play(session: RolePlaySession, text: str, clock, after: float = 5) -> RolePlayTurn:  # type: ignore[no-untyped-def]
    """Show the line, wait ``after`` seconds, reply, and let the worker grade the reply."""
    shown(session)
    clock.advance(after)
    turn = roleplays.submit_turn_reply(session=session, text=text)
    assert services.grade_pending_reply(reply_id=turn.reply_id) == "graded"
    turn.refresh_from_db()
    return turn


def nodes_of(session: RolePlaySession) -> list[str]:
    return list(session.turns.order_by("index").values_list("node", flat=True))


# --- starting ------------------------------------------------------------------------------------


def test_starting_a_call_opens_the_first_line_without_starting_its_clock(learner, call, clock):
    session = start(learner, call)

    turn = session.turns.get()
    assert (turn.index, turn.node, turn.customer, turn.status) == (
        1,
        "greet",
        "（电话铃响了）",
        "open",
    )
    assert turn.shown_at is None and turn.deadline is None
    assert session.script == call.script and session.language == "zh"


def test_the_clock_starts_when_the_line_is_first_shown_and_a_reload_does_not_reset_it(
    learner, call, clock
):
    session = start(learner, call)
    first_seen = clock.now

    shown(session)
    clock.advance(8)
    turn = shown(session)

    assert turn.shown_at == first_seen
    assert turn.deadline == first_seen + timedelta(seconds=20)
    assert turn.seconds_left(clock.now) == 12


def test_starting_again_resumes_the_call_in_progress(learner, call, clock):
    first = start(learner, call)

    again, started = roleplays.start_session(user=learner, roleplay=call, mode="assessment")

    assert (again.pk, started, again.mode) == (first.pk, False, "practice")
    assert RolePlaySession.objects.count() == 1


def test_the_database_holds_one_active_call_per_learner_and_role_play(learner, call, clock):
    first = start(learner, call)

    with pytest.raises(IntegrityError), transaction.atomic():
        RolePlaySession.objects.create(
            user=learner, roleplay=call, mode="practice", language="zh", script={},
            started_at=clock.now,
        )  # fmt: skip

    assert RolePlaySession.objects.get().pk == first.pk


def test_an_abandoned_call_never_counts_and_a_new_one_can_start(learner, call, clock):
    first = start(learner, call)

    assert roleplays.abandon_session(session=first)
    second = start(learner, call)

    first.refresh_from_db()
    assert first.status == "abandoned" and second.pk != first.pk
    assert not roleplays.abandon_session(session=first)


def test_an_unknown_mode_is_refused(learner, call, clock):
    with pytest.raises(ValidationError):
        roleplays.start_session(user=learner, roleplay=call, mode="exam")


# --- the clock -----------------------------------------------------------------------------------


def test_a_reply_records_its_response_time_from_the_servers_clock(learner, call, clock):
    session = start(learner, call)
    shown(session)
    clock.advance(7.25)

    turn = roleplays.submit_turn_reply(session=session, text=GOOD_GREETING)

    reply = Reply.objects.get()
    assert (turn.status, turn.response_seconds, turn.late) == ("answered", 7.25, False)
    assert (reply.response_seconds, reply.submitted_at, reply.language) == (7.25, clock.now, "zh")
    assert reply.source == f"roleplay:{session.pk}:1" and turn.reply_id == reply.pk


def test_a_reply_within_the_grace_after_the_deadline_is_on_time(learner, call, clock):
    session = start(learner, call)

    turn = play(session, GOOD_GREETING, clock, after=20 + roleplays.GRACE_SECONDS)

    assert (turn.late, turn.late_penalty, turn.points, turn.status) == (False, 0, 100, "passed")


def test_a_reply_after_the_grace_is_late_and_loses_points_when_no_rule_judges_time(
    learner, call, clock
):
    session = start(learner, call)

    turn = play(session, GOOD_GREETING, clock, after=20 + roleplays.GRACE_SECONDS + 1)

    assert (turn.late, turn.response_seconds, turn.status) == (True, 24.0, "passed")
    assert (turn.reply.verdict.score, turn.points, turn.late_penalty) == (100, 80, 20)


def test_a_late_reply_is_judged_by_a_response_time_rule_when_the_pack_has_one(learner, call, clock):
    clock.advance(1)  # published after the fixture's pack
    services.publish_rule_sources(sources=TIMED_RULEBOOK)
    session = start(learner, call)

    turn = play(session, GOOD_GREETING, clock, after=25)

    outcomes = {o["rule_id"]: o["status"] for o in turn.reply.verdict.rule_outcomes}
    assert outcomes["call.quick"] == "fail"
    assert turn.late and turn.late_penalty == 0
    assert turn.points == turn.reply.verdict.score < 100


def test_the_sweeper_times_out_an_unanswered_turn_and_follows_on_timeout(learner, call, clock):
    session = start(learner, call)
    shown(session)
    clock.advance(20 + roleplays.GRACE_SECONDS + 0.5)

    timed_out = roleplays.time_out_overdue_turns()

    first = session.turns.get(index=1)
    assert timed_out == 1
    assert (first.status, first.points, first.next_node) == ("timed_out", 0, "silent")
    assert nodes_of(session) == ["greet", "silent"]
    assert roleplays.time_out_overdue_turns() == 0


def test_the_beat_task_runs_the_timeout_sweeper(learner, call, clock):
    from scenarios.tasks import sweep_roleplay_timeouts

    shown(start(learner, call))
    clock.advance(30)

    assert sweep_roleplay_timeouts() == 1


def test_the_sweeper_leaves_a_turn_inside_its_grace_and_a_line_never_shown(
    learner, outsider, call, clock
):
    shown(start(learner, call))
    start(outsider, call)  # the outsider never opened the page: no clock yet
    clock.advance(20 + roleplays.GRACE_SECONDS)

    assert roleplays.time_out_overdue_turns() == 0
    assert not RolePlayTurn.objects.filter(status="timed_out").exists()


def test_a_page_load_applies_the_timeout_without_waiting_for_the_sweeper(learner, call, clock):
    session = start(learner, call)
    shown(session)
    clock.advance(30)

    turn = shown(session)

    assert (turn.node, turn.index, turn.shown_at) == ("silent", 2, clock.now)


def test_a_reply_after_the_timeout_is_refused_and_nothing_is_saved(learner, call, clock):
    session = start(learner, call)
    shown(session)
    clock.advance(30)
    roleplays.time_out_overdue_turns()

    with pytest.raises(roleplays.TurnClosed):
        roleplays.submit_turn_reply(session=session, text=GOOD_GREETING, turn_index=1)

    assert not Reply.objects.exists()


def test_a_reply_typed_for_an_earlier_line_is_refused(learner, call, clock):
    session = start(learner, call)
    play(session, GOOD_GREETING, clock)

    with pytest.raises(roleplays.TurnClosed):
        roleplays.submit_turn_reply(session=session, text=GOOD_REPLY, turn_index=1)

    assert Reply.objects.count() == 1


def test_an_empty_reply_is_refused_and_the_turn_stays_open(learner, call, clock):
    session = start(learner, call)
    shown(session)

    with pytest.raises(ValidationError):
        roleplays.submit_turn_reply(session=session, text="   ")

    assert session.turns.get().status == "open" and not Reply.objects.exists()


def test_drafts_are_kept_and_refused_once_the_turn_is_closed(learner, call, clock):
    session = start(learner, call)
    shown(session)

    roleplays.save_draft(session=session, text="您好，这里", turn_index=1)
    turn = shown(session)
    clock.advance(30)
    roleplays.time_out_overdue_turns()

    assert (turn.draft, turn.draft_saved_at) == ("您好，这里", clock.now - timedelta(seconds=30))
    with pytest.raises(roleplays.TurnClosed):
        roleplays.save_draft(session=session, text="您好，这里是", turn_index=1)


# --- following the script ------------------------------------------------------------------------


def test_a_passing_reply_moves_the_call_to_the_on_pass_line(learner, call, clock):
    session = start(learner, call)

    turn = play(session, GOOD_GREETING, clock)

    assert (turn.status, turn.points, turn.next_node) == ("passed", 100, "curse")
    assert nodes_of(session) == ["greet", "curse"]
    assert session.turns.get(index=2).shown_at is None  # its clock starts when it is shown


def test_a_failing_reply_escalates(learner, call, clock):
    session = start(learner, call)

    turn = play(session, BAD_GREETING, clock)

    assert (turn.status, turn.next_node) == ("failed", "curse-angrier")
    assert nodes_of(session) == ["greet", "curse-angrier"]


def test_a_critical_mistake_follows_on_critical(learner, call, clock):
    session = start(learner, call)
    play(session, GOOD_GREETING, clock)

    turn = play(session, RUDE_REPLY, clock)

    session.refresh_from_db()
    assert (turn.status, turn.next_node) == ("critical", "end-hung-up")
    assert (session.status, session.passed, session.critical_violation) == ("finished", False, True)


def test_grading_the_same_reply_again_moves_the_call_on_once(learner, call, clock):
    session = start(learner, call)
    turn = play(session, GOOD_GREETING, clock)
    before = list(RolePlayTurn.objects.values())

    again = services.grade_pending_reply(reply_id=turn.reply_id)
    settled_again = roleplays.settle_turn_of_failed_reply(reply_id=turn.reply_id)

    assert (again, settled_again) == ("skipped", False)
    assert list(RolePlayTurn.objects.values()) == before
    assert Verdict.objects.count() == 1


def test_a_reply_the_grader_gives_up_on_moves_the_call_on_unscored(learner, call, clock, settings):
    settings.COURTESY_TASK_ATTEMPT_CAP = 1
    session = start(learner, call)
    shown(session)
    turn = roleplays.submit_turn_reply(session=session, text=GOOD_GREETING)

    with mock.patch("ruleengine.grade", side_effect=RuntimeError("engine down")):
        assert services.grade_pending_reply(reply_id=turn.reply_id) == "failed"

    turn.refresh_from_db()
    assert (turn.status, turn.points, turn.next_node) == ("ungraded", None, "curse-angrier")
    assert nodes_of(session) == ["greet", "curse-angrier"]


def test_a_reply_to_a_call_hung_up_meanwhile_is_graded_but_the_call_stays_over(
    learner, call, clock
):
    session = start(learner, call)
    shown(session)
    turn = roleplays.submit_turn_reply(session=session, text=GOOD_GREETING)
    roleplays.abandon_session(session=session)

    services.grade_pending_reply(reply_id=turn.reply_id)

    session.refresh_from_db()
    assert session.status == "abandoned" and nodes_of(session) == ["greet"]


# --- the end of the call -------------------------------------------------------------------------


def test_a_good_call_passes_and_asks_for_a_certificate_check(
    learner, call, clock, django_capture_on_commit_callbacks
):
    session = start(learner, call, mode="assessment")
    play(session, GOOD_GREETING, clock, after=4)
    play(session, GOOD_REPLY, clock, after=12)

    with (
        mock.patch.object(services, "request_certificate_check") as check,
        django_capture_on_commit_callbacks(execute=True),
    ):
        play(session, GOODBYE, clock, after=6)

    session.refresh_from_db()
    assert (session.status, session.score, session.passed) == ("finished", 100, True)
    assert (session.ending_node, session.ending_text) == ("end-good", "客户平静地挂断了电话。")
    check.assert_called_once_with(learner.pk)
    assert services.roleplay_passed(learner, call.slug)


def test_a_verdict_in_the_middle_of_a_call_leaves_certificates_alone(
    learner, call, clock, django_capture_on_commit_callbacks
):
    session = start(learner, call)

    with (
        mock.patch.object(services, "request_certificate_check") as check,
        django_capture_on_commit_callbacks(execute=True),
    ):
        play(session, GOOD_GREETING, clock)

    check.assert_not_called()


def test_a_call_ended_by_a_timeout_fails_and_leaves_certificates_alone(
    learner, call, clock, django_capture_on_commit_callbacks
):
    session = start(learner, call)
    play(session, GOOD_GREETING, clock)
    shown(session)
    clock.advance(40)

    with (
        mock.patch.object(services, "request_certificate_check") as check,
        django_capture_on_commit_callbacks(execute=True),
    ):
        roleplays.time_out_overdue_turns()

    session.refresh_from_db()
    assert (session.status, session.ending_node, session.passed) == (
        "finished",
        "end-hung-up",
        False,
    )
    check.assert_not_called()


def test_a_call_that_ends_early_counts_the_missing_turns_as_zero(learner, call, clock):
    session = start(learner, call)
    play(session, BAD_GREETING, clock)  # → curse-angrier, 0 points
    play(session, RUDE_REPLY, clock)  # → critical → end-hung-up

    session.refresh_from_db()
    report = roleplays.build_report(session)
    assert (session.status, session.ending_node, session.score) == ("finished", "end-hung-up", 0)
    assert report.result.short_by == 1 and report.complete_call == 3


def test_roleplay_passed_counts_only_finished_passes_of_that_learner_since_a_moment(
    learner, outsider, call, clock
):
    session = start(learner, call)
    for text in (GOOD_GREETING, GOOD_REPLY, GOODBYE):
        play(session, text, clock)
    finished_at = clock.now
    failing = start(outsider, call)
    play(failing, BAD_GREETING, clock)
    play(failing, RUDE_REPLY, clock)

    assert services.roleplay_passed(learner, call.slug) is True
    assert services.roleplay_passed(learner, call.slug, since=finished_at) is True
    assert services.roleplay_passed(learner, call.slug, since=clock.advance(1)) is False
    assert services.roleplay_passed(outsider, call.slug) is False
    assert services.roleplay_passed(learner, "another-call-zh") is False


def test_the_report_lists_every_turn_and_the_lessons_for_what_went_wrong(learner, call, clock):
    cursing = ScenarioFactory(slug="customer-cursing")
    lesson = LessonFactory(title="应对辱骂", module=ModuleFactory(course__slug="phone-zh"))
    lesson.scenarios.add(cursing)
    LessonFactory(title="无关的课").scenarios.add(ScenarioFactory(slug="wrong-number"))
    session = start(learner, call)
    play(session, GOOD_GREETING, clock, after=3)
    play(session, "请您冷静一下。", clock, after=26)  # 30 s turn: on time, no apology
    play(session, "好的，再见。", clock, after=24)  # 20 s turn: late

    session.refresh_from_db()
    report = roleplays.build_report(session)
    assert [view.turn.status for view in report.turns] == ["passed", "failed", "passed"]
    assert [view.turn.response_seconds for view in report.turns] == [3.0, 26.0, 24.0]
    assert [view.turn.points for view in report.turns] == [100, 50, 80]
    assert (session.score, session.passed, report.late_penalised) == (77, True, 1)
    cursing_item, closing_item = report.practise
    assert (cursing_item.scenario.slug, cursing_item.missed) == (
        "customer-cursing",
        ["先致歉", "提供帮助"],
    )
    assert cursing_item.lessons == [lesson] and not cursing_item.too_slow
    assert (closing_item.scenario.slug, closing_item.too_slow) == ("closing-call", True)


# --- the certificates app's hook -----------------------------------------------------------------


def test_the_certificate_check_is_skipped_while_the_task_does_not_exist(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_certificates(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("certificates"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_certificates)

    assert request_certificate_check(1) is False


def test_a_broker_outage_never_fails_the_certificate_check(monkeypatch):
    from certificates import tasks

    monkeypatch.setattr(
        tasks.evaluate_learner, "apply_async", mock.Mock(side_effect=OSError("down"))
    )

    assert request_certificate_check(1) is False


def test_the_certificate_check_queues_behind_grading(monkeypatch):
    from certificates import tasks

    sent = mock.Mock()
    monkeypatch.setattr(tasks.evaluate_learner, "apply_async", sent)

    assert request_certificate_check(7) is True
    sent.assert_called_once_with((7,), priority=services.CERTIFICATE_CHECK_PRIORITY)
