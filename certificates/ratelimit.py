"""A fixed-window rate limit on the shared cache (Redis, or the database cache).

Counters live in the cache every web process shares, so the limit holds across gunicorn
workers. A cache outage lets requests through rather than locking the public out.
"""

import logging
import time

from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def parse_rate(rate: str) -> tuple[int, int]:
    """ "60/600" -> 60 requests per 600 seconds."""
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(scope: str, who: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one request by `who` in `scope`; False once the window's limit is passed."""
    bucket = int((now if now is not None else time.time()) // window)
    key = f"ratelimit:{scope}:{who}:{bucket}"
    try:
        if cache.add(key, 1, timeout=window + 1):
            return True
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: this is the first request again
        cache.set(key, 1, timeout=window + 1)
        return True
    except Exception:
        logger.warning("rate-limit cache unavailable; letting %s through", scope, exc_info=True)
        return True
