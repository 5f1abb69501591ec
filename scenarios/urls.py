from django.urls import path

from . import views

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("replies/<int:pk>/", views.reply_detail, name="reply"),
    path("replies/<int:pk>/verdict/", views.reply_verdict, name="verdict"),
    path("roleplays/", views.roleplay_list, name="roleplays"),
    path("roleplays/<slug:slug>/", views.roleplay_detail, name="roleplay"),
    path("roleplays/<slug:slug>/start/", views.roleplay_start, name="roleplay-start"),
    path("calls/<int:pk>/", views.session_page, name="session"),
    path("calls/<int:pk>/reply/", views.session_reply, name="session-reply"),
    path("calls/<int:pk>/draft/", views.session_draft, name="session-draft"),
    path("calls/<int:pk>/state/", views.session_turn_state, name="session-state"),
    path("calls/<int:pk>/abandon/", views.session_abandon, name="session-abandon"),
    # Last: a scenario slug matches any single path segment.
    path("<slug:slug>/", views.practice, name="practice"),
]
