"""This app's section of the learner home page (see core/home.py)."""

from typing import Any

from .listing import home_summary


def section(user: Any) -> dict[str, Any] | None:
    summary = home_summary(user)
    if not summary.scenario_quizzes and not summary.to_take:
        return None
    return {"template": "quizzes/home_section.html", "summary": summary}
