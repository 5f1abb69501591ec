"""HR's pages: the status board (served at /hr/), its exports, a learner's page, the audit log."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import hr_required
from core.audit import record

from . import dashboard, exports
from .access import HR_PERMISSION, get_learner_for_user

AUDIT_PAGE_SIZE = 50


@hr_required
@require_GET
def status_board(request: HttpRequest) -> HttpResponse:
    """Who is certified, expiring, expired, overdue, revoked, under way or not started."""
    filters = dashboard.Filters.from_params(request.GET)
    board = dashboard.build_dashboard(filters=filters)
    return render(request, "certificates/hr_dashboard.html", {"board": board, "filters": filters})


@hr_required
@require_GET
def export(request: HttpRequest, extension: str) -> HttpResponse:
    """The board's current view (filters, search and sort; every page) as CSV or XLSX."""
    filters = dashboard.Filters.from_params(request.GET)
    rows = list(dashboard.iter_rows(filters))
    if extension == "csv":
        body, content_type = exports.csv_bytes(rows), exports.CSV_TYPE
    elif extension == "xlsx":
        body = exports.xlsx_bytes(rows, title=_("Certification status"))
        content_type = exports.XLSX_TYPE
    else:
        raise Http404
    details = dashboard.describe_filters(filters)
    record(request.user, "people.exported", extension, rows=len(rows), **details)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(extension)}"'
    return response


@login_required
@require_GET
def learner(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's progress, attempts, scores and certificates (HR, or the person)."""
    person = get_learner_for_user(request, pk)
    context = {
        "overview": dashboard.learner_overview(person=person),
        "hr_view": request.user.has_perm(HR_PERMISSION),
        "may_invite": request.user.has_perm("accounts.manage_certificates"),
    }
    return render(request, "certificates/learner.html", context)


@hr_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who enrolled, revoked, published or regraded what, and when."""
    filters = dashboard.AuditFilters.from_params(request.GET)
    page = Paginator(dashboard.audit_entries(filters), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "lines": dashboard.audit_lines(page.object_list),
        "filters": filters,
        "families": dashboard.audit_actions(),
    }
    return render(request, "certificates/audit_log.html", context)
