"""Certificate tasks: they take ids and call one service; the services make them idempotent."""

from celery import shared_task
from django.contrib.auth import get_user_model

from . import services


@shared_task(acks_late=True)
def evaluate_learner(user_id: int) -> list[int]:
    """Issue whatever certificates the learner now qualifies for (ids of the new ones)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return []
    return [certificate.pk for certificate in services.evaluate_tracks(user=user)]


@shared_task(acks_late=True)
def send_expiry_reminders() -> int:
    """Beat: reminder e-mails 30 and 7 days before a certificate expires (each sent once)."""
    return services.send_expiry_reminders()


@shared_task(acks_late=True)
def send_overdue_reminders() -> int:
    """Beat: one e-mail per overdue assignment (the shared status decides who is overdue)."""
    return services.send_overdue_reminders()


@shared_task(acks_late=True)
def send_hr_digests() -> int:
    """Beat (hourly): the weekly HR digest, from Monday 08:00, once per person and week."""
    return services.send_hr_digests()
