"""Grading tasks: they take ids and call one service; the services make them idempotent."""

from contextlib import suppress

from celery import shared_task
from celery.signals import worker_process_init

from . import roleplays, services


@shared_task(acks_late=True)
def grade_reply(reply_id: int) -> str:
    """Grade one reply (a no-op when it is already graded or another run holds it)."""
    return services.grade_pending_reply(reply_id=reply_id)


@shared_task(acks_late=True)
def sweep_ungraded(older_than_seconds: float = services.SWEEP_AFTER_SECONDS) -> int:
    """Beat: re-enqueue replies left ungraded (lost by the broker, or their worker died)."""
    return services.requeue_ungraded_replies(older_than_seconds=older_than_seconds)


@shared_task(acks_late=True)
def sweep_roleplay_timeouts() -> int:
    """Beat: close role-play turns left unanswered past their deadline (and grace)."""
    return roleplays.time_out_overdue_turns()


@worker_process_init.connect
def compile_the_published_pack(**_kwargs: object) -> None:
    """Compile the rule pack as each worker process starts, so no learner's first reply waits
    for it (a database not ready yet just leaves it to the first task)."""
    with suppress(Exception):
        services.get_published_pack()
