import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(acks_late=True)
def record_heartbeat() -> None:
    """Mark this worker as alive; beat runs it every minute."""
    WorkerHeartbeat.objects.update_or_create(
        name=socket.gethostname()[:60], defaults={"seen_at": timezone.now()}
    )
