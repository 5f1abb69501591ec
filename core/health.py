"""Health probes used by /healthz: each answers (ok, detail) and never raises."""

from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, connection.vendor


def check_broker() -> tuple[bool, str]:
    transport = settings.CELERY_BROKER_URL.split(":", 1)[0]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Redis answers PING; the filesystem transport has nothing to ping but its folder.
            conn.default_channel.client.ping() if transport.startswith("redis") else None
    except Exception as exc:
        return False, f"{transport}: {exc.__class__.__name__}"
    return True, transport
