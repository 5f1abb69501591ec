"""Document import: upload → preview the draft module → accept it into a course → edit its
lessons, review its candidate rules, publish it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import trainer_required
from courses import services as course_services
from courses.importer import DocumentError
from courses.models import Origin, ReviewStatus
from courses.rendering import render_markdown
from scenarios.models import Scenario

from .. import services
from ..access import get_lesson_for_user, get_module_for_user, get_upload_for_user
from ..forms import (
    AcceptImportForm,
    CandidateRulesForm,
    DocumentUploadForm,
    LessonForm,
    posted,
    posted_with_files,
)


@trainer_required
def import_home(request: HttpRequest) -> HttpResponse:
    form = DocumentUploadForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kept, _document = services.keep_upload(
                data=upload.read(),
                filename=upload.name,
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            return redirect("studio:import-preview", pk=kept.pk)
    context = {"form": form, "modules": course_services.list_imported_drafts()[:20]}
    return render(request, "studio/imports/home.html", context)


@trainer_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What the document would become; accepting it stores the draft module."""
    upload = get_upload_for_user(request, pk)
    try:
        document = services.read_upload(upload)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect("studio:imports")
    form = AcceptImportForm(posted(request), language=document.language)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.accept_upload(
                upload=upload, course=form.cleaned_data["course"], actor=request.user
            )
        except (DocumentError, course_services.ImportTargetError) as error:
            form.add_error("course", str(error))
        else:
            messages.success(request, _import_message(result))
            return redirect("studio:module", pk=result.module.pk)
    lessons = [(lesson, render_markdown(lesson.body_markdown)) for lesson in document.lessons]
    context = {"upload": upload, "document": document, "lessons": lessons, "form": form}
    return render(request, "studio/imports/preview.html", context)


@trainer_required
def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_module_for_user(request, pk)
    candidates = module.candidate_rules.select_related("reviewed_by", "module__course")
    context = {
        "module": module,
        "lessons": module.lessons.prefetch_related("scenarios"),
        "candidates": candidates,
        "accepted": sum(
            rule.status == ReviewStatus.ACCEPTED and rule.quoted for rule in candidates
        ),
        "rules_form": CandidateRulesForm(),
        "is_imported": module.origin == Origin.IMPORTED,
    }
    return render(request, "studio/imports/module.html", context)


@trainer_required
@require_POST
def module_publish(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_module_for_user(request, pk)
    published = request.POST.get("published") == "1"
    course_services.publish_module(module=module, published=published, actor=request.user)
    if published and not module.course.is_published:
        messages.warning(
            request,
            _("The module is published, but its course is not: learners will not see it yet."),
        )
    elif published:
        messages.success(request, _("The module and its lessons are published."))
    else:
        messages.success(request, _("The module is back to draft; learners no longer see it."))
    return redirect("studio:module", pk=module.pk)


@trainer_required
@require_POST
def module_draft_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """Write the module's accepted candidate rules into a rule draft, to finish there."""
    module = get_module_for_user(request, pk)
    form = CandidateRulesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the scenario and the severity of the rules."))
        return redirect("studio:module", pk=module.pk)
    draft, filename, count = services.draft_candidate_rules(
        module=module, actor=request.user, **form.cleaned_data
    )
    if not count:
        messages.warning(request, _("No accepted candidate rule is left to add."))
        return redirect("studio:module", pk=module.pk)
    messages.success(
        request,
        _("%(count)s rules were added to the draft. Check their wording, then save.")
        % {"count": count},
    )
    return redirect("studio:draft-file", pk=draft.pk, filename=filename)


@trainer_required
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_lesson_for_user(request, pk)
    initial = {"title": lesson.title, "body_markdown": lesson.body_markdown}
    form = LessonForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = course_services.edit_lesson(
            lesson=lesson, actor=request.user, **form.cleaned_data
        )
        messages.success(request, _("The lesson was saved.") if changed else _("Nothing changed."))
        return redirect("studio:lesson", pk=lesson.pk)
    body = form.data.get("body_markdown", lesson.body_markdown)
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "form": form,
        "preview_html": render_markdown(body),
        "scenarios": Scenario.objects.filter(lessons=lesson),
    }
    return render(request, "studio/imports/lesson.html", context)


@trainer_required
@require_POST
def lesson_preview(request: HttpRequest) -> HttpResponse:
    """The lesson text as learners will read it: rendered, then sanitised (htmx)."""
    html = render_markdown(request.POST.get("body_markdown", ""))
    return render(request, "studio/imports/_lesson_preview.html", {"preview_html": html})


def _import_message(result: course_services.ImportResult) -> str:
    if not result.created:
        return _("This document was imported before; here is its draft module.")
    return _(
        "Imported as a draft module: %(lessons)s lessons, %(phrases)s model phrases, "
        "%(rules)s candidate rules. Nothing is visible to learners until you publish it."
    ) % {"lessons": result.lessons, "phrases": result.phrases, "rules": result.candidate_rules}
