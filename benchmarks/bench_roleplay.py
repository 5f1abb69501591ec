"""Role-play grading latency through the real stack: `python -m benchmarks.bench_roleplay`.

Starts, on 127.0.0.1 only, gunicorn (the site, production-like: DEBUG off) and a real Celery
worker on Redis and a throw-away PostgreSQL database (created and dropped here). N simulated
learners, each on its own keep-alive HTTP connection, play the bundled Chinese role-plays the
way the page does: open the call page (which starts the line's clock), think, post a reply
(htmx), poll the turn state (200 ms, then every 500 ms) until the verdict has moved the call
on, then load the call page again.

Measured: submit → verdict stored, from the moment the learner starts sending the POST to the
moment the verdict row is committed and visible to another connection (a watcher thread polls
the database every 10 ms). Writes var/bench/roleplay.json:
{"broker", "concurrency", "submitted", "graded", "p50_ms", "p95_ms", ...}.

The learners are signed in by creating their sessions directly (a sign-in form POST per learner
would spend seconds on password hashing, which is not what is measured here).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "var" / "bench" / "roleplay.json"
LOG_DIR = ROOT / "var" / "bench"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "courtesy_bench"  # the default --database-url's name
TARGET_P95_MS = 250.0

# What learners type: polite and not so polite, so calls take their different branches.
REPLIES = [
    "您好，这里是客服中心，请问有什么可以帮您？",
    "非常抱歉给您带来不便，我马上为您查询，请您稍等。",
    "很抱歉让您久等了，我理解您的心情，我们今天下午三点前给您回电，好吗？",
    "请您留下联系电话，我核实后两小时内给您回复。",
    "不好意思，您的声音有点小，麻烦您再说一遍好吗？",
    "我帮您转到财务部，请您稍等，可以吗？",
    "感谢您的来电，祝您生活愉快，再见。",
    "这个我不知道，你自己去问吧。",
    "喂？说。",
]


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Service:
    """A child process in its own process group, its output kept in a log file."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], ready: str) -> None:
        self.name, self.cmd, self.env, self.ready_marker = name, cmd, env, ready
        self.log_path = LOG_DIR / f"roleplay-{name}.log"
        self.proc: subprocess.Popen[str] | None = None
        self.ready = threading.Event()

    def start(self, timeout: float = 60) -> Service:
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()
        if not self.ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"{self.name} did not start; see {self.log_path}")
        return self

    def _drain(self) -> None:
        assert self.proc and self.proc.stdout
        with self.log_path.open("w", encoding="utf-8") as log:
            for line in self.proc.stdout:
                log.write(line)
                if self.ready_marker in line:
                    self.ready.set()

    def cpu_seconds(self) -> float:
        """CPU time used so far by every live process of the group (read from /proc)."""
        if self.proc is None:
            return 0.0
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # Fields after the command: state, ppid, pgrp, …; utime and stime are 12th and 13th.
            if int(fields[2]) == self.proc.pid:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores, everyone), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def database_backends_cpu_seconds(name: str) -> float:
    """CPU time of the PostgreSQL backends serving the bench database (still connected)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if command.startswith("postgres: ") and f" {name} " in command:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


@contextmanager
def bench_database(url: str, keep: bool) -> Iterator[None]:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- the site's data -----------------------------------------------------------------------------


def prepare_site(learners: int) -> list[dict[str, str]]:
    """Migrate, load the bundled content, create the learners and their signed-in sessions."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_content", verbosity=0)

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from accounts.roles import LEARNER, ensure_roles

    group = ensure_roles()[LEARNER]
    cookies = []
    for number in range(learners):
        user = User.objects.create_user(email=f"learner{number}@bench.example", password=None)
        user.groups.add(group)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append({settings.SESSION_COOKIE_NAME: store.session_key})
    return cookies


def chinese_roleplays() -> list[str]:
    from scenarios.models import RolePlay

    return list(RolePlay.objects.active().filter(language="zh").values_list("slug", flat=True))


# --- the watcher: when does each verdict become visible? -----------------------------------------


class VerdictWatcher(threading.Thread):
    """Polls the database every 10 ms for verdicts of the replies in flight."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.waiting: dict[str, float] = {}  # Reply.source → client time the POST started
        self.seen: dict[str, float] = {}  # Reply.source → latency in ms
        self.sent: dict[str, float] = {}  # Reply.source → client time the POST started
        self.stopping = threading.Event()

    def forget(self) -> None:
        """Start measuring afresh (after the warm-up)."""
        with self.lock:
            self.seen.clear()
            self.sent.clear()

    def expect(self, source: str, sent_at: float) -> None:
        with self.lock:
            self.waiting[source] = sent_at
            self.sent[source] = sent_at

    def run(self) -> None:
        from django.db import connection

        from scenarios.models import Verdict

        while not self.stopping.is_set():
            with self.lock:
                sources = list(self.waiting)
            if sources:
                found = Verdict.objects.filter(reply__source__in=sources).values_list(
                    "reply__source", flat=True
                )
                now = time.time()
                with self.lock:
                    for source in found:
                        sent_at = self.waiting.pop(source, None)
                        if sent_at is not None:
                            self.seen[source] = (now - sent_at) * 1000
            self.stopping.wait(0.01)
        connection.close()


# --- a simulated learner -------------------------------------------------------------------------


TURN = re.compile(r'name="turn" value="(\d+)"')


@dataclass
class Learner:
    number: int
    port: int
    cookies: dict[str, str]
    roleplays: list[str]
    replies: int
    think: tuple[float, float]
    watcher: VerdictWatcher
    deadline: float
    arrive_after: float = 0.0  # seconds after the start: learners do not all click at once
    rng: random.Random = field(init=False)
    posted: int = 0
    errors: list[str] = field(default_factory=list)
    timings: dict[str, list[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.number)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _cookie_header(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        htmx: bool = False,
        kind: str = "other",
    ) -> tuple[int, dict[str, str], str]:
        began = time.perf_counter()
        headers = {"Cookie": self._cookie_header(), "Host": f"127.0.0.1:{self.port}"}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
        try:
            response = self._send(method, path, body, headers)
        except (ConnectionError, http.client.RemoteDisconnected):
            # The server closed the idle keep-alive connection while we "thought": reconnect,
            # as a browser does. The request never reached a view, so sending it again is safe.
            self.conn.close()
            response = self._send(method, path, body, headers)
        text = response.read().decode("utf-8", "replace")
        self.timings.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def _send(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> http.client.HTTPResponse:
        self.conn.request(method, path, body=body, headers=headers)
        return self.conn.getresponse()

    def start_call(self) -> str:
        slug = self.roleplays[self.number % len(self.roleplays)]
        self.request("GET", f"/scenarios/roleplays/{slug}/")  # the CSRF cookie
        status, headers, _ = self.request(
            "POST", f"/scenarios/roleplays/{slug}/start/", {"mode": "practice"}
        )
        if status != 302:
            raise RuntimeError(f"start returned {status}")
        return urllib.parse.urlparse(headers["location"]).path

    def wait_for_next_line(self, call: str, turn: str) -> None:
        """Poll like the page: the first poll after 200 ms, then every 500 ms."""
        delay = 0.2
        while time.monotonic() < self.deadline:
            time.sleep(delay)
            status, headers, _ = self.request(
                "GET", f"{call}state/?turn={turn}", htmx=True, kind="poll state"
            )
            if headers.get("hx-refresh") == "true":
                return
            if status != 200:
                raise RuntimeError(f"state returned {status}")
            delay = 0.5
        raise RuntimeError("no verdict before the benchmark's deadline")

    def play(self) -> None:
        try:
            time.sleep(self.arrive_after)
            call = self.start_call()
            while self.posted < self.replies and time.monotonic() < self.deadline:
                status, _headers, page = self.request("GET", call, kind="GET call page")
                match = TURN.search(page)
                if status != 200 or match is None:  # the call is over: the report
                    call = self.start_call()
                    continue
                time.sleep(self.rng.uniform(*self.think))
                turn = match.group(1)
                session = call.rstrip("/").rsplit("/", 1)[-1]
                sent_at = time.time()
                self.watcher.expect(f"roleplay:{session}:{turn}", sent_at)
                text = self.rng.choice(REPLIES)
                # As the page sends it (htmx): the answer is the waiting panel, no redirect.
                status, _headers, _ = self.request(
                    "POST",
                    f"{call}reply/",
                    {"text": text, "turn": turn},
                    htmx=True,
                    kind="POST reply",
                )
                if status != 200:
                    raise RuntimeError(f"reply returned {status}")
                self.posted += 1
                self.wait_for_next_line(call, turn)
        except Exception as exc:  # one learner's failure is reported, the run goes on
            self.errors.append(f"learner {self.number}: {type(exc).__name__}: {exc}")
        finally:
            self.conn.close()


# --- the run -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def server_side_breakdown(sources: set[str]) -> dict[str, float]:
    """Where the time goes, from the rows: POST start → reply saved, saved → verdict written."""
    from scenarios.models import Reply

    rows = Reply.objects.filter(source__in=sources, status="graded").values_list(
        "submitted_at", "verdict__graded_at"
    )
    worker_ms = [(graded - submitted).total_seconds() * 1000 for submitted, graded in rows]
    if not worker_ms:
        return {}
    return {
        "saved_to_verdict_p50_ms": round(percentile(worker_ms, 0.5), 1),
        "saved_to_verdict_p95_ms": round(percentile(worker_ms, 0.95), 1),
    }


def play_all(learners: list[Learner], deadline: float) -> None:
    threads = [threading.Thread(target=learner.play) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic() + 5))


def run(args: argparse.Namespace) -> dict[str, Any]:
    cookies = prepare_site(args.learners + args.warm_up_learners)
    roleplays = chinese_roleplays()
    env = dict(os.environ)
    port = free_port()
    web = Service(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--config",  # as Procfile runs it: the warm-up hook and the access log
            str(ROOT / "config" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            str(args.web_threads),
            "--log-level",
            "info",
        ],
        env,
        "warmed up in",  # logged by each worker once it is ready to serve
    )
    worker = Service(
        "worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(args.worker_concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            env["COURTESY_QUEUE"],
            "-n",
            f"bench-{uuid.uuid4().hex[:6]}@%h",
        ],
        env,
        " ready.",
    )
    watcher = VerdictWatcher()
    try:
        worker.start()
        web.start()
        time.sleep(1.0)  # the other gunicorn workers warm up alongside the first
        watcher.start()
        deadline = time.monotonic() + args.max_seconds

        def learner(number: int, replies: int, arrive_after: float) -> Learner:
            return Learner(
                number=number,
                port=port,
                cookies=dict(cookies[number]),
                roleplays=roleplays,
                replies=replies,
                think=(args.think_min, args.think_max),
                watcher=watcher,
                deadline=deadline,
                arrive_after=arrive_after,
            )

        # Warm-up, not measured: a few learners play two turns each, so every web and worker
        # process has loaded its templates and compiled the rule pack, as on a running site.
        warm = [learner(args.learners + n, 2, 0.0) for n in range(args.warm_up_learners)]
        play_all(warm, deadline)
        watcher.forget()
        learners = [
            learner(number, args.replies, args.ramp_up * number / max(args.learners, 1))
            for number in range(args.learners)
        ]
        cpu_before = {"web": web.cpu_seconds(), "worker": worker.cpu_seconds()}
        client_before = time.process_time()
        machine_before = machine_busy_seconds()
        started = time.monotonic()
        play_all(learners, deadline)
        elapsed = time.monotonic() - started
        settle = time.monotonic() + 30  # stragglers: give the worker a bounded while
        while watcher.waiting and time.monotonic() < settle:
            time.sleep(0.1)
        cpu = {
            "web": round(web.cpu_seconds() - cpu_before["web"], 1),
            "worker": round(worker.cpu_seconds() - cpu_before["worker"], 1),
            "postgres": round(database_backends_cpu_seconds(PG_NAME), 1),
            "learners_and_watcher": round(time.process_time() - client_before, 1),
        }
        # Everything else the machine did meanwhile (other people's work on a shared box).
        busy = machine_busy_seconds() - machine_before
        cpu["everything_else_on_the_machine"] = round(max(0.0, busy - sum(cpu.values())), 1)
    finally:
        watcher.stopping.set()
        watcher.join(5)
        web.stop()
        worker.stop()
        clear_queue(env["REDIS_URL"], env["COURTESY_QUEUE"])
    return summarise(args, learners, watcher, elapsed, cpu)


def clear_queue(redis_url: str, queue: str) -> None:
    import redis

    with suppress(redis.RedisError):
        # The queue and its priority lists (kombu names them queue + "\x06\x16" + step).
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
        client.delete(queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9)))


def p95_by_fifth(watcher: VerdictWatcher) -> list[float]:
    """p95 latency of each fifth of the replies in the order they were sent: shows warm-up
    and backlog (a queue that grows makes the later fifths slower)."""
    ordered = [watcher.seen[source] for source in sorted(watcher.seen, key=watcher.sent.get)]
    size = max(1, len(ordered) // 5)
    chunks = [ordered[start : start + size] for start in range(0, size * 5, size)]
    return [round(percentile(chunk, 0.95), 1) for chunk in chunks if chunk]


TASK_DONE = re.compile(r"Task ([\w.]+)\[[^\]]+\] succeeded in ([\d.]+)s")


def task_timings(log: Path) -> dict[str, dict[str, float]]:
    """Per task name: how many ran and their wall time inside the worker (from its log)."""
    runs: dict[str, list[float]] = {}
    for match in TASK_DONE.finditer(log.read_text(encoding="utf-8", errors="replace")):
        runs.setdefault(match.group(1).rsplit(".", 1)[-1], []).append(float(match.group(2)) * 1000)
    return {
        name: {
            "count": len(values),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
        }
        for name, values in sorted(runs.items())
    }


def request_timings(learners: list[Learner]) -> dict[str, dict[str, float]]:
    kinds: dict[str, list[float]] = {}
    for learner in learners:
        for kind, values in learner.timings.items():
            kinds.setdefault(kind, []).extend(values)
    return {
        kind: {
            "count": len(values),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
        }
        for kind, values in sorted(kinds.items())
    }


def summarise(
    args: argparse.Namespace,
    learners: list[Learner],
    watcher: VerdictWatcher,
    elapsed: float,
    cpu: dict[str, float],
) -> dict[str, Any]:
    from scenarios.models import Reply, Verdict

    measured = Reply.objects.filter(source__in=list(watcher.sent))
    submitted = measured.count()
    graded = Verdict.objects.filter(reply__in=measured).count()
    everything = Reply.objects.filter(source__startswith="roleplay:")
    latencies = list(watcher.seen.values())
    errors = [error for learner in learners for error in learner.errors]
    result: dict[str, Any] = {
        "broker": "redis",
        "concurrency": args.learners,
        "submitted": submitted,
        "graded": graded,
        "p50_ms": round(percentile(latencies, 0.5), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "p95_ms_by_fifth_of_the_run": p95_by_fifth(watcher),
        "duplicate_verdicts": graded - measured.filter(verdict__isnull=False).distinct().count(),
        "ungraded_including_warm_up": everything.exclude(status="graded").count(),
        "replies_per_s": round(submitted / elapsed, 1) if elapsed else None,
        "requests": request_timings(learners),
        "worker_tasks": task_timings(LOG_DIR / "roleplay-worker.log"),
        "cpu_s_during_run": cpu,
        "elapsed_s": round(elapsed, 1),
        "web": f"gunicorn {args.web_workers} workers × {args.web_threads} threads",
        "worker": f"celery prefork, concurrency {args.worker_concurrency}",
        "database": "postgresql",
        "think_s": [args.think_min, args.think_max],
        "ramp_up_s": args.ramp_up,
        "warm_up": f"{args.warm_up_learners} learners × 2 replies, not measured",
        "replies_per_learner": args.replies,
        "cpu_cores": os.cpu_count(),
        "load_average_1m_after": round(os.getloadavg()[0], 2),
        "errors": errors[:20],
        **server_side_breakdown(set(watcher.seen)),
    }
    result["targets_met"] = bool(
        submitted
        and graded == submitted
        and not errors
        and result["p95_ms"] is not None
        and result["p95_ms"] <= TARGET_P95_MS
    )
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--replies", type=int, default=6, help="replies each learner posts")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--ramp-up", type=float, default=5.0, help="seconds to arrive over")
    parser.add_argument("--warm-up-learners", type=int, default=6)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--web-threads", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=180, help="hard stop for the run")
    parser.add_argument("--database-url", default=f"postgres://postgres@127.0.0.1:5432/{PG_NAME}")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_DEBUG="false",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        COURTESY_QUEUE=f"courtesy-bench-{uuid.uuid4().hex[:8]}",
        DJANGO_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    with bench_database(args.database_url, args.keep_db):
        result = run(args)
    OUTPUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
