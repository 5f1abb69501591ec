import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .access import enrol_required, get_batch_for_user
from .forms import EnrolmentUploadForm
from .models import Cohort, EnrolmentBatch, User

# Rows listed in a preview without errors; a long clean file shows the first ones.
PREVIEW_ROWS = 300
TEMPLATE_HEADERS = {
    "zh-hans": ["姓名", "邮箱", "工号", "部门", "入职日期", "认证", "批次"],
    "ko": ["이름", "이메일", "사번", "부서", "입사일", "트랙", "기수"],
    "en": ["Name", "Email", "Employee number", "Department", "Hire date", "Track", "Cohort"],
}


def _default_cohort_name() -> str:
    today = timezone.localdate()
    return _("%(year)s-%(month)02d intake") % {"year": today.year, "month": today.month}


@enrol_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Upload a people file; the next page previews it, nothing is written before confirming."""
    form = EnrolmentUploadForm(
        request.POST or None, request.FILES or None, initial={"cohort": _default_cohort_name()}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.upload_batch(
            actor=request.user,
            filename=upload.name,
            data=upload.read(),
            create_departments=form.cleaned_data["create_departments"],
            cohort_name=form.cleaned_data["cohort"],
        )
        return redirect("accounts:enrol-preview", pk=batch.pk)
    recent = EnrolmentBatch.objects.select_related("uploaded_by").defer("content")[:10]
    status = 400 if form.is_bound else 200
    return render(request, "accounts/enrol.html", {"form": form, "recent": recent}, status=status)


@enrol_required
@require_GET
def enrol_template(request: HttpRequest) -> HttpResponse:
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in TEMPLATE_HEADERS else "zh-hans"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="courtesy-people.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    csv.writer(response).writerow(TEMPLATE_HEADERS[language])
    return response


def _preview_page(request: HttpRequest, batch: EnrolmentBatch, status: int = 200) -> HttpResponse:
    preview = services.preview_batch(batch=batch)
    shown = preview.rows_with_errors or preview.rows[:PREVIEW_ROWS]
    context = {
        "batch": batch,
        "preview": preview,
        "shown": shown,
        "hidden": len(preview.rows) - len(shown),
    }
    return render(request, "accounts/enrol_preview.html", context, status=status)


@enrol_required
@require_GET
def enrol_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    if batch.is_confirmed:
        cohorts = Cohort.objects.filter(name__in=batch.summary.get("cohorts", []))
        return render(request, "accounts/enrol_done.html", {"batch": batch, "cohorts": cohorts})
    return _preview_page(request, batch)


@enrol_required
@require_POST
def enrol_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_batch_for_user(request, pk)
    try:
        services.confirm_batch(batch=batch, actor=request.user)
    except services.AlreadyConfirmed:
        messages.info(request, _("This file was already enrolled."))
    except services.EnrolmentRejected:
        messages.error(request, _("Nothing was saved: correct the rows below and upload again."))
        return _preview_page(request, batch, status=400)
    else:
        messages.success(request, _("Enrolled. Invitations are on their way to the new people."))
    return redirect("accounts:enrol-preview", pk=batch.pk)


@enrol_required
@require_POST
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    try:
        services.request_invitation(user=person, actor=request.user)
    except services.InvitationNotNeeded:
        messages.warning(request, _("%(name)s has already set a password.") % {"name": person})
    else:
        messages.success(
            request, _("A new invitation is on its way to %(email)s.") % {"email": person.email}
        )
    return redirect(reverse("certificates:learner", args=[person.pk]))


def _unusable(request: HttpRequest, problem: services.InvitationUnusable) -> HttpResponse:
    context = {"expired": problem.expired}
    return render(request, "accounts/invitation_unusable.html", context, status=410)


def _accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services.open_invitation(token)
        form = SetPasswordForm(found.user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            password = form.cleaned_data["new_password1"]
            user = services.accept_invitation(token=token, password=password)
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("Welcome to Courtesy. Your password is set."))
            return redirect("home")
    except services.InvitationUnusable as problem:
        return _unusable(request, problem)
    context = {"form": form, "person": found.user}
    status = 400 if form.is_bound else 200
    return render(request, "accounts/invitation.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: choose a password, then you are signed in."""
    response = _accept(request, token)
    # The token is in the address: never pass it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    return response
