from django.urls import path

app_name = "courses"

urlpatterns: list[path] = []  # type: ignore[valid-type]
