"""Tests: fast hashing, locmem e-mail; real database and broker when their URLs are set."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# A file, not :memory:, so that a worker subprocess can see what a test wrote.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One file per test run, so two runs side by side never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(
            VAR_DIR / f"test-{os.environ.setdefault('COURTESY_TEST_RUN', str(os.getpid()))}.sqlite3"
        )
    }
WHITENOISE_AUTOREFRESH = True
