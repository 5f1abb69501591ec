"""Work a web process does once, before its first request, instead of during it.

Called from gunicorn's ``post_worker_init`` hook (config/gunicorn.conf.py): the first reply a
process saves would otherwise wait while it compiles the published rule pack, loads the
translation catalogues and builds the URL resolver, and that learner's "grading…" would be the
slowest of the day. Nothing here is required: a failure is logged and the process serves anyway.
"""

import logging
import time
from contextlib import suppress

from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def warm_up() -> float:
    """Prepare this process; returns the seconds it took."""
    started = time.perf_counter()
    try:
        from scenarios.services import NoPublishedPack, get_published_pack

        with suppress(NoPublishedPack):  # nothing to compile yet: the first publish will
            get_published_pack()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                reverse("home")
                translation.gettext("Courtesy")
    except Exception:
        logger.warning("warm-up failed; the first requests will do this work", exc_info=True)
    finally:
        # The main thread of a threaded worker never serves a request: nothing else would
        # ever close the connection it opened here.
        connections.close_all()
    return time.perf_counter() - started
