from django.urls import path

from . import views

app_name = "courses"

LESSON = "<slug:course_slug>/<slug:module_slug>/<slug:lesson_slug>/"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("review/", views.review_list, name="review"),
    path("review/<int:module_id>/", views.review_module, name="review-module"),
    path("review/<str:kind>/<int:pk>/", views.review_item, name="review-item"),
    path("<slug:course_slug>/", views.course_detail, name="course"),
    path("<slug:course_slug>/start/", views.enroll, name="enroll"),
    path(LESSON, views.lesson_detail, name="lesson"),
    path(f"{LESSON}complete/", views.complete_lesson, name="complete"),
]
