from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import facts, feedback, roleplays, services
from .forms import ReplyForm
from .models import Reply, RolePlay, RolePlaySession, RolePlayTurn, Scenario

# Poll fast while a verdict normally takes a moment; slow down once it is clearly delayed.
SLOW_POLL_AFTER_SECONDS = 15


@login_required
@require_GET
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = Scenario.objects.with_last_result(request.user)
    return render(request, "scenarios/list.html", {"scenarios": scenarios})


@login_required
def practice(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    form = _reply_form(request, scenario)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.submit_reply(user=request.user, scenario=scenario, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("language" if error.code == "language" else "text", error)
        else:
            return redirect("scenarios:reply", pk=reply.pk)
    return render(request, "scenarios/practice.html", {"scenario": scenario, "form": form})


@login_required
@require_GET
def reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reply = services.get_reply_for_user(request, pk)
    context = {"scenario": reply.scenario, "form": _reply_form(request, reply.scenario)}
    return render(request, "scenarios/reply.html", context | _verdict_context(reply))


@login_required
@require_GET
def reply_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    """The verdict partial the reply page polls (htmx) until the reply is settled."""
    reply = services.get_reply_for_user(request, pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("scenarios:reply", pk=reply.pk)
    return render(request, "scenarios/_verdict.html", _verdict_context(reply))


def _reply_form(request: HttpRequest, scenario: Scenario) -> ReplyForm:
    languages = services.gradable_languages(scenario=scenario)
    preferred = facts.engine_language(get_language())
    initial = {"language": preferred if preferred in languages else next(iter(languages), "")}
    data = request.POST if request.method == "POST" else None
    return ReplyForm(data, languages=languages, initial=initial)


def _verdict_context(reply: Reply) -> dict[str, object]:
    waited = (timezone.now() - reply.submitted_at).total_seconds()
    verdict = getattr(reply, "verdict", None) if reply.status == Reply.Status.GRADED else None
    outcomes = verdict.rule_outcomes if verdict else []
    segments = feedback.highlight(reply.text, outcomes)
    return {
        "reply": reply,
        "verdict": verdict,
        "segments": segments,
        "marks": {segment.mark for segment in segments if segment.mark},
        "rules": feedback.rule_feedback(outcomes),
        "delayed": waited > SLOW_POLL_AFTER_SECONDS,
    }


# --- role-plays ---------------------------------------------------------------------------------


def _ui_language() -> str:
    return facts.engine_language(get_language())


@login_required
@require_GET
def roleplay_list(request: HttpRequest) -> HttpResponse:
    cards = roleplays.roleplay_cards(user=request.user, language=_ui_language())
    return render(request, "scenarios/roleplay_list.html", {"cards": cards})


@login_required
@require_GET
def roleplay_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roleplay = get_object_or_404(RolePlay.objects.active(), slug=slug)
    history = RolePlaySession.objects.of(request.user).finished().filter(roleplay=roleplay)
    context = {
        "roleplay": roleplay,
        "active": roleplays.active_session(user=request.user, roleplay=roleplay),
        "history": history.order_by("-finished_at")[:10],
        "grace": int(roleplays.GRACE_SECONDS),
    }
    return render(request, "scenarios/roleplay_detail.html", context)


@login_required
@require_POST
def roleplay_start(request: HttpRequest, slug: str) -> HttpResponse:
    roleplay = get_object_or_404(RolePlay.objects.active(), slug=slug)
    active = roleplays.active_session(user=request.user, roleplay=roleplay)
    if active is not None and request.POST.get("restart"):
        roleplays.abandon_session(session=active)
    try:
        session, started = roleplays.start_session(
            user=request.user, roleplay=roleplay, mode=request.POST.get("mode", "")
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("scenarios:roleplay", slug=slug)
    if not started:
        messages.info(request, _("This call is already in progress: carry on where you left it."))
    return redirect("scenarios:session", pk=session.pk)


@login_required
@require_GET
def session_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = roleplays.get_session_for_user(request, pk)
    now = timezone.now()
    turn = roleplays.show_current_turn(session=session, now=now)
    if session.status == RolePlaySession.Status.FINISHED:
        return render(request, "scenarios/report.html", {"report": roleplays.build_report(session)})
    views = roleplays.turn_views(session)
    settled = [view.turn.index for view in views if view.turn.is_settled]
    context = {
        "session": session,
        "turns": views,
        "latest_settled": settled[-1] if settled else None,
        "current": turn if session.is_active else None,
        "seconds_left": turn.seconds_left(now) if turn and turn.status == "open" else None,
        "grace": roleplays.GRACE_SECONDS,
    }
    return render(request, "scenarios/session.html", context)


def _turn_index(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("turn") or request.GET.get("turn") or "")
    except ValueError:
        return None


@login_required
@require_POST
def session_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the reply. From htmx: the waiting panel in place of the form (one request fewer
    than a redirect and a page load); refused replies reload the page with the message."""
    session = roleplays.get_session_for_user(request, pk)
    text = request.POST.get("text", "")
    try:
        turn = roleplays.submit_turn_reply(
            session=session, text=text, turn_index=_turn_index(request)
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        with suppress(roleplays.TurnClosed):  # keep what was typed for the next try
            roleplays.save_draft(session=session, text=text, turn_index=_turn_index(request))
        turn = None
    except roleplays.TurnClosed as closed:
        messages.warning(request, _closed_message(closed))
        turn = None
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("scenarios:session", pk=session.pk)
    if turn is None:
        return _refresh()
    context = {"session": session, "turn": turn, "poll_ms": _poll_delay_ms(0)}
    return render(request, "scenarios/_turn_sent.html", context)


def _closed_message(closed: roleplays.TurnClosed) -> str:
    if closed.timed_out:
        return _("Your reply came too late: the caller did not wait for it.")
    return _("That line was already answered: here is where the call stands now.")


def _refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def session_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (htmx): keep the reply being typed; reload the page once the turn is over."""
    session = roleplays.get_session_for_user(request, pk)
    try:
        turn = roleplays.save_draft(
            session=session, text=request.POST.get("text", ""), turn_index=_turn_index(request)
        )
    except roleplays.TurnClosed:
        return _refresh()
    return render(request, "scenarios/_draft_saved.html", {"turn": turn})


@login_required
@require_GET
def session_turn_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled (htmx) while a turn waits: for its verdict, or past its deadline for the
    timeout. Once the turn is settled the page reloads and shows what comes next."""
    session = roleplays.get_session_for_user(request, pk)
    turn = roleplays.turn_state(session=session, turn_index=_turn_index(request))
    if turn is None or turn.is_settled or not session.is_active:
        return _refresh()
    if turn.status == RolePlayTurn.Status.OPEN:
        return HttpResponse(status=204)
    waited = (timezone.now() - turn.reply.submitted_at).total_seconds() if turn.reply else 0.0
    context = {"session": session, "turn": turn, "poll_ms": _poll_delay_ms(waited)}
    return render(request, "scenarios/_turn_waiting.html", context)


def _poll_delay_ms(waited_seconds: float) -> int:
    """Poll fast while a verdict normally takes a moment; slow down once it is clearly late."""
    if waited_seconds < 2:
        return 200
    return 500 if waited_seconds < SLOW_POLL_AFTER_SECONDS else 3000


@login_required
@require_POST
def session_abandon(request: HttpRequest, pk: int) -> HttpResponse:
    session = roleplays.get_session_for_user(request, pk)
    roleplays.abandon_session(session=session)
    if session.is_trial:  # a trainer's trial from the studio: back to the editor
        return redirect("studio:roleplay", slug=session.roleplay.slug)
    return redirect("scenarios:roleplay", slug=session.roleplay.slug)
