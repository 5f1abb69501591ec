"""What the quiz list and the home section show one learner: quizzes with their best result."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from scenarios.models import Scenario

from .models import Attempt, AttemptStatus, Quiz
from .services import BestResult, best_results


@dataclass(frozen=True)
class QuizEntry:
    quiz: Quiz
    best: BestResult | None
    in_progress: bool

    @property
    def passed(self) -> bool:
        return bool(self.best and self.best.passed)


@dataclass
class ScenarioGroup:
    scenario: Scenario
    entries: list[QuizEntry] = field(default_factory=list)


@dataclass
class Catalogue:
    scenario_groups: list[ScenarioGroup]
    course_quizzes: list[QuizEntry]


def content_language(user: Any) -> str:
    """The bank language a learner trains in: Korean for Korean speakers, else Chinese."""
    ui = (get_language() or "").lower()
    return "ko" if getattr(user, "preferred_language", "") == "ko" or ui.startswith("ko") else "zh"


def _entries(user: Any) -> list[QuizEntry]:
    best = best_results(user)
    in_progress = set(
        Attempt.objects.filter(user=user, status=AttemptStatus.OPEN).values_list(
            "quiz_id", flat=True
        )
    )
    quizzes = Quiz.objects.filter(published=True).select_related("scenario")
    return [QuizEntry(quiz, best.get(quiz.pk), quiz.pk in in_progress) for quiz in quizzes]


def quiz_catalogue(user: Any) -> Catalogue:
    """Scenario quizzes grouped by catalogued situation, then course quizzes; own language first."""
    language = content_language(user)
    entries = sorted(_entries(user), key=lambda entry: entry.quiz.language != language)
    groups = {scenario.pk: ScenarioGroup(scenario) for scenario in Scenario.objects.all()}
    course_quizzes = []
    for entry in entries:
        if entry.quiz.scenario_id in groups:
            groups[entry.quiz.scenario_id].entries.append(entry)
        else:
            course_quizzes.append(entry)
    return Catalogue(
        scenario_groups=[group for group in groups.values() if group.entries],
        course_quizzes=course_quizzes,
    )


@dataclass(frozen=True)
class HomeSummary:
    to_take: list[QuizEntry]
    recent: list[Attempt]
    scenario_quizzes: list[QuizEntry]


def home_summary(user: Any, *, to_take_limit: int = 3, recent_limit: int = 3) -> HomeSummary:
    catalogue = quiz_catalogue(user)
    language = content_language(user)
    # One quiz per situation, in the learner's language when there is one.
    scenario_quizzes = [group.entries[0] for group in catalogue.scenario_groups]
    mine = [e for e in catalogue.course_quizzes + scenario_quizzes if e.quiz.language == language]
    to_take = [entry for entry in mine if entry.in_progress]
    to_take += [entry for entry in mine if not entry.passed and not entry.in_progress]
    recent = list(
        Attempt.objects.filter(user=user)
        .finished()
        .select_related("quiz")
        .order_by("-submitted_at")[:recent_limit]
    )
    return HomeSummary(
        to_take=to_take[:to_take_limit], recent=recent, scenario_quizzes=scenario_quizzes
    )
