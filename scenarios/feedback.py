"""A stored verdict as the learner reads it: highlighted reply and per-rule feedback.

Pure functions over ``Verdict.outcomes`` (``ruleengine.Verdict.to_dict()``); the template
escapes every piece of text, so a reply containing markup is shown as typed.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .models import pick_language

# Marks by rule status: words that broke a rule, words that satisfied one.
BAD, GOOD = "bad", "good"
_SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


@dataclass(frozen=True)
class Segment:
    text: str
    mark: str = ""  # "", BAD or GOOD


@dataclass(frozen=True)
class RuleFeedback:
    rule_id: str
    title: str
    passed: bool
    severity: str
    message: str
    citation: str
    words: tuple[str, ...]


def _spans(outcomes: Iterable[Mapping[str, Any]], text: str) -> Iterable[tuple[int, int, str]]:
    for outcome in outcomes:
        status = outcome.get("status")
        if status not in ("pass", "fail"):
            continue
        for start, end, _words in outcome.get("spans", ()):
            # Spans point into the text as graded; skip any that no longer fit it.
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                yield start, end, BAD if status == "fail" else GOOD


def highlight(text: str, outcomes: Iterable[Mapping[str, Any]]) -> list[Segment]:
    """The reply cut into plain and marked segments; a word that broke a rule wins over one
    that satisfied another."""
    marks = [""] * len(text)
    for start, end, mark in _spans(outcomes, text):
        for index in range(start, end):
            if marks[index] != BAD:
                marks[index] = mark
    segments: list[Segment] = []
    begin = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or marks[index] != marks[begin]:
            segments.append(Segment(text[begin:index], marks[begin]))
            begin = index
    return segments


def _citation(outcome: Mapping[str, Any]) -> str:
    citation = outcome.get("citation") or {}
    return f"{citation.get('document', '')} {citation.get('section', '')}".strip()


def rule_feedback(outcomes: Iterable[Mapping[str, Any]]) -> list[RuleFeedback]:
    """Applicable rules in the interface language: failures first (most severe first)."""
    items = [
        RuleFeedback(
            rule_id=str(outcome["rule_id"]),
            title=pick_language(outcome.get("title") or {}),
            passed=outcome["status"] == "pass",
            severity=str(outcome.get("severity", "")),
            message=pick_language(outcome.get("message") or {}),
            citation=_citation(outcome),
            words=tuple(str(span[2]) for span in outcome.get("spans", ())),
        )
        for outcome in outcomes
        if outcome.get("status") in ("pass", "fail")
    ]
    return sorted(items, key=lambda item: (item.passed, _SEVERITY_ORDER.get(item.severity, 3)))
