from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.access import hr_required, permission_view
from core.models import AuditEntry

from . import badges, eligibility, ratelimit, services
from .access import get_certificate_for_user
from .forms import RevokeForm, VerifyForm
from .models import Certificate
from .pdf import render_certificate_pdf
from .qr import qr_svg

manage_certificates_required = permission_view("accounts.manage_certificates")
STATUS_FILTERS = (eligibility.VALID, eligibility.EXPIRED, eligibility.REVOKED)


def _download_name(certificate: Certificate, extension: str) -> str:
    return f"courtesy-{certificate.serial or certificate.pk}.{extension}"


# --- the learner's certificates --------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """My certificates and tracks. htmx polls the track list while a certificate is issued."""
    tracks = services.list_track_progress(user=request.user)
    polling = any(entry.ready for entry in tracks)
    if polling and not request.htmx:
        # Normally grading already asked for this; asking again covers a lost task.
        services.schedule_evaluation(user_id=request.user.pk)
    context = {"tracks": tracks, "polling": polling}
    if request.htmx:
        return render(request, "certificates/_tracks.html", context)
    context["certificates"] = services.learner_certificates(user=request.user)
    return render(request, "certificates/mine.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request, pk)
    context = {
        "certificate": certificate,
        "qr": qr_svg(certificate.verify_url, _("QR code linking to the verification page")),
        "history": services.certificate_history(certificate),
        "is_own": certificate.user_id == request.user.pk,
    }
    return render(request, "certificates/detail.html", context)


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request, pk)
    language = certificate.user.preferred_language or settings.LANGUAGE_CODE
    response = HttpResponse(
        render_certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_download_name(certificate, "pdf")}"'
    return response


@login_required
@require_GET
def badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as a signed Open Badges 3.0 credential (VC-JWT)."""
    certificate = get_certificate_for_user(request, pk)
    try:
        token = badges.sign_credential(certificate)
    except badges.BadgeKeyMissing:
        return render(request, "certificates/badge_unavailable.html", status=503)
    response = HttpResponse(token, content_type=badges.MEDIA_TYPE)
    name = _download_name(certificate, "jwt")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- HR ----------------------------------------------------------------------------------------


@hr_required
@require_GET
def hr_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    status = status if status in STATUS_FILTERS else ""
    certificates = services.search_certificates(query=query, status=status)
    page = Paginator(certificates, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "status": status, "statuses": STATUS_FILTERS}
    return render(request, "certificates/hr_list.html", context)


def _hr_detail(request: HttpRequest, certificate: Certificate, form: RevokeForm) -> HttpResponse:
    audit = AuditEntry.objects.filter(
        action__startswith="certificate.", details__certificate=certificate.pk
    ).select_related("actor")
    context = {
        "certificate": certificate,
        "form": form,
        "history": services.certificate_history(certificate),
        "audit": audit,
        "may_revoke": request.user.has_perm("accounts.manage_certificates"),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "certificates/hr_detail.html", context, status=status)


@hr_required
@require_GET
def hr_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _hr_detail(request, get_certificate_for_user(request, pk), RevokeForm())


@manage_certificates_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_certificate_for_user(request, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _hr_detail(request, certificate, form)
    try:
        services.revoke_certificate(
            certificate=certificate, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.AlreadyRevoked:
        messages.warning(request, _("This certificate was already revoked."))
    except ValidationError as exc:
        form.add_error("reason", exc)
        return _hr_detail(request, certificate, form)
    else:
        messages.success(
            request, _("The certificate is revoked. Its code now verifies as revoked.")
        )
    return redirect("certificates:hr-detail", pk=certificate.pk)


# --- public verification (no login) ----------------------------------------------------------


def verification_rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate = getattr(settings, "COURTESY_VERIFY_RATE_LIMIT", "60/600")
        limit, window = ratelimit.parse_rate(rate)
        who = ratelimit.client_address(request)
        if ratelimit.allow("verify", who, limit=limit, window=window):
            return view(request, *args, **kwargs)
        context = {"minutes": max(1, window // 60)}
        response = render(request, "certificates/verify_limited.html", context, status=429)
        response["Retry-After"] = str(window)
        return response

    return wrapped


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("verify:certificate", code=form.cleaned_data["code"])
    return render(request, "certificates/verify_form.html", {"form": form})


@never_cache
@require_GET
@verification_rate_limited
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    certificate = services.find_by_code(code)
    state = certificate.status if certificate else "not-found"
    context = {"certificate": certificate, "state": state, "form": VerifyForm()}
    response = render(
        request, "certificates/verify_result.html", context, status=200 if certificate else 404
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@cache_control(max_age=300, public=True)
@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    """The signed revocation status list every issued credential points at."""
    try:
        token = badges.sign_status_list(services.revoked_certificate_ids(), timezone.now())
    except badges.BadgeKeyMissing:
        return HttpResponse(status=503)
    return HttpResponse(token, content_type=badges.MEDIA_TYPE)


@cache_control(max_age=3600, public=True)
@require_GET
def issuer(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(badges.issuer_profile(), json_dumps_params={"ensure_ascii": False})
    response["Link"] = f'<{reverse("verify:form")}>; rel="service"'
    return response


@cache_control(max_age=3600, public=True)
@require_GET
def key(request: HttpRequest, kid: str) -> JsonResponse:
    """The issuer's public key as a JWK; credentials name it in their `kid` header."""
    try:
        jwk = badges.public_jwk()
    except badges.BadgeKeyMissing:
        return JsonResponse({"error": "no key"}, status=503)
    if kid != jwk["kid"]:
        return JsonResponse({"error": "unknown key"}, status=404)
    return JsonResponse(jwk)
