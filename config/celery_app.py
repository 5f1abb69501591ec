"""The one Celery app. Reliability settings live in config/settings/base.py (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("courtesy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
