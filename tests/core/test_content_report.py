"""content_report --json: coverage of every catalogued scenario, stable across runs."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SLUGS = [
    "opening-greeting", "customer-cursing", "asks-for-manager", "long-wait-complaint",
    "service-error-complaint", "cannot-answer-now", "privacy-request", "silent-line",
    "cannot-hear-clearly", "colleague-absent", "transfer-call", "hold-request",
    "beyond-authority", "harassment-call", "customer-suggestion", "wrong-number", "closing-call",
]  # fmt: skip
TYPES = {"best-reply", "acceptable-replies", "order-steps", "spot-violation"}


def report() -> str:
    out = io.StringIO()
    call_command("content_report", "--json", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded():  # type: ignore[no-untyped-def]
    call_command("load_content", "--force", stdout=io.StringIO())


def test_every_scenario_is_covered_by_questions_of_all_types_role_plays_and_rules(loaded):
    data = json.loads(report())

    assert sorted(data["scenarios"]) == sorted(SLUGS)
    for slug, row in data["scenarios"].items():
        assert row["questions"] >= 3, slug
        assert set(row["question_types"]) == TYPES, slug
        assert row["roleplays"] >= 1, slug
        assert row["rules"] >= 1, slug
    used = {
        kind for row in data["scenarios"].values() for kind, n in row["question_types"].items() if n
    }
    assert used == TYPES
    courses = {course["slug"]: course for course in data["courses"]}
    assert courses["phone-etiquette-zh"]["language"] == "zh"
    assert courses["phone-etiquette-ko"]["language"] == "ko"
    assert courses["phone-etiquette-zh"]["lessons"] == 27
    assert data["quizzes"] >= 18 and data["roleplays"] >= 7 and data["tracks"] >= 2


def test_the_report_is_identical_across_identical_runs(loaded):
    first = report()

    call_command("load_content", stdout=io.StringIO())

    assert report() == first


def test_the_report_lists_every_slug_with_zeros_on_an_empty_site():
    call_command("load_content", "--force", stdout=io.StringIO())
    from quizzes.models import Question

    Question.objects.all().delete()

    data = json.loads(report())

    assert sorted(data["scenarios"]) == sorted(SLUGS)
    assert all(row["questions"] == 0 for row in data["scenarios"].values())
    assert all(n == 0 for row in data["scenarios"].values() for n in row["question_types"].values())
