"""The scenario editor: the situation and the caller's words per language, with the rules,
lessons and questions that go with each scenario."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import trainer_required
from scenarios import services as scenario_services
from scenarios.models import Scenario, pick_language

from .. import services
from ..forms import ScenarioForm, ScenarioLessonsForm, posted
from ..models import RuleDraft


@trainer_required
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = Scenario.objects.annotate(
        lesson_count=Count("lessons", distinct=True),
        question_count=Count("questions", filter=Q(questions__active=True), distinct=True),
    )
    pack = _published_pack()
    rows = [
        {"scenario": scenario, "rules": _rule_counts(pack, scenario.slug)} for scenario in scenarios
    ]
    return render(request, "studio/scenarios/list.html", {"rows": rows})


@trainer_required
def scenario_new(request: HttpRequest) -> HttpResponse:
    form = ScenarioForm(posted(request), creating=True)
    if request.method == "POST" and form.is_valid():
        scenario = services.save_scenario(
            scenario=None,
            slug=form.cleaned_data["slug"],
            titles=form.texts("title"),
            customer_lines=form.texts("customer"),
            sources=form.source_lines(),
            actor=request.user,
        )
        messages.success(request, _("Scenario %(slug)s was created.") % {"slug": scenario.slug})
        return redirect("studio:scenario", slug=scenario.slug)
    return render(request, "studio/scenarios/edit.html", {"form": form, "creating": True})


@trainer_required
def scenario_edit(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    form = ScenarioForm(posted(request), initial=ScenarioForm.initial_for(scenario))
    if request.method == "POST" and form.is_valid():
        services.save_scenario(
            scenario=scenario,
            titles=form.texts("title"),
            customer_lines=form.texts("customer"),
            sources=form.source_lines(),
            actor=request.user,
        )
        messages.success(request, _("The scenario was saved."))
        return redirect("studio:scenario", slug=scenario.slug)
    context = {"form": form, "scenario": scenario} | _linked(scenario)
    return render(request, "studio/scenarios/edit.html", context)


@trainer_required
@require_POST
def scenario_lessons(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = get_object_or_404(Scenario, slug=slug)
    form = ScenarioLessonsForm(request.POST, scenario=scenario)
    if form.is_valid():
        add = [form.cleaned_data["add"]] if form.cleaned_data["add"] else []
        services.link_lessons(
            scenario=scenario, add=add, remove=form.cleaned_data["remove"], actor=request.user
        )
        messages.success(request, _("The lessons of this scenario were updated."))
    else:
        messages.error(request, _("Choose a lesson from the list."))
    return redirect(f"{scenario_url(scenario)}#lessons")


def scenario_url(scenario: Scenario) -> str:
    return reverse("studio:scenario", args=[scenario.slug])


def _published_pack() -> Any:
    try:
        return scenario_services.get_published_pack()
    except scenario_services.NoPublishedPack:
        return None


def _rule_counts(pack: Any, slug: str) -> dict[str, int]:
    if pack is None:
        return {}
    return {lang: len(pack.rules_for(slug, lang)) for lang in ("zh", "ko")}


def _linked(scenario: Scenario) -> dict[str, Any]:
    pack = _published_pack()
    rules = {}
    for lang in ("zh", "ko", "en"):
        found = pack.rules_for(scenario.slug, lang) if pack is not None else ()
        if found:
            rules[lang] = [_rule_row(rule) for rule in found]
    lessons = scenario.lessons.select_related("module__course").in_course_order()
    return {
        "rules": rules,
        "open_draft": RuleDraft.objects.open().first(),
        "lessons": lessons,
        "lessons_form": ScenarioLessonsForm(scenario=scenario),
        "questions": scenario.questions.filter(active=True).order_by("language", "position"),
    }


def _rule_row(rule: Any) -> dict[str, Any]:
    title = pick_language({"zh": rule.title.zh, "ko": rule.title.ko, "en": rule.title.en})
    return {
        "id": rule.id,
        "title": title,
        "severity": rule.severity,
        "file": rule.file,
        "line": rule.line,
    }
