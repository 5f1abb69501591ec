"""Quiz attempts: start, autosave, submit, close at the deadline, and results.

The server holds the clock and the key. An attempt's `layout` fixes the drawn questions and, per
question, the display order of its items under opaque tokens; pages and endpoints only ever see
those tokens, and answers are translated back to content indices here.
"""

import random
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from certificates.services import schedule_evaluation
from core.audit import record

from . import grading
from .content import parse_question, store_question
from .models import Attempt, AttemptStatus, Question, Quiz, Response

# A submit that left the browser just before the deadline may arrive a little after it.
GRACE_SECONDS = 10


class QuizError(Exception):
    """A learner's request that the rules of the quiz refuse (the message is for the learner)."""


class AttemptLimitReached(QuizError):
    pass


class EmptyPool(QuizError):
    """The quiz's pool holds no active question (its content was retired)."""


class AttemptClosed(QuizError):
    """The attempt is no longer open: answers can no longer change."""


class BestResult(NamedTuple):
    passed: bool
    score: int


# --- starting -------------------------------------------------------------------------------


def finished_attempt_count(*, user: Any, quiz: Quiz) -> int:
    return Attempt.objects.filter(user=user, quiz=quiz).finished().count()


def attempts_left(*, user: Any, quiz: Quiz) -> int | None:
    """How many more attempts the learner may start; None when unlimited."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - finished_attempt_count(user=user, quiz=quiz))


def open_attempt_for(*, user: Any, quiz: Quiz) -> Attempt | None:
    attempt = Attempt.objects.filter(user=user, quiz=quiz, status=AttemptStatus.OPEN).first()
    if attempt is not None and close_if_overdue(attempt=attempt):
        return None
    return attempt


def _token() -> str:
    return secrets.token_urlsafe(6)


def _shuffled(indices: list[int], rng: random.Random, *, avoid_identity: bool) -> list[int]:
    order = indices[:]
    rng.shuffle(order)
    # Steps shown already in the right order would give the answer away.
    while avoid_identity and len(order) > 1 and order == indices:
        rng.shuffle(order)
    return order


def _fresh_token(used: set[str]) -> str:
    token = _token()
    while token in used:
        token = _token()
    used.add(token)
    return token


def build_layout(questions: Iterable[Question], rng: random.Random) -> list[dict[str, Any]]:
    layout = []
    used: set[str] = set()
    for question in questions:
        indices = list(range(len(question.items)))
        if question.type != grading.SPOT_VIOLATION:  # a transcript keeps its order
            indices = _shuffled(indices, rng, avoid_identity=question.type == grading.ORDER_STEPS)
        items = [[_fresh_token(used), index] for index in indices]
        layout.append({"question": question.pk, "items": items})
    return layout


def draw_questions(quiz: Quiz, rng: random.Random) -> list[Question]:
    pool = list(quiz.pool().order_by("pk"))
    count = min(quiz.draw or len(pool), len(pool))
    return rng.sample(pool, count)


def start_attempt(*, user: Any, quiz: Quiz, rng: random.Random | None = None) -> Attempt:
    """Resume the learner's open attempt at this quiz, or start a new one within the limit."""
    existing = open_attempt_for(user=user, quiz=quiz)
    if existing is not None:
        return existing
    left = attempts_left(user=user, quiz=quiz)
    if left == 0:
        raise AttemptLimitReached
    rng = rng or random.SystemRandom()
    questions = draw_questions(quiz, rng)
    if not questions:
        raise EmptyPool
    now = timezone.now()
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                user=user,
                quiz=quiz,
                number=finished_attempt_count(user=user, quiz=quiz) + 1,
                started_at=now,
                deadline=now + timedelta(seconds=quiz.time_limit_seconds)
                if quiz.time_limit_seconds
                else None,
                layout=build_layout(questions, rng),
            )
    except IntegrityError:
        # A second tab or a double click started one at the same moment: resume that one.
        return Attempt.objects.get(user=user, quiz=quiz, status=AttemptStatus.OPEN)


# --- the page's view of an attempt (tokens only) ----------------------------------------------


@dataclass(frozen=True)
class ShownItem:
    token: str
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class ShownQuestion:
    """What the attempt page may know about a question: no key, no explanation, no source."""

    position: int
    type: str
    prompt: str
    items: list[ShownItem]
    chosen: list[str]  # tokens of the saved answer, in the saved order
    answered: bool

    @property
    def field_name(self) -> str:
        return f"q{self.position}"

    @property
    def ordered_items(self) -> list[ShownItem]:
        """For order-steps: the saved order if there is one, else the shuffled one."""
        if not self.chosen:
            return self.items
        by_token = {item.token: item for item in self.items}
        return [by_token[token] for token in self.chosen if token in by_token]


def _questions_by_pk(attempt: Attempt) -> dict[int, Question]:
    pks = [slot["question"] for slot in attempt.layout]
    return Question.objects.in_bulk(pks)


def _responses_by_question(attempt: Attempt) -> dict[int, Response]:
    return {response.question_id: response for response in attempt.responses.all()}


def shown_questions(attempt: Attempt) -> list[ShownQuestion]:
    questions = _questions_by_pk(attempt)
    responses = _responses_by_question(attempt)
    shown = []
    for position, slot in enumerate(attempt.layout, start=1):
        question = questions[slot["question"]]
        token_of = {index: token for token, index in slot["items"]}
        response = responses.get(question.pk)
        items = [
            ShownItem(
                token=token,
                text=question.items[index]["text"],
                speaker=question.items[index].get("speaker", ""),
            )
            for token, index in slot["items"]
        ]
        chosen = [token_of[i] for i in response.answer if i in token_of] if response else []
        shown.append(
            ShownQuestion(
                position=position,
                type=question.type,
                prompt=question.prompt,
                items=items,
                chosen=chosen,
                answered=bool(response and response.answer),
            )
        )
    return shown


# --- saving and submitting ---------------------------------------------------------------------


def _slot(attempt: Attempt, position: int) -> dict[str, Any]:
    if not 1 <= position <= len(attempt.layout):
        raise QuizError("No such question in this attempt.")
    return attempt.layout[position - 1]


def answer_from_tokens(slot: Mapping[str, Any], question_type: str, tokens: list[str]) -> list[int]:
    """Translate the tokens a page sent into content indices; unknown tokens are dropped."""
    index_of = {token: index for token, index in slot["items"]}
    indices = [index_of[token] for token in tokens if token in index_of]
    indices = list(dict.fromkeys(indices))  # a token sent twice counts once
    if question_type == grading.BEST_REPLY:
        return indices[:1]
    return indices


def is_past_deadline(attempt: Attempt, now: Any, *, grace: int = GRACE_SECONDS) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + timedelta(seconds=grace)


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def _is_untouched_order(slot: Mapping[str, Any], question_type: str, answer: list[int]) -> bool:
    """Steps still in the shuffled order they were shown in: the learner has not answered.

    The shown order is never the right one, so this takes away no earned credit; it stops a
    list nobody touched from collecting partial points.
    """
    return question_type == grading.ORDER_STEPS and answer == [i for _, i in slot["items"]]


def _store_answers(attempt: Attempt, answers: Mapping[int, list[str]], now: Any) -> None:
    saved = set(attempt.responses.values_list("question_id", flat=True))
    for position, tokens in answers.items():
        slot = _slot(attempt, position)
        question = Question.objects.get(pk=slot["question"])
        answer = answer_from_tokens(slot, question.type, tokens)
        if question.pk not in saved and _is_untouched_order(slot, question.type, answer):
            continue
        Response.objects.update_or_create(
            attempt=attempt,
            question=question,
            defaults={"answer": answer, "saved_at": now},
        )


def save_answers(*, attempt: Attempt, answers: Mapping[int, list[str]]) -> Attempt:
    """Autosave answers (question position -> tokens) while the attempt is open and in time.

    Past the deadline the attempt is closed with what was saved before, and AttemptClosed is
    raised so the page can move on to the result.
    """
    now = timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if attempt.is_open and is_past_deadline(attempt, now):
            _finalise(attempt, status=AttemptStatus.EXPIRED, at=attempt.deadline)
        elif attempt.is_open:
            _store_answers(attempt, answers, now)
    # Raised outside the transaction, so closing the attempt is kept.
    if not attempt.is_open:
        raise AttemptClosed
    return attempt


def submit_attempt(*, attempt: Attempt, answers: Mapping[int, list[str]]) -> Attempt:
    """Save the last answers and grade the attempt. Idempotent: a second submit changes nothing.

    A submit arriving after the deadline (and its grace) is not taken: the attempt is closed
    with the answers saved before the deadline.
    """
    now = timezone.now()
    with transaction.atomic():
        attempt = _locked(attempt)
        if not attempt.is_open:
            return attempt
        if is_past_deadline(attempt, now):
            _finalise(attempt, status=AttemptStatus.EXPIRED, at=attempt.deadline)
            return attempt
        _store_answers(attempt, answers, now)
        _finalise(attempt, status=AttemptStatus.SUBMITTED, at=now)
    return attempt


def _finalise(attempt: Attempt, *, status: str, at: Any) -> None:
    """Grade every drawn question on what was saved (unanswered scores 0) and close."""
    questions = _questions_by_pk(attempt)
    responses = _responses_by_question(attempt)
    points = []
    for slot in attempt.layout:
        question = questions[slot["question"]]
        response = responses.get(question.pk)
        result = grading.grade(question.type, question.items, response.answer if response else None)
        points.append(result.points)
        if response is not None:
            response.points, response.final = result.points, True
            response.save(update_fields=["points", "final"])
    attempt.score = grading.quiz_score(points)
    attempt.passed = attempt.score >= attempt.quiz.pass_mark
    attempt.status = status
    attempt.submitted_at = at
    attempt.save(update_fields=["score", "passed", "status", "submitted_at"])
    record(attempt.user, f"quiz.attempt.{status}", attempt, score=attempt.score)
    # A finished attempt may complete a certification track.
    schedule_evaluation(user_id=attempt.user_id)


def close_if_overdue(*, attempt: Attempt) -> bool:
    """Close an open attempt whose time is up; True if it was (or already is) closed."""
    if not attempt.is_open:
        return True
    if not is_past_deadline(attempt, timezone.now()):
        return False
    with transaction.atomic():
        locked = _locked(attempt)
        if locked.is_open:
            _finalise(locked, status=AttemptStatus.EXPIRED, at=locked.deadline)
    attempt.refresh_from_db()
    return True


def close_expired_attempts() -> int:
    """Close every open attempt past its deadline with the answers saved in time (the sweeper)."""
    closed = 0
    overdue = Attempt.objects.overdue(timezone.now(), GRACE_SECONDS).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=pk)
            if attempt.is_open:
                _finalise(attempt, status=AttemptStatus.EXPIRED, at=attempt.deadline)
                closed += 1
    return closed


# --- results ---------------------------------------------------------------------------------


def best_result(user: Any, quiz: Quiz) -> BestResult | None:
    """The learner's best finished attempt: a pass beats a fail, then the higher score wins."""
    best = (
        Attempt.objects.filter(user=user, quiz=quiz)
        .finished()
        .order_by("-passed", "-score", "submitted_at")
        .values_list("passed", "score")
        .first()
    )
    if best is None:
        return None
    return BestResult(passed=bool(best[0]), score=best[1] or 0)


def best_results(user: Any) -> dict[int, BestResult]:
    """Best result per quiz id for one learner, in two queries (for lists and the home page)."""
    rows = (
        Attempt.objects.filter(user=user)
        .finished()
        .values("quiz_id")
        .annotate(best=Max("score"), passes=Count("pk", filter=Q(passed=True)))
    )
    return {
        row["quiz_id"]: BestResult(passed=row["passes"] > 0, score=row["best"] or 0) for row in rows
    }


def may_review(attempt: Attempt) -> bool:
    """Whether the result page may show the right answers and explanations for this attempt."""
    policy = attempt.quiz.review
    if attempt.is_open or policy == "never":
        return False
    if policy == "after-pass":
        return Attempt.objects.filter(user=attempt.user, quiz=attempt.quiz, passed=True).exists()
    return True


# --- authoring (the trainers' question editor) -------------------------------------------------

AUTHORED_SOURCE = "studio"


def author_question(
    *, raw: Mapping[str, Any], scenario: Any, language: str, actor: Any = None
) -> tuple[Question, str]:
    """Store a question written in the question editor, checked by the content-file rules.

    ``raw`` has the shape of one question in content/quizzes/questions/ (key, type, prompt,
    options/steps/transcript, lesson, source). A new key creates version 1; a changed question
    becomes a new version and the old one is retired (attempts keep pointing at what their
    learner saw); an unchanged one is left alone. Returns the active version and what happened
    ("created", "versioned", "reactivated" or ""). Raises ContentError with what is wrong.
    """
    latest = Question.objects.filter(key=raw.get("key")).order_by("-version").first()
    position = latest.position if latest else _next_position(scenario, language)
    with transaction.atomic():
        bank = parse_question(
            dict(raw),
            scenario=scenario.slug,
            language=language,
            path=Path(AUTHORED_SOURCE),
            position=position,
        )
        outcome = store_question(bank, scenario)
        question = Question.objects.get(key=bank.key, active=True)
        if outcome:
            record(actor, f"quiz.question.{outcome}", question, version=question.version)
    return question, outcome


def _next_position(scenario: Any, language: str) -> int:
    last = Question.objects.filter(scenario=scenario, language=language).aggregate(
        last=Max("position")
    )["last"]
    return 0 if last is None else last + 1


def free_question_key(*, scenario: Any, language: str) -> str:
    """A key no question has used yet, e.g. "zh-customer-cursing-studio-3"."""
    base = f"{language}-{scenario.slug}-{AUTHORED_SOURCE}"
    number = Question.objects.filter(key__startswith=f"{base}-").count() + 1
    while Question.objects.filter(key=f"{base}-{number}").exists():
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def retire_question(*, question: Question, actor: Any = None) -> None:
    """Take a question out of every quiz pool (its versions stay for past attempts)."""
    Question.objects.filter(key=question.key, active=True).update(active=False)
    record(actor, "quiz.question.retired", question)
