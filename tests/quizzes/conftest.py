"""A quiz with one question of each type, and helpers that answer it the way a page would."""

from typing import Any

import pytest

from quizzes.grading import key_indices
from quizzes.models import Attempt, Quiz
from tests.factories import QuestionFactory, QuizFactory

TYPES = ["best-reply", "acceptable-replies", "order-steps", "spot-violation"]


@pytest.fixture
def quiz(db) -> Quiz:  # type: ignore[no-untyped-def]
    """Four questions (one per type); every attempt draws all of them."""
    for question_type in TYPES:
        QuestionFactory(type=question_type)
    return QuizFactory(draw=4)


def slot_for(attempt: Attempt, question_type: str) -> tuple[int, dict[str, Any]]:
    from quizzes.models import Question

    for position, slot in enumerate(attempt.layout, start=1):
        if Question.objects.get(pk=slot["question"]).type == question_type:
            return position, slot
    raise LookupError(question_type)


def tokens(slot: dict[str, Any], indices: list[int]) -> list[str]:
    token_of = {index: token for token, index in slot["items"]}
    return [token_of[index] for index in indices]


def right_answers(attempt: Attempt) -> dict[int, list[str]]:
    """Position -> tokens of the fully correct answer to every question of the attempt."""
    from quizzes.models import Question

    answers = {}
    for position, slot in enumerate(attempt.layout, start=1):
        question = Question.objects.get(pk=slot["question"])
        if question.type == "order-steps":
            indices = list(range(len(question.items)))
        else:
            indices = sorted(key_indices(question.type, question.items))
        answers[position] = tokens(slot, indices)
    return answers


def wrong_answers(attempt: Attempt) -> dict[int, list[str]]:
    """Position -> tokens of an answer that earns nothing."""
    from quizzes.models import Question

    answers = {}
    for position, slot in enumerate(attempt.layout, start=1):
        question = Question.objects.get(pk=slot["question"])
        count = len(question.items)
        if question.type == "order-steps":
            indices = list(reversed(range(count)))
        else:
            key = key_indices(question.type, question.items)
            wrong = [i for i in range(count) if i not in key]
            if question.type == "spot-violation":
                wrong = [i for i in wrong if question.items[i]["speaker"] == "agent"]
            indices = wrong[:1] if question.type == "best-reply" else wrong
        answers[position] = tokens(slot, indices)
    return answers


def form_data(attempt: Attempt, answers: dict[int, list[str]]) -> dict[str, Any]:
    """The POST body the attempt page sends for these answers."""
    from quizzes.models import Question

    data: dict[str, Any] = {}
    for position, chosen in answers.items():
        slot = attempt.layout[position - 1]
        name = f"q{position}"
        data[f"{name}-shown"] = "1"
        if Question.objects.get(pk=slot["question"]).type == "order-steps":
            for rank, token in enumerate(chosen, start=1):
                data[f"{name}-rank-{token}"] = str(rank)
        else:
            data[name] = chosen
    return data
