"""Model values → rule-engine inputs (kept here so views, services and commands agree)."""

from typing import Any, TypedDict

import ruleengine

from .models import Reply

# The engine speaks zh / ko / en; the interface speaks zh-hans / ko / en.
ENGINE_LANGUAGES: tuple[str, ...] = ruleengine.LANGUAGES


class GradingArguments(TypedDict):
    scenario: str
    language: str
    response_seconds: float | None


def engine_language(ui_language: str | None) -> str:
    """The reply language that goes with an interface language (zh-hans → zh)."""
    code = (ui_language or "zh").lower()
    if code.startswith("zh"):
        return "zh"
    return code[:2] if code[:2] in ENGINE_LANGUAGES else "zh"


def grading_arguments(reply: Reply) -> GradingArguments:
    """The keyword arguments of ``ruleengine.grade`` for a saved reply."""
    return {
        "scenario": reply.scenario.slug,
        "language": reply.language,
        "response_seconds": reply.response_seconds,
    }


def verdict_fields(verdict: ruleengine.Verdict) -> dict[str, Any]:
    """The columns of a Verdict row for an engine verdict."""
    return {"passed": verdict.passed, "score": verdict.score, "outcomes": verdict.to_dict()}
