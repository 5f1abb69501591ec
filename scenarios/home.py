"""This app's section of the learner home page (see core/home.py)."""

from typing import Any

from django.utils.translation import get_language

from . import facts, roleplays
from .models import Reply, Scenario

HOME_ROLEPLAYS = 3


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
        **_roleplays(user),
    }


def _roleplays(user: Any) -> dict[str, Any]:
    """Calls in progress first, then ones not passed yet, in the interface language first."""
    cards = roleplays.roleplay_cards(user=user, language=facts.engine_language(get_language()))
    cards.sort(key=lambda card: (card.active is None, card.passed))
    return {
        "roleplays": cards[:HOME_ROLEPLAYS],
        "roleplay_count": len(cards),
        "roleplay_results": roleplays.recent_results(user=user),
    }
