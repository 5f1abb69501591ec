"""The one place that decides which certificates a person may open (404 otherwise).

Learners open their own; HR (people who may view people) open everybody's. The same goes for
a person's learner page.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from .models import Certificate

HR_PERMISSION = "accounts.view_people"


def get_certificate_for_user(request: HttpRequest, pk: int) -> Certificate:
    certificates = Certificate.objects.select_related("track", "user", "revoked_by")
    if not request.user.has_perm(HR_PERMISSION):
        certificates = certificates.filter(user=request.user)
    return get_object_or_404(certificates, pk=pk)


def get_learner_for_user(request: HttpRequest, pk: int) -> Any:
    """A person's learner page: HR opens anybody's, a learner only their own (404 otherwise)."""
    people = get_user_model().objects.select_related("department", "cohort")
    if not request.user.has_perm(HR_PERMISSION):
        people = people.filter(pk=request.user.pk)
    return get_object_or_404(people, pk=pk)
