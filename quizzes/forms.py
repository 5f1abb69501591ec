"""Read the answers of an attempt page out of a POST (tokens only; services map them)."""

from django.http import QueryDict

RANK_PREFIX = "-rank-"


def answer_for_position(post: QueryDict, position: int) -> list[str] | None:
    """Tokens the page sent for one question, or None when the question was not on the form.

    Choices and transcript lines arrive as `q<position>` values. Steps arrive as
    `q<position>-rank-<token>` = rank; ties keep the order of the page, which the browser
    sends in document order.
    """
    name = f"q{position}"
    if f"{name}-shown" not in post:
        return None
    prefix = f"{name}{RANK_PREFIX}"
    ranked = [
        (_rank(post.get(field)), order, field.removeprefix(prefix))
        for order, field in enumerate(post.keys())
        if field.startswith(prefix)
    ]
    if ranked:
        return [token for _rank_value, _order, token in sorted(ranked)]
    return [token for token in post.getlist(name) if token]


def answers_from_post(post: QueryDict, question_count: int) -> dict[int, list[str]]:
    """Answers for every question present on the submitted page."""
    answers = {}
    for position in range(1, question_count + 1):
        tokens = answer_for_position(post, position)
        if tokens is not None:
            answers[position] = tokens
    return answers


def _rank(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 10_000  # an unreadable rank goes last rather than failing the save
