"""Role checks for views: anonymous users go to the login page, others without the role get 403."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import EnrolmentBatch

View = Callable[..., HttpResponse]


def permission_view(perm: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


trainer_required = permission_view("accounts.author_content")
hr_required = permission_view("accounts.view_people")
# Enrolling people and revoking certificates are HR's writes.
enrol_required = permission_view("accounts.manage_certificates")


def get_batch_for_user(request: HttpRequest, pk: int) -> EnrolmentBatch:
    """An enrolment upload, for people who may enrol people (404 for everyone else)."""
    if not request.user.has_perm("accounts.manage_certificates"):
        raise Http404
    return get_object_or_404(EnrolmentBatch.objects.select_related("uploaded_by"), pk=pk)
