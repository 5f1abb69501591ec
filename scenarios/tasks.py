"""Grading tasks: they take ids and call one service; the services make them idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def grade_reply(reply_id: int) -> str:
    """Grade one reply (a no-op when it is already graded or another run holds it)."""
    return services.grade_pending_reply(reply_id=reply_id)


@shared_task(acks_late=True)
def sweep_ungraded(older_than_seconds: float = services.SWEEP_AFTER_SECONDS) -> int:
    """Beat: re-enqueue replies left ungraded (lost by the broker, or their worker died)."""
    return services.requeue_ungraded_replies(older_than_seconds=older_than_seconds)
