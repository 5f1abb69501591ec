"""The studio's pages, one module per editor; ``index`` is the way in."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import trainer_required
from courses.services import list_imported_drafts
from quizzes.models import Question
from scenarios.models import RolePlay, RulePack, Scenario

from ..models import CalibrationRun, RuleDraft


@trainer_required
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "current": RulePack.objects.current(),
        "open_drafts": RuleDraft.objects.open().count(),
        "last_calibration": CalibrationRun.objects.first(),
        "scenario_count": Scenario.objects.count(),
        "question_count": Question.objects.filter(active=True).count(),
        "roleplay_count": RolePlay.objects.count(),
        "imported": list_imported_drafts()[:3],
    }
    return render(request, "studio/index.html", context)
