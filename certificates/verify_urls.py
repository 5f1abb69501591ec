"""Public verification, outside the app prefix: /verify/ and /verify/<code>/ (no login).

Also the Open Badges endpoints credentials point at: the issuer profile, its public key and
the revocation status list.
"""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_form, name="form"),
    path("issuer", views.issuer, name="issuer"),
    path("keys/<str:kid>", views.key, name="key"),
    path("status/revocation", views.status_list, name="status-list"),
    path("<str:code>/", views.verify_certificate, name="certificate"),
]
