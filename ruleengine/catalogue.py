"""Fixed vocabularies of the rule-pack format."""

from __future__ import annotations

from typing import Final, Literal

__all__ = ["LANGUAGES", "SCENARIO_SLUGS", "SEVERITIES", "Language", "Severity", "Status"]

Language = Literal["zh", "ko", "en"]
Severity = Literal["critical", "major", "minor"]
Status = Literal["pass", "fail", "na"]

LANGUAGES: Final[tuple[Language, ...]] = ("zh", "ko", "en")
SEVERITIES: Final[tuple[Severity, ...]] = ("critical", "major", "minor")

# The stable scenario slugs of the catalogue (SCENARIOS.md). A rule naming any other
# slug is a validation error unless compile_pack is told otherwise.
SCENARIO_SLUGS: Final[frozenset[str]] = frozenset(
    {
        "opening-greeting",
        "customer-cursing",
        "asks-for-manager",
        "long-wait-complaint",
        "service-error-complaint",
        "cannot-answer-now",
        "privacy-request",
        "silent-line",
        "cannot-hear-clearly",
        "colleague-absent",
        "transfer-call",
        "hold-request",
        "beyond-authority",
        "harassment-call",
        "customer-suggestion",
        "wrong-number",
        "closing-call",
    }
)
