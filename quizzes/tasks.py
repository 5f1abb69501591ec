from celery import shared_task

from . import services


@shared_task(acks_late=True)
def close_expired_attempts() -> int:
    """Close timed attempts whose learner went away; beat runs it every minute."""
    return services.close_expired_attempts()
