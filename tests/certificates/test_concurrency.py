"""Two evaluations of the same learner at the same moment make one certificate.

Runs on the real database with committed data and one connection per thread. On PostgreSQL
both threads are released together inside their transactions, so they race for the row lock;
SQLite serialises writing transactions (BEGIN IMMEDIATE), which this checks as well.
"""

import threading

import pytest
from django.db import connection

from certificates import services
from certificates.models import Certificate

from .conftest import meet_track

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_parallel(target, count: int = 2) -> list[object]:  # type: ignore[no-untyped-def]
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(target())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


def release_together_on_postgresql(monkeypatch, count: int = 2) -> None:  # type: ignore[no-untyped-def]
    """Hold each evaluation just before it takes the lock until all have arrived.

    Only on PostgreSQL: there a transaction takes no lock until it writes. SQLite's
    BEGIN IMMEDIATE already holds the database, so a barrier would only deadlock.
    """
    if connection.vendor != "postgresql":
        return
    barrier = threading.Barrier(count, timeout=20)
    original = services._lock_learner_track

    def lock_after_barrier(*args):  # type: ignore[no-untyped-def]
        barrier.wait()
        return original(*args)

    monkeypatch.setattr(services, "_lock_learner_track", lock_after_barrier)


def test_two_concurrent_evaluations_make_one_certificate(learner, track, monkeypatch):
    meet_track(learner)
    release_together_on_postgresql(monkeypatch)

    results = run_in_parallel(lambda: services.evaluate_tracks(user=learner))

    assert Certificate.objects.filter(user=learner).count() == 1
    assert sorted(len(issued) for issued in results) == [0, 1]  # type: ignore[arg-type]


def test_without_the_lock_the_constraint_still_makes_one(learner, track, monkeypatch):
    """The unique constraint is the backstop if the lock were ever lost."""
    meet_track(learner)
    monkeypatch.setattr(services, "_lock_learner_track", lambda *args: None)
    release_together_on_postgresql(monkeypatch)

    run_in_parallel(lambda: services.evaluate_tracks(user=learner))

    assert Certificate.objects.filter(user=learner).count() == 1


def test_many_learners_at_once_each_get_exactly_one(track, learner, outsider, hr):
    people = [learner, outsider, hr]
    for person in people:
        meet_track(person)

    run_in_parallel(lambda: [services.evaluate_tracks(user=p) for p in people], count=3)

    for person in people:
        assert Certificate.objects.filter(user=person).count() == 1
