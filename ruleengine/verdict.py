"""Verdicts: the frozen, JSON-ready result of grading one reply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from .catalogue import LANGUAGES, SEVERITIES, Language, Severity, Status

__all__ = [
    "Citation",
    "Judgement",
    "Localised",
    "RuleOutcome",
    "Span",
    "SpanSource",
    "Verdict",
]

_STATUSES: tuple[Status, ...] = ("pass", "fail", "na")


@dataclass(frozen=True, slots=True, init=False)
class Span:
    """A highlighted range of the ORIGINAL reply: ``text == reply[start:end]``."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        # Written out (see Verdict.__init__): spans are made for every highlight.
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)

    def to_list(self) -> list[int | str]:
        return [self.start, self.end, self.text]


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: a seed document number and its own section label."""

    document: str
    section: str

    def __str__(self) -> str:
        return f"{self.document} {self.section}".strip()


@dataclass(frozen=True, slots=True)
class Localised:
    """The same text in the three interface languages."""

    zh: str
    ko: str
    en: str

    def get(self, language: str) -> str:
        """The text in ``language`` (zh, ko or en); English for anything else."""
        if language == "zh":
            return self.zh
        if language == "ko":
            return self.ko
        return self.en

    def __getitem__(self, language: str) -> str:
        if language not in LANGUAGES:
            raise KeyError(language)
        return self.get(language)

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "ko": self.ko, "en": self.en}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Localised:
        return cls(zh=str(data["zh"]), ko=str(data["ko"]), en=str(data["en"]))


@dataclass(frozen=True, slots=True)
class Judgement:
    """What one rule decided, without the highlights: shared by every reply it fits.

    ``message`` is the rule's feedback for ``status``.
    """

    rule_id: str
    title: Localised
    status: Status
    severity: Severity
    weight: int | float  # as written: a whole number stays an int (JSON shows 1, not 1.0)
    message: Localised
    citation: Citation | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "title": self.title.to_dict(),
            "status": self.status,
            "severity": self.severity,
            "weight": self.weight,
            "message": self.message.to_dict(),
            "citation": (
                None
                if self.citation is None
                else {"document": self.citation.document, "section": self.citation.section}
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Judgement:
        status = data["status"]
        severity = data["severity"]
        if status not in _STATUSES:
            raise ValueError(f"unknown status {status!r}")
        if severity not in SEVERITIES:
            raise ValueError(f"unknown severity {severity!r}")
        citation = data.get("citation")
        return cls(
            rule_id=str(data["rule_id"]),
            title=Localised.from_dict(data["title"]),
            status=cast(Status, status),
            severity=cast(Severity, severity),
            weight=_number(data["weight"]),
            message=Localised.from_dict(data["message"]),
            citation=(
                None
                if citation is None
                else Citation(str(citation["document"]), str(citation["section"]))
            ),
        )


class SpanSource(Protocol):
    """Something that can work out an outcome's spans when they are first read."""

    def resolve(self) -> tuple[Span, ...]: ...


@dataclass(frozen=True, slots=True, init=False, eq=False, repr=False)
class RuleOutcome:
    """How one rule judged the reply: its ``judgement`` and the ``spans`` behind it.

    The judgement's fields read straight off the outcome: ``rule_id``, ``title``,
    ``status`` (``pass``, ``fail`` or ``na`` — not applicable, not counted in the
    score), ``severity``, ``weight``, ``message`` (the feedback for that status) and
    ``citation``. ``spans`` point at the words that decided it: the offending words
    of a failed ``forbids``, the words that satisfied a passed ``requires_*``.

    The grader hands over spans as a ``SpanSource``: mapping matches back to the
    original text is the costly part of an explanation, so it happens on the first
    read of ``spans`` (``to_dict`` reads them). The outcome is immutable either way:
    equality, hashing and ``repr`` all use the resolved spans.
    """

    judgement: Judgement
    _spans: tuple[Span, ...] | SpanSource

    def __init__(self, judgement: Judgement, spans: tuple[Span, ...] | SpanSource = ()) -> None:
        object.__setattr__(self, "judgement", judgement)
        object.__setattr__(self, "_spans", spans)

    @property
    def spans(self) -> tuple[Span, ...]:
        spans = self._spans
        if not isinstance(spans, tuple):
            spans = spans.resolve()
            object.__setattr__(self, "_spans", spans)
        return spans

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RuleOutcome):
            return NotImplemented
        return self.judgement == other.judgement and self.spans == other.spans

    def __hash__(self) -> int:
        return hash((self.judgement, self.spans))

    def __repr__(self) -> str:
        return f"RuleOutcome(judgement={self.judgement!r}, spans={self.spans!r})"

    @property
    def rule_id(self) -> str:
        return self.judgement.rule_id

    @property
    def title(self) -> Localised:
        return self.judgement.title

    @property
    def status(self) -> Status:
        return self.judgement.status

    @property
    def severity(self) -> Severity:
        return self.judgement.severity

    @property
    def weight(self) -> int | float:
        return self.judgement.weight

    @property
    def message(self) -> Localised:
        return self.judgement.message

    @property
    def citation(self) -> Citation | None:
        return self.judgement.citation

    @property
    def passed(self) -> bool:
        return self.judgement.status == "pass"

    @property
    def failed(self) -> bool:
        return self.judgement.status == "fail"

    def to_dict(self) -> dict[str, Any]:
        data = self.judgement.to_dict()
        data["spans"] = [span.to_list() for span in self.spans]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleOutcome:
        spans = tuple(Span(int(start), int(end), str(text)) for start, end, text in data["spans"])
        return cls(Judgement.from_dict(data), spans)


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


@dataclass(frozen=True, slots=True, init=False)
class Verdict:
    """The grade of one reply to one scenario.

    ``passed`` is False when an applicable critical or major rule failed or the score
    is below ``pass_score``. ``outcomes`` lists every rule of the scenario and
    language, in pack order, including the not-applicable ones (status ``na``).
    """

    passed: bool
    score: int
    scenario: str
    language: Language
    pack_version: str
    outcomes: tuple[RuleOutcome, ...]
    pass_score: int = 60

    def __init__(
        self,
        passed: bool,
        score: int,
        scenario: str,
        language: Language,
        pack_version: str,
        outcomes: tuple[RuleOutcome, ...],
        pass_score: int = 60,
    ) -> None:
        # The generated __init__ of a frozen dataclass, written out: compiled, each
        # field is then set directly instead of through a keyword-argument call.
        object.__setattr__(self, "passed", passed)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "scenario", scenario)
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "pack_version", pack_version)
        object.__setattr__(self, "outcomes", outcomes)
        object.__setattr__(self, "pass_score", pass_score)

    @property
    def failures(self) -> tuple[RuleOutcome, ...]:
        """Applicable rules that failed, in pack order."""
        return tuple(outcome for outcome in self.outcomes if outcome.status == "fail")

    @property
    def deciding_failures(self) -> tuple[RuleOutcome, ...]:
        """The failures that made the reply fail (empty when it passed).

        Failed critical and major rules decide on their own; when none failed, the
        reply failed on its score and every failed (minor) rule shares the blame.
        """
        if self.passed:
            return ()
        failures = self.failures
        blocking = tuple(outcome for outcome in failures if outcome.severity != "minor")
        return blocking or failures

    def outcome(self, rule_id: str) -> RuleOutcome:
        """The outcome of one rule; KeyError when the rule did not grade this reply."""
        for outcome in self.outcomes:
            if outcome.rule_id == rule_id:
                return outcome
        raise KeyError(rule_id)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``Verdict.from_dict`` gives back an equal verdict."""
        return {
            "passed": self.passed,
            "score": self.score,
            "pass_score": self.pass_score,
            "scenario": self.scenario,
            "language": self.language,
            "pack_version": self.pack_version,
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a verdict stored with ``to_dict`` (e.g. from a JSON column)."""
        language = data["language"]
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        return cls(
            passed=bool(data["passed"]),
            score=int(data["score"]),
            scenario=str(data["scenario"]),
            language=cast(Language, language),
            pack_version=str(data["pack_version"]),
            outcomes=tuple(RuleOutcome.from_dict(item) for item in data["outcomes"]),
            pass_score=int(data.get("pass_score", 60)),
        )
