"""The quiz question editor: one form per question type, a preview as the learner sees it,
and every saved change kept as a new version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import trainer_required
from core.content import ContentError
from quizzes import services as quiz_services
from quizzes.models import Question, QuestionType
from scenarios.models import Scenario

from ..access import get_question_for_user
from ..forms import NewQuestionForm, QuestionFilterForm, QuestionMetaForm, item_formset
from ..questions import initial_items, initial_meta, learner_view, raw_question

# quizzes.content names the file and the question first; in the editor only the rest helps.
_WHERE = re.compile(r"^studio, question \d+(?: \([^)]*\))?(?:, )?:? ?")


@trainer_required
def question_list(request: HttpRequest) -> HttpResponse:
    form = QuestionFilterForm(request.GET or None)
    questions = Question.objects.filter(active=True).select_related("scenario")
    if form.is_valid():
        if form.cleaned_data["scenario"]:
            questions = questions.filter(scenario=form.cleaned_data["scenario"])
        if form.cleaned_data["language"]:
            questions = questions.filter(language=form.cleaned_data["language"])
    context = {"form": form, "questions": questions, "new_form": NewQuestionForm()}
    return render(request, "studio/questions/list.html", context)


@trainer_required
def question_new(request: HttpRequest) -> HttpResponse:
    choice = NewQuestionForm(request.POST if request.method == "POST" else request.GET or None)
    if not choice.is_valid():
        return render(request, "studio/questions/new.html", {"new_form": choice})
    where = Where(choice.cleaned_data["scenario"], choice.cleaned_data["language"])
    return _editor(request, None, where, choice.cleaned_data["type"])


@trainer_required
def question_edit(request: HttpRequest, key: str) -> HttpResponse:
    question = get_question_for_user(request, key)
    return _editor(request, question, Where(question.scenario, question.language), question.type)


@trainer_required
@require_POST
def question_preview(request: HttpRequest, question_type: str) -> HttpResponse:
    """The learner's view of the question being edited (htmx, as the trainer types)."""
    if question_type not in QuestionType.values:
        question_type = QuestionType.BEST_REPLY
    meta = QuestionMetaForm(request.POST)
    items = item_formset(question_type)(request.POST, prefix="items")
    meta.is_valid()  # cleans the rows the preview reads
    items.is_valid()
    context = {"preview": _learner_view(question_type, meta, items)}
    return render(request, "studio/questions/_preview.html", context)


@trainer_required
@require_POST
def question_retire(request: HttpRequest, key: str) -> HttpResponse:
    question = get_question_for_user(request, key)
    quiz_services.retire_question(question=question, actor=request.user)
    messages.success(request, _("The question was taken out of every quiz."))
    return redirect("studio:questions")


@dataclass(frozen=True)
class Where:
    """The scenario and language a question belongs to."""

    scenario: Scenario
    language: str


def _editor(
    request: HttpRequest, question: Question | None, where: Where, question_type: str
) -> HttpResponse:
    meta, items = _forms(request, question, question_type)
    problem = ""
    if meta.is_bound and meta.is_valid() and items.is_valid():
        try:
            saved, outcome = _save(request, question, where, question_type, meta, items)
        except ContentError as error:
            problem = _WHERE.sub("", str(error))
        else:
            messages.success(request, _saved_message(saved, outcome))
            return redirect("studio:question", key=saved.key)
    context = {
        "question": question,
        "scenario": where.scenario,
        "language": where.language,
        "type": question_type,
        "meta": meta,
        "items": items,
        "problem": problem,
        "preview": _learner_view(question_type, meta, items),
        "versions": _versions(question),
    }
    return render(request, "studio/questions/edit.html", context)


def _forms(
    request: HttpRequest, question: Question | None, question_type: str
) -> tuple[QuestionMetaForm, BaseFormSet]:
    """The question's fields and item rows: bound to a submitted editor, else from the
    question (a new one gets a few more empty rows)."""
    formset_class = item_formset(question_type, extra=2 if question else 4)
    if request.method == "POST" and "prompt" in request.POST:
        return QuestionMetaForm(request.POST), formset_class(request.POST, prefix="items")
    meta = QuestionMetaForm(initial=initial_meta(question) if question else None)
    rows = initial_items(question) if question else None
    return meta, formset_class(initial=rows, prefix="items")


def _save(
    request: HttpRequest,
    question: Question | None,
    where: Where,
    question_type: str,
    meta: QuestionMetaForm,
    items: BaseFormSet,
) -> tuple[Question, str]:
    key = (
        question.key
        if question
        else quiz_services.free_question_key(scenario=where.scenario, language=where.language)
    )
    raw = raw_question(
        key=key, question_type=question_type, meta=meta.cleaned_data, items=_rows(items)
    )
    return quiz_services.author_question(
        raw=raw, scenario=where.scenario, language=where.language, actor=request.user
    )


def _rows(items: BaseFormSet) -> list[dict[str, Any]]:
    """Item rows in the order the trainer numbered them (unnumbered rows keep their place)."""
    numbered = []
    for index, form in enumerate(items.forms):
        data = getattr(form, "cleaned_data", None) or {}
        order = data.get("ORDER")
        numbered.append((order if order is not None else index + 1, index, data))
    return [data for _order, _index, data in sorted(numbered, key=lambda row: row[:2])]


def _learner_view(question_type: str, meta: QuestionMetaForm, items: BaseFormSet) -> Any:
    if items.is_bound:
        rows = [row for row in _rows(items) if str(row.get("text") or "").strip()]
        prompt = meta.data.get("prompt", "") if meta.is_bound else ""
    else:
        rows = [row for row in (items.initial or []) if row.get("text")]
        prompt = (meta.initial or {}).get("prompt", "")
    if not rows:
        return None
    return learner_view(question_type=question_type, prompt=prompt, items=rows)


def _versions(question: Question | None) -> list[Question]:
    if question is None:
        return []
    versions = Question.objects.filter(key=question.key).annotate(answers=Count("responses"))
    return list(versions.order_by("-version"))


def _saved_message(question: Question, outcome: str) -> str:
    if outcome == "versioned":
        return _(
            "Saved as version %(version)s. Attempts already taken keep the version they were "
            "taken on."
        ) % {"version": question.version}
    if outcome == "created":
        return _("The question was created and joins the quizzes of its scenario.")
    if outcome == "reactivated":
        return _("The question is back in the quizzes.")
    return _("Nothing changed.")
