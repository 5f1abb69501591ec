from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import trainer_required
from scenarios.models import Scenario

from . import services
from .access import (
    get_course_for_user,
    get_imported_module_for_user,
    get_lesson_for_user,
    get_review_item_for_user,
)
from .models import CandidateRule, ModelPhrase, ReviewStatus, sees_drafts
from .rendering import render_markdown


@dataclass(frozen=True)
class ScenarioLink:
    title: str
    url: str | None


def scenario_links(scenarios: list[Scenario]) -> list[ScenarioLink]:
    return [ScenarioLink(scenario.title, scenario_url(scenario)) for scenario in scenarios]


def scenario_url(scenario: Scenario) -> str | None:
    # The practice page belongs to the scenarios app; without it the chip is plain text.
    try:
        return reverse("scenarios:practice", args=[scenario.slug])
    except NoReverseMatch:
        return None


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    entries = services.list_catalog(user=request.user)
    context = {"entries": entries, "sees_drafts": sees_drafts(request.user)}
    return render(request, "courses/catalog.html", context)


@login_required
def course_detail(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_course_for_user(request, course_slug)
    outline = services.outline_course(user=request.user, course=course)
    context = {"outline": outline, "course": course, "sees_drafts": sees_drafts(request.user)}
    return render(request, "courses/course_detail.html", context)


@login_required
@require_POST
def enroll(request: HttpRequest, course_slug: str) -> HttpResponse:
    course = get_course_for_user(request, course_slug)
    services.enroll_learner(user=request.user, course=course)
    back_to = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back_to, {request.get_host()}, request.is_secure()):
        return redirect(back_to)
    outline = services.outline_course(user=request.user, course=course)
    return redirect(outline.continue_lesson or course)


@login_required
def lesson_detail(
    request: HttpRequest, course_slug: str, module_slug: str, lesson_slug: str
) -> HttpResponse:
    lesson = get_lesson_for_user(request, course_slug, module_slug, lesson_slug)
    progress = services.record_lesson_visit(user=request.user, lesson=lesson)
    outline = services.outline_course(user=request.user, course=lesson.module.course)
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "course": lesson.module.course,
        "body_html": render_markdown(lesson.body_markdown),
        "say_cards": lesson.say_cards(),
        "scenario_links": scenario_links(list(lesson.scenarios.all())),
        "place": services.place_among(outline.lessons, lesson),
        "outline": outline,
        "module_outline": outline.module_of(lesson),
        "progress": progress,
        "enrolled": progress is not None,
        "sees_drafts": sees_drafts(request.user),
    }
    return render(request, "courses/lesson_detail.html", context)


@login_required
@require_POST
def complete_lesson(
    request: HttpRequest, course_slug: str, module_slug: str, lesson_slug: str
) -> HttpResponse:
    lesson = get_lesson_for_user(request, course_slug, module_slug, lesson_slug)
    course = lesson.module.course
    if services.find_enrollment(user=request.user, course=course) is None:
        messages.warning(request, _("Start the course first: your progress is kept from then on."))
        return redirect(course)
    services.complete_lesson(user=request.user, lesson=lesson)
    place = services.place_lesson(user=request.user, lesson=lesson)
    if place.next is not None:
        return redirect(place.next)
    if services.outline_course(user=request.user, course=course).is_complete:
        messages.success(request, _("You have read every lesson of this course. Well done!"))
    return redirect(course)


@trainer_required
def review_list(request: HttpRequest) -> HttpResponse:
    modules = services.list_imported_drafts()
    return render(request, "courses/review_list.html", {"modules": modules})


@trainer_required
def review_module(request: HttpRequest, module_id: int) -> HttpResponse:
    module = get_imported_module_for_user(request, module_id)
    lessons = module.lessons.prefetch_related("model_phrases")
    context = {
        "module": module,
        "lessons": lessons,
        "rules": module.candidate_rules.select_related("reviewed_by"),
    }
    return render(request, "courses/review_module.html", context)


@trainer_required
@require_POST
def review_item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = get_review_item_for_user(request, kind, pk)
    status = request.POST.get("status", "")
    if status not in ReviewStatus.values:
        return HttpResponseBadRequest(_("Choose accept or reject."))
    if isinstance(item, CandidateRule):
        services.review_candidate_rule(rule=item, status=status, reviewer=request.user)
        module_id = item.module_id
    else:
        assert isinstance(item, ModelPhrase)
        services.review_model_phrase(phrase=item, status=status, reviewer=request.user)
        module_id = item.lesson.module_id
    if request.htmx:
        return render(request, "courses/_review_item.html", {"item": item, "kind": kind})
    return redirect("courses:review-module", module_id=module_id)
