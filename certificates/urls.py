from django.urls import path

from . import hr_views, views

app_name = "certificates"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/badge/", views.badge, name="badge"),
    path("hr/", views.hr_list, name="hr-list"),
    path("hr/<int:pk>/", views.hr_detail, name="hr-detail"),
    path("hr/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("hr/status.<str:extension>", hr_views.export, name="hr-export"),
    path("hr/audit/", hr_views.audit_log, name="audit-log"),
    path("people/<int:pk>/", hr_views.learner, name="learner"),
]
