"""Persona fixtures and the real services (PostgreSQL, Redis, a Celery worker, Chromium).

Service-backed tests skip with a reason when a service is absent, except under
REQUIRE_SERVICES=1 (CI), where a missing service fails the run instead.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Django is imported lazily here: tests/ruleengine runs with `-p no:django`, where importing
# models at collection time would fail.

REPO = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Playwright's sync API runs an event loop in the test thread; the ORM calls around it are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = "/usr/bin/chromium"


def service_missing(reason: str) -> None:
    """Fail under REQUIRE_SERVICES=1, otherwise skip with the reason."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config: pytest.Config) -> None:
    # Each test run gets its own queue, so a site running on the same Redis never steals tasks.
    os.environ.setdefault("COURTESY_QUEUE", f"courtesy-test-{uuid.uuid4().hex[:8]}")
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    settings.CELERY_TASK_DEFAULT_QUEUE = os.environ["COURTESY_QUEUE"]
    from config.celery_app import app

    app.conf.task_default_queue = os.environ["COURTESY_QUEUE"]


@pytest.fixture(autouse=True)
def _site_language_after_each_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Requests made with the test client leave their language active in this thread;
    the next test starts from the site's default (zh-hans) instead."""
    yield
    if request.config.pluginmanager.hasplugin("django"):
        from django.utils import translation

        translation.deactivate()


def pytest_sessionstart(session: pytest.Session) -> None:
    if not REQUIRE_SERVICES:
        return
    problems = []
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")):
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not os.environ.get("REDIS_URL"):
        problems.append("REDIS_URL is not set")
    if not Path(CHROMIUM).exists():
        problems.append(f"{CHROMIUM} is missing")
    if problems:
        raise pytest.UsageError("REQUIRE_SERVICES=1 but " + "; ".join(problems))


# --- personas --------------------------------------------------------------------------------


def make_persona(email: str, name: str, *roles: str):  # type: ignore[no-untyped-def]
    from accounts.roles import LEARNER
    from tests.factories import UserFactory

    return UserFactory(email=email, name=name, roles=[*roles, LEARNER])


@pytest.fixture
def learner(db):  # type: ignore[no-untyped-def]
    return make_persona("learner@example.com", "李小满")


@pytest.fixture
def trainer(db):  # type: ignore[no-untyped-def]
    return make_persona("trainer@example.com", "王老师", "Trainer")


@pytest.fixture
def hr(db):  # type: ignore[no-untyped-def]
    return make_persona("hr@example.com", "陈人事", "HR")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    """Another learner, who must never see the first learner's work."""
    return make_persona("outsider@example.com", "김민수")


@pytest.fixture
def password() -> str:
    from tests.factories import PASSWORD

    return PASSWORD


# --- real services -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        service_missing("REDIS_URL is not set; this test needs a real Redis")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_missing(f"Redis at {url} does not answer: {exc}")
    return url


def _database_url_for_subprocess() -> str:
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    auth = f"{user}:{db['PASSWORD']}" if db.get("PASSWORD") else user
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """A real `celery worker` subprocess on the test database and the test queue."""

    def __init__(self, env: dict[str, str], concurrency: int = 1) -> None:
        self.env = env
        self.concurrency = concurrency
        self.proc: subprocess.Popen[str] | None = None
        self.log: list[str] = []
        self._ready = threading.Event()

    def start(self, timeout: float = 45) -> "WorkerProcess":
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(self.concurrency),
            "--without-gossip",
            "--without-mingle",
            "-Q",
            self.env["COURTESY_QUEUE"],
            "-n",
            f"test-{uuid.uuid4().hex[:6]}@%h",
        ]
        self.proc = subprocess.Popen(
            cmd,
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError("Celery worker did not start:\n" + "".join(self.log[-40:]))
        return self

    def _drain(self) -> None:
        assert self.proc and self.proc.stdout
        for line in self.proc.stdout:
            self.log.append(line)
            if " ready." in line:
                self._ready.set()

    def child_pids(self) -> list[int]:
        assert self.proc
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture
def worker_env(redis_url: str, transactional_db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=_database_url_for_subprocess(),
        REDIS_URL=redis_url,
        COURTESY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture
def celery_worker(worker_env: dict[str, str]) -> Iterator[WorkerProcess]:
    """Start a real worker for one test (the test uses the transactional database)."""
    worker = WorkerProcess(worker_env).start()
    yield worker
    worker.stop()


def wait_for(predicate, timeout: float = 20, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll until predicate() is truthy; return its value or fail with the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"condition not met within {timeout}s")


# --- browser -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        service_missing(f"{CHROMIUM} is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot_dir() -> Path:
    path = REPO / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
