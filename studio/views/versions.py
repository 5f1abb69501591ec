"""Checking a rule version before and after it goes live: calibration against labelled
replies, the re-grade preview, publishing, and regrading past replies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import ruleengine
from accounts.access import trainer_required
from scenarios import services as scenario_services
from scenarios.feedback import rule_feedback
from scenarios.models import RulePack

from .. import services
from ..access import get_calibration_for_user, get_draft_for_user, get_regrade_for_user
from ..forms import CalibrationForm, ConfirmForm, RegradeForm, posted, posted_with_files
from ..labelled import LabelledFileError
from ..models import RuleDraft


@trainer_required
def calibrate(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Upload labelled replies and grade them with a draft (or the published version)."""
    draft = get_draft_for_user(request, pk) if pk is not None else None
    form = CalibrationForm(*posted_with_files(request))
    pack, problem = _pack_of(draft)
    if request.method == "POST" and form.is_valid() and pack is not None:
        upload = form.cleaned_data["file"]
        try:
            run = services.calibrate_upload(
                data=upload.read(), filename=upload.name, pack=pack, draft=draft, actor=request.user
            )
        except LabelledFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("studio:calibration", pk=run.pk)
    context = {"draft": draft, "form": form, "problem": problem}
    return render(request, "studio/rules/calibrate.html", context)


@trainer_required
def calibration_report(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_calibration_for_user(request, pk)
    report = run.report
    places = _rule_places(run.draft)
    disagreements = [
        {**item, "rules": rule_feedback(item["outcomes"])}
        for kind in ("false_rejects", "false_accepts")
        for item in report.get(kind, [])
    ]
    shares = [
        {**share, "place": places.get(share["rule_id"])}
        for share in report.get("rule_shares", [])
        if share["failed"]
    ]
    context = {
        "run": run,
        "report": report,
        "disagreements": disagreements,
        "shares": shares[:15],
    }
    return render(request, "studio/rules/calibration.html", context)


@trainer_required
def draft_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Which stored verdicts the draft would change, before anything is published."""
    draft = get_draft_for_user(request, pk)
    pack, problem = _pack_of(draft)
    if pack is None:
        messages.error(request, problem)
        return redirect("studio:draft", pk=draft.pk)
    context = {"draft": draft, "preview": services.preview_regrade(pack=pack)}
    return render(request, "studio/rules/preview.html", context)


@trainer_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    pack, problem = _pack_of(draft)
    form = ConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid() and pack is not None and draft.is_open:
        try:
            published = services.publish_draft(draft=draft, actor=request.user)
        except (ruleengine.PackError, ValidationError) as error:
            messages.error(request, str(error))
            return redirect("studio:draft", pk=draft.pk)
        messages.success(
            request,
            _("Version %(version)s is published: new replies are graded with it.")
            % {"version": published.version},
        )
        return redirect("studio:regrade")
    context = {
        "draft": draft,
        "form": form,
        "problem": problem,
        "changes": services.changed_files(draft),
        "preview": services.preview_regrade(pack=pack) if pack is not None else None,
    }
    return render(request, "studio/rules/publish.html", context)


@trainer_required
def regrade(request: HttpRequest) -> HttpResponse:
    """Grade past replies again with the published version (preview first, then on POST)."""
    current = RulePack.objects.current()
    form = RegradeForm(posted(request))
    if request.method == "POST" and form.is_valid() and current is not None:
        run = services.regrade_replies(pack=current, actor=request.user)
        messages.success(
            request,
            _("%(changed)s of %(examined)s past replies changed result.")
            % {"changed": run.changed, "examined": run.examined},
        )
        return redirect("studio:regrade-detail", pk=run.pk)
    preview = None
    if current is not None:
        preview = services.preview_regrade(pack=scenario_services.get_published_pack())
    context = {"current": current, "form": form, "preview": preview}
    return render(request, "studio/rules/regrade.html", context)


@trainer_required
def regrade_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_regrade_for_user(request, pk)
    notices = run.notices.select_related("reply__user", "reply__scenario")
    context = {"run": run, "notices": notices[:500]}
    return render(request, "studio/rules/regrade_detail.html", context)


def _rule_places(draft: RuleDraft | None) -> dict[str, tuple[str, int]]:
    """Rule id → (file, line) in an open draft, so a report can link to the rule's text."""
    if draft is None or not draft.is_open:
        return {}
    return services.check_draft(draft).rule_places


def _pack_of(draft: RuleDraft | None) -> tuple[ruleengine.CompiledPack | None, str]:
    """The compiled pack to grade with, or why there is none."""
    if draft is None:
        try:
            return scenario_services.get_published_pack(), ""
        except scenario_services.NoPublishedPack:
            return None, _("No rule version is published yet.")
    check = services.check_draft(draft)
    if check.pack is None:
        count = len(check.issues)
        message = ngettext(
            "The draft has %(count)s problem; fix it first.",
            "The draft has %(count)s problems; fix them first.",
            count,
        )
        return None, message % {"count": count}
    return check.pack, ""
