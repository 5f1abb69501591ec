"""gunicorn settings shared by Procfile and the role-play benchmark (command-line flags win)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads let a process keep serving while one request waits on PostgreSQL or Redis.
threads = int(os.environ.get("WEB_THREADS", "2"))
accesslog = "-"


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    from core.warmup import warm_up

    worker.log.info("warmed up in %.2f s", warm_up())
