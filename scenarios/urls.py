from django.urls import path

from . import views

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("replies/<int:pk>/", views.reply_detail, name="reply"),
    path("replies/<int:pk>/verdict/", views.reply_verdict, name="verdict"),
    path("<slug:slug>/", views.practice, name="practice"),
]
