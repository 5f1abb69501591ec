"""The role-play editor: the list, a new role-play, the editor with the drawn graph of its script,
and "play as learner" with the saved script."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import trainer_required
from scenarios.models import RolePlay, RolePlaySession, Scenario
from scenarios.scripts import ScriptError

from .. import services
from ..access import get_roleplay_for_user
from ..forms import NewRolePlayForm, NodeFormSet, RolePlayMetaForm, TrialForm, posted
from ..roleplay_graph import KINDS, layout
from ..roleplays import Problems, build_script, script_rows, sort_problems

PREFIX = "nodes"


@trainer_required
@require_GET
def roleplay_list(request: HttpRequest) -> HttpResponse:
    titles = _scenario_titles()
    rows = []
    for roleplay in RolePlay.objects.order_by("-is_active", "position", "slug"):
        nodes = roleplay.script.get("nodes", {}).values()
        rows.append(
            {
                "roleplay": roleplay,
                "nodes": len(nodes),
                "turns": sum("turn" in node for node in nodes),
                "scenarios": [(slug, titles.get(slug, slug)) for slug in roleplay.scenario_slugs],
            }
        )
    return render(request, "studio/roleplays/list.html", {"rows": rows})


@trainer_required
def roleplay_new(request: HttpRequest) -> HttpResponse:
    form = NewRolePlayForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            roleplay = services.create_roleplay(**form.cleaned_data, actor=request.user)
        except ScriptError:
            form.add_error(None, _("The scenario catalogue is empty: add a scenario first."))
        else:
            messages.success(request, _("The role-play was created as a draft. Write its call."))
            return redirect("studio:roleplay", slug=roleplay.slug)
    return render(request, "studio/roleplays/new.html", {"form": form})


@trainer_required
def roleplay_edit(request: HttpRequest, slug: str) -> HttpResponse:
    roleplay = get_roleplay_for_user(request, slug)
    adding = request.POST.get("action") == "add"
    editor = _editor(request, roleplay, add_row=adding)
    valid = request.method == "POST" and editor.is_valid()  # adding a row checks the fields too
    if valid and not adding:
        try:
            _saved, changed = services.save_roleplay(
                roleplay=roleplay,
                script=editor.script(),
                is_active=editor.meta.cleaned_data["is_active"],
                base_hash=editor.meta.cleaned_data["base_hash"],
                overwrite=editor.meta.cleaned_data["overwrite"],
                actor=request.user,
            )
        except ScriptError as error:
            editor.problems = sort_problems(error.problems, editor.node_ids)
        except services.StaleRolePlay as stale:
            editor.stale = stale.current
        else:
            saved = _("The role-play was saved.") if changed else _("Nothing had changed.")
            messages.success(request, saved)
            return redirect("studio:roleplay", slug=roleplay.slug)
    return render(request, "studio/roleplays/edit.html", editor.context(request))


@trainer_required
def roleplay_graph(request: HttpRequest, slug: str) -> HttpResponse:
    """The drawn script. POST (htmx, as the trainer edits): the graph of the editor's unsaved
    fields, nothing stored."""
    roleplay = get_roleplay_for_user(request, slug)
    if request.method == "POST":
        editor = _editor(request, roleplay)
        editor.is_valid()
        return render(request, "studio/roleplays/_graph.html", _graph(editor.script()))
    context = {"roleplay": roleplay, **_graph(roleplay.script)}
    return render(request, "studio/roleplays/graph.html", context)


@trainer_required
@require_POST
def roleplay_trial(request: HttpRequest, slug: str) -> HttpResponse:
    roleplay = get_roleplay_for_user(request, slug)
    form = TrialForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose practice or assessment."))
        return redirect("studio:roleplay", slug=roleplay.slug)
    session = services.start_trial_call(
        roleplay=roleplay, mode=form.cleaned_data["mode"], actor=request.user
    )
    messages.info(
        request,
        _(
            "Trial call with the saved script: timed and graded like a learner's call, counted "
            "for nobody. Hang up to go back to the editor."
        ),
    )
    return redirect("scenarios:session", pk=session.pk)


# --- the editor's forms ---------------------------------------------------------------------------


@dataclass
class Editor:
    roleplay: RolePlay
    meta: RolePlayMetaForm
    nodes: Any  # NodeFormSet
    node_ids: list[str]
    problems: Problems = field(default_factory=Problems)
    stale: RolePlay | None = None

    def is_valid(self) -> bool:
        return all([self.meta.is_valid(), self.nodes.is_valid()])  # both, for every error

    def rows(self) -> list[dict[str, Any]]:
        return [
            {**form.cleaned_data, "DELETE": self.nodes._should_delete_form(form)}
            for form in self.nodes.forms
            if hasattr(form, "cleaned_data")
        ]

    def script(self) -> dict[str, Any]:
        meta = getattr(self.meta, "cleaned_data", {})
        return build_script(slug=self.roleplay.slug, meta=meta, rows=self.rows())

    def context(self, request: HttpRequest) -> dict[str, Any]:
        failed = request.method == "POST"
        shown = self.script() if failed and hasattr(self.meta, "cleaned_data") else None
        cards = []
        saved = self.nodes.initial_form_count()
        for i, form in enumerate(self.nodes.forms):
            name = str(form["node_id"].value() or "").strip()
            new = i >= saved
            if new and request.POST.get("action") == "add":
                form.fields["node_id"].widget.attrs["autofocus"] = True
            cards.append({"form": form, "new": new, "problems": self.problems.nodes.get(name, [])})
        trial = (
            RolePlaySession.objects.trials()
            .active()
            .filter(user=request.user, roleplay=self.roleplay)
            .first()
        )
        return {
            "roleplay": self.roleplay,
            "meta": self.meta,
            "meta_rows": [
                {"field": self.meta[name], "problems": self.problems.fields.get(name, [])}
                for name in ("title", "summary", "language", "pass_mark", "course", "start")
            ],
            "nodes": self.nodes,
            "cards": cards,
            "problems": self.problems,
            "stale": self.stale,
            "last_save": services.last_roleplay_save(self.roleplay) if self.stale else None,
            "trial": trial,
            "adding": request.POST.get("action") == "add",
            **_graph(shown or self.roleplay.script),
        }


def _scenario_choices() -> list[tuple[str, str]]:
    return [(s.slug, f"{s.title} ({s.slug})") for s in Scenario.objects.all()]


def _scenario_titles() -> dict[str, str]:
    return {scenario.slug: scenario.title for scenario in Scenario.objects.all()}


def _posted_total(data: QueryDict) -> int:
    try:
        return max(0, min(int(data.get(f"{PREFIX}-TOTAL_FORMS") or 0), NodeFormSet.max_num))
    except ValueError:
        return 0


def _posted_ids(data: QueryDict) -> list[str]:
    ids = []
    for i in range(_posted_total(data)):
        name = str(data.get(f"{PREFIX}-{i}-node_id") or "").strip()
        if name and not data.get(f"{PREFIX}-{i}-DELETE") and name not in ids:
            ids.append(name)
    return ids


def _editor(request: HttpRequest, roleplay: RolePlay, *, add_row: bool = False) -> Editor:
    """The editor's forms: bound to what was posted (with one more empty row when the trainer
    asked for a new node), else filled from the saved script."""
    kwargs: dict[str, Any] = {"scenarios": _scenario_choices()}
    if request.method == "POST":
        data = request.POST.copy()
        if add_row:
            total = _posted_total(data) + 1
            data[f"{PREFIX}-TOTAL_FORMS"] = str(min(total, NodeFormSet.max_num))
        ids = _posted_ids(data)
        nodes = NodeFormSet(data, prefix=PREFIX, form_kwargs={**kwargs, "node_ids": ids})
        meta = RolePlayMetaForm(data, node_ids=ids, course=data.get("course", ""))
        return Editor(roleplay, meta, nodes, ids)
    script = roleplay.script
    rows = script_rows(script)
    ids = [row["node_id"] for row in rows]
    nodes = NodeFormSet(initial=rows, prefix=PREFIX, form_kwargs={**kwargs, "node_ids": ids})
    initial = {
        "title": script.get("title", roleplay.title),
        "summary": script.get("summary", roleplay.summary),
        "language": script.get("language", roleplay.language),
        "pass_mark": script.get("pass_mark", roleplay.pass_mark),
        "course": script.get("course", ""),
        "start": script.get("start", ""),
        "is_active": roleplay.is_active,
        "base_hash": services.edit_version(roleplay),
    }
    meta = RolePlayMetaForm(initial=initial, node_ids=ids, course=initial["course"])
    return Editor(roleplay, meta, nodes, ids)


def _graph(script: dict[str, Any]) -> dict[str, Any]:
    labels = {
        "pass": _("pass"),
        "fail": _("fail"),
        "critical": _("critical"),
        "timeout": _("timeout"),
        "start": _("start"),
        "unreachable": _("unreachable"),
        "missing": _("missing"),
    }
    graph = layout(
        script.get("nodes") or {},
        str(script.get("start") or ""),
        scenario_titles=_scenario_titles(),
        labels=labels,
    )
    return {
        "graph": graph,
        "graph_kinds": KINDS,
        "graph_language": script.get("language", ""),
    }
