"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-never-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "core",
    "accounts",
    "courses",
    "quizzes",
    "scenarios",
    "certificates",
    "studio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL points elsewhere (PostgreSQL in CI and production).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'courtesy.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker write side by side.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")

# allauth's rate limits need a cache every process shares: Redis when configured, else the
# database (locmem would give each gunicorn worker its own counters).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "courtesy",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "courtesy_cache",
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
if REDIS_URL:
    # Every page's permission lookup becomes one cache read instead of two queries (the
    # database cache would cost as much as the queries it saves). ModelBackend stays listed,
    # so sessions signed in under it stay signed in when REDIS_URL comes or goes.
    AUTHENTICATION_BACKENDS.insert(0, "accounts.backends.CachedPermissionsBackend")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail is the login; nobody signs up alone (HR invites people).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "5/5m/ip,3/5m/key",
}

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Courtesy <noreply@courtesy.local>")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("ko", "한국어"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CONTENT_DIR = Path(env("COURTESY_CONTENT_DIR", default=str(BASE_DIR / "content")))

# --- Celery -------------------------------------------------------------------------------
# Without REDIS_URL the broker is kombu's filesystem transport under var/, so `make run` has a
# real worker with no services installed. The database is the record of every reply; the
# broker only carries "look at row N" messages, and the sweeper recovers any it loses.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
_celery_queue_dir = VAR_DIR / "celery" / "queue"
_celery_processed_dir = VAR_DIR / "celery" / "processed"
# The whole-worker-killed case comes back only after the visibility timeout, so keep it short,
# and above every task's hard time limit so a running task is never handed out twice.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=120)
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # kombu's filesystem transport expects its folders to exist.
    _celery_queue_dir.mkdir(parents=True, exist_ok=True)
    _celery_processed_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue_dir),
        "data_folder_out": str(_celery_queue_dir),
        "processed_folder": str(_celery_processed_dir),
        # Broadcast/control messages too, or kombu writes a control/ folder into the cwd.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
# kombu reads the visibility timeout from several places; set them all on purpose.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A POST must never hang on a dead broker: fail fast, keep the row, let the sweeper retry.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_MAX_RETRIES = 0
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# Acknowledge after the task ran, and hand the message back if the worker process dies mid-task;
# tasks count their own attempts in the database and give up after a cap.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Hard limit well under the visibility timeout, so no message is redelivered while still running.
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_TASK_TIME_LIMIT = 45
CELERY_TASK_ALWAYS_EAGER = False
# One queue name per environment, so tests sharing a Redis with a running site stay apart.
CELERY_TASK_DEFAULT_QUEUE = env("COURTESY_QUEUE", default="courtesy")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "worker-heartbeat": {"task": "core.tasks.record_heartbeat", "schedule": 60.0},
    # Every 15 s, so a reply the broker lost waits at most ~45 s (30 s threshold + one sweep).
    "sweep-ungraded-replies": {"task": "scenarios.tasks.sweep_ungraded", "schedule": 15.0},
    "scenarios-roleplay-timeouts": {
        "task": "scenarios.tasks.sweep_roleplay_timeouts",
        "schedule": 10.0,
    },
    "certificate-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": 3600.0,
    },
    "quizzes-close-expired-attempts": {
        "task": "quizzes.tasks.close_expired_attempts",
        "schedule": 60.0,
    },
    "hr-overdue-reminders": {
        "task": "certificates.tasks.send_overdue_reminders",
        "schedule": 3600.0,
    },
    "hr-weekly-digest": {"task": "certificates.tasks.send_hr_digests", "schedule": 3600.0},
    "people-waiting-invitations": {
        "task": "accounts.tasks.send_waiting_invitations",
        "schedule": 300.0,
    },
}
# Open Badges 3.0 signing key (Ed25519, PEM): inline, or a file that `make setup` creates for
# development with `manage.py ensure_badge_key`. Production must provide one.
COURTESY_BADGE_PRIVATE_KEY = env("COURTESY_BADGE_PRIVATE_KEY", default="")
COURTESY_BADGE_KEY_PATH = env(
    "COURTESY_BADGE_KEY_PATH", default=str(VAR_DIR / "keys" / "badge-ed25519.pem")
)
# Public certificate verification: requests per window (seconds) per visitor.
COURTESY_VERIFY_RATE_LIMIT = env("COURTESY_VERIFY_RATE_LIMIT", default="60/600")

# Attempts a task gets at a row before it is marked failed for someone to look at.
COURTESY_TASK_ATTEMPT_CAP = env.int("COURTESY_TASK_ATTEMPT_CAP", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
