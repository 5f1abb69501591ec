"""Calibration: compare the engine's verdicts with replies a trainer has labelled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .compiler import CompiledPack
from .errors import ReplyTooLong, UnknownScenario
from .grader import DEFAULT_MAX_CHARS, grade
from .verdict import RuleOutcome

__all__ = ["CalibrationReport", "Disagreement", "RowError", "RuleShare", "calibrate"]

_TRUE = frozenset({"true", "yes", "y", "1", "pass", "ok", "acceptable", "是", "예"})
_FALSE = frozenset({"false", "no", "n", "0", "fail", "unacceptable", "否", "아니오"})


@dataclass(frozen=True)
class Disagreement:
    """A labelled reply the engine judged differently from the trainer."""

    index: int
    kind: Literal["false_accept", "false_reject"]
    scenario: str
    language: str
    text: str
    acceptable: bool
    score: int
    outcomes: tuple[RuleOutcome, ...]

    @property
    def failures(self) -> tuple[RuleOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status == "fail")

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "scenario": self.scenario,
            "language": self.language,
            "text": self.text,
            "acceptable": self.acceptable,
            "score": self.score,
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }


@dataclass(frozen=True)
class RuleShare:
    """How much one rule weighed in the engine's rejections.

    ``decided`` counts the rejections in which the rule was a deciding failure
    (see ``Verdict.deciding_failures``); ``share`` is that count over all
    rejections; ``false_rejects`` counts the deciding failures on replies the
    trainer found acceptable — the first place to look when calibrating.
    """

    rule_id: str
    applicable: int
    failed: int
    decided: int
    share: float
    false_rejects: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "applicable": self.applicable,
            "failed": self.failed,
            "decided": self.decided,
            "share": self.share,
            "false_rejects": self.false_rejects,
        }


@dataclass(frozen=True)
class RowError:
    """A row that could not be graded (missing field, unknown scenario, too long)."""

    index: int
    message: str


@dataclass(frozen=True)
class CalibrationReport:
    """Agreement between the engine and labelled replies.

    ``accuracy`` is agreed ÷ graded rows (1.0 when there are none). A false accept
    is a reply the engine passed but the trainer rejected; a false reject the
    opposite.
    """

    pack_version: str
    graded: int
    agreed: int
    accuracy: float
    rejections: int
    false_accepts: tuple[Disagreement, ...]
    false_rejects: tuple[Disagreement, ...]
    rule_shares: tuple[RuleShare, ...]
    errors: tuple[RowError, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack_version": self.pack_version,
            "graded": self.graded,
            "agreed": self.agreed,
            "accuracy": self.accuracy,
            "rejections": self.rejections,
            "false_accepts": [item.to_dict() for item in self.false_accepts],
            "false_rejects": [item.to_dict() for item in self.false_rejects],
            "rule_shares": [item.to_dict() for item in self.rule_shares],
            "errors": [{"index": item.index, "message": item.message} for item in self.errors],
        }


def _label(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


class _Tally:
    def __init__(self) -> None:
        self.applicable: dict[str, int] = {}
        self.failed: dict[str, int] = {}
        self.decided: dict[str, int] = {}
        self.false_rejects: dict[str, int] = {}

    def add(
        self, outcomes: Iterable[RuleOutcome], deciding: Iterable[RuleOutcome], false_reject: bool
    ) -> None:
        for outcome in outcomes:
            self.applicable.setdefault(outcome.rule_id, 0)
            self.failed.setdefault(outcome.rule_id, 0)
            if outcome.status != "na":
                self.applicable[outcome.rule_id] += 1
            if outcome.status == "fail":
                self.failed[outcome.rule_id] += 1
        for outcome in deciding:
            self.decided[outcome.rule_id] = self.decided.get(outcome.rule_id, 0) + 1
            if false_reject:
                self.false_rejects[outcome.rule_id] = self.false_rejects.get(outcome.rule_id, 0) + 1

    def shares(self, rejections: int) -> tuple[RuleShare, ...]:
        shares = [
            RuleShare(
                rule_id=rule_id,
                applicable=self.applicable[rule_id],
                failed=self.failed[rule_id],
                decided=self.decided.get(rule_id, 0),
                share=round(self.decided.get(rule_id, 0) / rejections, 4) if rejections else 0.0,
                false_rejects=self.false_rejects.get(rule_id, 0),
            )
            for rule_id in self.applicable
        ]
        return tuple(sorted(shares, key=lambda item: (-item.decided, -item.failed, item.rule_id)))


def calibrate(
    rows: Iterable[Mapping[str, Any]],
    pack: CompiledPack,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> CalibrationReport:
    """Grade labelled replies and report where the engine and the trainer disagree.

    Each row is a mapping with ``scenario``, ``text``, ``acceptable`` (bool, or
    yes/no, true/false, 1/0) and optionally ``language`` (default zh) and
    ``response_seconds``. Rows that cannot be graded are listed in ``errors`` and
    left out of the accuracy.
    """
    tally = _Tally()
    false_accepts: list[Disagreement] = []
    false_rejects: list[Disagreement] = []
    errors: list[RowError] = []
    graded = agreed = rejections = 0
    for index, row in enumerate(rows):
        text = row.get("text")
        scenario = row.get("scenario")
        language = row.get("language") or "zh"
        acceptable = _label(row.get("acceptable"))
        if not isinstance(text, str) or not isinstance(scenario, str) or acceptable is None:
            errors.append(RowError(index, "a row needs scenario, text and acceptable (yes/no)"))
            continue
        try:
            verdict = grade(
                text,
                pack,
                scenario=scenario,
                language=str(language),
                response_seconds=row.get("response_seconds"),
                max_chars=max_chars,
            )
        except (ReplyTooLong, UnknownScenario, ValueError, TypeError) as error:
            errors.append(RowError(index, str(error)))
            continue
        graded += 1
        if not verdict.passed:
            rejections += 1
        false_reject = acceptable and not verdict.passed
        tally.add(verdict.outcomes, verdict.deciding_failures, false_reject)
        if verdict.passed == acceptable:
            agreed += 1
            continue
        disagreement = Disagreement(
            index=index,
            kind="false_reject" if false_reject else "false_accept",
            scenario=scenario,
            language=verdict.language,
            text=text,
            acceptable=acceptable,
            score=verdict.score,
            outcomes=verdict.outcomes,
        )
        (false_rejects if false_reject else false_accepts).append(disagreement)
    return CalibrationReport(
        pack_version=pack.version,
        graded=graded,
        agreed=agreed,
        accuracy=round(agreed / graded, 4) if graded else 1.0,
        rejections=rejections,
        false_accepts=tuple(false_accepts),
        false_rejects=tuple(false_rejects),
        rule_shares=tally.shares(rejections),
        errors=tuple(errors),
    )
