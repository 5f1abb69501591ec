"""Per-question feedback for a finished attempt: what was chosen, what was right, and why."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from . import grading
from .models import Attempt, Question, Response


@dataclass(frozen=True)
class FeedbackItem:
    text: str
    chosen: bool = False
    key: bool = False  # a correct option, or a violating line
    speaker: str = ""
    explanation: str = ""
    rule: str = ""
    source: str = ""
    in_chain: bool = False  # order-steps: part of the longest run in the right order

    @property
    def verdict(self) -> str:
        """right-pick / missed / wrong-pick / "" for the item's mark on the result page."""
        if self.chosen and self.key:
            return "right-pick"
        if self.key:
            return "missed"
        return "wrong-pick" if self.chosen else ""


@dataclass(frozen=True)
class QuestionFeedback:
    position: int
    question: Question
    grade: grading.Grade
    items: list[FeedbackItem]
    your_order: list[FeedbackItem] = field(default_factory=list)
    lesson_url: str | None = None

    @property
    def type(self) -> str:
        return self.question.type

    @property
    def outcome(self) -> str:
        if not self.grade.answered:
            return "unanswered"
        if self.grade.is_correct:
            return "correct"
        return "partial" if self.grade.points > 0 else "wrong"

    @property
    def others(self) -> list[FeedbackItem]:
        """Options neither chosen nor correct: explained, but folded away on the result page."""
        return [item for item in self.items if not item.chosen and not item.key]

    @property
    def highlighted(self) -> list[FeedbackItem]:
        return [item for item in self.items if item.chosen or item.key]


def lesson_url(ref: str) -> str | None:
    """The lesson page for a `course/module/lesson` reference, when the courses app knows it."""
    if not ref:
        return None
    try:
        resolve: Callable[[str], str | None] = import_string("courses.services.lesson_url_for_ref")
    except ImportError:
        return None
    try:
        return resolve(ref)
    except Exception:  # a lesson that cannot be resolved must never break a result page
        return None


def _item(question: Question, index: int, chosen: set[int]) -> FeedbackItem:
    raw: dict[str, Any] = question.items[index]
    return FeedbackItem(
        text=raw["text"],
        chosen=index in chosen,
        key=bool(
            raw.get("violation") if question.type == grading.SPOT_VIOLATION else raw.get("correct")
        ),
        speaker=raw.get("speaker", ""),
        explanation=raw.get("explanation", ""),
        rule=raw.get("rule", ""),
        source=raw.get("source", ""),
    )


def _question_feedback(
    position: int, question: Question, slot_order: list[int], response: Response | None
) -> QuestionFeedback:
    answer = response.answer if response else None
    result = grading.grade(question.type, question.items, answer)
    chosen = set(answer or [])
    if question.type == grading.ORDER_STEPS:
        chain = set(result.chain)
        items = [_item(question, index, set()) for index in range(len(question.items))]
        your_order = [
            FeedbackItem(text=question.items[index]["text"], in_chain=index in chain)
            for index in (answer or [])
        ]
    else:
        # Options in the order the learner saw them; transcript lines in their spoken order.
        items = [_item(question, index, chosen) for index in slot_order]
        your_order = []
    return QuestionFeedback(
        position=position,
        question=question,
        grade=result,
        items=items,
        your_order=your_order,
        lesson_url=lesson_url(question.lesson_ref),
    )


def attempt_feedback(attempt: Attempt) -> list[QuestionFeedback]:
    """Feedback for every drawn question of a finished attempt, in the order they were shown."""
    if attempt.is_open:
        raise ValueError("feedback would reveal the key of an open attempt")
    questions = Question.objects.in_bulk([slot["question"] for slot in attempt.layout])
    responses = {response.question_id: response for response in attempt.responses.all()}
    return [
        _question_feedback(
            position,
            questions[slot["question"]],
            [index for _token, index in slot["items"]],
            responses.get(slot["question"]),
        )
        for position, slot in enumerate(attempt.layout, start=1)
    ]
