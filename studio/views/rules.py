"""The rule editor: drafts of the rulebook, one file at a time, with a live "try a reply"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import trainer_required
from scenarios.models import RulePack, pick_language

from .. import rulebook, services
from ..access import get_draft_for_user
from ..forms import NewRuleFileForm, RuleFileForm, StartDraftForm, TryReplyForm, posted
from ..models import CalibrationRun, Regrade, RuleDraft


@trainer_required
def rule_home(request: HttpRequest) -> HttpResponse:
    context = {
        "current": RulePack.objects.current(),
        "drafts": RuleDraft.objects.select_related("created_by", "published_pack")[:30],
        "versions": RulePack.objects.published().order_by("-published_at")[:10],
        "calibrations": CalibrationRun.objects.select_related("draft")[:10],
        "regrades": Regrade.objects.select_related("pack", "actor")[:10],
        "start_form": StartDraftForm(),
    }
    return render(request, "studio/rules/home.html", context)


@trainer_required
@require_POST
def start_draft(request: HttpRequest) -> HttpResponse:
    form = StartDraftForm(request.POST)
    title = form.cleaned_data["title"] if form.is_valid() else ""
    draft = services.start_rule_draft(actor=request.user, title=title)
    messages.success(request, _("A new draft holds a copy of the published rules."))
    return redirect("studio:draft", pk=draft.pk)


@trainer_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    check = services.check_draft(draft)
    changes, counts = services.changed_files(draft), check.issue_counts
    files = [
        {"name": name, "change": changes.get(name, ""), "issues": counts.get(name, 0)}
        for name in sorted({*draft.sources, *changes})
    ]
    context = _draft_context(draft, check) | {
        "files": files,
        "new_file_form": NewRuleFileForm(),
        "try_form": _try_form(request),
    }
    return render(request, "studio/rules/draft.html", context)


@trainer_required
def edit_file(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    if filename not in draft.sources:
        raise Http404
    form = RuleFileForm(posted(request), initial={"text": draft.sources[filename]})
    if request.method == "POST" and form.is_valid():
        try:
            check = services.save_rule_file(
                draft=draft, filename=filename, text=form.cleaned_data["text"], actor=request.user
            )
        except ValidationError as error:
            form.add_error("text", error)
        else:
            _report_check(request, check)
            return redirect(f"{request.path}#editor")
    check = services.check_draft(draft)
    text = form.data.get("text", draft.sources[filename])
    issues = check.issues_in(filename)
    context = _draft_context(draft, check) | {
        "filename": filename,
        "form": form,
        "issues": issues,
        "issue_lines": {issue.line for issue in issues},
        "line_numbers": range(1, text.count("\n") + 2),
        "diff": services.file_diff(draft, filename),
        "try_form": _try_form(request),
    }
    return render(request, "studio/rules/file.html", context)


@trainer_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    form = NewRuleFileForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the new file a name."))
        name = services.add_rule_file(
            draft=draft, filename=form.cleaned_data["filename"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("studio:draft", pk=draft.pk)
    return redirect("studio:draft-file", pk=draft.pk, filename=name)


@trainer_required
@require_POST
def delete_file(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    filename = request.POST.get("filename", "")
    try:
        services.delete_rule_file(draft=draft, filename=filename, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(file)s was removed from the draft.") % {"file": filename})
    return redirect("studio:draft", pk=draft.pk)


@trainer_required
@require_POST
def discard_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_draft_for_user(request, pk)
    if not draft.is_open:
        messages.error(request, _("A published draft is kept as the record of what was published."))
        return redirect("studio:draft", pk=draft.pk)
    draft.delete()
    messages.success(request, _("The draft was discarded."))
    return redirect("studio:rules")


@trainer_required
@require_POST
def try_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Grade the typed reply with the draft (htmx: as the trainer types) and show why."""
    draft = get_draft_for_user(request, pk)
    form = TryReplyForm(request.POST)
    check = services.check_draft(draft)
    tried = None
    if form.is_valid() and check.pack is not None:
        tried = rulebook.try_reply(pack=check.pack, **form.cleaned_data)
    context = {
        "draft": draft,
        "check": check,
        "tried": tried,
        "outcomes": _outcome_rows(tried, check.rule_places),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "studio/rules/_tried.html", context)
    return render(request, "studio/rules/try.html", context | {"try_form": form})


def _try_form(request: HttpRequest) -> TryReplyForm:
    scenario = request.GET.get("scenario") or "opening-greeting"
    return TryReplyForm(initial={"scenario": scenario, "language": "zh"})


def _outcome_rows(
    tried: rulebook.TriedReply | None, places: dict[str, tuple[str, int]]
) -> list[dict[str, Any]]:
    """Every rule of the scenario and language, failures first, with where it is written."""
    if tried is None or tried.verdict is None:
        return []
    order = {"fail": 0, "pass": 1, "na": 2}
    rows = [
        {
            "rule_id": outcome["rule_id"],
            "title": pick_language(outcome["title"]),
            "status": outcome["status"],
            "severity": outcome["severity"],
            "weight": outcome["weight"],
            "message": pick_language(outcome["message"]),
            "words": [span[2] for span in outcome["spans"]],
            "file": places.get(outcome["rule_id"], ("", 0))[0],
            "line": places.get(outcome["rule_id"], ("", 0))[1],
        }
        for outcome in tried.outcomes
    ]
    return sorted(rows, key=lambda row: order.get(row["status"], 3))


def _draft_context(draft: RuleDraft, check: rulebook.DraftCheck) -> dict[str, Any]:
    current = RulePack.objects.current()
    return {
        "draft": draft,
        "check": check,
        "changes": services.changed_files(draft),
        "current": current,
        "behind": current is not None and draft.is_open and draft.base_pack_id != current.pk,
    }


def _report_check(request: HttpRequest, check: rulebook.DraftCheck) -> None:
    if check.ok:
        assert check.pack is not None
        count = len(check.pack.rules)
        messages.success(
            request, _("Saved. The whole draft compiles: %(count)s rules.") % {"count": count}
        )
    else:
        count = len(check.issues)
        message = ngettext(
            "Saved, but the draft has %(count)s problem. It is listed next to the file.",
            "Saved, but the draft has %(count)s problems. They are listed next to the file.",
            count,
        )
        messages.warning(request, message % {"count": count})
