"""The importer's output: a frozen tree a trainer reviews before it becomes a module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SECTION_SEPARATOR = " › "


@dataclass(frozen=True)
class RuleSource:
    document: str
    section: str

    def to_json(self) -> dict[str, str]:
        return {"document": self.document, "section": self.section}


@dataclass(frozen=True)
class CandidateRule:
    """A draft rule for a trainer to review: a phrase the document says must not be said.

    `quoted` tells a phrase quoted in the document (ready to match) from a prohibition
    sentence (to be turned into phrases by hand); `evidence` is the sentence it came from.
    """

    phrase: str
    source: RuleSource
    kind: str = "forbid"
    quoted: bool = True
    evidence: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "phrase": self.phrase, "source": self.source.to_json()}


@dataclass(frozen=True)
class ImportedSection:
    title: str
    path: str
    level: int
    phrases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "path": self.path,
            "level": self.level,
            "phrases": list(self.phrases),
        }


@dataclass(frozen=True)
class ImportedLesson:
    title: str
    body_markdown: str
    phrases: tuple[str, ...] = ()
    sections: tuple[ImportedSection, ...] = ()
    source_path: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "body_markdown": self.body_markdown,
            "phrases": list(self.phrases),
            "sections": [section.to_json() for section in self.sections],
            "source_path": self.source_path,
        }


@dataclass(frozen=True)
class DroppedCounts:
    boilerplate_lines: int = 0
    duplicate_sections: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "boilerplate_lines": self.boilerplate_lines,
            "duplicate_sections": self.duplicate_sections,
        }


@dataclass(frozen=True)
class ImportedDocument:
    title: str
    language: str
    lessons: tuple[ImportedLesson, ...]
    candidate_rules: tuple[CandidateRule, ...] = ()
    dropped: DroppedCounts = DroppedCounts()
    source_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "language": self.language,
            "lessons": [lesson.to_json() for lesson in self.lessons],
            "candidate_rules": [rule.to_json() for rule in self.candidate_rules],
            "dropped": self.dropped.to_json(),
        }
