"""What the role-aware home page shows. Each app contributes a learner section.

A section provider is `<app>.home.section(user) -> dict | None`: a dict with "template" and its
context, or None when the app has nothing for this person yet.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

HOME_SECTIONS = [
    "courses.home.section",
    "quizzes.home.section",
    "scenarios.home.section",
    "certificates.home.section",
    "studio.home.section",
]


@dataclass
class HomeSections:
    is_trainer: bool
    is_hr: bool
    learner_sections: list[dict[str, Any]] = field(default_factory=list)


def build_home(user: Any) -> HomeSections:
    sections = [import_string(dotted)(user) for dotted in HOME_SECTIONS]
    return HomeSections(
        is_trainer=user.has_perm("accounts.author_content"),
        is_hr=user.has_perm("accounts.view_people"),
        learner_sections=[section for section in sections if section],
    )
