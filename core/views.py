from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import trainer_required
from certificates.hr_views import status_board

from . import health
from .home import build_home
from .models import WorkerHeartbeat


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"home": build_home(request.user)})


@trainer_required
def trainer_workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "core/trainer_workspace.html")


# HR's home (/hr/) is the certification status board, which lives with the certificates it
# reports on.
hr_dashboard = status_board


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db_ok, db_detail = health.check_database()
    broker_ok, broker_detail = health.check_broker()
    beat = WorkerHeartbeat.objects.order_by("-seen_at").first() if db_ok else None
    body = {
        "status": "ok" if db_ok and broker_ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
        "worker_last_seen": beat.seen_at.isoformat() if beat else None,
    }
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)
