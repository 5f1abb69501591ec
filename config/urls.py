from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views

# The admin login goes through allauth, so its rate limits cover it too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("trainer/", core_views.trainer_workspace, name="trainer-workspace"),
    path("hr/", core_views.hr_dashboard, name="hr-dashboard"),
    path("courses/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("scenarios/", include("scenarios.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("studio/", include("studio.urls")),
    path("people/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
