"""The one place that decides which courses and lessons a person may open (404 otherwise).

Learners see published work only; trainers also see drafts, to review them in place.
Progress is never looked up here: every progress query filters on the requesting user.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import CandidateRule, Course, Lesson, ModelPhrase, Module, Origin, sees_drafts


def get_course_for_user(request: HttpRequest, course_slug: str) -> Course:
    return get_object_or_404(Course.objects.visible_to(request.user), slug=course_slug)


def get_lesson_for_user(
    request: HttpRequest, course_slug: str, module_slug: str, lesson_slug: str
) -> Lesson:
    lessons = Lesson.objects.visible_to(request.user).select_related("module__course")
    return get_object_or_404(
        lessons, module__course__slug=course_slug, module__slug=module_slug, slug=lesson_slug
    )


def get_imported_module_for_user(request: HttpRequest, module_id: int) -> Module:
    """A module made from an imported document; only people who review drafts may open it."""
    if not sees_drafts(request.user):
        raise Http404
    return get_object_or_404(
        Module.objects.select_related("course", "imported_by"), pk=module_id, origin=Origin.IMPORTED
    )


def get_review_item_for_user(
    request: HttpRequest, kind: str, pk: int
) -> CandidateRule | ModelPhrase:
    """A candidate rule or model phrase of an imported draft, for its reviewer."""
    if not sees_drafts(request.user):
        raise Http404
    if kind == "rule":
        return get_object_or_404(CandidateRule.objects.select_related("module"), pk=pk)
    if kind == "phrase":
        return get_object_or_404(ModelPhrase.objects.select_related("lesson__module"), pk=pk)
    raise Http404
