"""Role-play calls: sessions, the server-held clock, and following the script on each verdict.

A session plays a snapshot of the script. Each turn's clock starts when its customer line is
first put on the learner's screen (``show_current_turn``); the deadline is that moment plus the
turn's seconds. A reply is a ``Reply`` like any other (saved in the request's transaction,
graded by the worker); the grading service calls ``settle_turn_of_graded_reply`` in the
transaction that stores the verdict, which decides the branch and opens the next turn.

Every transition is a conditional UPDATE on the turn's status (open → answered → settled, or
open → timed_out), so the reply, the sweeper, a page load and any number of grading runs
racing for one turn move the call on exactly once.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import ruleengine
from courses.models import Lesson

from . import feedback, scripts, services
from .models import Reply, RolePlay, RolePlaySession, RolePlayTurn, Scenario

# A reply that left the browser just before the deadline may arrive a little after it; after
# this grace it is late (recorded, graded with its response time) and the turn may time out.
GRACE_SECONDS: float = 3.0
MAX_DRAFT_CHARS: int = 4 * services.MAX_REPLY_CHARS
SWEEP_BATCH: int = 500

Status = RolePlayTurn.Status
RESULT_STATUS: dict[str, str] = {
    scripts.PASSED: Status.PASSED,
    scripts.FAILED: Status.FAILED,
    scripts.CRITICAL: Status.CRITICAL,
    scripts.TIMED_OUT: Status.TIMED_OUT,
    scripts.UNGRADED: Status.UNGRADED,
}


class TurnClosed(Exception):
    """The turn no longer takes a reply; ``timed_out`` when that is because time ran out
    (otherwise it was answered already, or the call is over)."""

    def __init__(self, *, timed_out: bool = False) -> None:
        super().__init__("timed out" if timed_out else "closed")
        self.timed_out = timed_out


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _grace() -> timedelta:
    return timedelta(seconds=GRACE_SECONDS)


# --- access -----------------------------------------------------------------------------------


def get_session_for_user(request: Any, pk: int) -> RolePlaySession:
    """The requester's own session, or Http404 (other people's calls do not exist for them)."""
    # The call plays its own copy of the script: the role-play's is not needed here.
    calls = RolePlaySession.objects.select_related("roleplay").defer("roleplay__script")
    session = get_object_or_404(calls, pk=pk, user=request.user)
    session.user = request.user  # the same person: saves loading them again to save a reply
    return session


def active_session(*, user: Any, roleplay: RolePlay) -> RolePlaySession | None:
    return RolePlaySession.objects.of(user).active().filter(roleplay=roleplay).first()


# --- starting and leaving a call ----------------------------------------------------------------


def _open_turn(session: RolePlaySession, node_name: str, index: int) -> RolePlayTurn:
    node = session.script["nodes"][node_name]
    turn = node["turn"]
    return RolePlayTurn.objects.create(
        session=session,
        index=index,
        node=node_name,
        scenario_id=Scenario.objects.values_list("id", flat=True).get(slug=turn["scenario"]),
        customer=node["customer"],
        hint=turn.get("hint", ""),
        seconds=turn["seconds"],
    )


def start_session(
    *, user: Any, roleplay: RolePlay, mode: str, now: datetime | None = None
) -> tuple[RolePlaySession, bool]:
    """Start a call, or return the one already in progress: (session, started now).

    One active session per learner and role-play: a second start (another tab, a double
    click) resumes the first one, whatever mode it was asked for.
    """
    if mode not in RolePlaySession.Mode.values:
        raise ValidationError(_("Choose practice or assessment."), code="mode")
    existing = active_session(user=user, roleplay=roleplay)
    if existing is not None:
        return existing, False
    script = roleplay.script
    try:
        with transaction.atomic():
            session = RolePlaySession.objects.create(
                user=user,
                roleplay=roleplay,
                mode=mode,
                language=roleplay.language,
                script=script,
                started_at=_now(now),
            )
            _open_turn(session, script["start"], 1)
    except IntegrityError:
        # Another request started the same call a moment ago: resume that one.
        existing = active_session(user=user, roleplay=roleplay)
        if existing is None:
            raise
        return existing, False
    return session, True


def abandon_session(*, session: RolePlaySession, now: datetime | None = None) -> bool:
    """Hang up a call in progress (to start over); it never counts. False if already over."""
    return bool(
        RolePlaySession.objects.filter(pk=session.pk, status=RolePlaySession.Status.ACTIVE).update(
            status=RolePlaySession.Status.ABANDONED, finished_at=_now(now)
        )
    )


# --- the clock ----------------------------------------------------------------------------------


def current_turn(session: RolePlaySession) -> RolePlayTurn | None:
    """The call's latest turn (a call opens its first turn as it starts)."""
    return session.turns.select_related("scenario", "reply").order_by("-index").first()


def show_current_turn(
    *, session: RolePlaySession, now: datetime | None = None
) -> RolePlayTurn | None:
    """What the learner's screen shows now: times out an overdue turn first (so nobody waits
    for the sweeper), then starts the clock of a customer line seen for the first time."""
    now = _now(now)
    turn = current_turn(session)
    # Only the open turn (the latest) can be overdue; most loads skip the timeout query.
    if (
        session.is_active
        and _is_overdue(turn, now)
        and time_out_overdue_turns(now=now, session=session)
    ):
        session.refresh_from_db()  # the timeout may have ended the call
        turn = current_turn(session)
    if not session.is_active:
        return turn
    if turn is not None and turn.status == Status.OPEN and turn.shown_at is None:
        deadline = now + timedelta(seconds=turn.seconds)
        RolePlayTurn.objects.filter(pk=turn.pk, shown_at__isnull=True).update(
            shown_at=now, deadline=deadline
        )
        turn.refresh_from_db()
    return turn


def turn_state(
    *, session: RolePlaySession, turn_index: int | None, now: datetime | None = None
) -> RolePlayTurn | None:
    """A turn as it stands now, its timeout applied if due (never starts a clock: the line
    is not on screen until the page shows it)."""
    now = _now(now)
    if turn_index is None:
        if session.is_active and time_out_overdue_turns(now=now, session=session):
            session.refresh_from_db()
        return None
    turns = session.turns.select_related("reply").filter(index=turn_index)
    turn = turns.first()
    # A turn other than the one asked about is never open (it would have a higher index and
    # this one would be settled): the page reloads either way and times that one out then.
    if (
        session.is_active
        and _is_overdue(turn, now)
        and time_out_overdue_turns(now=now, session=session)
    ):
        session.refresh_from_db()
        turn = turns.first()
    return turn


def _is_overdue(turn: RolePlayTurn | None, now: datetime) -> bool:
    """An open turn whose deadline and grace have passed (what ``time_out_overdue_turns``
    closes)."""
    return (
        turn is not None
        and turn.status == Status.OPEN
        and turn.deadline is not None
        and turn.deadline < now - _grace()
    )


def time_out_overdue_turns(
    *, now: datetime | None = None, session: RolePlaySession | None = None, limit: int = SWEEP_BATCH
) -> int:
    """Close turns whose deadline (and grace) passed with no reply, following ``on_timeout``.

    The sweeper runs it for everybody; a page load or a poll for its own call. Returns how
    many turns timed out. The line that follows a timeout has no clock until it is shown, so
    an unattended call never times out more than one line.
    """
    now = _now(now)
    overdue = RolePlayTurn.objects.filter(
        status=Status.OPEN,
        deadline__lt=now - _grace(),
        session__status=RolePlaySession.Status.ACTIVE,
    )
    if session is not None:
        overdue = overdue.filter(session=session)
    count = 0
    for turn in overdue.select_related("session").order_by("deadline")[:limit]:
        with transaction.atomic():
            count += _settle(turn, scripts.TIMED_OUT, now=now, from_status=Status.OPEN)
    return count


# --- replies -----------------------------------------------------------------------------------


def _open_turn_of(session: RolePlaySession, turn_index: int | None) -> RolePlayTurn:
    """The turn taking a reply now; TurnClosed when there is none, or when the learner was
    answering another one (``turn_index``: a page left open on an earlier line)."""
    session.refresh_from_db(fields=["status"])
    turn = current_turn(session)
    wanted = turn_index if turn_index is not None else (turn.index if turn else None)
    is_open = session.is_active and turn is not None and turn.status == Status.OPEN
    if is_open and turn is not None and turn.index == wanted:
        return turn
    timed_out = session.turns.filter(index=wanted, status=Status.TIMED_OUT).exists()
    raise TurnClosed(timed_out=timed_out)


def save_draft(
    *,
    session: RolePlaySession,
    text: str,
    turn_index: int | None = None,
    now: datetime | None = None,
) -> RolePlayTurn:
    """Keep what the learner has typed so far, so a reload resumes with it. TurnClosed once
    the turn no longer takes a reply."""
    turn = _open_turn_of(session, turn_index)
    saved = RolePlayTurn.objects.filter(pk=turn.pk, status=Status.OPEN).update(
        draft=(text or "")[:MAX_DRAFT_CHARS], draft_saved_at=_now(now)
    )
    if not saved:
        raise TurnClosed(timed_out=True)
    turn.refresh_from_db()
    return turn


def submit_turn_reply(
    *,
    session: RolePlaySession,
    text: str,
    turn_index: int | None = None,
    now: datetime | None = None,
) -> RolePlayTurn:
    """Save the learner's reply to the current line; the worker grades it after commit.

    response_seconds = now − when the line was shown (the server's clock). A reply after the
    deadline and its grace is accepted while the turn is still open, marked late, and graded
    with its response time. Raises ValidationError (empty, too long) or TurnClosed (the turn
    timed out or was answered already); nothing is saved then.
    """
    now = _now(now)
    turn = _open_turn_of(session, turn_index)
    cleaned = services.validate_reply(scenario=turn.scenario, language=session.language, text=text)
    shown_at = turn.shown_at or now  # a reply to a line never rendered (no page load) is instant
    response_seconds = round(max(0.0, (now - shown_at).total_seconds()), 3)
    with transaction.atomic():
        reply = services.save_reply(
            user=session.user,
            scenario=turn.scenario,
            language=session.language,
            text=cleaned,
            response_seconds=response_seconds,
            source=f"roleplay:{session.pk}:{turn.index}",
            submitted_at=now,
        )
        answered = RolePlayTurn.objects.filter(pk=turn.pk, status=Status.OPEN).update(
            status=Status.ANSWERED,
            reply=reply,
            draft=cleaned,
            response_seconds=response_seconds,
            late=turn.deadline is not None and now > turn.deadline + _grace(),
            shown_at=shown_at,
            deadline=turn.deadline or shown_at + timedelta(seconds=turn.seconds),
        )
        if not answered:
            # Timed out (or answered in another tab) since we looked: the reply rolls back.
            raise TurnClosed(timed_out=turn.deadline is not None and now > turn.deadline)
    turn.refresh_from_db()
    turn.reply = reply  # what the page shows next, without loading it again
    return turn


# --- following the script ------------------------------------------------------------------------


def _result_of(verdict: ruleengine.Verdict) -> str:
    if any(outcome.severity == "critical" for outcome in verdict.failures):
        return scripts.CRITICAL
    return scripts.PASSED if verdict.passed else scripts.FAILED


def time_judged_by_rules(
    reply: Reply, verdict: ruleengine.Verdict, pack: ruleengine.CompiledPack
) -> bool:
    """Whether the rules themselves judged this reply's response time.

    Graded again without the time: if any rule's outcome changes, a response-time check (at
    any depth of the rule) applied, and the session must not penalise lateness a second time.
    """
    untimed = ruleengine.grade(
        reply.text, pack, scenario=verdict.scenario, language=verdict.language
    )
    return [o.status for o in untimed.outcomes] != [o.status for o in verdict.outcomes]


def settle_turn_of_graded_reply(
    *, reply: Reply, verdict: ruleengine.Verdict, pack: ruleengine.CompiledPack
) -> bool:
    """Settle the role-play turn this reply answered (if any) and move its call on.

    Runs inside the transaction that stores the verdict; a no-op for practice-page replies
    and for a turn already settled (idempotent).
    """
    if not reply.source.startswith("roleplay:"):
        return False
    turn = (
        RolePlayTurn.objects.select_related("session")
        .filter(reply_id=reply.pk, status=Status.ANSWERED)
        .first()
    )
    if turn is None:
        return False
    judged = turn.late and time_judged_by_rules(reply, verdict, pack)
    points = scripts.turn_points(verdict.score, late=turn.late, time_judged_by_rules=judged)
    return bool(
        _settle(
            turn,
            _result_of(verdict),
            now=timezone.now(),
            from_status=Status.ANSWERED,
            points=points,
            late_penalty=verdict.score - points,
        )
    )


def settle_turn_of_failed_reply(*, reply_id: int) -> bool:
    """The grader gave up on this reply: its turn goes on (like a failed reply), unscored."""
    turn = (
        RolePlayTurn.objects.select_related("session")
        .filter(reply_id=reply_id, status=Status.ANSWERED)
        .first()
    )
    if turn is None:
        return False
    return bool(_settle(turn, scripts.UNGRADED, now=timezone.now(), from_status=Status.ANSWERED))


def _settle(
    turn: RolePlayTurn,
    result: str,
    *,
    now: datetime,
    from_status: str,
    points: int = 0,
    late_penalty: int = 0,
) -> int:
    """Record how a turn ended and follow its branch; 0 when another run settled it first.

    Call inside a transaction: the settled turn and the next turn (or the finished session)
    commit together. ``turn`` comes with its session (select_related).
    """
    node = turn.session.script["nodes"][turn.node]
    target = scripts.next_node(node, result)
    won = RolePlayTurn.objects.filter(pk=turn.pk, status=from_status).update(
        status=RESULT_STATUS[result],
        points=None if result == scripts.UNGRADED else points,
        late_penalty=late_penalty,
        next_node=target,
        settled_at=now,
    )
    if won:
        _go_to(turn.session, target, after=turn.index, now=now)
    return won


def _go_to(session: RolePlaySession, node_name: str, *, after: int, now: datetime) -> None:
    if session.status != RolePlaySession.Status.ACTIVE:
        return  # abandoned meanwhile: the verdict is kept, the call does not go on
    if scripts.is_ending(session.script["nodes"][node_name]):
        _finish(session, node_name, now)
    else:
        _open_turn(session, node_name, after + 1)


def _session_result(session: RolePlaySession) -> scripts.SessionResult:
    settled = session.turns.filter(status__in=RolePlayTurn.SETTLED).values_list("status", "points")
    return scripts.session_result(
        [scripts.TurnResult(_result_name(status), points or 0) for status, points in settled],
        complete_call=scripts.main_path_turns(session.script["nodes"], session.script["start"]),
        pass_mark=int(session.script["pass_mark"]),
    )


def _finish(session: RolePlaySession, ending: str, now: datetime) -> None:
    """End the call with its score; once a passed call is committed, the learner's
    certificates are re-evaluated (a passed call is the only role-play result they depend
    on: a failed one never takes away a pass, so it has nothing to re-evaluate)."""
    result = _session_result(session)
    finished = RolePlaySession.objects.filter(
        pk=session.pk, status=RolePlaySession.Status.ACTIVE
    ).update(
        status=RolePlaySession.Status.FINISHED,
        finished_at=now,
        ending_node=ending,
        score=result.score,
        passed=result.passed,
        critical_violation=result.critical,
    )
    if finished and result.passed and not session.is_trial:
        user_id = session.user_id
        transaction.on_commit(lambda: services.request_certificate_check(user_id), robust=True)


def _result_name(status: str) -> str:
    return {value: key for key, value in RESULT_STATUS.items()}[status]


# --- what the learner reads -------------------------------------------------------------------


def has_passed_roleplay(*, user: Any, slug: str, since: datetime | None = None) -> bool:
    """A finished call of ``slug`` (practice or assessment) passed with no critical violation."""
    calls = (
        RolePlaySession.objects.of(user)
        .finished()
        .filter(
            roleplay__slug=slug,
            mode__in=[RolePlaySession.Mode.PRACTICE, RolePlaySession.Mode.ASSESSMENT],
            passed=True,
            critical_violation=False,
        )
    )
    if since is not None:
        calls = calls.filter(finished_at__gte=since)
    return calls.exists()


@dataclass
class TurnView:
    """One turn as the session page and the report show it."""

    turn: RolePlayTurn
    reply: Reply | None
    verdict: Any  # scenarios.models.Verdict | None
    segments: list[feedback.Segment] = field(default_factory=list)
    marks: set[str] = field(default_factory=set)
    rules: list[feedback.RuleFeedback] = field(default_factory=list)

    @property
    def failed_rules(self) -> list[feedback.RuleFeedback]:
        return [rule for rule in self.rules if not rule.passed]


def turn_view(turn: RolePlayTurn) -> TurnView:
    reply = turn.reply
    graded = reply is not None and reply.status == Reply.Status.GRADED
    verdict = getattr(reply, "verdict", None) if graded else None
    outcomes = verdict.rule_outcomes if verdict else []
    segments = feedback.highlight(reply.text, outcomes) if reply else []
    return TurnView(
        turn=turn,
        reply=reply,
        verdict=verdict,
        segments=segments,
        marks={segment.mark for segment in segments if segment.mark},
        rules=feedback.rule_feedback(outcomes),
    )


def turn_views(session: RolePlaySession) -> list[TurnView]:
    turns = session.turns.select_related("scenario", "reply", "reply__verdict").order_by("index")
    return [turn_view(turn) for turn in turns]


@dataclass
class Practise:
    """A scenario to practise next: the rules missed in it and the lessons that teach it."""

    scenario: Scenario
    missed: list[str]
    lessons: list[Lesson]
    too_slow: bool = False  # a reply came late, or none came in time


@dataclass
class Report:
    session: RolePlaySession
    turns: list[TurnView]
    result: scripts.SessionResult
    complete_call: int
    late_penalised: int
    practise: list[Practise]


def _lessons_for(scenarios: Iterable[Scenario], course_slug: str) -> dict[int, list[Lesson]]:
    lessons = (
        Lesson.objects.published()
        .filter(scenarios__in=list(scenarios))
        .select_related("module__course")
        .prefetch_related("scenarios")
        .in_course_order()
        .distinct()
    )
    if course_slug:
        lessons = lessons.filter(module__course__slug=course_slug)
    found: dict[int, list[Lesson]] = {}
    for lesson in lessons:
        for scenario in lesson.scenarios.all():
            found.setdefault(scenario.pk, []).append(lesson)
    return found


def _what_to_practise(views: list[TurnView], course_slug: str) -> list[Practise]:
    wanted: dict[int, Practise] = {}
    for view in views:
        turn = view.turn
        slow = turn.late or turn.status == Status.TIMED_OUT
        if turn.status not in (Status.FAILED, Status.CRITICAL) and not slow:
            continue
        item = wanted.setdefault(turn.scenario_id, Practise(turn.scenario, [], []))
        item.too_slow = item.too_slow or slow
        item.missed += [rule.title for rule in view.failed_rules if rule.title not in item.missed]
    lessons = _lessons_for((item.scenario for item in wanted.values()), course_slug)
    for item in wanted.values():
        item.lessons = lessons.get(item.scenario.pk, [])
    return list(wanted.values())


def build_report(session: RolePlaySession) -> Report:
    """The final report of a finished call: every turn, the total and what to practise next."""
    views = turn_views(session)
    return Report(
        session=session,
        turns=views,
        result=_session_result(session),
        complete_call=scripts.main_path_turns(session.script["nodes"], session.script["start"]),
        late_penalised=sum(1 for view in views if view.turn.late_penalty),
        practise=_what_to_practise(views, session.roleplay.course_slug),
    )


@dataclass
class RolePlayCard:
    roleplay: RolePlay
    active: RolePlaySession | None
    last: RolePlaySession | None
    best_score: int | None
    passed: bool


def roleplay_cards(*, user: Any, language: str) -> list[RolePlayCard]:
    """Every active role-play for the learner, ``language`` first, with their own results."""
    roleplays = list(RolePlay.objects.active().for_language_first(language))
    mine = RolePlaySession.objects.of(user).filter(roleplay__in=roleplays)
    active = {s.roleplay_id: s for s in mine.active()}
    last: dict[int, RolePlaySession] = {}
    for session in mine.finished().order_by("-finished_at", "-id"):
        last.setdefault(session.roleplay_id, session)
    best = dict(mine.finished().order_by().values_list("roleplay").annotate(best=Max("score")))
    passed = set(
        mine.finished().filter(passed=True, critical_violation=False).values_list("roleplay_id")
    )
    return [
        RolePlayCard(
            roleplay=roleplay,
            active=active.get(roleplay.pk),
            last=last.get(roleplay.pk),
            best_score=best.get(roleplay.pk),
            passed=(roleplay.pk,) in passed,
        )
        for roleplay in roleplays
    ]


def recent_results(*, user: Any, limit: int = 3) -> list[RolePlaySession]:
    return list(
        RolePlaySession.objects.of(user)
        .finished()
        .select_related("roleplay")
        .order_by("-finished_at", "-id")[:limit]
    )


# --- trial calls: the studio's "play as learner" -------------------------------------------------


def start_trial_session(
    *, user: Any, roleplay: RolePlay, mode: str, now: datetime | None = None
) -> RolePlaySession:
    """A trainer's trial of the role-play's saved script, played, timed and graded exactly like
    a learner's call but never counted (``is_trial``; see ``RolePlaySessionQuerySet.of``).

    A trial of the same role-play still in progress is hung up first, so a new trial always
    plays the script as saved now; the trainer's own calls as a learner are left alone.
    """
    if mode not in RolePlaySession.Mode.values:
        raise ValidationError(_("Choose practice or assessment."), code="mode")
    now = _now(now)
    trials = RolePlaySession.objects.trials().filter(user=user, roleplay=roleplay)
    try:
        with transaction.atomic():
            trials.active().update(status=RolePlaySession.Status.ABANDONED, finished_at=now)
            session = RolePlaySession.objects.create(
                user=user,
                roleplay=roleplay,
                mode=mode,
                language=roleplay.language,
                script=roleplay.script,
                started_at=now,
                is_trial=True,
            )
            _open_turn(session, roleplay.script["start"], 1)
    except IntegrityError:
        # A double click started the same trial a moment ago: play that one.
        existing = trials.active().first()
        if existing is None:
            raise
        return existing
    return session
