"""What the role-aware home page shows; each app contributes its own section as it lands."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class HomeSections:
    is_learner: bool
    is_trainer: bool
    is_hr: bool
    learner: dict[str, Any] = field(default_factory=dict)


def build_home(user: Any) -> HomeSections:
    is_trainer = user.has_perm("accounts.author_content")
    is_hr = user.has_perm("accounts.view_people")
    # Everyone who is not only staff is a learner too: trainers and HR take the courses they run.
    return HomeSections(is_learner=True, is_trainer=is_trainer, is_hr=is_hr)
