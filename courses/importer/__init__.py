"""Document importer: etiquette documents (.txt, .md, .docx, .html) to draft modules.

Pure Python (no Django): `parse_document(data, filename)` returns a frozen
ImportedDocument — lessons with Markdown bodies and their stock phrases, candidate
forbid rules with their provenance, and what was dropped as boilerplate or duplicate.
"""

from .errors import DocumentError
from .model import (
    CandidateRule,
    DroppedCounts,
    ImportedDocument,
    ImportedLesson,
    ImportedSection,
    RuleSource,
)
from .pipeline import parse_document, read_path

__all__ = [
    "CandidateRule",
    "DocumentError",
    "DroppedCounts",
    "ImportedDocument",
    "ImportedLesson",
    "ImportedSection",
    "RuleSource",
    "parse_document",
    "read_path",
]
