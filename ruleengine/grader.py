"""Grading one reply against a compiled pack."""

from __future__ import annotations

import math
import re
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
    if not pack.knows(scenario):
        raise UnknownScenario(scenario)
    pass_score = pack.pass_score(scenario)
    normalised = normalise(text)
    group = pack.group(scenario, language)
    if group is None:
        outcomes: tuple[RuleOutcome, ...] = ()
        score, blocked = 100, False
    else:
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
    hits = find_phrases(pack, normalised, group)
    context = Context(normalised, hits, pack.lengths, language, response_seconds)
    # Only rules that read a phrase found in this reply, and the few that read the
    # whole text, can differ from their precomputed no-phrase outcome. The group's
    # automaton reports only its own phrases (and the plain forms of word-bounded
    # ones, which no rule reads directly).
    touched = set(group.dynamic)
    by_phrase = group.by_phrase
    for phrase_id in hits.found:
        readers = by_phrase.get(phrase_id)
        if readers is not None:
            touched.update(readers)
    outcomes = list(group.baseline)
    statuses = list(group.baseline_status)
    plan = group.plan
    present = context.present
    for index in touched:
        applies_if, evaluate, templates = plan[index]
        why: Explanation
        if applies_if is not None and not present(applies_if):
            status, why = NA, _NONE
        else:
            status, why = evaluate(context)
        statuses[index] = status
        if why and status != NA:
            outcomes[index] = RuleOutcome(templates[status].judgement, LazySpans(context, why))
        else:
            outcomes[index] = templates[status]
    total = earned = 0.0
    blocked = False
    for status, weight, blocking in zip(statuses, group.weights, group.blocking, strict=True):
        if status == PASS:
            total += weight
            earned += weight
        elif status == FAIL:
            total += weight
            blocked = blocked or blocking
    score = math.floor(100 * earned / total + 0.5) if total else 100
    return tuple(outcomes), score, blocked


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
    bounded = pack.word_bounded
    if bounded and hits.found:
        for plain_id in hits.found.intersection(bounded):
            size = pack.lengths[plain_id]
            for variant_id, left, right in bounded[plain_id]:
                ends = [
                    end
                    for end in hits.ends(plain_id)
                    if _stands_alone(normalised, end + 1 - size, end + 1, left, right)
                ]
                if ends:
                    hits.add(variant_id, ends)
    return hits


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
