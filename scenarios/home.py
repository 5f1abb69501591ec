"""This app's section of the learner home page (see core/home.py)."""

from typing import Any

from .models import Reply, Scenario


def section(user: Any) -> dict[str, Any] | None:
    scenarios = list(Scenario.objects.all())
    if not scenarios:
        return None
    graded = Reply.objects.of(user).filter(status=Reply.Status.GRADED)
    practised = set(graded.values_list("scenario_id", flat=True).distinct())
    passed = set(graded.filter(verdict__passed=True).values_list("scenario_id", flat=True))
    upcoming = [scenario for scenario in scenarios if scenario.pk not in passed]
    return {
        "template": "scenarios/home_section.html",
        "total": len(scenarios),
        "practised": len(practised),
        "passed": len(passed),
        "next": upcoming[0] if upcoming else None,
    }
