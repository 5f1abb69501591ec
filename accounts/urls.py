from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("enrol/", views.enrol, name="enrol"),
    path("enrol/template.csv", views.enrol_template, name="enrol-template"),
    path("enrol/<int:pk>/", views.enrol_preview, name="enrol-preview"),
    path("enrol/<int:pk>/confirm/", views.enrol_confirm, name="enrol-confirm"),
    path("<int:pk>/invitation/", views.resend_invitation, name="resend-invitation"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
