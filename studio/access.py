"""The one place that finds the studio's objects for a request (404 when there is none).

Every studio view is behind ``trainer_required`` first; trainers share one workspace, so a
draft or a calibration is visible to every trainer. Uploads kept for an import preview are
personal: only the trainer who uploaded the file can import it.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from courses.models import AUTHOR_PERMISSION, Lesson, Module
from quizzes.models import Question
from scenarios.models import RolePlay

from .models import CalibrationRun, DocumentUpload, Regrade, RuleDraft


def _require_author(request: HttpRequest) -> None:
    if not request.user.has_perm(AUTHOR_PERMISSION):
        raise Http404


def get_draft_for_user(request: HttpRequest, pk: int) -> RuleDraft:
    _require_author(request)
    return get_object_or_404(RuleDraft.objects.select_related("base_pack", "published_pack"), pk=pk)


def get_calibration_for_user(request: HttpRequest, pk: int) -> CalibrationRun:
    _require_author(request)
    return get_object_or_404(CalibrationRun.objects.select_related("draft", "created_by"), pk=pk)


def get_regrade_for_user(request: HttpRequest, pk: int) -> Regrade:
    _require_author(request)
    return get_object_or_404(Regrade.objects.select_related("pack", "actor"), pk=pk)


def get_upload_for_user(request: HttpRequest, pk: int) -> DocumentUpload:
    _require_author(request)
    return get_object_or_404(DocumentUpload, pk=pk, uploaded_by=request.user)


def get_module_for_user(request: HttpRequest, pk: int) -> Module:
    _require_author(request)
    return get_object_or_404(Module.objects.select_related("course", "imported_by"), pk=pk)


def get_lesson_for_user(request: HttpRequest, pk: int) -> Lesson:
    _require_author(request)
    return get_object_or_404(Lesson.objects.select_related("module__course"), pk=pk)


def get_question_for_user(request: HttpRequest, key: str) -> Question:
    """The version of a question the editor works on: the active one, else the latest."""
    _require_author(request)
    question = (
        Question.objects.filter(key=key)
        .select_related("scenario")
        .order_by("-active", "-version")
        .first()
    )
    if question is None:
        raise Http404
    return question


def get_roleplay_for_user(request: HttpRequest, slug: str) -> RolePlay:
    """Any role-play, active or a draft: trainers edit and try both."""
    _require_author(request)
    return get_object_or_404(RolePlay, slug=slug)
