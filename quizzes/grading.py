"""Pure grading of quiz answers: no Django, no database, no clock.

An answer is a list of content indices (the position of an option, step or transcript line in
the question's content), never the per-attempt tokens. Each grader returns a `Grade` whose
numbers let the result page spell out how the points were reached.

- best-reply: all or nothing.
- acceptable-replies: (acceptable picked - unacceptable picked) / acceptable in total, never
  below zero, so ticking every box earns nothing and a partial but clean answer earns part.
- order-steps: built on the longest chain of steps the learner kept in the right relative
  order (a longest increasing subsequence). Points = (chain - 1) / (steps - 1): one step moved
  out of place costs one link, not every position after it, and a fully reversed list scores 0.
  Counting exact positions instead would give 0 to a list that is right but starts one late.
- spot-violation: the selected lines must be exactly the violating lines.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

BEST_REPLY = "best-reply"
ACCEPTABLE_REPLIES = "acceptable-replies"
ORDER_STEPS = "order-steps"
SPOT_VIOLATION = "spot-violation"
QUESTION_TYPES = (BEST_REPLY, ACCEPTABLE_REPLIES, ORDER_STEPS, SPOT_VIOLATION)

Item = dict[str, Any]


@dataclass(frozen=True)
class Grade:
    """Points in [0, 1] for one question, with the counts that explain them."""

    points: float
    answered: bool
    right_picks: int = 0
    wrong_picks: int = 0
    expected: int = 0
    chain: tuple[int, ...] = field(default_factory=tuple)

    @property
    def is_correct(self) -> bool:
        return self.points >= 1.0

    @property
    def percent(self) -> int:
        return percent_of(self.points)


def percent_of(fraction: float) -> int:
    """A fraction in [0, 1] as a whole percentage, rounding halves up (not to even)."""
    exact = Decimal(str(fraction)) * 100
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def key_indices(question_type: str, items: Sequence[Item]) -> set[int]:
    """The indices that make up the key: correct options or violating lines."""
    flag = "violation" if question_type == SPOT_VIOLATION else "correct"
    return {index for index, item in enumerate(items) if item.get(flag)}


def _picks(answer: Sequence[int] | None, item_count: int) -> set[int] | None:
    if answer is None:
        return None
    return {index for index in answer if isinstance(index, int) and 0 <= index < item_count}


def grade_best_reply(items: Sequence[Item], answer: Sequence[int] | None) -> Grade:
    picks = _picks(answer, len(items))
    if not picks:
        return Grade(points=0.0, answered=False, expected=1)
    correct = key_indices(BEST_REPLY, items)
    right = len(picks & correct)
    return Grade(
        points=1.0 if picks == correct else 0.0,
        answered=True,
        right_picks=right,
        wrong_picks=len(picks - correct),
        expected=len(correct),
    )


def grade_acceptable_replies(items: Sequence[Item], answer: Sequence[int] | None) -> Grade:
    correct = key_indices(ACCEPTABLE_REPLIES, items)
    picks = _picks(answer, len(items))
    if not picks:
        return Grade(points=0.0, answered=False, expected=len(correct))
    right, wrong = len(picks & correct), len(picks - correct)
    points = max(0.0, (right - wrong) / len(correct)) if correct else 0.0
    return Grade(
        points=points, answered=True, right_picks=right, wrong_picks=wrong, expected=len(correct)
    )


def longest_ordered_chain(order: Sequence[int]) -> tuple[int, ...]:
    """The longest run of steps (not necessarily adjacent) that appear in ascending order."""
    best_ending_at: list[tuple[int, ...]] = []
    for position, step in enumerate(order):
        best: tuple[int, ...] = ()
        for earlier in range(position):
            chain = best_ending_at[earlier]
            if order[earlier] < step and len(chain) > len(best):
                best = chain
        best_ending_at.append((*best, step))
    return max(best_ending_at, key=len, default=())


def grade_order_steps(items: Sequence[Item], answer: Sequence[int] | None) -> Grade:
    step_count = len(items)
    if answer is None:
        return Grade(points=0.0, answered=False, expected=step_count)
    if sorted(answer) != list(range(step_count)):
        return Grade(points=0.0, answered=True, expected=step_count)
    chain = longest_ordered_chain(answer)
    points = 1.0 if step_count < 2 else (len(chain) - 1) / (step_count - 1)
    return Grade(
        points=points,
        answered=True,
        right_picks=len(chain),
        expected=step_count,
        chain=chain,
    )


def grade_spot_violation(items: Sequence[Item], answer: Sequence[int] | None) -> Grade:
    violating = key_indices(SPOT_VIOLATION, items)
    picks = _picks(answer, len(items))
    if not picks:
        return Grade(points=0.0, answered=False, expected=len(violating))
    right, wrong = len(picks & violating), len(picks - violating)
    return Grade(
        points=1.0 if picks == violating else 0.0,
        answered=True,
        right_picks=right,
        wrong_picks=wrong,
        expected=len(violating),
    )


GRADERS = {
    BEST_REPLY: grade_best_reply,
    ACCEPTABLE_REPLIES: grade_acceptable_replies,
    ORDER_STEPS: grade_order_steps,
    SPOT_VIOLATION: grade_spot_violation,
}


def grade(question_type: str, items: Sequence[Item], answer: Sequence[int] | None) -> Grade:
    """Grade one answer; `answer` is None when the learner never answered the question."""
    return GRADERS[question_type](items, answer)


def quiz_score(points: Sequence[float]) -> int:
    """The attempt's score in percent: the mean of the question points."""
    if not points:
        return 0
    return percent_of(sum(points) / len(points))
