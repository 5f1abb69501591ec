"""Grading one reply against a compiled pack."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Final

from .catalogue import LANGUAGES
from .checks import FAIL, NA, PASS, Context, Explanation, Hits, LazySpans
from .errors import ReplyTooLong, UnknownScenario
from .normalise import Normalised, normalise
from .verdict import RuleOutcome, Verdict

if TYPE_CHECKING:
    from .compiler import CompiledPack, Group, _CompiledRule

__all__ = ["DEFAULT_MAX_CHARS", "grade"]

DEFAULT_MAX_CHARS: Final = 2000

_STATUS_NAMES: Final = {PASS: "pass", FAIL: "fail", NA: "na"}
_NONE: Final[list[tuple[int, int]]] = []
# A Latin phrase must not run into a neighbouring letter or digit ("hell" ≠ "hello").
_WORD_CHAR: Final = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚÀ-ɏ]")


def grade(
    text: str,
    pack: CompiledPack,
    *,
    scenario: str,
    language: str,
    response_seconds: float | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Verdict:
    """Grade ``text`` as a reply to ``scenario`` in ``language`` (zh, ko or en).

    The rules that grade it are those of the scenario written for that language.
    score = 100 × passed weight ÷ applicable weight, rounded half up (100 when no
    rule applies); the reply passes when no critical or major rule failed and the
    score reaches the scenario's pass score. A reply that is empty after
    normalisation scores 0 and fails. ``response_seconds`` feeds ``response_time``
    checks (they are not applicable without it).

    Raises ``ReplyTooLong`` above ``max_chars`` characters and ``UnknownScenario``
    for a slug the pack does not know. Deterministic: the same text and pack always
    give an equal verdict.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if len(text) > max_chars:
        raise ReplyTooLong(len(text), max_chars)
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
    group = pack.group(scenario, language)
    if group is None:
        # A scenario with rules is known; only one without rules in this language
        # needs asking.
        if not pack.knows(scenario):
            raise UnknownScenario(scenario)
        pass_score = pack.pass_score(scenario)
        normalised = normalise(text)
        outcomes: tuple[RuleOutcome, ...] = ()
        score, blocked = 100, False
    else:
        pass_score = group.pass_score
        normalised = normalise(text)
        outcomes, score, blocked = _judge(pack, group, normalised, language, response_seconds)
    empty = not normalised.text
    if empty:
        score = 0
    return Verdict(
        passed=not empty and not blocked and score >= pass_score,
        score=score,
        scenario=scenario,
        language=language,
        pack_version=pack.version,
        outcomes=outcomes,
        pass_score=pass_score,
    )


def _judge(
    pack: CompiledPack,
    group: Group,
    normalised: Normalised,
    language: str,
    response_seconds: float | None,
) -> tuple[tuple[RuleOutcome, ...], int, bool]:
    """Outcomes, score and whether a critical/major rule failed."""
    hits = _group_hits(group, normalised)
    context = Context(normalised, hits, pack.lengths, language, response_seconds)
    # Only rules that read a phrase found in this reply, and the few that read the
    # whole text, can differ from their precomputed no-phrase outcome. The group's
    # automaton reports only its own phrases (and the plain forms of word-bounded
    # ones, which no rule reads directly).
    touched = list(group.dynamic_mask)
    readers_of = group.by_phrase
    found: Collection[object] = hits.found  # ids as the automaton gave them (Group.by_phrase)
    for phrase_id in found:
        readers = readers_of.get(phrase_id)
        if readers is not None:
            for index in readers:
                touched[index] = True
    outcomes = list(group.baseline)
    statuses = list(group.baseline_status)
    plan = group.plan
    changed = False
    for index in range(len(touched)):
        if not touched[index]:
            continue
        applies_if, check, templates = plan[index]
        why: Explanation
        if applies_if is not None and not context.present(applies_if):
            status, why = NA, _NONE
        else:
            status, why = check.evaluate(context)
        if status != statuses[index]:
            statuses[index] = status
            changed = True
        if why and status != NA:
            outcomes[index] = RuleOutcome(templates[status].judgement, LazySpans(context, why))
        else:
            outcomes[index] = templates[status]
    if not changed:
        return tuple(outcomes), group.baseline_score, group.baseline_blocked
    score, blocked = score_of(statuses, group.weights, group.blocking)
    return tuple(outcomes), score, blocked


def score_of(
    statuses: list[int], weights: tuple[float, ...], blocking: tuple[bool, ...]
) -> tuple[int, bool]:
    """Score (100 × passed weight ÷ applicable weight, rounded half up; 100 when no
    rule applies) and whether a blocking (critical or major) rule failed."""
    total = earned = 0.0
    blocked = False
    for index in range(len(statuses)):
        status = statuses[index]
        if status == PASS:
            total += weights[index]
            earned += weights[index]
        elif status == FAIL:
            total += weights[index]
            blocked = blocked or blocking[index]
    return (math.floor(100 * earned / total + 0.5) if total else 100), blocked


def _group_hits(group: Group, normalised: Normalised) -> Hits:
    """The group's phrase occurrences, word bounds applied to its Latin phrases."""
    text = normalised.text
    automaton = group.automaton
    if automaton is None or not text:
        return Hits([])
    hits = Hits(list(automaton.iter(text)))
    if group.word_bounded:
        _bound_words(hits, normalised, group.word_bounded, group.lengths)
    return hits


def find_phrases(pack: CompiledPack, normalised: Normalised, group: Group | None = None) -> Hits:
    """Every phrase occurrence in the reply, with word bounds applied to Latin phrases.

    With a ``group``, only that group's phrases (its own automaton); else the pack's.
    """
    if group is None:
        hits = pack.match(normalised.text)
    elif group.automaton is None or not normalised.text:
        hits = Hits([])
    else:
        hits = Hits(list(group.automaton.iter(normalised.text)))
    if pack.word_bounded:
        _bound_words(hits, normalised, pack.word_bounded, pack.lengths)
    return hits


def _bound_words(
    hits: Hits,
    normalised: Normalised,
    bounded: dict[int, tuple[tuple[int, bool, bool], ...]],
    lengths: list[int],
) -> None:
    """Add the word-bounded variants of the Latin phrases found that stand alone."""
    if not hits.found:
        return
    for plain_id in hits.found.intersection(bounded):
        size = lengths[plain_id]
        for variant_id, left, right in bounded[plain_id]:
            ends = [
                end
                for end in hits.ends(plain_id)
                if _stands_alone(normalised, end + 1 - size, end + 1, left, right)
            ]
            if ends:
                hits.add(variant_id, ends)


def _stands_alone(normalised: Normalised, start: int, end: int, left: bool, right: bool) -> bool:
    original = normalised.original
    begin, finish = normalised.to_original(start, end)
    if left and begin > 0 and _WORD_CHAR.match(original[begin - 1]):
        return False
    return not (right and finish < len(original) and _WORD_CHAR.match(original[finish]))


def _status(rule: _CompiledRule, context: Context) -> int:
    if rule.applies_if is not None and not context.present(rule.applies_if):
        return NA
    return rule.check.evaluate(context)[0]


def baseline_status(rule: _CompiledRule, language: str) -> int:
    """The status of a rule for a reply in which none of its phrases occurs."""
    context = Context(normalise(""), Hits([]), [], language, None)
    return _status(rule, context)


def evaluate_rule(pack: CompiledPack, rule: _CompiledRule, text: str) -> str:
    """pass / fail / na of one rule on one reply (used to check a rule's examples)."""
    normalised = normalise(text)
    context = Context(
        normalised, find_phrases(pack, normalised), pack.lengths, rule.rule.language, None
    )
    return _STATUS_NAMES[_status(rule, context)]
