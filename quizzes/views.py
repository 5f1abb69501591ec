from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .feedback import attempt_feedback
from .forms import answer_for_position, answers_from_post
from .listing import quiz_catalogue
from .models import Attempt, Quiz


def get_attempt_for_user(request: HttpRequest, pk: int) -> Attempt:
    """The signed-in learner's own attempt; anybody else's is a 404, never a 403."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=pk, user=request.user)


def get_published_quiz(slug: str) -> Quiz:
    return get_object_or_404(Quiz, slug=slug, published=True)


@login_required
@require_GET
def quiz_list(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/quiz_list.html", {"catalogue": quiz_catalogue(request.user)})


@login_required
@require_GET
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_published_quiz(slug)
    context = {
        "quiz": quiz,
        "open_attempt": services.open_attempt_for(user=request.user, quiz=quiz),
        "attempts": Attempt.objects.filter(user=request.user, quiz=quiz).finished(),
        "attempts_left": services.attempts_left(user=request.user, quiz=quiz),
        "best": services.best_result(request.user, quiz),
    }
    return render(request, "quizzes/quiz_detail.html", context)


@login_required
@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = get_published_quiz(slug)
    try:
        attempt = services.start_attempt(user=request.user, quiz=quiz)
    except services.AttemptLimitReached:
        messages.error(request, _("You have used every attempt this quiz allows."))
        return redirect("quizzes:detail", slug=quiz.slug)
    except services.EmptyPool:
        messages.error(request, _("This quiz has no questions yet."))
        return redirect("quizzes:detail", slug=quiz.slug)
    return redirect("quizzes:attempt", pk=attempt.pk)


@login_required
@require_GET
def attempt_page(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request, pk)
    if services.close_if_overdue(attempt=attempt):
        return redirect("quizzes:result", pk=attempt.pk)
    questions = services.shown_questions(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "questions": questions,
        "answered_count": sum(question.answered for question in questions),
        "seconds_left": attempt.seconds_left(),
        "timer_text": _clock(attempt.seconds_left()),
    }
    return render(request, "quizzes/attempt.html", context)


@login_required
@require_POST
def save(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    attempt = get_attempt_for_user(request, pk)
    tokens = answer_for_position(request.POST, position)
    if tokens is None or not 1 <= position <= len(attempt.layout):
        raise Http404
    try:
        services.save_answers(attempt=attempt, answers={position: tokens})
    except services.AttemptClosed:
        return _closed_response(request, attempt)
    saved_at = timezone.localtime()
    return render(request, "quizzes/_saved.html", {"saved_at": saved_at, "position": position})


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request, pk)
    answers = answers_from_post(request.POST, len(attempt.layout))
    attempt = services.submit_attempt(attempt=attempt, answers=answers)
    if attempt.status == "expired":
        messages.warning(
            request, _("Time was up: the attempt was graded on the answers saved before then.")
        )
    return redirect("quizzes:result", pk=attempt.pk)


@login_required
@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = get_attempt_for_user(request, pk)
    if not services.close_if_overdue(attempt=attempt):
        return redirect("quizzes:attempt", pk=attempt.pk)
    review = services.may_review(attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "review": review,
        "feedback": attempt_feedback(attempt) if review else [],
        "attempts_left": services.attempts_left(user=request.user, quiz=attempt.quiz),
    }
    return render(request, "quizzes/result.html", context)


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    attempts = Attempt.objects.filter(user=request.user).finished().select_related("quiz")
    return render(request, "quizzes/history.html", {"attempts": attempts})


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


def _closed_response(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """Tell the page the attempt is over; htmx follows HX-Redirect to the result."""
    url = reverse("quizzes:result", kwargs={"pk": attempt.pk})
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
