"""The engine's exceptions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["PackError", "PackIssue", "ReplyTooLong", "UnknownScenario"]


@dataclass(frozen=True)
class PackIssue:
    """One problem found while validating a rule pack.

    ``line`` is 1-based (0 when the problem is not tied to a line, e.g. a file that
    is not YAML at all); ``rule_id`` is empty outside rules.
    """

    file: str
    line: int
    rule_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        rule = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{where}{rule}: {self.message}"


class PackError(ValueError):
    """A rule pack failed validation; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[PackIssue]) -> None:
        self.errors: tuple[PackIssue, ...] = tuple(
            sorted(errors, key=lambda issue: (issue.file, issue.line, issue.rule_id))
        )
        count = len(self.errors)
        summary = "\n".join(f"  {issue}" for issue in self.errors)
        super().__init__(f"rule pack has {count} error{'s' * (count != 1)}:\n{summary}")


class ReplyTooLong(ValueError):
    """The reply is longer than the grader accepts (``max_chars``)."""

    def __init__(self, length: int, max_chars: int) -> None:
        self.length = length
        self.max_chars = max_chars
        super().__init__(
            f"reply has {length} characters; replies of at most {max_chars} are graded"
        )


class UnknownScenario(ValueError):
    """The scenario slug is not one this pack knows."""

    def __init__(self, scenario: str) -> None:
        self.scenario = scenario
        super().__init__(f"unknown scenario {scenario!r}")
