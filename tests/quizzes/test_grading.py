"""Grading is pure: these tests need no database."""

import pytest

from quizzes import grading

OPTIONS = [
    {"text": "A", "correct": True},
    {"text": "B", "correct": False},
    {"text": "C", "correct": True},
    {"text": "D", "correct": False},
]
BEST = [{"text": "A", "correct": False}, {"text": "B", "correct": True}, {"text": "C"}]
STEPS = [{"text": f"step {n}"} for n in range(5)]
TRANSCRIPT = [
    {"speaker": "customer", "text": "…"},
    {"speaker": "agent", "text": "ok", "violation": False},
    {"speaker": "agent", "text": "rude", "violation": True},
    {"speaker": "agent", "text": "also rude", "violation": True},
]


def test_best_reply_is_all_or_nothing():
    assert grading.grade("best-reply", BEST, [1]).points == 1.0
    assert grading.grade("best-reply", BEST, [0]).points == 0.0


def test_an_unanswered_question_scores_zero_and_says_so():
    result = grading.grade("best-reply", BEST, None)

    assert result.points == 0.0
    assert not result.answered


@pytest.mark.parametrize(
    ("picks", "expected"),
    [
        ([0, 2], 1.0),  # both acceptable replies
        ([0], 0.5),  # one of two, no wrong pick
        ([0, 1], 0.0),  # one right cancelled by one wrong
        ([0, 2, 1], 0.5),  # (2 - 1) / 2
        ([0, 1, 2, 3], 0.0),  # ticking everything earns nothing
        ([1, 3], 0.0),  # never below zero
    ],
)
def test_acceptable_replies_take_a_penalty_for_every_wrong_pick(picks, expected):
    result = grading.grade("acceptable-replies", OPTIONS, picks)

    assert result.points == expected
    assert result.answered


def test_ticking_no_acceptable_reply_counts_as_not_answered():
    result = grading.grade("acceptable-replies", OPTIONS, [])

    assert (result.points, result.answered) == (0.0, False)


def test_acceptable_replies_report_the_numbers_behind_the_formula():
    result = grading.grade("acceptable-replies", OPTIONS, [0, 1, 2])

    assert (result.right_picks, result.wrong_picks, result.expected) == (2, 1, 2)
    assert result.percent == 50


@pytest.mark.parametrize(
    ("order", "expected_points", "chain_length"),
    [
        ([0, 1, 2, 3, 4], 1.0, 5),
        ([4, 3, 2, 1, 0], 0.0, 1),  # reversed
        ([4, 0, 1, 2, 3], 0.75, 4),  # last step moved to the front costs one link only
        ([1, 0, 2, 3, 4], 0.75, 4),  # two neighbours swapped
        ([0, 2, 1, 4, 3], 0.5, 3),
    ],
)
def test_order_steps_score_the_longest_chain_kept_in_order(order, expected_points, chain_length):
    result = grading.grade("order-steps", STEPS, order)

    assert result.points == expected_points
    assert len(result.chain) == chain_length


def test_order_steps_refuse_an_answer_that_is_not_every_step_once():
    assert grading.grade("order-steps", STEPS, [0, 1, 2, 2, 4]).points == 0.0
    assert grading.grade("order-steps", STEPS, [0, 1, 2]).points == 0.0


def test_spot_violation_needs_exactly_the_violating_lines():
    assert grading.grade("spot-violation", TRANSCRIPT, [2, 3]).points == 1.0
    assert grading.grade("spot-violation", TRANSCRIPT, [2]).points == 0.0
    assert grading.grade("spot-violation", TRANSCRIPT, [1, 2, 3]).points == 0.0


def test_indices_out_of_range_are_ignored_not_crashing():
    assert grading.grade("best-reply", BEST, [99, 1]).points == 1.0


def test_quiz_score_is_the_mean_in_whole_percent_rounding_halves_up():
    assert grading.quiz_score([1, 0, 0.5, 1]) == 63  # 62.5 rounds up
    assert grading.quiz_score([1, 1, 0]) == 67
    assert grading.quiz_score([]) == 0


def test_longest_ordered_chain_finds_a_longest_increasing_run():
    assert grading.longest_ordered_chain([2, 0, 3, 1, 4]) in {(0, 1, 4), (2, 3, 4), (0, 3, 4)}
