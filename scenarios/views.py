from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import facts, feedback, services
from .forms import ReplyForm
from .models import Reply, Scenario

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
